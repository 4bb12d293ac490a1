"""Submissions reach the supervisor at once: a notification row of kind ``submitted`` for
each reviewer (the badge, the stream, replay on reconnect), however the activity was sent:
submitted on its own, created as submitted, or replayed from the outbox; and an SKP sent
for approval."""

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
