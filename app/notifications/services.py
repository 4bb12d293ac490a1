"""Raise notifications: the row first (in the caller's transaction), then, after commit, the
live event (SSE) and, when the person's app is closed, a web push.

Services flush, never commit. Publishing waits for the commit: an event for a row that was
rolled back must never reach anyone.
"""

import logging

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.notifications.models import Notification, NotificationKind
from app.notifications.signals import send_committed
from app.org.models import Person

logger = logging.getLogger(__name__)

_PENDING_KEY = "kinerjaku_notifications_to_publish"


def notify(recipient: Person, kind: NotificationKind | str, *, title: str, body: str = "",
           url: str = "/", data: dict | None = None) -> Notification:
    """Store a notification for ``recipient``; it is published once the transaction commits."""
    notification = Notification(org_id=recipient.org_id, person_id=recipient.id,
                                kind=NotificationKind(kind), title=title[:200], body=body,
                                url=url, data=data or {})
    db.session.add(notification)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(notification.id)
    return notification


def payload(notification: Notification) -> dict:
    """What the stream and the page get for one notification."""
    return {"id": notification.id, "kind": notification.kind.value,
            "title": notification.title, "body": notification.body, "url": notification.url,
            "data": notification.data or {},
            "created_at": notification.created_at.isoformat() + "Z",
            "read": notification.read_at is not None}


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _publish_after_commit(session):
    # Releasing a savepoint (each entry of an outbox batch has one) fires this too, while
    # the rows are still invisible to other connections: wait for the real commit.
    if session.in_nested_transaction():
        return
    ids = list(dict.fromkeys(session.info.pop(_PENDING_KEY, None) or ()))
    if not ids:
        return
    if not current_app:
        return
    # The live event (SSE), then the web push through the task queue.
    send_committed(current_app._get_current_object(), ids)


@sa.event.listens_for(sa.orm.Session, "after_rollback")
def _forget_after_rollback(session):
    # A savepoint rolled back keeps the others' notifications: the publisher skips ids whose
    # rows are gone (and a reused SQLite id is published once, as the row it now names).
    if session.in_nested_transaction():
        return
    session.info.pop(_PENDING_KEY, None)
