"""Web push through the task queue: after a notification is committed, and again later when a
push service asks us to retry."""

import logging

from app.core.queue import task
from app.notifications import push
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


def enqueue_push(_app, ids) -> None:
    """Queue a push for notifications that were just committed (a receiver of
    ``notifications_committed``)."""
    ids = sorted({int(i) for i in ids or ()})
    if ids:
        send_push(ids)
