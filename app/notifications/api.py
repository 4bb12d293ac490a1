"""/api/v1/stream (Server-Sent Events) and /api/v1/notifications (the notification centre).

The list answers the page's items with the headers ``X-Total-Count``, ``X-Page``,
``X-Per-Page`` and ``X-Unread-Count`` (the person's unread notifications, over all pages).
"""

import json
import os
import queue
import time

import sqlalchemy.orm as so
from flask import Response, current_app, request
from flask_login import current_user
from marshmallow import ValidationError

from app.core.blueprint import Blueprint
from app.extensions import db
from app.notifications import inbox, push
from app.notifications.broker import RESYNC, RedisBroker, get_broker
from app.notifications.schemas import (
    NotificationListArgs,
    NotificationOut,
    PublicKeyOut,
    PushEndpointIn,
    PushSubscriptionIn,
    PushSubscriptionOut,
    ReadAllOut,
    StreamArgs,
)
from app.notifications.services import payload

blp = Blueprint("notifications_api", __name__, url_prefix="",
                description="Notifications and the live event stream",
                error_descriptions={404: "Not one of the caller's devices"})

UNREAD_HEADER = {"X-Unread-Count": {"description": "The caller's unread notifications",
                                    "schema": {"type": "integer"}}}


@blp.get("/notifications")
@blp.arguments(NotificationListArgs, location="query")
@blp.response(200, NotificationOut(many=True), headers={
    **UNREAD_HEADER, "X-Total-Count": {"description": "Matching, over all pages",
                                       "schema": {"type": "integer"}}})
def list_notifications(args):
    """The caller's notifications, newest first; ``unread=true`` for the unread ones only."""
    query = inbox.notifications_of(current_user, unread=args.get("unread"))
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    headers = {"X-Total-Count": str(page.total), "X-Page": str(args["page"]),
               "X-Per-Page": str(args["per_page"]),
               "X-Unread-Count": str(inbox.unread_count(current_user))}
    return [payload(item) for item in page.items], 200, headers


@blp.post("/notifications/<int:notification_id>/read")
@blp.response(200, NotificationOut, headers=UNREAD_HEADER)
@blp.errors(404, descriptions={404: "Not the caller's notification"})
def mark_read(notification_id):
    """Mark one of the caller's notifications read (repeating it changes nothing)."""
    notification = inbox.mark_read(current_user, notification_id)
    return payload(notification), 200, {"X-Unread-Count": str(inbox.unread_count(current_user))}


@blp.post("/notifications/read-all")
@blp.response(200, ReadAllOut)
def mark_all_read():
    """Mark all of the caller's notifications read."""
    updated = inbox.mark_all_read(current_user)
    return {"updated": updated, "unread": 0}


@blp.get("/push/public-key")
@blp.response(200, PublicKeyOut)
def push_public_key():
    """The VAPID public key the browser subscribes with (``applicationServerKey``)."""
    return {"public_key": push.application_server_key()}


@blp.get("/push-subscriptions")
@blp.response(200, PushSubscriptionOut(many=True))
def list_push_subscriptions():
    """The caller's devices that receive push notifications."""
    return db.session.scalars(push.subscriptions_of(current_user)).all()


@blp.post("/push-subscriptions")
@blp.arguments(PushSubscriptionIn)
@blp.response(201, PushSubscriptionOut)
@blp.alt_response(200, schema=PushSubscriptionOut, description="Known endpoint, keys renewed")
@blp.errors(404, descriptions={404: "The endpoint is someone else's"})
def add_push_subscription(args):
    """Receive push notifications on this device (upsert by endpoint)."""
    row, created = push.subscribe(
        current_user, endpoint=args["endpoint"], p256dh=args["keys"]["p256dh"],
        auth=args["keys"]["auth"], user_agent=request.headers.get("User-Agent", ""))
    return row, 201 if created else 200


@blp.delete("/push-subscriptions")
@blp.arguments(PushEndpointIn)
@blp.response(204)
@blp.errors(404)
def remove_push_subscription(args):
    """Stop push notifications on this device (by its endpoint)."""
    push.unsubscribe(current_user, args["endpoint"])


@blp.delete("/push-subscriptions/<int:subscription_id>")
@blp.response(204)
@blp.errors(404)
def remove_push_device(subscription_id):
    """Stop push notifications on one of the caller's devices (from the device list)."""
    push.remove_device(current_user, subscription_id)


def _cursor() -> int | None:
    """The client's last event id: the ``Last-Event-ID`` header, else ``?last_event_id=``."""
    raw = {"last_event_id": request.headers.get("Last-Event-ID")
           or request.args.get("last_event_id")}
    if not raw["last_event_id"]:
        return None
    return StreamArgs().load(raw).get("last_event_id")


