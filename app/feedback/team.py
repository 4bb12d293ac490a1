"""The team view (Tim) of an atasan and approving a person's whole day."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from app.absences.services import excused_days
from app.activities import deadlines
from app.activities import services as activities
from app.activities.models import Activity, ActivityStatus
from app.errors import NotFound
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import may_supervise, supervised_ids
from app.org.models import Person


def team(actor: Person, *, on_date: date | None = None, status: str | None = None,
         person_id: int | None = None, now: datetime | None = None) -> dict:
    """The people ``actor`` reviews, each with their activities, whether they logged
    anything today (their own local date) and the kind of their approved absence today
    (``absence``, an :class:`~app.absences.models.AbsenceKind`, or None).

    Activities are those of ``on_date`` and/or ``status``; with neither, today's (local to
    ``actor``). :raise NotFound: if ``person_id`` is not someone ``actor`` reviews.
    """
    now = now or utcnow()
    if on_date is None and status is None:
        on_date = deadlines.local_today(actor, now)
    people_query = (sa.select(Person).where(Person.org_id == actor.org_id, Person.active,
                                            Person.id.in_(supervised_ids(actor)))
                    .order_by(Person.name, Person.id))
    if person_id is not None:
        people_query = people_query.where(Person.id == person_id)
    people = list(db.session.scalars(people_query))
    if person_id is not None and not people:
        raise NotFound(_("Person not found."))
    ids = [person.id for person in people]
    query = (sa.select(Activity).where(Activity.org_id == actor.org_id,
                                       Activity.person_id.in_(ids))
             .order_by(Activity.date.desc(), Activity.start_time, Activity.id))
    if on_date is not None:
        query = query.where(Activity.date == on_date)
    if status is not None:
        query = query.where(Activity.status == ActivityStatus(status))
    by_person = {}
    for activity in db.session.scalars(query) if ids else ():
        by_person.setdefault(activity.person_id, []).append(activity)
    todays = {person.id: deadlines.local_today(person, now) for person in people}
    logged = {(row.person_id, row.date) for row in db.session.execute(
        sa.select(Activity.person_id, Activity.date).where(
            Activity.person_id.in_(ids), Activity.date.in_(set(todays.values())))
        .distinct())} if ids else set()
    away = excused_days(actor.org_id, min(todays.values()), max(todays.values()),
                        ids) if ids else {}
    return {"date": on_date, "status": status, "people": [
        {"person": person, "today": todays[person.id],
         "logged_today": (person.id, todays[person.id]) in logged,
         "absence": away.get(person.id, {}).get(todays[person.id]),
         "activities": by_person.get(person.id, [])} for person in people]}


def approve_day(actor: Person, person_id: int, on_date: date) -> list[Activity]:
    """Approve every submitted activity of the person on ``on_date`` in one go: each audited,
    the person told once. :raise NotFound: unless ``actor`` reviews the person."""
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    if person is None or not may_supervise(actor, person.id):
        raise NotFound(_("Person not found."))
    keys = list(db.session.scalars(
        sa.select(Activity.id).where(Activity.org_id == actor.org_id,
                                     Activity.person_id == person.id, Activity.date == on_date,
                                     Activity.status == ActivityStatus.SUBMITTED)
        .order_by(Activity.start_time, Activity.id)))
    approved = [activities.approve_activity(actor, key, notify_owner=False) for key in keys]
    if approved:
        notify(person, NotificationKind.APPROVED,
               title=ngettext("%(name)s approved your activity of %(date)s",
                              "%(name)s approved your %(num)d activities of %(date)s",
                              len(approved), name=actor.name,
                              date=format_date(on_date, "d MMMM y")),
               url=f"/?tanggal={on_date.isoformat()}",
               data={"status": "approved", "date": on_date.isoformat(),
                     "activities": [{"activity_id": a.id, "status": a.status.value,
                                     "version": a.version} for a in approved]})
    return approved
