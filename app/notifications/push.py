"""Web Push (RFC 8030, 8291, 8292) with pywebpush: the VAPID key, devices' subscriptions, and
sending stored notifications to the devices of their recipients.

- The VAPID private key lives in the git-ignored instance folder (``VAPID_PRIVATE_KEY_FILE``,
  default ``instance/vapid_private.pem``), created on first use with an exclusive create, so
  two processes starting at once end up with the same key.
- :func:`push_for_notifications` is what the task queue calls after a commit: it reads the
  rows, encrypts one small payload per device (aes128gcm), sends them concurrently, deletes
  subscriptions the push service says are gone (404/410) and raises :class:`PushRetryable`
  when a push service asked us to come back later (429, 5xx, no answer).
- The notification row is the push's outbox: ``pushed_at`` stays empty until every device
  was claimed, and the worker's sweeper sends what is still waiting again. Each device's
  push is claimed (a ``push_deliveries`` row) right before its request goes out, so a
  notification sent twice (a re-send, a task handed over twice) reaches a device once.
- A payload carries what the notification shows and nothing more: title, body, url, tag,
  kind and the notification id (so an open page can de-duplicate it with the live stream).
"""

import base64
import dataclasses
import json
import logging
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests
import sqlalchemy as sa
import sqlalchemy.orm as so
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from app.errors import NotFound
from app.extensions import db
from app.models import utcnow
from app.notifications.models import (
    Notification,
    NotificationKind,
    PushDelivery,
    PushSubscription,
)

logger = logging.getLogger(__name__)

#: Seconds a push service keeps a message for an offline device, and how urgently it wakes
#: the device (RFC 8030 §5.2, §5.3). Feedback stays useful for a day; a reminder only for
#: the rest of the working day; a digest can wait for the next time the phone is awake.
POLICY = {
    NotificationKind.COMMENT: (86400, "normal"),
    NotificationKind.APPROVED: (86400, "normal"),
    NotificationKind.RETURNED: (86400, "normal"),
    NotificationKind.FEEDBACK: (86400, "normal"),
    NotificationKind.REMINDER: (4 * 3600, "normal"),
    NotificationKind.DIGEST: (12 * 3600, "low"),
}
#: The daily-log reminder goes out at 15:30 local and is worthless after the office closes:
#: it wakes the phone at once and expires with the working day.
DAILY_LOG_POLICY = (3 * 3600, "high")
#: Keys of ``Notification.data`` naming the kind of reminder (the reminders package sets one).
REMINDER_KEYS = ("reminder", "reminder_kind", "rule")

BODY_LIMIT = 200
ENDPOINT_STATUS_GONE = (404, 410)


class PushRetryable(Exception):
    """A push service answered 429 or 5xx, or did not answer: send again later.

    ``retry_after`` (seconds) is the longest Retry-After any service asked for, or None.
    ``notification_ids`` are the notifications that did not reach every device, and
    ``devices`` the ``[notification id, subscription id]`` pairs that did not go out: a retry
    sends only those, so a device that has a notification does not get it again.
    """

    def __init__(self, message: str, *, retry_after: float | None = None,
                 notification_ids=(), devices=()):
        super().__init__(message)
        self.retry_after = retry_after
        self.notification_ids = sorted(set(notification_ids))
        self.devices = sorted({(int(n), int(d)) for n, d in devices})


# ---- the VAPID key -----------------------------------------------------------------------

def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_path(app=None) -> Path:
    app = app or current_app
    configured = app.config.get("VAPID_PRIVATE_KEY_FILE")
    return Path(configured) if configured else Path(app.instance_path) / "vapid_private.pem"


def ensure_vapid_key(path: Path) -> Path:
    """Create a P-256 private key at ``path`` unless one exists; never replace one.

    The key is written to a temporary file and linked into place: the link fails if another
    process got there first, and nobody ever reads a half-written key.
    """
    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)
            logger.info("Created the VAPID key %s", path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
    return path


def vapid_key(app=None) -> Vapid:
    """The app's VAPID key (created on first use), loaded once per process."""
    app = app or current_app
    cached = app.extensions.get("kinerjaku_vapid")
    path = key_path(app)
    if cached is None or cached[0] != path:
        # Vapid.from_file would silently make and save a new key if the file were missing.
        vapid = Vapid.from_pem(ensure_vapid_key(path).read_bytes())
        cached = (path, vapid)
        app.extensions["kinerjaku_vapid"] = cached
    return cached[1]


def application_server_key(app=None) -> str:
    """The public key for ``pushManager.subscribe``: the uncompressed point, base64url."""
    public = vapid_key(app).public_key.public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint)
    return b64url(public)


