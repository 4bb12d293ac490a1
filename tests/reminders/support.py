"""Helpers for the reminder tests: a clock, a WIT colleague, logs and what was sent."""

import contextlib
from datetime import UTC, date, datetime

import sqlalchemy as sa
import time_machine

from app.activities.models import Activity, ActivityStatus
from app.extensions import db
from app.notifications.models import Notification
from app.org import services as org_services
from app.reminders.models import OrgHoliday, ReminderKind, ReminderSent
from app.reminders.services import send_due
from tests.factories import add_person


def moment(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@contextlib.contextmanager
def clock(text: str):
    """Stop the clock at ``text`` (ISO 8601 with an offset)."""
    with time_machine.travel(moment(text), tick=False):
        yield moment(text)


def tick(text: str):
    """One run of the reminder clock at ``text``: what was sent, as (person_id, kind, key)."""
    with clock(text) as now:
        return {(s.person_id, s.kind, s.key) for s in send_due(now)}


def add_papua(world):
    """A colleague of the first organisation working in Jayapura (WIT, UTC+9)."""
    org = world.one.org
    root = world.one.head.unit
    unit = org_services.create_unit(org, "PAPUA", "UPT Jayapura", root, timezone="Asia/Jayapura")
    person = add_person(org, unit, "Staf Papua", world.one.sup_a)
    db.session.commit()
    return person


def log(person, day: date, status=ActivityStatus.APPROVED, submitted_at=None):
    db.session.add(Activity(org_id=person.org_id, person_id=person.id, date=day,
                            description="Menyusun laporan", status=status,
                            submitted_at=submitted_at))
    db.session.commit()


def sent_rows(kind: ReminderKind | None = None) -> set:
    db.session.rollback()
    query = sa.select(ReminderSent.person_id, ReminderSent.kind, ReminderSent.key)
    if kind is not None:
        query = query.where(ReminderSent.kind == kind)
    return {tuple(row) for row in db.session.execute(query)}


def people_of(org) -> list:
    return [org.head, org.sup_a, org.staff_a1, org.staff_a2, org.sup_b, org.staff_b1,
            org.admin]


def ids(*people) -> set[int]:
    return {p.id for p in people}


def notifications_of(person) -> list[Notification]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.person_id == person.id).order_by(Notification.id)))


def other_org_ids(world) -> dict:
    """A holiday of the second organisation."""
    holiday = OrgHoliday(org_id=world.two.org.id, day=date(2026, 11, 11), name="Hari jadi kota")
    db.session.add(holiday)
    db.session.commit()
    return {"holiday_id": holiday.id}
