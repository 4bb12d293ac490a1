"""The findings already fixed before this branch, checked again through the API: an extreme
date for the deadline, a quantity beyond numeric(14,2), a NUL in a unit and a template name.
(Ids and pages beyond the columns, NUL and surrogates in descriptions and comments:
tests/test_input_limits.py; formula injection: tests/documents/test_formula_injection.py.)"""

import json
import uuid

import pytest

from tests.support import ApiClient

ENTRY = {"date": "2026-03-09", "start_time": "08:00", "end_time": "09:00",
         "description": "Menyusun laporan", "work_kind": "lainnya"}


@pytest.fixture
def staff(app, world, clock):
    return ApiClient(app).login(world.one.staff_a1)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_deadline_of_an_extreme_date_is_an_answer_not_a_crash(staff, day):
    response = staff.get(f"/api/v1/activities/deadline?date={day}")
    assert response.status_code == 422, response.data[:200]
    assert "date" in response.get_json()["error"]["fields"]
    assert staff.get("/api/v1/activities/deadline?date=2999-12-31").status_code == 200


@pytest.mark.parametrize("quantity", [1_000_000_000_000, 1e300, 10**30])
def test_a_quantity_beyond_the_column_is_invalid(staff, quantity):
    """Through the ORM create and through the create lane (a client id)."""
    for extra in ({}, {"id": str(uuid.uuid4())}):
        response = staff.post("/api/v1/activities", json={
            **ENTRY, **extra, "quantity": quantity, "unit": "dokumen"})
        assert response.status_code == 422, response.data[:200]
        assert "quantity" in response.get_json()["error"]["fields"]
    largest = staff.post("/api/v1/activities", json={**ENTRY, "quantity": 999999999999.99,
                                                    "unit": "dokumen"})
    assert largest.status_code == 201, largest.data[:200]


def test_nul_in_a_unit_or_template_name_is_invalid(staff):
    body = json.dumps({**ENTRY, "quantity": 1, "unit": "dok\x00umen"})
    response = staff.post("/api/v1/activities", data=body, content_type="application/json")
    assert response.status_code == 422 and "unit" in response.get_json()["error"]["fields"]
    body = json.dumps({"name": "a\x00b", "description": "x", "work_kind": "lainnya"})
    response = staff.post("/api/v1/activity-templates", data=body,
                          content_type="application/json")
    assert response.status_code == 422, response.data[:200]
    assert "name" in response.get_json()["error"]["fields"]
