"""Live delivery of stored notifications: one interface, two backends (CTFd's EventManager).

- :class:`InProcessBroker` (default): subscriber queues inside this process. Enough for the
  embedded server (one process) and for tests.
- :class:`RedisBroker` (``REDIS_URL`` set): publishing goes through Redis pub/sub on one
  channel per person (``<prefix><person_id>``), so every worker process and host sees every
  event. Each process holds ONE pub/sub connection, opened by a listener thread on the first
  subscribe (so after gunicorn forks), which reconnects with backoff.

Messages are the notification's payload (:func:`app.notifications.services.payload`). A broker
only carries them; the database is the memory. When delivery may have lost something (a
subscriber queue overflowed, the Redis connection dropped), subscribers get :data:`RESYNC` and
the stream replays from the database.
"""

import json
import logging
import os
import queue
import threading
import time
from collections import defaultdict

import sqlalchemy as sa
import sqlalchemy.orm as so

logger = logging.getLogger(__name__)

#: Put into a subscriber's queue when live delivery may have missed events: replay from the DB.
RESYNC = object()


class Subscription:
    """One open stream's mailbox."""

    def __init__(self, person_id: int, maxsize: int):
        self.person_id = person_id
        self.queue: queue.Queue = queue.Queue(maxsize=maxsize)

    def get(self, timeout: float):
        """The next message (a payload dict or :data:`RESYNC`); ``queue.Empty`` on timeout."""
        return self.queue.get(timeout=timeout)

    def put(self, message) -> None:
        try:
            self.queue.put_nowait(message)
        except queue.Full:
            # A stalled reader: drop what is queued and make it replay from the database.
            with self.queue.mutex:
                self.queue.queue.clear()
            self.queue.put_nowait(RESYNC)


class InProcessBroker:
    """Subscriber queues per person, inside this process."""

    name = "in-process"

    def __init__(self, queue_size: int = 256):
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._subscribers: dict[int, set[Subscription]] = defaultdict(set)

    def subscribe(self, person_id: int) -> Subscription:
        subscription = Subscription(person_id, self.queue_size)
        with self._lock:
            self._subscribers[person_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            subscribers = self._subscribers.get(subscription.person_id)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[subscription.person_id]

    def publish(self, person_id: int, message: dict) -> None:
        self.deliver(person_id, message)

    def deliver(self, person_id: int, message) -> None:
        """Hand ``message`` to this process's subscribers of ``person_id``."""
        with self._lock:
            targets = list(self._subscribers.get(person_id, ()))
        for subscription in targets:
            subscription.put(message)

    def deliver_to_all(self, message) -> None:
        with self._lock:
            targets = [s for group in self._subscribers.values() for s in group]
        for subscription in targets:
            subscription.put(message)

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(group) for group in self._subscribers.values())

    def close(self) -> None:
        pass


