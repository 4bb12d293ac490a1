"""The states of an activity: the owner submits it, a supervisor in their line approves or
returns it."""

from datetime import datetime

from flask_babel import gettext as _

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services.queries import get_own_activity, load_for_change
from app.activities.services.rules import (
    OVERSEERS,
    check_editable,
    check_open,
    check_version,
    current_copy,
    record,
    utc,
)
from app.core.text import shorten
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import may_supervise, reviewers_of
from app.org.models import Person


def submit_activity(actor: Person, activity_id, *, version: int | None = None,
                    now: datetime | None = None) -> Activity:
    """Send a draft or returned activity to the supervisor; computes whether it is late.

    Submitting one that is already submitted or approved answers it unchanged (a replay).
    """
    activity = get_own_activity(actor, activity_id)
    if activity.status in (ActivityStatus.SUBMITTED, ActivityStatus.APPROVED):
        return activity
    check_version(activity, version)
    mark_submitted(actor, activity, now or utcnow())
    return activity


def mark_submitted(actor: Person, activity: Activity, now: datetime) -> None:
    """Submit ``actor``'s own ``activity``, loaded already (also right after its create)."""
    check_editable(activity)
    check_open(actor, activity.date, now)
    old = activity.status
    activity.status = ActivityStatus.SUBMITTED
    if old is ActivityStatus.DRAFT:
        # Lateness is judged on the first submission; a resubmission after a return keeps it.
        activity.is_late = deadlines.is_late(actor, activity.date, now)
    activity.submitted_at = utc(now)
    activity.version += 1
    db.session.flush()
    record(actor, activity, "submit", {"status": [old.value, activity.status.value],
                                       "is_late": activity.is_late})
    announce_submission(actor, activity)


def announce_submission(actor: Person, activity: Activity) -> None:
    """Tell the reviewers at once: a row for each (their badge, replay on reconnect), which
    their open /tim and review inbox pick up over the live stream."""
    for reviewer in reviewers_of(actor):
        notify(reviewer, NotificationKind.SUBMITTED,
               title=_("%(name)s submitted: %(description)s", name=actor.name,
                       description=activity.description[:120]),
               url=f"/tim?orang={actor.id}",
               data={"activity_id": activity.id, "person_id": actor.id,
                     "date": activity.date.isoformat(), "status": activity.status.value,
                     "version": activity.version})


def _load_for_review(actor: Person, activity_id) -> Activity:
    """An activity ``actor`` may review: someone's below them in the reporting line, or in
    the line of a supervisor ``actor`` acts for (Plt/Plh) today."""
    activity = load_for_change(actor, activity_id)
    if activity.person_id == actor.id:
        raise Forbidden(_("You cannot review your own activity."))
    if not may_supervise(actor, activity.person_id):
        if actor.roles & OVERSEERS:
            raise Forbidden(_("Only a supervisor in the person's reporting line can review."))
        raise NotFound(_("Activity not found."))
    return activity


#: The quality mark's scale (docs/realisation.md): 1 far below standard, 2 below, 3 to
#: standard with small corrections, 4 fully to standard. Averaged x 25 into Kualitas.
QUALITY_MARKS = range(1, 5)


def check_quality(quality) -> int | None:
    """A quality mark from the API or a form field ("" is none). :raise ValidationFailed:"""
    if quality is None or quality == "":
        return None
    try:
        mark = int(quality)
    except (TypeError, ValueError):
        mark = 0
    if isinstance(quality, bool) or mark not in QUALITY_MARKS:
        raise ValidationFailed(fields={"quality": _("Choose a quality mark from 1 to 4.")})
    return mark


def _review(actor: Person, activity: Activity, status: ActivityStatus, now: datetime,
            reason: str | None = None, quality: int | None = None) -> None:
    if activity.status is not ActivityStatus.SUBMITTED:
        raise Conflict(_("Only submitted activities can be approved or returned."),
                       code="not_submitted", extra={"current": current_copy(activity)})
    old = activity.status
    activity.status = status
    activity.reviewed_at = utc(now)
    activity.reviewed_by_id = actor.id
    changes = {"status": [old.value, status.value]}
    if quality is not None:
        changes["quality"] = [activity.quality, quality]
        activity.quality = quality
    if reason is not None:
        changes["return_reason"] = [activity.return_reason, reason]
        activity.return_reason = reason
    activity.version += 1
    db.session.flush()
    record(actor, activity, "approve" if status is ActivityStatus.APPROVED else "return",
           changes)


def approve_activity(actor: Person, activity_id, *, version: int | None = None,
                     now: datetime | None = None, notify_owner: bool = True,
                     quality=None) -> Activity:
    """Approve a submitted activity of someone in ``actor``'s line; approving twice is a no-op.

    ``quality`` is the supervisor's optional quality mark (1-4): the Kualitas realisation of
    the RHK the activity serves averages these marks. The owner is notified in the same
    transaction, unless ``notify_owner`` is false (the caller tells them once for many).
    """
    quality = check_quality(quality)
    activity = _load_for_review(actor, activity_id)
    if activity.status is ActivityStatus.APPROVED:
        return activity
    check_version(activity, version)
    _review(actor, activity, ActivityStatus.APPROVED, utc(now), quality=quality)
    if notify_owner:
        activity_reviewed(actor, activity)
    return activity


def activity_reviewed(actor: Person | None, activity: Activity) -> None:
    """Tell the owner their activity was approved or returned (same transaction)."""
    approved = activity.status is ActivityStatus.APPROVED
    data = {"activity_id": activity.id, "status": activity.status.value,
            "version": activity.version}
    if approved:
        title = _("Activity approved: %(activity)s", activity=shorten(activity.description))
        body = ""
    else:
        title = _("Activity returned: %(activity)s", activity=shorten(activity.description))
        body = activity.return_reason or ""
        data["return_reason"] = activity.return_reason
    if actor is None:
        data["auto"] = True
    notify(activity.person, NotificationKind.APPROVED if approved else NotificationKind.RETURNED,
           title=title, body=body, url=f"/aktivitas/{activity.id}", data=data)


def return_activity(actor: Person, activity_id, *, reason: str, version: int | None = None,
                    now: datetime | None = None) -> Activity:
    """Return a submitted activity for revision, with a reason the owner sees."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": _("Say why the activity is returned.")})
    activity = _load_for_review(actor, activity_id)
    if activity.status is ActivityStatus.RETURNED and activity.return_reason == reason:
        return activity
    check_version(activity, version)
    _review(actor, activity, ActivityStatus.RETURNED, utc(now), reason=reason.strip())
    activity_reviewed(actor, activity)
    return activity
