"""The push outbox: a notification whose push the queue did not take, or lost, is sent again
by the sweeper, and a device gets each notification once however often it is sent.

Through the real parts: the database, the queue in immediate mode and the local push
service (which decrypts every message); only the queue's refusal is simulated.
"""

from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa

from app.extensions import db as _db
from app.models import utcnow
from app.notifications import tasks
from app.notifications.models import Notification, PushDelivery
from app.notifications.push import PushRetryable, push_for_notifications
from tests.push.test_end_to_end import raise_, subscription

LATER = timedelta(seconds=61)


def pushed_at(nid):
    _db.session.rollback()
    return _db.session.get(Notification, nid).pushed_at


def ids_pushed(push_service, endpoint):
    return [m["payload"]["id"] for m in push_service.for_endpoint(endpoint)]


@pytest.fixture
def queue_down(monkeypatch):
    """The queue refuses every task, as Redis does while it is away."""
    def refuse(*_args, **_kwargs):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")
    monkeypatch.setattr(tasks, "send_push", refuse)


def test_a_notification_is_settled_once_pushed_and_never_pushed_again(world, device,
                                                                      push_service):
    phone = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)
    assert pushed_at(nid) is None
    assert push_for_notifications([nid]).sent == 1
    assert pushed_at(nid) is not None
    # Sent again (the sweeper, a task handed over twice): nothing goes out.
    assert push_for_notifications([nid]).attempted == 0
    assert ids_pushed(push_service, phone["endpoint"]) == [nid]


def test_a_device_claimed_by_another_task_is_skipped(world, device, push_service):
    first, second = device(world.one.staff_a1), device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)
    taken = subscription(first["endpoint"]).id
    _db.session.add(PushDelivery(notification_id=nid, subscription_id=taken))
    _db.session.commit()
    report = push_for_notifications([nid])
    assert report.sent == 1
    assert ids_pushed(push_service, first["endpoint"]) == []
    assert ids_pushed(push_service, second["endpoint"]) == [nid]
    assert pushed_at(nid) is not None


def test_a_push_the_queue_refused_is_sent_by_the_sweeper_once(app, world, device,
                                                              push_service, queue_down,
                                                              monkeypatch, caplog):
    phone = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)
    assert tasks.enqueue_push(app, [nid]) is False
    assert "the sweeper will retry" in caplog.text
    assert ids_pushed(push_service, phone["endpoint"]) == []
    # Still away at the sweep: it stays in the outbox.
    assert tasks.requeue_waiting_pushes(utcnow() + LATER) == 0
    assert pushed_at(nid) is None
    monkeypatch.undo()  # the queue is back
    assert tasks.requeue_waiting_pushes(utcnow()) == 0, "not waiting long enough yet"
    assert tasks.requeue_waiting_pushes(utcnow() + LATER) == 1
    assert ids_pushed(push_service, phone["endpoint"]) == [nid]
    assert pushed_at(nid) is not None
    assert tasks.requeue_waiting_pushes(utcnow() + LATER) == 0
    assert ids_pushed(push_service, phone["endpoint"]) == [nid]


def test_the_sweeper_leaves_old_notifications_and_switched_off_push_alone(app, world, device,
                                                                         push_service):
    phone = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)
    assert tasks.requeue_waiting_pushes(utcnow() + timedelta(days=1, seconds=1)) == 0
    app.config["PUSH_ENABLED"] = False
    try:
        assert tasks.requeue_waiting_pushes(utcnow() + LATER) == 0
    finally:
        app.config["PUSH_ENABLED"] = True
    assert ids_pushed(push_service, phone["endpoint"]) == []
    assert pushed_at(nid) is None


def test_a_notification_without_devices_is_settled(world, push_service):
    nid = raise_(world.one.staff_b1)
    assert push_for_notifications([nid]).attempted == 0
    assert pushed_at(nid) is not None


def test_a_busy_device_is_released_for_its_retry_and_the_rest_not_sent_twice(
        world, device, push_service):
    busy = device(world.one.staff_a1, status=503)
    fine = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)
    with pytest.raises(PushRetryable):
        push_for_notifications([nid])
    assert pushed_at(nid) is None, "a push waiting for its retry stays in the outbox"
    claims = _db.session.scalars(sa.select(PushDelivery.subscription_id)
                                 .where(PushDelivery.notification_id == nid)).all()
    assert claims == [subscription(fine["endpoint"]).id]
    # The sweeper's re-send (no device list) reaches the busy device only.
    push_service.set_status(busy["endpoint"], 201)
    assert push_for_notifications([nid]).sent == 1
    assert ids_pushed(push_service, busy["endpoint"]) == [nid]
    assert ids_pushed(push_service, fine["endpoint"]) == [nid]
    assert pushed_at(nid) is not None
