"""Comment threads, continuous feedback, the events a review raises, automatic acceptance.

Services take the acting person explicitly, flush and never commit. Review rights follow the
reporting line (:mod:`app.org.lines`); anything outside it is answered 404, as if it did not
exist.
"""

import logging
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services import activity_reviewed, normalise_id
from app.audit import services as audit
from app.core.text import shorten
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.feedback.models import (
    Comment,
    ContinuousFeedback,
    OrgReviewPolicy,
    Value,
)
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import local_today, may_supervise
from app.org.models import Person, Role
from app.targets.models import Skp

logger = logging.getLogger(__name__)


def iso(moment: datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with its offset."""
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat(timespec="seconds")


# --- threads ---------------------------------------------------------------------------------

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
                       activity=shorten(activity.description)),
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
    year = year or local_today(actor).year
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
               else shorten(next(r.description for r in skp.rhks if r.id == rhk_id)))
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
    year = year or local_today(actor).year
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
    if Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only an HR administrator can change the review policy."))
    policy = review_policy(actor.org_id)
    if policy is None:
        policy = OrgReviewPolicy(org_id=actor.org_id)
        db.session.add(policy)
    changes = audit.diff(policy, {
        "auto_accept_after_working_days": auto_accept_after_working_days})
    policy.auto_accept_after_working_days = auto_accept_after_working_days
    db.session.flush()
    if changes:
        audit.record(actor.org_id, actor.id, actor.id, "review_policy", policy.id, "update",
                     changes)
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
