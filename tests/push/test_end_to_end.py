"""THE end-to-end test: a notification raised by a service reaches a device, encrypted.

A local push service (tests/push/fakepush.py) checks the VAPID signature and claims and
decrypts every message with the device's private key, as a browser's push service and the
browser would; nothing in between is mocked.
"""

import pytest
import sqlalchemy as sa

from app.extensions import db as _db
from app.notifications.models import NotificationKind, PushSubscription
from app.notifications.push import PushRetryable, push_for_notifications
from app.notifications.services import notify

URL = "/api/v1/push-subscriptions"


def raise_(person, kind=NotificationKind.COMMENT, **fields):
    fields.setdefault("title", "Atasan A commented on Rapat koordinasi")
    fields.setdefault("body", "Mohon lampirkan notulen.")
    fields.setdefault("url", "/aktivitas/abc")
    notification = notify(person, kind, **fields)
    _db.session.commit()
    return notification.id


def subscription(endpoint):
    _db.session.rollback()
    return _db.session.scalar(sa.select(PushSubscription)
                              .where(PushSubscription.endpoint == endpoint))


def test_a_notification_arrives_decrypted_with_its_title_and_link(app, world, device,
                                                                  push_service):
    phone = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1, data={"activity_id": "abc", "comment": {"id": 7}})
    report = push_for_notifications([nid])
    assert report.sent == 1
    message = push_service.for_endpoint(phone["endpoint"])[-1]
    assert message["payload"] == {
        "id": nid, "kind": "comment", "title": "Atasan A commented on Rapat koordinasi",
        "body": "Mohon lampirkan notulen.", "url": "/aktivitas/abc",
        "tag": "comment-activity-abc"}
    assert message["headers"]["ttl"] == "86400"
    assert message["headers"]["urgency"] == "normal"
    assert message["claims"]["sub"] == "mailto:ops@kinerjaku.test"
    assert message["claims"]["aud"] == push_service.origin
    assert push_service.rejected == []
    row = subscription(phone["endpoint"])
    assert row.last_success_at is not None and row.failures == 0


def test_committing_a_notification_pushes_it_through_the_queue(app, world, device,
                                                               push_service, monkeypatch):
    from app.core.queue import init_queue
    from app.notifications.tasks import init_push

    init_queue(app)  # tasks run in this app (another test may have built its own since)
    init_push(app)  # and what it commits is pushed (the autouse fixture unhooked it)
    phone = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)  # immediate mode in tests: the task runs at commit
    assert [m["payload"]["id"] for m in push_service.for_endpoint(phone["endpoint"])] == [nid]


def test_every_device_of_the_recipient_and_nobody_elses(world, device, push_service):
    phones = [device(world.one.staff_a1), device(world.one.staff_a1)]
    bystanders = [device(world.one.staff_a2), device(world.two.staff_a1)]
    push_for_notifications([raise_(world.one.staff_a1)])
    assert all(push_service.for_endpoint(p["endpoint"]) for p in phones)
    assert not any(push_service.for_endpoint(b["endpoint"]) for b in bystanders)


def test_the_payload_carries_only_what_the_notification_shows(world, device, push_service):
    phone = device(world.one.staff_a1)
    push_for_notifications([raise_(world.one.staff_a1, body="x" * 600,
                                   data={"person_id": 1, "secret": "not for the phone"})])
    payload = push_service.for_endpoint(phone["endpoint"])[-1]["payload"]
    assert set(payload) == {"id", "kind", "title", "body", "url", "tag"}
    assert len(payload["body"]) <= 200
    assert "not for the phone" not in push_service.for_endpoint(
        phone["endpoint"])[-1]["plaintext"].decode()


@pytest.mark.parametrize(("kind", "data", "ttl", "urgency", "tag"), [
    (NotificationKind.REMINDER, {"reminder": "daily_log"}, "10800", "high",
     "reminder-daily_log"),
    (NotificationKind.REMINDER, {"reminder": "deadline"}, "14400", "normal",
     "reminder-deadline"),
    (NotificationKind.DIGEST, {}, "43200", "low", "digest"),
    (NotificationKind.APPROVED, {"activity_id": "a1"}, "86400", "normal",
     "approved-activity-a1"),
])
def test_ttl_urgency_and_tag_follow_the_kind(world, device, push_service, kind, data, ttl,
                                             urgency, tag):
    phone = device(world.one.staff_a1)
    push_for_notifications([raise_(world.one.staff_a1, kind, data=data)])
    message = push_service.for_endpoint(phone["endpoint"])[-1]
    assert (message["headers"]["ttl"], message["headers"]["urgency"]) == (ttl, urgency)
    assert message["payload"]["tag"] == tag


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted_and_the_others_still_served(world, device,
                                                                     push_service, status):
    gone = device(world.one.staff_a1, status=status)
    alive = device(world.one.staff_a1)
    report = push_for_notifications([raise_(world.one.staff_a1)])
    assert (report.sent, len(report.gone)) == (1, 1)
    assert subscription(gone["endpoint"]) is None
    assert subscription(alive["endpoint"]) is not None
    assert push_service.for_endpoint(alive["endpoint"])


@pytest.mark.parametrize(("status", "retry_after", "seconds"), [
    (429, "120", 120), (500, None, None), (503, "30", 30)])
def test_busy_push_services_are_retryable_and_keep_the_subscription(
        world, device, push_service, status, retry_after, seconds):
    busy = device(world.one.staff_a1, status=status, retry_after=retry_after)
    fine = device(world.one.staff_a1)
    nid = raise_(world.one.staff_a1)
    with pytest.raises(PushRetryable) as caught:
        push_for_notifications([nid])
    assert caught.value.retry_after == seconds
    assert caught.value.notification_ids == [nid]
    row = subscription(busy["endpoint"])
    assert row is not None and row.failures == 1 and row.last_success_at is None
    assert subscription(fine["endpoint"]).last_success_at is not None
    assert caught.value.devices == [(nid, subscription(busy["endpoint"]).id)]
    # The service recovers: the retry goes to the busy device only, and its failure count
    # resets; the device that had the notification does not get it twice.
    push_service.set_status(busy["endpoint"], 201)
    assert push_for_notifications([nid], devices=caught.value.devices).sent == 1
    assert subscription(busy["endpoint"]).failures == 0
    assert push_service.for_endpoint(busy["endpoint"])[-1]["payload"]["id"] == nid
    assert len(push_service.for_endpoint(fine["endpoint"])) == 1


def test_an_unreachable_push_service_is_retryable(world, signed_in, push_service):
    info = push_service.new_subscription()
    info["endpoint"] = "http://127.0.0.1:9/push/nobody-listens"
    assert signed_in(world.one.staff_a1).post(URL, json=info).status_code == 201
    with pytest.raises(PushRetryable):
        push_for_notifications([raise_(world.one.staff_a1)])
    assert subscription(info["endpoint"]).failures == 1


def test_nothing_to_send_is_not_an_error(world, push_service):
    assert push_for_notifications([raise_(world.one.staff_a1)]).attempted == 0
    assert push_for_notifications([]).attempted == 0
    assert push_service.requests == 0