def _event(message: dict) -> str:
    data = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    return f"id: {message['id']}\nevent: {message['kind']}\ndata: {data}\n\n"


@blp.route("/stream", methods=["GET"])
@blp.arguments(StreamArgs, location="query")
@blp.doc(responses={200: {
    "description": "Server-Sent Events: ``id`` (the notification id), ``event`` (its kind) and "
                   "``data`` (the notification as in /notifications). ``: keepalive`` comments "
                   "every SSE_HEARTBEAT seconds. Resume with the Last-Event-ID header.",
    "content": {"text/event-stream": {"schema": {"type": "string"}}}}})
def stream(_args):
    """The caller's live events. Subscribes first, then replays, then streams live.

    A reconnect with ``Last-Event-ID`` replays what was missed, including rows with an older
    id that committed later (the cursor trap): events may repeat, never go missing; clients
    de-duplicate on the id.
    """
    try:
        last_id = _cursor()
    except ValidationError as error:
        from app.errors import ValidationFailed

        raise ValidationFailed(fields={"last_event_id": str(error.messages)}) from error
    app = current_app._get_current_object()
    config = app.config
    person_id = current_user.id
    broker = get_broker()
    # Subscribe before reading the backlog: whatever commits in between arrives live.
    subscription = broker.subscribe(person_id)
    # Until the response owns the subscription (its generator unsubscribes when closed), a
    # failure here must not leave it behind: it would take every event for this person.
    try:
        backlog = [payload(row) for row in inbox.replay(
            db.session, person_id, last_id, horizon=config["NOTIFY_REPLAY_HORIZON"],
            limit=config["NOTIFY_REPLAY_LIMIT"])]
        already = set()
        if last_id is None:
            # Nothing to replay now; a later resync starts from what existed at connect.
            last_id = inbox.summary(current_user)[1]
            if last_id is not None and not isinstance(broker, RedisBroker):
                # The page was drawn with these: polling must not send them again.
                already = {row.id for row in inbox.replay(
                    db.session, person_id, last_id, horizon=config["NOTIFY_REPLAY_HORIZON"],
                    limit=config["NOTIFY_REPLAY_LIMIT"])} | {last_id}
    except BaseException:
        broker.unsubscribe(subscription)
        raise
    # The view's session (and its connection) is released when the view returns; the open
    # stream holds no database connection.
    events = _events(app, broker, subscription, last_id, backlog, already)
    return Response(events, mimetype="text/event-stream", headers={
        "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
        "X-Served-By": str(os.getpid())})


def _events(app, broker, subscription, last_id, backlog, already=()):
    config = app.config
    heartbeat = float(config["SSE_HEARTBEAT"])
    # The in-process broker only hears this process: poll for what others (the worker) wrote.
    poll = None if isinstance(broker, RedisBroker) else config.get("NOTIFY_POLL_SECONDS")
    wait = min(heartbeat, float(poll)) if poll else heartbeat
    last_beat = time.monotonic()
    sent: set[int] = set(already)
    try:
        # Sent at once so proxies pass the headers on instead of buffering (CTFd's ping).
        yield f"retry: {int(config['SSE_RETRY_MS'])}\n: connected\n\n"
        pending = backlog
        while True:
            for message in pending:
                if message["id"] not in sent:
                    sent.add(message["id"])
                    yield _event(message)
            pending = []
            try:
                message = subscription.get(timeout=wait)
            except queue.Empty:
                if poll:
                    cursor = max(sent) if sent else last_id
                    pending = _replay_again(app, subscription.person_id, cursor)
                if time.monotonic() - last_beat >= heartbeat:
                    last_beat = time.monotonic()
                    yield ": keepalive\n\n"  # the write that notices a client that went away
                continue
            if message is RESYNC:
                cursor = max(sent) if sent else last_id
                pending = _replay_again(app, subscription.person_id, cursor)
            else:
                pending = [message]
    finally:
        broker.unsubscribe(subscription)


def _replay_again(app, person_id: int, cursor: int | None) -> list[dict]:
    """Live delivery may have dropped events: read them from the database."""
    from app.extensions import db as _db

    with app.app_context(), so.Session(_db.engine) as session:
        rows = inbox.replay(session, person_id, cursor if cursor is not None else 0,
                            horizon=app.config["NOTIFY_REPLAY_HORIZON"],
                            limit=app.config["NOTIFY_REPLAY_LIMIT"])
        return [payload(row) for row in rows]
