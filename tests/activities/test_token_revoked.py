"""A revoked access token stops working at once, on every create path: nothing about a token
is remembered between requests."""

import uuid

from app.activities.models import Activity
from tests.activities.test_api import URL, entry


def test_a_token_revoked_through_the_api_cannot_create_the_next_request(api, app, world,
                                                                         count):
    api.login(world.one.staff_a1)
    made = api.post("/api/v1/auth/tokens", json={"name": "ponsel"}).get_json()
    phone = app.test_client()
    headers = {"Authorization": f"Bearer {made['token']}"}
    for start in ("06:00", "07:00"):  # the second one as the fast path takes it
        body = entry(id=str(uuid.uuid4()), start_time=start, end_time=start[:2] + ":30")
        assert phone.post(URL, json=body, headers=headers).status_code == 201

    assert api.delete(f"/api/v1/auth/tokens/{made['id']}").status_code == 204

    answer = phone.post(URL, json=entry(id=str(uuid.uuid4()), start_time="11:00",
                                        end_time="11:30"), headers=headers)
    assert answer.status_code == 401
    batch = phone.post(URL + "/batch", headers=headers, json={"entries": [
        {"op": "create", "id": str(uuid.uuid4()), "data": entry(start_time="12:00",
                                                                 end_time="12:30")}]})
    assert batch.status_code == 401
    assert count(Activity) == 2
