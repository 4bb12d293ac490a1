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

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services import normalise_id
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.feedback.models import ActingAssignment, Comment
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person
from app.org.services import is_in_line

logger = logging.getLogger(__name__)


def iso(moment: datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with its offset."""
    return None if moment is None else moment.replace(tzinfo=UTC).isoformat(timespec="seconds")


# --- who may review whom ---------------------------------------------------------------------

def _today(actor: Person) -> date:
    return deadlines.local_today(actor, utcnow())


def acting_for(actor: Person, on_date: date | None = None) -> list[int]:
    """Ids of the supervisors ``actor`` stands in for (Plt/Plh) on ``on_date`` (default:
    today, local)."""
    on_date = on_date or _today(actor)
    return list(db.session.scalars(
        sa.select(ActingAssignment.for_person_id).where(
            ActingAssignment.org_id == actor.org_id,
            ActingAssignment.acting_person_id == actor.id,
            ActingAssignment.starts_on <= on_date, ActingAssignment.ends_on >= on_date)
        .distinct()))


def _below(heads: list[int]) -> sa.CTE:
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


def thread(activity: Activity) -> list[Comment]:
    return list(db.session.scalars(
        sa.select(Comment).where(Comment.activity_id == activity.id,
                                 Comment.org_id == activity.org_id)
        .options(sa.orm.joinedload(Comment.author)).order_by(Comment.id)))


def add_comment(actor: Person, activity_id, *, body: str) -> Comment:
    """Add to the thread and tell the other side: the owner hears from a supervisor; the
    owner's reply goes to their direct supervisor and whoever else wrote in the thread."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(fields={"body": _("Write your feedback first.")})
    activity = activity_for_thread(actor, activity_id)
    comment = Comment(org_id=activity.org_id, activity_id=activity.id, author_id=actor.id,
                      body=body, author=actor)
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
    return {"id": comment.id, "body": comment.body, "author_name": comment.author.name,
            "author_id": comment.author_id, "created_at": iso(comment.created_at)}


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
