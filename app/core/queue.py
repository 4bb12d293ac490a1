"""The task queue (huey): web push after commit and the reminder clock.

One huey instance for the whole codebase, its storage chosen by configuration when the app is
built (:func:`init_queue`):

- default: SQLite, the file ``instance/queue.sqlite3`` (``QUEUE_FILE`` to move it);
- ``REDIS_URL`` set: Redis, with :class:`huey.RedisExpireStorage` (locks with a ttl work on
  Redis 7.0; plain Redis storage needs 7.4 for that);
- tests (``TESTING``, or ``QUEUE_IMMEDIATE``): immediate mode, tasks run at once, in memory.

Tasks run inside an app context: the current one if there is one (immediate mode), else the
app that configured the queue (``flask worker``), else one created lazily under a lock (a bare
``huey_consumer app.core.queue.huey``).

``flask worker`` runs the consumer. Every consumer schedules the periodic tasks itself, so
start extra consumers with ``--no-periodic``; the reminders are exactly-once anyway (the
``reminders_sent`` ledger), a second scheduler only costs work.
"""

import functools
import logging
import threading
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import RedisExpireStorage, SqliteStorage

logger = logging.getLogger(__name__)

QUEUE_NAME = "kinerjaku"

#: Starts in memory (immediate); :func:`init_queue` installs the configured storage.
huey = Huey(QUEUE_NAME, results=False, immediate=True)

_app_lock = threading.Lock()
_state: dict = {"app": None, "storage": None}

#: A push that a push service asked us to retry: first wait, then doubling, at most this long.
PUSH_RETRY_FIRST = 30
PUSH_RETRY_MAX = 3600
PUSH_RETRY_ATTEMPTS = 6


def storage_for(config, instance_path: str) -> tuple[type, dict]:
    """(storage class, its arguments) from the app's configuration."""
    if config.get("REDIS_URL"):
        return RedisExpireStorage, {"url": config["REDIS_URL"]}
    filename = config.get("QUEUE_FILE") or str(Path(instance_path) / "queue.sqlite3")
    return SqliteStorage, {"filename": filename}


def init_queue(app: Flask) -> None:
    """Point the queue at the app's storage (or memory in tests) and remember the app."""
    immediate = app.config.get("QUEUE_IMMEDIATE")
    if immediate is None:
        immediate = bool(app.config.get("TESTING"))
    storage_class, kwargs = storage_for(app.config, app.instance_path)
    wanted = (bool(immediate), storage_class, tuple(sorted(kwargs.items())))
    if _state["storage"] != wanted:
        huey.storage_class = storage_class
        huey.storage_kwargs = kwargs
        huey._immediate = bool(immediate)
        if storage_class is SqliteStorage and not immediate:
            Path(kwargs["filename"]).parent.mkdir(parents=True, exist_ok=True)
        huey.storage = huey.create_storage()
        _state["storage"] = wanted
    _state["app"] = app
    app.extensions["kinerjaku_queue"] = huey
    app.extensions["kinerjaku_enqueue_push"] = enqueue_push


def _app() -> Flask:
    """The app tasks run in: the configured one, or one built once, under a lock."""
    if _state["app"] is None:
        with _app_lock:
            if _state["app"] is None:
                from app import create_app

                create_app()  # init_queue() remembers it
    return _state["app"]


def in_app_context(fn):
    """Run ``fn`` in the current app context, or in a fresh one of the queue's app."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        with _app().app_context():
            return fn(*args, **kwargs)
    return wrapper


def task(**options):
    """``huey.task`` whose body runs in an app context."""
    return lambda fn: huey.task(**options)(in_app_context(fn))


def periodic_task(validate_datetime, **options):
    """``huey.periodic_task`` whose body runs in an app context."""
    return lambda fn: huey.periodic_task(validate_datetime, **options)(in_app_context(fn))


# --- web push ------------------------------------------------------------------------------

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
        from app.notifications import push
    except ImportError:
        logger.warning("Web push is not available; notifications %s stay in the centre", ids)
        return
    retryable = getattr(push, "PushRetryable", None)
    try:
        push.push_for_notifications(ids, devices=devices)
    except Exception as error:  # noqa: BLE001 - a push failure must not kill the worker
        if retryable is None or not isinstance(error, retryable):
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


def enqueue_push(ids) -> None:
    """Queue a push for notifications that were just committed (the after-commit hook)."""
    ids = sorted({int(i) for i in ids or ()})
    if ids:
        send_push(ids)


# --- the reminder clock --------------------------------------------------------------------

#: The reminder tick takes this lock so overlapping ticks of one queue skip each other.
#: With Redis it expires (a killed worker cannot hold it for ever); SQLite locks have no
#: ttl, so ``flask worker`` flushes locks when it starts.
TICK_LOCK = "reminders-tick"
TICK_LOCK_TTL = 300


@periodic_task(crontab(minute="*"), name="reminders_tick")
def reminders_tick():
    """Every minute: send the reminders that are due (exactly once, see app.reminders)."""
    from huey.exceptions import TaskLockedException

    from app.reminders.services import send_due

    ttl = TICK_LOCK_TTL if isinstance(huey.storage, RedisExpireStorage) else None
    try:
        with huey.lock_task(TICK_LOCK, ttl=ttl):
            sent = send_due()
    except TaskLockedException:
        logger.info("Reminder tick skipped: the previous one is still running")
        return
    if sent:
        logger.info("%s reminders sent", len(sent))


@periodic_task(crontab(minute="7"), name="auto_accept")
def auto_accept():
    """Every hour: accept activities whose review time ran out, where an organisation chose
    it (off by default; see app.feedback). Idempotent: accepted work is no longer waiting."""
    from app.extensions import db
    from app.feedback.services import auto_accept_due
    from app.models import utcnow

    accepted = auto_accept_due(utcnow())
    db.session.commit()
    if accepted:
        logger.info("%s activities accepted automatically", len(accepted))


def queue_description(app=None) -> str:
    app = app or current_app
    storage_class, kwargs = storage_for(app.config, app.instance_path)
    where = kwargs.get("filename") or "Redis"
    return f"{storage_class.__name__} ({where})"
