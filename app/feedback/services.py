"""Who reviews whom, comment threads, and the events a review raises.

Services take the acting person explicitly, flush and never commit. Review rights follow the
reporting line: everyone above a person may see, comment, approve and return their work, and
so may an acting supervisor (Plt/Plh) standing in for someone above them, on the days of the
assignment. Anything outside is answered 404, as if it did not exist.
"""

import logging
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services import normalise_id
from app.audit import services as audit
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.feedback.models import (
    ActingAssignment,
    ActingKind,
    Comment,
    ContinuousFeedback,
    OrgReviewPolicy,
    Value,
)
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person, Role
from app.org.services import is_in_line
from app.targets.models import Skp

logger = logging.getLogger(__name__)


def iso(moment: datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with its offset."""
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat(timespec="seconds")


# --- who may review whom ---------------------------------------------------------------------

def _today(actor: Person) -> date:
    return deadlines.local_today(actor, utcnow())


def _acting_heads(actor: Person, on_date: date | None = None) -> sa.Select:
    """A select of the supervisors ``actor`` stands in for (Plt/Plh) on ``on_date`` (default:
    today, local)."""
    on_date = on_date or _today(actor)
    return sa.select(ActingAssignment.for_person_id).where(
        ActingAssignment.org_id == actor.org_id,
        ActingAssignment.acting_person_id == actor.id,
        ActingAssignment.starts_on <= on_date, ActingAssignment.ends_on >= on_date).distinct()


def acting_for(actor: Person, on_date: date | None = None) -> list[int]:
    """Ids of the supervisors ``actor`` stands in for (Plt/Plh) on ``on_date`` (default:
    today, local)."""
    return list(db.session.scalars(_acting_heads(actor, on_date)))


def acting_line(actor: Person, on_date: date | None = None) -> sa.Select:
    """A select of the ids of everyone below the supervisors ``actor`` stands in for on
    ``on_date`` (default: today), to use inside a larger query."""
    below = _below(_acting_heads(actor, on_date))
    return sa.select(below.c.id)


def _below(heads: list[int] | sa.Select) -> sa.CTE:
    """Recursive CTE of the ids of everyone below any of ``heads`` (may repeat an id)."""
    below = (sa.select(Person.id.label("id")).where(Person.supervisor_id.in_(heads))
             .cte("supervised", recursive=True))
    return below.union_all(sa.select(Person.id).join(below, Person.supervisor_id == below.c.id))


def supervised_ids(actor: Person, on_date: date | None = None) -> sa.Select:
    """A select of the ids of everyone ``actor`` may review on ``on_date`` (default: today):
    their line below, and the lines below the supervisors they act for; never themself."""
    below = _below([actor.id, *acting_for(actor, on_date)])
    return sa.select(below.c.id).where(below.c.id != actor.id).distinct()


def may_supervise(actor: Person, person_id: int, on_date: date | None = None) -> bool:
    """Whether ``actor`` may review ``person_id``'s work on ``on_date`` (default: today): they
    are above the person in the reporting line, or act (Plt/Plh) for someone who is."""
    if person_id == actor.id:
        return False
    if is_in_line(actor, person_id):
        return True
    heads = acting_for(actor, on_date)
    if not heads:
        return False
    below = _below(heads)
    return bool(db.session.scalar(sa.select(sa.exists().where(below.c.id == person_id))))


def may_follow(actor: Person, activity: Activity) -> bool:
    """Whether ``actor`` takes part in ``activity``'s thread: its owner or a reviewer."""
    return activity.person_id == actor.id or may_supervise(actor, activity.person_id)


def activity_for_thread(actor: Person, activity_id) -> Activity:
    """:raise NotFound: unless ``actor`` owns the activity or may review it."""
    key = normalise_id(activity_id)
    activity = key and db.session.scalar(
        sa.select(Activity).where(Activity.id == key, Activity.org_id == actor.org_id))
    if not activity or not may_follow(actor, activity):
        raise NotFound(_("Activity not found."))
    return activity


# --- comments --------------------------------------------------------------------------------

def comments_of(actor: Person, activity_id) -> list[Comment]:
    """The thread, oldest first. :raise NotFound: unless ``actor`` takes part in it."""
    activity = activity_for_thread(actor, activity_id)
    return thread(activity)


def comments_on_own_activities(actor: Person, since: date) -> list[Comment]:
    """Every comment on ``actor``'s own activities dated ``since`` or later, oldest first:
    the threads the phone keeps for offline reading."""
    return list(db.session.scalars(
        sa.select(Comment).join(Activity, Activity.id == Comment.activity_id)
        .where(Activity.person_id == actor.id, Activity.org_id == actor.org_id,
               Activity.date >= since)
        .options(sa.orm.joinedload(Comment.author)).order_by(Comment.id).limit(1000)))


def thread(activity: Activity) -> list[Comment]:
    return list(db.session.scalars(
        sa.select(Comment).where(Comment.activity_id == activity.id,
                                 Comment.org_id == activity.org_id)
        .options(sa.orm.joinedload(Comment.author)).order_by(Comment.id)))


def add_comment(actor: Person, activity_id, *, body: str,
                client_id: str | None = None) -> Comment:
    """Add to the thread and tell the other side: the owner hears from a supervisor; the
    owner's reply goes to their direct supervisor and whoever else wrote in the thread.

    ``client_id`` (a UUID the phone chose) makes it idempotent: a replay answers the stored
    comment (with ``replayed`` set) and notifies nobody again.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(fields={"body": _("Write your feedback first.")})
    activity = activity_for_thread(actor, activity_id)
    if client_id is not None:
        client_id = str(client_id)
        stored = db.session.scalar(sa.select(Comment).where(Comment.client_id == client_id))
        if stored is not None:
            if stored.author_id != actor.id or stored.activity_id != activity.id:
                raise Conflict(_("This identifier is already in use."), code="id_in_use")
            stored.replayed = True
            return stored
    comment = Comment(org_id=activity.org_id, activity_id=activity.id, author_id=actor.id,
                      body=body, author=actor, client_id=client_id)
    db.session.add(comment)
    db.session.flush()
    for recipient in _comment_recipients(actor, activity):
        notify(recipient, NotificationKind.COMMENT,
               title=_("%(name)s commented on %(activity)s", name=actor.name,
                       activity=_short(activity.description)),
               body=body[:500], url=f"/aktivitas/{activity.id}",
               data={"activity_id": activity.id, "comment": comment_data(comment)})
    logger.info("Comment %s on activity %s by %s", comment.id, activity.id, actor.id)
    return comment


def comment_data(comment: Comment) -> dict:
    """The comment as a live page draws it."""
    return {"id": comment.id, "client_id": comment.client_id, "body": comment.body,
            "author_name": comment.author.name, "author_id": comment.author_id,
            "created_at": iso(comment.created_at)}


def _comment_recipients(actor: Person, activity: Activity) -> list[Person]:
    owner = activity.person
    if actor.id != owner.id:
        return [owner]
    ids = set(db.session.scalars(sa.select(Comment.author_id).where(
        Comment.activity_id == activity.id)))
    if owner.supervisor_id is not None:
        ids.add(owner.supervisor_id)
    ids.discard(actor.id)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Person).where(
        Person.id.in_(ids), Person.org_id == activity.org_id).order_by(Person.id)))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- review events ---------------------------------------------------------------------------

def activity_reviewed(actor: Person | None, activity: Activity) -> None:
    """Tell the owner their activity was approved or returned (same transaction)."""
    approved = activity.status is ActivityStatus.APPROVED
    data = {"activity_id": activity.id, "status": activity.status.value,
            "version": activity.version}
    if approved:
        title = _("Activity approved: %(activity)s", activity=_short(activity.description))
        body = ""
    else:
        title = _("Activity returned: %(activity)s", activity=_short(activity.description))
        body = activity.return_reason or ""
        data["return_reason"] = activity.return_reason
    if actor is None:
        data["auto"] = True
    notify(activity.person, NotificationKind.APPROVED if approved else NotificationKind.RETURNED,
           title=title, body=body, url=f"/aktivitas/{activity.id}", data=data)


# --- acting supervisors (Plt/Plh) ------------------------------------------------------------

def _admin_only(actor: Person) -> None:
    if Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only an HR administrator can manage acting supervisors."))


def _person_in_org(actor: Person, person_id: int, field: str) -> Person:
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    if person is None:
        raise ValidationFailed(fields={field: _("Person not found.")})
    return person


def create_acting(actor: Person, *, acting_person_id: int, for_person_id: int,
                  starts_on: date, ends_on: date, kind: str) -> ActingAssignment:
    """Appoint an acting supervisor for a date range (HR administrators only)."""
    _admin_only(actor)
    acting = _person_in_org(actor, acting_person_id, "acting_person_id")
    replaced = _person_in_org(actor, for_person_id, "for_person_id")
    if acting.id == replaced.id:
        raise ValidationFailed(fields={"acting_person_id": _(
            "Choose someone other than the supervisor being replaced.")})
    if ends_on < starts_on:
        raise ValidationFailed(fields={"ends_on": _("The end must not be before the start.")})
    assignment = ActingAssignment(org_id=actor.org_id, acting_person=acting,
                                  for_person=replaced, starts_on=starts_on, ends_on=ends_on,
                                  kind=ActingKind(kind), created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record(actor.org_id, replaced.id, actor.id, "acting_assignment", assignment.id,
                 "create", {"acting_person_id": acting.id, "for_person_id": replaced.id,
                            "starts_on": starts_on.isoformat(),
                            "ends_on": ends_on.isoformat(), "kind": assignment.kind.value})
    logger.info("Acting assignment %s: %s for %s", assignment.id, acting.id, replaced.id)
    return assignment


def list_acting(actor: Person, *, active_on: date | None = None) -> list[ActingAssignment]:
    """The organisation's acting assignments for administrators; for anyone else, those
    naming them."""
    query = sa.select(ActingAssignment).where(ActingAssignment.org_id == actor.org_id)
    if Role.ADMIN not in actor.roles:
        query = query.where(sa.or_(ActingAssignment.acting_person_id == actor.id,
                                   ActingAssignment.for_person_id == actor.id))
    if active_on is not None:
        query = query.where(ActingAssignment.starts_on <= active_on,
                            ActingAssignment.ends_on >= active_on)
    return list(db.session.scalars(query.order_by(ActingAssignment.starts_on.desc(),
                                                  ActingAssignment.id)))


def delete_acting(actor: Person, assignment_id: int) -> None:
    """End an appointment early by removing it (HR administrators only)."""
    assignment = db.session.scalar(sa.select(ActingAssignment).where(
        ActingAssignment.id == assignment_id, ActingAssignment.org_id == actor.org_id))
    if assignment is None:
        raise NotFound(_("Acting assignment not found."))
    _admin_only(actor)
    audit.record(actor.org_id, assignment.for_person_id, actor.id, "acting_assignment",
                 assignment.id, "delete", {"acting_person_id": assignment.acting_person_id})
    db.session.delete(assignment)
    db.session.flush()


# --- continuous feedback per RHK and BerAKHLAK value -----------------------------------------

#: The BerAKHLAK values as the UI names them (proper names, not translated).
VALUE_LABELS = {
    Value.BERORIENTASI_PELAYANAN: "Berorientasi Pelayanan",
    Value.AKUNTABEL: "Akuntabel",
    Value.KOMPETEN: "Kompeten",
    Value.HARMONIS: "Harmonis",
    Value.LOYAL: "Loyal",
    Value.ADAPTIF: "Adaptif",
    Value.KOLABORATIF: "Kolaboratif",
}


def _employee(actor: Person, person_id: int, *, write: bool) -> Person:
    """:raise NotFound: unless ``actor`` reviews the person (or, to read, is the person)."""
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    allowed = person is not None and (may_supervise(actor, person.id)
                                      or (not write and person.id == actor.id))
    if not allowed:
        raise NotFound(_("Person not found."))
    return person


def give_feedback(actor: Person, person_id: int, *, body: str, rhk_id: int | None = None,
                  value: str | None = None, year: int | None = None) -> ContinuousFeedback:
    """Note feedback on one RHK or one BerAKHLAK value of the person's SKP and tell them."""
    person = _employee(actor, person_id, write=True)
    if (rhk_id is None) == (value is None):
        raise ValidationFailed(fields={"rhk_id": _("Choose one RHK or one BerAKHLAK value.")})
    year = year or _today(actor).year
    skp = db.session.scalar(sa.select(Skp).where(Skp.person_id == person.id, Skp.year == year,
                                                 Skp.org_id == person.org_id))
    if skp is None:
        raise ValidationFailed(fields={"year": _("%(name)s has no SKP for %(year)s.",
                                                 name=person.name, year=year)})
    if rhk_id is not None and rhk_id not in {rhk.id for rhk in skp.rhks}:
        raise ValidationFailed(fields={"rhk_id": _("Choose an RHK of this SKP.")})
    item = ContinuousFeedback(org_id=person.org_id, person_id=person.id, author=actor,
                              skp_id=skp.id, rhk_id=rhk_id,
                              value=Value(value) if value else None, body=body.strip())
    db.session.add(item)
    db.session.flush()
    subject = (VALUE_LABELS[item.value] if item.value
               else _short(next(r.description for r in skp.rhks if r.id == rhk_id)))
    notify(person, NotificationKind.FEEDBACK,
           title=_("Feedback from %(name)s on %(subject)s", name=actor.name, subject=subject),
           body=item.body[:500], url=f"/umpan-balik/{person.id}",
           data={"person_id": person.id, "feedback": feedback_data(item)})
    return item


def feedback_data(item: ContinuousFeedback) -> dict:
    return {"id": item.id, "skp_id": item.skp_id, "rhk_id": item.rhk_id,
            "value": item.value.value if item.value else None, "body": item.body,
            "author_name": item.author.name, "created_at": iso(item.created_at)}


def feedback_for(actor: Person, person_id: int, *, year: int | None = None) -> dict:
    """The person's SKP of ``year`` and its feedback, oldest first: for the person and those
    who review them. :raise NotFound: otherwise."""
    person = _employee(actor, person_id, write=False)
    year = year or _today(actor).year
    skp = db.session.scalar(sa.select(Skp).where(Skp.person_id == person.id, Skp.year == year,
                                                 Skp.org_id == person.org_id))
    items = [] if skp is None else list(db.session.scalars(
        sa.select(ContinuousFeedback).where(ContinuousFeedback.skp_id == skp.id,
                                            ContinuousFeedback.person_id == person.id)
        .options(sa.orm.joinedload(ContinuousFeedback.author))
        .order_by(ContinuousFeedback.id)))
    return {"person": person, "year": year, "skp": skp, "items": items}


# --- automatic acceptance --------------------------------------------------------------------

def set_review_policy(actor: Person, *, auto_accept_after_working_days: int | None
                      ) -> OrgReviewPolicy:
    """Turn automatic acceptance on (a number of working days) or off (None)."""
    _admin_only(actor)
    policy = review_policy(actor.org_id)
    if policy is None:
        policy = OrgReviewPolicy(org_id=actor.org_id)
        db.session.add(policy)
    policy.auto_accept_after_working_days = auto_accept_after_working_days
    db.session.flush()
    return policy


def review_policy(org_id: int) -> OrgReviewPolicy | None:
    return db.session.scalar(sa.select(OrgReviewPolicy).where(OrgReviewPolicy.org_id == org_id))


def accept_due_on(person: Person, submitted_at: datetime, days: int) -> date:
    """The last local day a supervisor has to review: ``days`` working days after the
    (local) day of submission. The activity is accepted the day after."""
    submitted_on = deadlines.local_today(person, submitted_at.replace(tzinfo=UTC))
    return deadlines.working_day_after(submitted_on, days)


def auto_accept_due(now: datetime) -> list[Activity]:
    """Accept the submitted activities of organisations that chose it, once their review time
    ran out; tell each owner, and each late supervisor's own supervisor once. Audited with
    no actor (the system)."""
    policies = {p.org_id: p.auto_accept_after_working_days for p in db.session.scalars(
        sa.select(OrgReviewPolicy).where(
            OrgReviewPolicy.auto_accept_after_working_days.is_not(None)))}
    if not policies:
        return []
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)
    stamp = moment.astimezone(UTC).replace(tzinfo=None)
    candidates = db.session.scalars(
        sa.select(Activity).where(Activity.org_id.in_(policies),
                                  Activity.status == ActivityStatus.SUBMITTED,
                                  Activity.submitted_at.is_not(None))
        .order_by(Activity.submitted_at, Activity.id).with_for_update())
    accepted, late = [], {}
    for activity in list(candidates):
        owner = activity.person
        days = policies[activity.org_id]
        if deadlines.local_today(owner, moment) <= accept_due_on(owner, activity.submitted_at,
                                                                 days):
            continue
        activity.status = ActivityStatus.APPROVED
        activity.reviewed_at = stamp
        activity.reviewed_by_id = None
        activity.version += 1
        db.session.flush()
        audit.record(activity.org_id, owner.id, None, "activity", activity.id, "approve",
                     {"status": ["submitted", "approved"], "auto_accepted": True})
        activity_reviewed(None, activity)
        accepted.append(activity)
        if owner.supervisor is not None and owner.supervisor.supervisor is not None:
            late.setdefault(owner.supervisor, []).append(activity)
    for supervisor, items in late.items():
        notify(supervisor.supervisor, NotificationKind.DIGEST,
               title=ngettext("%(num)d activity was accepted without %(name)s's review",
                              "%(num)d activities were accepted without %(name)s's review",
                              len(items), name=supervisor.name),
               body=_("Not reviewed within %(days)d working days.",
                      days=policies[supervisor.org_id]),
               url="/tim", data={"supervisor_id": supervisor.id,
                                 "activity_ids": [a.id for a in items]})
    if accepted:
        logger.info("%s activities accepted automatically", len(accepted))
    return accepted