# ---- subscriptions -------------------------------------------------------------------------

def subscriptions_of(person) -> sa.Select:
    """The person's devices, oldest first."""
    return (sa.select(PushSubscription)
            .where(PushSubscription.person_id == person.id,
                   PushSubscription.org_id == person.org_id)
            .order_by(PushSubscription.id))


def subscribe(person, *, endpoint: str, p256dh: str, auth: str,
              user_agent: str = "") -> tuple[PushSubscription, bool]:
    """Keep this device's subscription for ``person``: (row, created).

    Subscribing again with the same endpoint updates the keys. An endpoint bound to somebody
    else is never touched (:raise 404:): the page then makes a fresh subscription.
    """
    row = db.session.scalar(sa.select(PushSubscription)
                            .where(PushSubscription.endpoint == endpoint))
    if row is not None and row.person_id != person.id:
        raise NotFound()
    created = row is None
    if created:
        row = PushSubscription(org_id=person.org_id, person_id=person.id, endpoint=endpoint)
        db.session.add(row)
    row.p256dh, row.auth = p256dh, auth
    row.user_agent = (user_agent or "")[:300]
    row.failures = 0
    db.session.flush()
    logger.info("Push subscription %s %s for person %s", row.id,
                "added" if created else "renewed", person.id)
    return row, created


def _own(person, *where) -> PushSubscription:
    row = db.session.scalar(subscriptions_of(person).where(*where))
    if row is None:
        raise NotFound()
    return row


def forget_device(person, endpoint: str) -> bool:
    """Forget the person's device with this endpoint, if they have it (as when signing out)."""
    row = db.session.scalar(subscriptions_of(person).where(PushSubscription.endpoint == endpoint))
    if row is not None:
        db.session.delete(row)
        db.session.flush()
    return row is not None


def unsubscribe(person, endpoint: str) -> None:
    """Forget one of the person's devices by its endpoint (:raise 404: if not theirs)."""
    if not forget_device(person, endpoint):
        raise NotFound()


def remove_device(person, subscription_id: int) -> None:
    """Forget one of the person's devices by id (:raise 404: if not theirs)."""
    db.session.delete(_own(person, PushSubscription.id == subscription_id))
    db.session.flush()


# ---- what is sent --------------------------------------------------------------------------

def policy(notification: Notification) -> tuple[int, str]:
    """(TTL seconds, urgency) for this notification."""
    data = notification.data or {}
    if notification.kind == NotificationKind.REMINDER and any(
            data.get(key) == "daily_log" for key in REMINDER_KEYS):
        return DAILY_LOG_POLICY
    return POLICY.get(notification.kind, (86400, "normal"))


def tag(notification: Notification) -> str:
    """Repeats about the same thing replace each other on the phone instead of piling up."""
    data = notification.data or {}
    kind = notification.kind.value
    if data.get("activity_id"):
        return f"{kind}-activity-{data['activity_id']}"
    reminder = next((data[key] for key in REMINDER_KEYS if data.get(key)), None)
    if notification.kind == NotificationKind.REMINDER and reminder:
        return f"reminder-{reminder}"
    if notification.kind == NotificationKind.DIGEST:
        return "digest"
    return f"{kind}-{notification.id}"


def push_payload(notification: Notification) -> dict:
    """What the service worker gets: only what the notification itself shows."""
    body = notification.body or ""
    if len(body) > BODY_LIMIT:
        body = body[:BODY_LIMIT - 1].rstrip() + "…"
    return {"id": notification.id, "kind": notification.kind.value,
            "title": notification.title, "body": body, "url": notification.url or "/",
            "tag": tag(notification)}


# ---- sending -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Message:
    """One encrypted request to make: a notification for one device."""

    subscription_id: int
    notification_id: int
    endpoint: str
    p256dh: str
    auth: str
    data: str
    ttl: int
    urgency: str


@dataclass
class Report:
    """What a fan-out did (also what ``bench/push.py`` prints)."""

    sent: int = 0
    gone: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry_after: float | None = None
    retry_notifications: set[int] = field(default_factory=set)
    #: (notification id, subscription id) of each message to send again later.
    retry_devices: set[tuple[int, int]] = field(default_factory=set)
    delivered: list[int] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + len(self.gone) + len(self.failed)


