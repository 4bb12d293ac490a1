"""Web push through the task queue: after a notification is committed, again later when a
push service asks us to retry, and from the outbox when neither happened.

The notification row is the outbox (``pushed_at`` empty until its push is settled). A push
the queue could not take (Redis away) or lost (a worker killed while it held the task) is
sent again by the worker's sweeper (:func:`requeue_waiting_pushes`, every minute) once the
notification has waited ``PUSH_REQUEUE_AFTER`` seconds (default 60), for up to
``PUSH_REQUEUE_MAX_AGE`` seconds (default a day, the longest time a push is worth sending).
Sending twice is harmless: each device's push is claimed once (``app.notifications.push``).
"""

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from huey import crontab

from app.core.queue import periodic_task, task
from app.extensions import db
from app.models import utcnow
from app.notifications import push
from app.notifications.models import Notification
from app.notifications.signals import notifications_committed

logger = logging.getLogger(__name__)

#: A push that a push service asked us to retry: first wait, then doubling, at most this long.
PUSH_RETRY_FIRST = 30
PUSH_RETRY_MAX = 3600
PUSH_RETRY_ATTEMPTS = 6


def push_retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before retry number ``attempt`` (1, 2, ...): doubling, at least Retry-After."""
    delay = min(PUSH_RETRY_FIRST * 2 ** (attempt - 1), PUSH_RETRY_MAX)
    return max(delay, retry_after or 0)


@task(name="send_push")
def send_push(ids, attempt: int = 0, devices=None):
    """Push the committed notifications ``ids`` to their recipients' devices (when
    retrying, to ``devices`` only: ``[notification id, subscription id]`` pairs).

    A push service that answers 429/5xx (the push module's ``PushRetryable``) gets the
    messages it did not take again later, and only those, with a growing delay, up to
    ``PUSH_RETRY_ATTEMPTS`` times. Anything else is logged: the rows stay in the
    notification centre whatever happens here.
    """
    try:
        push.push_for_notifications(ids, devices=devices)
    except Exception as error:  # noqa: BLE001 - a push failure must not kill the worker
        if not isinstance(error, push.PushRetryable):
            logger.exception("Pushing notifications %s failed", ids)
            return
        if attempt + 1 > PUSH_RETRY_ATTEMPTS:
            logger.warning("Giving up pushing notifications %s after %s attempts", ids,
                           attempt + 1)
            return
        again = getattr(error, "notification_ids", None) or ids
        pending = getattr(error, "devices", None)
        pending = [list(pair) for pair in pending] if pending else devices
        delay = push_retry_delay(attempt + 1, getattr(error, "retry_after", None))
        logger.info("Push of %s deferred %.0fs (attempt %s): %s", again, delay,
                    attempt + 1, error)
        send_push.schedule(args=(list(again), attempt + 1, pending), delay=delay)


def init_push(app) -> None:
    """Push what ``app`` commits: connect the queue to ``notifications_committed``."""
    notifications_committed.connect(enqueue_push, sender=app)


def enqueue_push(_app, ids) -> bool:
    """Queue a push for notifications that were just committed (a receiver of
    ``notifications_committed``); False when the queue is unreachable, which leaves them
    waiting in the outbox for the sweeper."""
    ids = sorted({int(i) for i in ids or ()})
    if not ids:
        return True
    try:
        send_push(ids)
    except Exception:  # noqa: BLE001 - Redis or the queue file away: the outbox keeps them
        logger.warning("The queue did not take the push of %s; the sweeper will retry", ids,
                       exc_info=True)
        return False
    return True


#: A notification not pushed after this many seconds is handed to the queue again...
DEFAULT_REQUEUE_AFTER = 60
#: ...until it is this old (a day: the longest a push service keeps one of ours).
DEFAULT_REQUEUE_MAX_AGE = 86400
#: Notifications per re-sent task, as the reminders' chunks.
REQUEUE_CHUNK = 200


def requeue_waiting_pushes(now: datetime | None = None) -> int:
    """Hand the queue again every notification whose push is not settled ``PUSH_REQUEUE_AFTER``
    seconds after it was raised; how many. Nothing when push is switched off."""
    config = current_app.config
    if not config.get("PUSH_ENABLED", True):
        return 0
    now = now or utcnow()
    wait = timedelta(seconds=int(config.get("PUSH_REQUEUE_AFTER", DEFAULT_REQUEUE_AFTER)))
    oldest = timedelta(seconds=int(config.get("PUSH_REQUEUE_MAX_AGE",
                                              DEFAULT_REQUEUE_MAX_AGE)))
    waiting = list(db.session.scalars(
        sa.select(Notification.id)
        .where(Notification.pushed_at.is_(None), Notification.created_at < now - wait,
               Notification.created_at > now - oldest)
        .order_by(Notification.id)))
    db.session.rollback()  # a task may run at once (immediate mode): leave it the session
    for start in range(0, len(waiting), REQUEUE_CHUNK):
        if not enqueue_push(None, waiting[start:start + REQUEUE_CHUNK]):
            return start
    return len(waiting)


@periodic_task(crontab(minute="*"), name="requeue_pushes")
def requeue_pushes_task():
    """Every minute: the push outbox's sweep (a device gets a push once however often sent)."""
    sent = requeue_waiting_pushes()
    if sent:
        logger.info("%s waiting pushes sent to the queue again", sent)
