"""An organisation's own holidays (days off beside the national calendar), kept by its HR
administrators; every change is audited."""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.errors import Conflict, NotFound
from app.extensions import db
from app.org.models import Person
from app.reminders.models import OrgHoliday
from app.reminders.services import require_admin


def list_holidays(actor: Person, year: int | None = None) -> list[OrgHoliday]:
    query = sa.select(OrgHoliday).where(OrgHoliday.org_id == actor.org_id)
    if year is not None:
        query = query.where(OrgHoliday.day >= date(year, 1, 1),
                            OrgHoliday.day <= date(year, 12, 31))
    return list(db.session.scalars(query.order_by(OrgHoliday.day)))


def get_holiday(actor: Person, holiday_id: int) -> OrgHoliday:
    holiday = db.session.scalar(sa.select(OrgHoliday).where(
        OrgHoliday.id == holiday_id, OrgHoliday.org_id == actor.org_id))
    if holiday is None:
        raise NotFound(_("Holiday not found."))
    return holiday


def add_holiday(actor: Person, *, day: date, name: str) -> OrgHoliday:
    require_admin(actor)
    exists = db.session.scalar(sa.select(sa.exists().where(
        OrgHoliday.org_id == actor.org_id, OrgHoliday.day == day)))
    if exists:
        raise Conflict(_("This day is already a holiday."))
    holiday = OrgHoliday(org_id=actor.org_id, day=day, name=name)
    db.session.add(holiday)
    db.session.flush()
    audit.record(actor.org_id, actor.id, actor.id, "holiday", holiday.id, "create",
                 {"day": day, "name": name})
    return holiday


def delete_holiday(actor: Person, holiday_id: int) -> None:
    holiday = get_holiday(actor, holiday_id)
    require_admin(actor)
    audit.record(actor.org_id, actor.id, actor.id, "holiday", holiday.id, "delete",
                 {"day": holiday.day, "name": holiday.name})
    db.session.delete(holiday)
    db.session.flush()