@dataclass
class Sender:
    """Settings every send of one fan-out shares (no database, no app context needed)."""

    vapid: Vapid
    subject: str
    timeout: float
    #: ``claim(message) -> bool``, called right before the request goes out: False means
    #: another task has this device's push, and it is skipped (None: no claims).
    claim: object = None
    _local: threading.local = field(default_factory=threading.local)

    def session(self) -> requests.Session:
        # One keep-alive session per thread: connections to a push service are reused.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def send(self, message: Message) -> tuple[str, float | None]:
        """("sent" | "gone" | "retry" | "failed" | "taken", retry-after seconds)."""
        session = self.session()
        if self.claim is not None:
            session = _ClaimFirst(session, lambda: self.claim(message))
        try:
            webpush({"endpoint": message.endpoint,
                     "keys": {"p256dh": message.p256dh, "auth": message.auth}},
                    message.data, vapid_private_key=self.vapid,
                    # A fresh dict every call: webpush() writes aud and exp into it.
                    vapid_claims={"sub": self.subject}, content_encoding="aes128gcm",
                    timeout=self.timeout, ttl=message.ttl,
                    headers={"Urgency": message.urgency}, requests_session=session)
        except AlreadyClaimed:
            return "taken", None
        except WebPushException as error:
            status = error.status_code
            if status in ENDPOINT_STATUS_GONE:
                return "gone", None
            if status == 429 or (status is not None and status >= 500):
                return "retry", retry_after_seconds(error.retry_after)
            logger.warning("Push to subscription %s refused: %s", message.subscription_id,
                           status)
            return "failed", None
        except (requests.RequestException, OSError) as error:
            logger.warning("Push to subscription %s did not go out: %s",
                           message.subscription_id, error)
            return "retry", None
        return "sent", None


class AlreadyClaimed(Exception):
    """Another task claimed this device's push: it is not sent from here."""


class _ClaimFirst:
    """A requests session that claims the push just before its request goes out, after
    pywebpush encrypted and signed it: a worker killed between the claim and the request
    loses as little as possible (a claimed push is never sent again, so never twice)."""

    def __init__(self, session: requests.Session, claim):
        self._session, self._claim = session, claim

    def post(self, *args, **kwargs):
        if not self._claim():
            raise AlreadyClaimed()
        return self._session.post(*args, **kwargs)


def _insert_ignoring_duplicates(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = PushDelivery.__table__
    return insert(table).on_conflict_do_nothing().returning(table.c.notification_id)


def claimer(engine):
    """``claim(message)`` for :class:`Sender`: one committed insert of the device's
    ``push_deliveries`` row, True when this call made it (in its own connection: it runs in
    the sending threads)."""
    statement = _insert_ignoring_duplicates(engine.dialect.name)

    def claim(message: Message) -> bool:
        with engine.begin() as connection:
            made = connection.execute(statement.values(
                notification_id=message.notification_id,
                subscription_id=message.subscription_id, claimed_at=utcnow())).first()
        return made is not None
    return claim


def release(session, pairs) -> None:
    """Give up the claims of pushes to send again later (the push service asked us to)."""
    for notification_id, subscription_id in sorted(pairs):
        session.execute(sa.delete(PushDelivery).where(
            PushDelivery.notification_id == notification_id,
            PushDelivery.subscription_id == subscription_id))


def settle(session, ids, waiting=()) -> None:
    """Mark the notifications ``ids`` pushed, except ``waiting`` (to be sent again)."""
    done = sorted(set(ids) - set(waiting))
    for chunk in _chunks(done):
        session.execute(sa.update(Notification)
                        .where(Notification.id.in_(chunk), Notification.pushed_at.is_(None))
                        .values(pushed_at=utcnow()))


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def sender(app=None) -> Sender:
    app = app or current_app
    return Sender(vapid=vapid_key(app), subject=app.config["VAPID_SUBJECT"],
                  timeout=float(app.config["PUSH_TIMEOUT"]))


def messages_for(session, ids) -> list[Message]:
    """One message per (notification not pushed yet, device of its recipient) that nobody
    claimed yet, in id order."""
    notifications = session.scalars(sa.select(Notification).where(
        Notification.id.in_(ids), Notification.pushed_at.is_(None))
        .order_by(Notification.id)).all()
    people = {n.person_id for n in notifications}
    if not people:
        return []
    devices: dict[int, list[PushSubscription]] = {}
    for row in session.scalars(sa.select(PushSubscription)
                               .where(PushSubscription.person_id.in_(people))
                               .order_by(PushSubscription.id)):
        devices.setdefault(row.person_id, []).append(row)
    claimed = set(session.execute(
        sa.select(PushDelivery.notification_id, PushDelivery.subscription_id)
        .where(PushDelivery.notification_id.in_([n.id for n in notifications]))).all())
    messages = []
    for notification in notifications:
        ttl, urgency = policy(notification)
        data = json.dumps(push_payload(notification), separators=(",", ":"),
                          ensure_ascii=False)
        for device in devices.get(notification.person_id, ()):
            # Same organisation only, whatever a row may claim.
            if (device.org_id != notification.org_id
                    or (notification.id, device.id) in claimed):
                continue
            messages.append(Message(device.id, notification.id, device.endpoint,
                                    device.p256dh, device.auth, data, ttl, urgency))
    return messages


def fan_out(messages: list[Message], send, workers: int) -> Report:
    """Send every message, ``workers`` at a time; no database work happens here."""
    report = Report()
    if not messages:
        return report
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(messages))),
                            thread_name_prefix="kinerjaku-push") as pool:
        outcomes = list(pool.map(send, messages))
    for message, (result, retry_after) in zip(messages, outcomes, strict=True):
        if result == "taken":
            continue
        if result == "sent":
            report.sent += 1
            report.delivered.append(message.subscription_id)
        elif result == "gone":
            report.gone.append(message.subscription_id)
        else:
            report.failed.append(message.subscription_id)
            if result == "retry":
                report.retry_notifications.add(message.notification_id)
                report.retry_devices.add((message.notification_id, message.subscription_id))
                if retry_after is not None:
                    report.retry_after = max(report.retry_after or 0, retry_after)
    return report


