"""Logging again what was logged before: repeating an activity, and saved templates."""

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities import deadlines
from app.activities.models import ActivityTemplate, WorkKind
from app.activities.services.create import create_activity
from app.activities.services.queries import day_end, get_own_activity
from app.activities.services.rules import Saved, indicator_for, resolve_kind
from app.errors import NotFound
from app.extensions import db
from app.models import utcnow
from app.org.models import Person


def repeat_activity(actor: Person, activity_id, *, on_date: date | None = None,
                    start_time: time | None = None, end_time: time | None = None,
                    new_id=None, now: datetime | None = None) -> Saved:
    """A new draft copying an earlier activity of ``actor``'s (description, target, quantity,
    unit) on ``on_date`` (default: today, local).

    The start defaults to the end of that day's last activity (else the original start), the
    end to the start plus the original duration.
    """
    now = now or utcnow()
    source = get_own_activity(actor, activity_id, for_update=False)
    on_date = on_date or deadlines.local_today(actor, now)
    start_time = start_time or day_end(actor, on_date) or source.start_time or time(8, 0)
    if end_time is None:
        minutes = start_time.hour * 60 + start_time.minute + (source.duration_minutes or 60)
        end_time = time(23, 59) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)
    return create_activity(
        actor, id=new_id, date=on_date, start_time=start_time, end_time=end_time,
        description=source.description, quantity=source.quantity, unit=source.unit,
        target_id=source.target_id, work_kind=source.work_kind.value, now=now)


def list_templates(actor: Person) -> list[ActivityTemplate]:
    return list(db.session.scalars(
        sa.select(ActivityTemplate).where(ActivityTemplate.person_id == actor.id)
        .order_by(ActivityTemplate.name, ActivityTemplate.id)))


def create_template(actor: Person, *, name: str, description: str,
                    target_id: int | None = None, work_kind: str | None = None,
                    quantity=None, unit: str | None = None,
                    duration_minutes: int | None = None) -> ActivityTemplate:
    """Save a frequent activity of ``actor``'s; the target must be one of their own."""
    if work_kind is None and target_id is None:
        work_kind = WorkKind.LAINNYA
    kind = resolve_kind(target_id, work_kind)
    if target_id is not None:
        indicator = indicator_for(actor, target_id)
        unit = unit or indicator.unit
    template = ActivityTemplate(person_id=actor.id, name=name, description=description,
                                target_id=target_id, work_kind=kind, quantity=quantity,
                                unit=unit or None, duration_minutes=duration_minutes)
    db.session.add(template)
    db.session.flush()
    return template


def delete_template(actor: Person, template_id: int) -> None:
    """:raise NotFound: unless the template is ``actor``'s."""
    template = db.session.scalar(sa.select(ActivityTemplate).where(
        ActivityTemplate.id == template_id, ActivityTemplate.person_id == actor.id))
    if template is None:
        raise NotFound(_("Template not found."))
    db.session.delete(template)
    db.session.flush()
