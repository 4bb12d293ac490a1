"""Submissions reach the supervisor at once: a notification row of kind ``submitted`` for
each reviewer (the badge, the stream, replay on reconnect), however the activity was sent:
submitted on its own, created as submitted, or replayed from the outbox; and an SKP sent
for approval."""

import queue
import uuid
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.notifications.models import Notification, NotificationKind


def submitted_to(person) -> list[dict]:
    db.session.rollback()
    return [row.data for row in db.session.scalars(
        sa.select(Notification).where(Notification.person_id == person.id,
                                      Notification.kind == NotificationKind.SUBMITTED)
        .order_by(Notification.id))]


def activity(**values):
    return {"date": date.today().isoformat(), "start_time": "08:00", "end_time": "09:00",
            "description": "Menyusun laporan", "work_kind": "lainnya", **values}


def test_each_way_of_submitting_tells_the_supervisor_once(api, world):
    one = world.one
    api.login(one.staff_a1)
    draft = api.post("/api/v1/activities", json=activity()).get_json()
    assert submitted_to(one.sup_a) == []
    assert api.post(f"/api/v1/activities/{draft['id']}/submit",
                    json={"version": draft["version"]}).status_code == 200
    at_once = api.post("/api/v1/activities", json=activity(
        start_time="10:00", end_time="11:00", status="submitted")).get_json()
    offline = str(uuid.uuid4())
    entries = [{"op": "create", "id": offline, "data": activity(start_time="12:00",
                                                                end_time="13:00")},
               {"op": "submit", "id": offline}]
    assert api.post("/api/v1/activities/batch", json={"entries": entries}).status_code == 200
    # The outbox sends the same batch again (a lost answer): nothing new is announced.
    api.post("/api/v1/activities/batch", json={"entries": entries})
    told = submitted_to(one.sup_a)
    assert [item["activity_id"] for item in told] == [draft["id"], at_once["id"], offline]
    assert {item["person_id"] for item in told} == {one.staff_a1.id}
    assert submitted_to(one.sup_b) == [] and submitted_to(world.two.sup_a) == []
    api.login(one.sup_a)
    listed = api.get("/api/v1/notifications").get_json()
    assert [item["kind"] for item in listed].count("submitted") == 3


def test_an_skp_sent_for_approval_tells_the_supervisor_once(api, world):
    from tests.targets.factories import cascade

    one = world.one
    staff_skp = cascade(one)[2]
    db.session.commit()
    api.login(one.staff_a1)
    assert submitted_to(one.sup_a) == []
    response = api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})
    assert response.status_code == 200
    # A second send of the same submission is refused and announces nothing new.
    assert api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={}).status_code == 409
    assert submitted_to(one.sup_a) == [
        {"skp_id": staff_skp.id, "person_id": one.staff_a1.id, "status": "submitted"}]
    assert submitted_to(one.sup_b) == [] and submitted_to(world.two.sup_a) == []
    api.login(one.sup_a)
    [told] = [item for item in api.get("/api/v1/notifications").get_json()
              if item["kind"] == "submitted"]
    assert told["url"] == f"/target/skp/{staff_skp.id}"


def published(subscription) -> list[dict]:
    """What the broker delivered to an open stream so far."""
    messages = []
    while True:
        try:
            messages.append(subscription.get(timeout=0.2))
        except queue.Empty:
            return messages


def test_an_outbox_replay_is_published_live_once_its_batch_commits(api, world, app):
    """Each batch entry runs in a savepoint, whose release is not the commit: the event must
    still go out when the batch commits (not wait for the stream's database poll), and an
    entry refused in its own savepoint must not take the others' events with it."""
    one = world.one
    broker = app.extensions["kinerjaku_broker"]
    stream = broker.subscribe(one.sup_a.id)
    elsewhere = broker.subscribe(world.two.sup_a.id)
    try:
        api.login(one.staff_a1)
        offline = str(uuid.uuid4())
        entries = [{"op": "create", "id": offline, "data": activity(status="submitted")},
                   # Refused in its savepoint: a submitted activity is not editable.
                   {"op": "update", "id": offline, "version": 1,
                    "data": activity(description="Diubah")}]
        results = api.post("/api/v1/activities/batch", json={"entries": entries}).get_json()
        assert [item["status"] for item in results["results"]] == [201, 409]
        [message] = published(stream)
        assert message["kind"] == "submitted"
        assert message["data"]["activity_id"] == offline
        assert submitted_to(one.sup_a) == [message["data"]]
        assert published(elsewhere) == []
    finally:
        broker.unsubscribe(stream)
        broker.unsubscribe(elsewhere)
