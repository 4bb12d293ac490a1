"""Reading the daily log: which activities someone may see, lists, and what the form starts
with."""

import uuid
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services.rules import OVERSEERS
from app.audit import services as audit
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models import utcnow
from app.org.lines import acting_line, line_below, may_supervise
from app.org.models import Person


def normalise_id(value) -> str | None:
    """The canonical text of a UUID, or None when ``value`` is not one."""
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


def activities_visible_to(actor: Person) -> sa.Select:
    """Activities ``actor`` may see: their own, their whole line's below them, and today
    the lines of the supervisors they stand in for (Plt/Plh), whose work they review.

    Admins and the head of agency (pimpinan) see their organisation's.
    """
    query = sa.select(Activity).where(Activity.org_id == actor.org_id)
    if actor.roles & OVERSEERS:
        return query
    below = line_below(actor.id)
    return query.where(sa.or_(Activity.person_id == actor.id,
                              Activity.person_id.in_(sa.select(below.c.id)),
                              Activity.person_id.in_(acting_line(actor))))


def may_see_person(actor: Person, person: Person | int) -> bool:
    """Whether ``actor`` may see the activities of ``person`` (same organisation assumed):
    themself, someone in their line, or today someone they review as Plt/Plh."""
    person_id = person if isinstance(person, int) else person.id
    if person_id == actor.id or actor.roles & OVERSEERS:
        return True
    return may_supervise(actor, person_id)


def get_activity(actor: Person, activity_id) -> Activity:
    """:raise NotFound: unless ``actor`` may see the activity."""
    key = normalise_id(activity_id)
    activity = key and db.session.scalar(activities_visible_to(actor).where(Activity.id == key))
    if not activity:
        raise NotFound(_("Activity not found."))
    return activity


def load_for_change(actor: Person, activity_id) -> Activity:
    """The activity, row-locked on PostgreSQL; 404 unless in ``actor``'s organisation."""
    key = normalise_id(activity_id)
    activity = key and db.session.scalar(
        sa.select(Activity).where(Activity.id == key, Activity.org_id == actor.org_id)
        .with_for_update().execution_options(populate_existing=True))
    if not activity:
        raise NotFound(_("Activity not found."))
    return activity


def get_own_activity(actor: Person, activity_id, *, for_update: bool = True) -> Activity:
    """An activity only its owner may change.

    :raise NotFound: if ``actor`` may not see it; :raise Forbidden: if they may but it is not
        theirs.
    """
    activity = (load_for_change(actor, activity_id) if for_update
                else get_activity(actor, activity_id))
    if activity.person_id != actor.id:
        if may_see_person(actor, activity.person_id):
            raise Forbidden(_("Only the owner can change this activity."))
        raise NotFound(_("Activity not found."))
    return activity


def list_activities(actor: Person, *, person_id: int | None = None,
                    date_from: date | None = None, date_to: date | None = None,
                    status: str | None = None) -> sa.Select:
    """A select of one person's activities, newest first, for the caller to paginate.

    :raise NotFound: if ``person_id`` is not the caller and not in their line (or, for
        admins and pimpinan, not in their organisation).
    """
    person_id = actor.id if person_id is None else person_id
    if person_id != actor.id:
        person = db.session.get(Person, person_id)
        if person is None or person.org_id != actor.org_id or not may_see_person(actor, person):
            raise NotFound(_("Person not found."))
    query = sa.select(Activity).where(Activity.org_id == actor.org_id,
                                      Activity.person_id == person_id)
    if date_from is not None:
        query = query.where(Activity.date >= date_from)
    if date_to is not None:
        query = query.where(Activity.date <= date_to)
    if status is not None:
        query = query.where(Activity.status == ActivityStatus(status))
    return query.order_by(Activity.date.desc(), Activity.start_time.desc(), Activity.id)


def form_defaults(actor: Person, *, on_date: date | None = None,
                  now: datetime | None = None, recent: int = 10) -> dict:
    """What the activity form starts with: the start time (end of the day's last activity)
    and the person's most recent distinct descriptions."""
    on_date = on_date or deadlines.local_today(actor, now or utcnow())
    return {"date": on_date, "start_time": day_end(actor, on_date),
            "recent_descriptions": recent_descriptions(actor, limit=recent)}


def day_end(person: Person, on_date: date) -> time | None:
    """When the person's last activity of ``on_date`` ended, or None."""
    return db.session.scalar(sa.select(sa.func.max(Activity.end_time)).where(
        Activity.person_id == person.id, Activity.date == on_date))


def recent_descriptions(person: Person, *, limit: int = 10) -> list[str]:
    latest = sa.func.max(Activity.created_at)
    return list(db.session.scalars(
        sa.select(Activity.description).where(Activity.person_id == person.id)
        .group_by(Activity.description).order_by(latest.desc()).limit(limit)))


def history(actor: Person, activity_id) -> list:
    """The activity's audit entries, oldest first. :raise NotFound: unless visible."""
    activity = get_activity(actor, activity_id)
    return audit.history("activity", activity.id)