def _chunks(items, size=500):
    items = sorted(set(items))
    for start in range(0, len(items), size):
        yield items[start:start + size]


def record(session, report: Report) -> None:
    """Remember what happened: forget gone devices, count failures, note successes."""
    gone = set(report.gone)
    for chunk in _chunks(gone):
        session.execute(sa.delete(PushSubscription).where(PushSubscription.id.in_(chunk)))
    for chunk in _chunks(set(report.delivered) - gone):
        session.execute(sa.update(PushSubscription).where(PushSubscription.id.in_(chunk))
                        .values(last_success_at=utcnow(), failures=0))
    for chunk in _chunks(set(report.failed) - gone):
        session.execute(sa.update(PushSubscription).where(PushSubscription.id.in_(chunk))
                        .values(failures=PushSubscription.failures + 1))


def push_for_notifications(ids, app=None, devices=None) -> Report:
    """Push the stored notifications ``ids`` to every device of their recipients, or, when
    retrying, to the ``devices`` (``[notification id, subscription id]`` pairs) only.

    Called from a queued task after the notifications were committed, and again by the
    sweeper for those not settled in time: a notification pushed already, and a device
    claimed already, are skipped. Works in its own database session and transaction (in
    immediate mode it runs from the app session's after-commit hook, where that session
    cannot be used). :raise PushRetryable: when a push
    service asked us to come back later (429, 5xx, no answer); every other device was served,
    the claims of those to retry are released, and the bookkeeping is committed.
    """
    app = app or current_app._get_current_object()
    ids = sorted({int(i) for i in ids or ()})
    if not ids or not app.config.get("PUSH_ENABLED", True):
        return Report()
    with app.app_context(), so.Session(db.engine) as session, session.begin():
        messages = messages_for(session, ids)
        if devices is not None:
            wanted = {(int(n), int(d)) for n, d in devices}
            messages = [m for m in messages
                        if (m.notification_id, m.subscription_id) in wanted]
        started, report = time.monotonic(), Report()
        if messages:
            send = dataclasses.replace(sender(app), claim=claimer(db.engine)).send
            report = fan_out(messages, send, int(app.config["PUSH_CONCURRENCY"]))
            record(session, report)
            release(session, report.retry_devices)
        settle(session, ids, waiting=report.retry_notifications)
    if not messages:
        return report
    logger.info("Pushed %s notifications to %s devices in %.2fs: %s sent, %s gone, %s failed",
                len(ids), len(messages), time.monotonic() - started, report.sent,
                len(report.gone), len(report.failed))
    if report.retry_notifications:
        raise PushRetryable(
            f"{len(report.retry_notifications)} notifications wait for a push service",
            retry_after=report.retry_after, notification_ids=report.retry_notifications,
            devices=report.retry_devices)
    return report
