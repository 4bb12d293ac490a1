"""Issue 14, finding 4 on the server: work against an indicator measured in a quantity
("12 dokumen") needs a quantity above 0, on every way in (create, offline batch, edit)."""

import uuid

import pytest

from app.extensions import db
from app.targets.models import Aspect
from tests.activities.support import make_indicator
from tests.activities.test_api import URL, entry

BATCH = "/api/v1/activities/batch"


@pytest.fixture
def staff(api, world):
    return api.login(world.one.staff_a1)


@pytest.fixture
def counted(world):
    return make_indicator(world.one.staff_a1)


def quantity_error(response) -> str:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["error"]["fields"]["quantity"]


@pytest.mark.parametrize("quantity", [None, 0, "0"])
def test_a_quantity_indicator_refuses_no_quantity(staff, counted, count, quantity):
    from app.activities.models import Activity

    response = staff.post(URL, json=entry(work_kind=None, target_id=counted.id,
                                          quantity=quantity))
    assert "lebih dari 0" in quantity_error(response)
    assert count(Activity) == 0


def test_a_quantity_indicator_takes_a_positive_quantity(staff, counted):
    response = staff.post(URL, json=entry(work_kind=None, target_id=counted.id, quantity="2.5"))
    assert response.status_code == 201
    assert float(response.get_json()["quantity"]) == 2.5


def test_other_aspects_and_other_work_need_no_quantity(staff, world, counted):
    counted.aspect = Aspect.KUALITAS
    db.session.commit()
    assert staff.post(URL, json=entry(work_kind=None, target_id=counted.id)).status_code == 201
    assert staff.post(URL, json=entry(start_time="10:00", end_time="11:00")).status_code == 201


def test_the_offline_batch_refuses_the_entry_without_a_quantity(staff, counted):
    entries = [{"op": "create", "id": str(uuid.uuid4()),
                "data": {k: v for k, v in entry(work_kind=None, target_id=counted.id).items()}},
               {"op": "create", "id": str(uuid.uuid4()),
                "data": entry(work_kind=None, target_id=counted.id, quantity=3,
                              start_time="10:00", end_time="11:00")}]
    results = staff.post(BATCH, json={"entries": entries}).get_json()["results"]
    assert [(r["result"], r["status"]) for r in results] == [("invalid", 422), ("created", 201)]
    assert "quantity" in results[0]["error"]["fields"]


def test_an_edit_cannot_take_the_quantity_away(staff, counted):
    body = staff.post(URL, json=entry(work_kind=None, target_id=counted.id, quantity=2)
                      ).get_json()
    edited = staff.patch(f"{URL}/{body['id']}", json={"version": 1, "quantity": None})
    quantity_error(edited)
    moved = staff.post(URL, json=entry(start_time="10:00", end_time="11:00")).get_json()
    onto_target = staff.patch(f"{URL}/{moved['id']}", json={
        "version": 1, "work_kind": "skp", "target_id": counted.id})
    quantity_error(onto_target)
