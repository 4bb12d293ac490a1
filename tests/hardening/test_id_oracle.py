"""A create under an id someone else holds answers the same plain 409 whether that someone
is in the caller's organisation or another: no code or word tells that the id exists
elsewhere, nor whose it is."""

import uuid

from tests.support import ApiClient

URL = "/api/v1/activities"


def entry(client_id, description="Menyusun laporan"):
    return {"id": client_id, **data(description)}


def data(description="Menyusun laporan"):
    return {"date": "2026-03-09", "start_time": "08:00", "end_time": "09:30",
            "description": description, "work_kind": "lainnya"}


def test_someone_elses_id_answers_a_plain_conflict_wherever_they_are(app, world, clock):
    same_org_id, other_org_id = str(uuid.uuid4()), str(uuid.uuid4())
    ApiClient(app).login(world.one.staff_a2).post(URL, json=entry(same_org_id, "Rahasia A"))
    ApiClient(app).login(world.two.staff_a1).post(URL, json=entry(other_org_id, "Rahasia B"))
    caller = ApiClient(app).login(world.one.staff_a1)
    answers = [caller.post(URL, json=entry(key)) for key in (same_org_id, other_org_id)]
    assert [a.status_code for a in answers] == [409, 409]
    bodies = [a.get_json() for a in answers]
    assert bodies[0] == bodies[1]
    assert bodies[0]["error"]["code"] == "conflict"
    assert set(bodies[0]["error"]) <= {"code", "message", "fields"}
    assert "Rahasia" not in str(bodies)


def test_batch_answers_the_same_for_either(app, world, clock):
    same_org_id, other_org_id = str(uuid.uuid4()), str(uuid.uuid4())
    ApiClient(app).login(world.one.staff_a2).post(URL, json=entry(same_org_id))
    ApiClient(app).login(world.two.staff_a1).post(URL, json=entry(other_org_id))
    caller = ApiClient(app).login(world.one.staff_a1)
    answer = caller.post(f"{URL}/batch", json={"entries": [
        {"op": "create", "id": same_org_id, "data": data()},
        {"op": "create", "id": other_org_id, "data": data()}]})
    results = answer.get_json()["results"]
    for result in results:
        result.pop("id")
    assert results[0] == results[1]
    assert results[0]["error"]["code"] == "conflict"
