"""Taking one's own activity back: delete a draft, or withdraw a submission nobody reviewed.

What a person logged by mistake should not stay in their log, and a submission sent too soon
should not have to wait for the supervisor to return it. Both stay in the audit trail: the
owner's chain keeps a "delete" or "withdraw" entry with what the activity said, so the
history of the log never loses a step. Reviewed activities (approved or returned) and those
of a locked month are kept as they are.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities.models import Activity, ActivityStatus
from app.activities.services.queries import get_own_activity
from app.activities.services.rules import check_open, check_version, current_copy, record
from app.errors import Conflict
from app.extensions import db
from app.feedback.models import Comment
from app.models import utcnow
from app.org.models import Person


def delete_draft(actor: Person, activity_id, *, version: int | None = None) -> None:
    """Delete ``actor``'s own draft, with its evidence and any comments on it.

    :raise Conflict: if it is not a draft (or changed meanwhile); the month's lock applies.
    """
    activity = get_own_activity(actor, activity_id)
    check_version(activity, version)
    if activity.status is not ActivityStatus.DRAFT:
        raise Conflict(_("Only a draft can be deleted. A submitted activity can be withdrawn "
                         "while it is not reviewed."), code="not_draft",
                       extra={"current": current_copy(activity)})
    check_open(actor, activity.date, utcnow())
    record(actor, activity, "delete", {"description": activity.description,
                                       "date": activity.date.isoformat(),
                                       "status": activity.status.value})
    db.session.execute(sa.delete(Comment).where(Comment.activity_id == activity.id))
    db.session.delete(activity)
    db.session.flush()


def withdraw(actor: Person, activity_id, *, version: int | None = None) -> Activity:
    """Bring ``actor``'s submitted, unreviewed activity back to a draft.

    :raise Conflict: once a supervisor approved or returned it (or it changed meanwhile).
    """
    activity = get_own_activity(actor, activity_id)
    check_version(activity, version)
    if activity.status is not ActivityStatus.SUBMITTED or reviewed_since_sent(activity):
        raise Conflict(_("Only a submitted activity that nobody has reviewed yet can be "
                         "withdrawn."), code="not_withdrawable",
                       extra={"current": current_copy(activity)})
    check_open(actor, activity.date, utcnow())
    activity.status = ActivityStatus.DRAFT
    activity.submitted_at = None
    activity.version += 1
    db.session.flush()
    record(actor, activity, "withdraw", {"status": [ActivityStatus.SUBMITTED.value,
                                                    activity.status.value]})
    return activity


def reviewed_since_sent(activity: Activity) -> bool:
    """A supervisor acted on it after it was last sent (a resubmission is unreviewed again)."""
    return activity.reviewed_at is not None and (activity.submitted_at is None
                                                 or activity.reviewed_at >= activity.submitted_at)