class RedisBroker(InProcessBroker):
    """Publish through Redis; one pub/sub listener per process fans out to local queues."""

    name = "redis"

    def __init__(self, url: str, prefix: str = "kinerjaku:notify:", queue_size: int = 256,
                 ready_timeout: float = 5.0):
        super().__init__(queue_size)
        import redis

        self._redis_module = redis
        self.url = url
        self.prefix = prefix
        self.ready_timeout = ready_timeout
        #: Names this process's pub/sub connection in CLIENT LIST.
        self.client_name = f"kinerjaku-notify-{os.getpid()}-{id(self):x}"
        self._client = None
        self._client_pid = None
        self._listener = None
        self._listener_pid = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._start_lock = threading.Lock()

    def channel(self, person_id: int) -> str:
        return f"{self.prefix}{person_id}"

    def _publisher(self):
        # A client made before a fork must not be shared with the child.
        if self._client is None or self._client_pid != os.getpid():
            self._client = self._redis_module.Redis.from_url(
                self.url, socket_connect_timeout=3, socket_timeout=5)
            self._client_pid = os.getpid()
        return self._client

    def publish(self, person_id: int, message: dict) -> None:
        self._publisher().publish(self.channel(person_id), json.dumps(message))

    def subscribe(self, person_id: int) -> Subscription:
        subscription = super().subscribe(person_id)
        self._ensure_listener()
        # Until the listener has subscribed, a publish would pass us by; the stream's replay
        # happens after this returns, so wait for it (bounded: a down Redis must not hang us).
        if not self._ready.wait(self.ready_timeout):
            logger.warning("Redis listener not ready after %ss; the stream relies on replay",
                           self.ready_timeout)
        return subscription

    def _ensure_listener(self) -> None:
        with self._start_lock:
            alive = self._listener is not None and self._listener.is_alive()
            if alive and self._listener_pid == os.getpid():
                return
            self._ready.clear()
            self._stopping.clear()
            self._listener_pid = os.getpid()
            self._listener = threading.Thread(target=self._listen, name="kinerjaku-notify",
                                              daemon=True)
            self._listener.start()

    def _listen(self) -> None:
        backoff = 0.5
        first = True
        while not self._stopping.is_set():
            pubsub = None
            try:
                client = self._redis_module.Redis.from_url(
                    self.url, socket_connect_timeout=3, health_check_interval=30,
                    client_name=self.client_name)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(self.prefix + "*")
                # Wait for the subscription to be confirmed before declaring ourselves ready.
                deadline = time.monotonic() + 5
                while not pubsub.subscribed and time.monotonic() < deadline:
                    pubsub.get_message(timeout=0.1)
                pubsub.get_message(timeout=0.05)
                self._ready.set()
                if not first:
                    # Events published while we were away reach nobody: streams replay.
                    logger.info("Redis listener reconnected; open streams resync")
                    self.deliver_to_all(RESYNC)
                first = False
                backoff = 0.5
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None or message.get("type") != "pmessage":
                        continue
                    self._dispatch(message)
            except Exception:  # noqa: BLE001 - keep listening whatever Redis does
                self._ready.clear()
                if self._stopping.is_set():
                    break
                logger.warning("Redis listener lost its connection; retrying in %.1fs",
                               backoff, exc_info=True)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 15.0)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:  # noqa: BLE001
                        pass

    def _dispatch(self, message: dict) -> None:
        channel = message["channel"]
        if isinstance(channel, bytes):
            channel = channel.decode()
        try:
            person_id = int(channel.rsplit(":", 1)[1])
            data = json.loads(message["data"])
        except (ValueError, IndexError, TypeError):
            logger.warning("Ignoring a malformed message on %s", channel)
            return
        self.deliver(person_id, data)

    def close(self) -> None:
        self._stopping.set()
        if self._listener is not None and self._listener_pid == os.getpid():
            self._listener.join(timeout=3)
        self._listener = None


def create_broker(config) -> InProcessBroker:
    url = config.get("REDIS_URL")
    size = config.get("NOTIFY_QUEUE_SIZE", 256)
    if url:
        return RedisBroker(url, prefix=config.get("NOTIFY_CHANNEL_PREFIX", "kinerjaku:notify:"),
                           queue_size=size)
    return InProcessBroker(queue_size=size)


def get_broker(app=None) -> InProcessBroker:
    from flask import current_app

    return (app or current_app).extensions["kinerjaku_broker"]


def make_publisher(app, broker: InProcessBroker):
    """The receiver of ``notifications_committed`` that publishes the new notifications."""
    from app.extensions import db
    from app.notifications.models import Notification
    from app.notifications.services import payload

    def publish(_app, ids) -> None:
        # after_commit may not use the committing session: read the rows in a fresh one.
        with so.Session(db.engine) as session:
            rows = session.scalars(sa.select(Notification).where(Notification.id.in_(ids))
                                   .order_by(Notification.id)).all()
            messages = [(row.person_id, payload(row)) for row in rows]
        for person_id, message in messages:
            try:
                broker.publish(person_id, message)
            except Exception:  # noqa: BLE001 - stored already; the stream replays on reconnect
                logger.exception("Publishing notification %s failed", message["id"])

    return publish


def init_notifications(app) -> None:
    """Install the broker and the after-commit publisher; register the page helpers."""
    from app.notifications import services as _services  # noqa: F401 - its commit listeners
    from app.notifications.signals import notifications_committed

    broker = create_broker(app.config)
    app.extensions["kinerjaku_broker"] = broker
    notifications_committed.connect(make_publisher(app, broker), sender=app, weak=False)
