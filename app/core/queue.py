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

``flask worker`` runs the consumer. Every consumer schedules the periodic tasks itself, so
start extra consumers with ``--no-periodic``; the reminders are exactly-once anyway (the
``reminders_sent`` ledger), a second scheduler only costs work.

A task that writes runs its body in ``with unit_of_work():`` (app.core.uow): it commits when
the body returns and rolls back if it raises.
"""

import functools
import logging
import threading
from pathlib import Path

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


def queue_description(app=None) -> str:
    app = app or current_app
    storage_class, kwargs = storage_for(app.config, app.instance_path)
    where = kwargs.get("filename") or "Redis"
    return f"{storage_class.__name__} ({where})"
