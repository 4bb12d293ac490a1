"""Input the database cannot hold is the caller's mistake (4xx), never a server error: ids and
page numbers beyond its integer columns, NUL characters and lone surrogates in text."""

import json
import uuid
from datetime import UTC, datetime

import pytest
import time_machine

from tests.support import ApiClient

HUGE = [2**31, 8796093022207, 9223372036854775808, 99999999999999999999]


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 10 March 2026: the activities of 9 March are still open."""
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def admin(app, world):
    return ApiClient(app).login(world.one.admin)


@pytest.fixture
def staff(app, world):
    return ApiClient(app).login(world.one.staff_a1)


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("path", ["/api/v1/skps/{}", "/api/v1/holidays/{}",
                                  "/api/v1/people/{}", "/api/v1/evaluations/{}"])
def test_an_id_beyond_the_columns_in_a_path_is_not_found(admin, path, number):
    response = admin.get(path.format(number))
    assert response.status_code in (404, 405), response.data[:200]
    if response.status_code == 404:
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("query", ["/api/v1/activities?person_id={}",
                                   "/api/v1/notifications?page={}",
                                   "/api/v1/people?page={}"])
def test_a_number_beyond_the_columns_in_a_query_is_invalid(admin, query, number):
    response = admin.get(query.format(number))
    assert response.status_code == 422, response.data[:200]
    assert response.get_json()["error"]["code"] == "invalid"


def test_a_number_beyond_the_columns_in_a_body_is_invalid(admin, world):
    response = admin.post("/api/v1/acting-assignments", json={
        "acting_person_id": 2**40, "for_person_id": world.one.sup_a.id,
        "starts_on": "2026-03-09", "ends_on": "2026-03-13", "kind": "plh"})
    assert response.status_code == 422
    assert "acting_person_id" in response.get_json()["error"]["fields"]


def comment(client, activity_id, body: str):
    return client.post(f"/api/v1/activities/{activity_id}/comments",
                       data=json.dumps({"body": body}, ensure_ascii=True),
                       content_type="application/json")


def own_activity(staff) -> str:
    response = staff.post("/api/v1/activities", json={
        "date": "2026-03-09", "start_time": "08:00", "end_time": "09:00",
        "description": "Menyusun laporan", "work_kind": "lainnya"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.mark.parametrize("text", ["halo\x00dunia", "\x00", "lone \ud800 surrogate"])
def test_text_the_database_cannot_store_is_refused_with_the_field(staff, text):
    activity_id = own_activity(staff)
    response = comment(staff, activity_id, text)
    assert response.status_code == 422, response.data[:200]
    assert "body" in response.get_json()["error"]["fields"]
    created = staff.post("/api/v1/activities", data=json.dumps({
        "date": "2026-03-09", "start_time": "10:00", "end_time": "11:00",
        "description": text, "work_kind": "lainnya"}, ensure_ascii=True),
        content_type="application/json")
    assert created.status_code == 422, created.data[:200]
    assert "description" in created.get_json()["error"]["fields"]
    # The same through the PostgreSQL create lane, which takes creates with a client id.
    with_id = staff.post("/api/v1/activities", data=json.dumps({
        "id": str(uuid.uuid4()), "date": "2026-03-09", "start_time": "10:00",
        "end_time": "11:00", "description": text, "work_kind": "lainnya"},
        ensure_ascii=True), content_type="application/json")
    assert with_id.status_code == 422, with_id.data[:200]
    # Nothing half-done is left behind: the next request works as usual.
    assert comment(staff, activity_id, "Sudah saya perbaiki").status_code == 201
