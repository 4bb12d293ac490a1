"""The task queue (huey): one instance for the whole codebase.

Each domain defines its own tasks with :func:`task` and :func:`periodic_task` in its
``tasks.py`` (web push in ``app.notifications.tasks``, the reminder clock in
``app.reminders.tasks``, automatic acceptance in ``app.feedback.tasks``, exports in
``app.documents.jobs``); the app factory imports them so the consumer knows them all.

The storage is chosen by configuration when the app is built (:func:`init_queue`):

- default: SQLite, the file ``instance/queue.sqlite3`` (``QUEUE_FILE`` to move it);
- ``REDIS_URL`` set: Redis, with :class:`huey.RedisExpireStorage` (locks with a ttl work on
  Redis 7.0; plain Redis storage needs 7.4 for that);
- tests (``TESTING``, or ``QUEUE_IMMEDIATE``): immediate mode, tasks run at once, in memory.

Tasks run inside an app context: the current one if there is one (immediate mode), else the
app that configured the queue (``flask worker``), else one created lazily under a lock (a bare
``huey_consumer app.core.queue.huey``).

``flask worker`` runs the consumer (:func:`create_consumer`): when the storage cannot be
reached (Redis down) it waits and retries, logging and backing off, and never exits; once
running, huey's threads ride out an outage (:class:`QuietOutage` keeps their log short).
Every consumer schedules the periodic tasks itself, so
start extra consumers with ``--no-periodic``; the reminders are exactly-once anyway (the
``reminders_sent`` ledger), a second scheduler only costs work.

A task that writes runs its body in ``with unit_of_work():`` (app.core.uow): it commits when
the body returns and rolls back if it raises.
"""

import functools
import logging
import sqlite3
import threading
import time
from pathlib import Path

import redis
from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import RedisExpireStorage, SqliteStorage

logger = logging.getLogger(__name__)

QUEUE_NAME = "kinerjaku"

#: Starts in memory (immediate); :func:`init_queue` installs the configured storage.
huey = Huey(QUEUE_NAME, results=False, immediate=True)

_app_lock = threading.Lock()
_state: dict = {"app": None, "storage": None}

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


#: What a queue storage raises while it cannot be reached (Redis down or still loading, the
#: SQLite file locked): the worker waits for it rather than exits.
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
               sqlite3.OperationalError)
#: The worker's wait for an unreachable queue: first pause, doubling, at most this long.
WAIT_FIRST = 1.0
WAIT_MAX = 10.0


def create_consumer(options: dict, *, sleep=time.sleep):
    """huey's consumer with ``options``, once the queue's storage answers.

    Making the consumer touches the storage (it flushes the locks a killed worker left): while
    that fails because the storage is unreachable, log it and try again, backing off (1 s,
    doubling, at most 10 s), never give up. Once running, huey's threads ride out an outage
    themselves (they log it and back off). A signal (SIGTERM, SIGINT) still stops the wait.
    """
    delay = WAIT_FIRST
    attempts = 0
    while True:
        try:
            consumer = huey.create_consumer(**options)
        except UNREACHABLE as error:
            attempts += 1
            logger.warning("The task queue (%s) is not reachable (%s); attempt %s, trying "
                           "again in %.0fs", type(huey.storage).__name__, error, attempts,
                           delay)
            sleep(delay)
            delay = min(delay * 2, WAIT_MAX)
            continue
        if attempts:
            logger.info("The task queue is reachable again after %s failed attempt(s)",
                        attempts)
        return consumer


class QuietOutage(logging.Filter):
    """One line, now and then, for huey's consumer threads failing on an unreachable queue.

    While Redis is down each worker thread logs every failed read with its traceback, and the
    scheduler does so every second: the log would drown what matters. A record whose error is
    :data:`UNREACHABLE` becomes a one-line warning, at most one per ``every`` seconds per
    logger; any other record passes untouched.
    """

    def __init__(self, every: float = 30.0, clock=time.monotonic):
        super().__init__()
        self.every, self.clock = every, clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, UNREACHABLE):
            return True
        now = self.clock()
        with self._lock:
            last = self._last.get(record.name)
            if last is not None and now - last < self.every:
                return False
            self._last[record.name] = now
        record.msg = (f"{record.getMessage()}: the task queue is not reachable ({error}); "
                      f"retrying (said at most every {self.every:.0f}s)")
        record.args = None
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_outages() -> None:
    """Install :class:`QuietOutage` on the consumer's worker and scheduler loggers."""
    quiet = QuietOutage()
    for name in ("huey.consumer.Worker", "huey.consumer.Scheduler"):
        target = logging.getLogger(name)
        if not any(isinstance(f, QuietOutage) for f in target.filters):
            target.addFilter(quiet)


def queue_description(app=None) -> str:
    app = app or current_app
    storage_class, kwargs = storage_for(app.config, app.instance_path)
    where = kwargs.get("filename") or "Redis"
    return f"{storage_class.__name__} ({where})"
