"""Evaluation periods: the admin's CRUD, the generated standard sets, validation."""

from datetime import date

from app.activities.deadlines import is_working_day
from tests.evaluations.support import line_skps, quarters


def test_generate_quarters_adds_the_annual_final_period(as_, world):
    api = as_(world.one.admin)
    response = api.post("/api/v1/periods/generate", json={"year": 2026, "kind": "quarterly"})
    assert response.status_code == 201
    periods = response.get_json()
    assert [p["name"] for p in periods] == ["Triwulan I 2026", "Triwulan II 2026",
                                            "Triwulan III 2026", "Triwulan IV 2026",
                                            "Tahunan 2026"]
    first = periods[0]
    assert (first["starts_on"], first["ends_on"]) == ("2026-01-01", "2026-03-31")
    assert periods[3]["ends_on"] == "2026-12-31"
    final = periods[-1]
    assert final["is_final"] and final["kind"] == "annual"
    assert not any(p["is_final"] for p in periods[:-1])
    for period in periods:
        deadline = date.fromisoformat(period["deadline"])
        assert deadline > date.fromisoformat(period["ends_on"])
        assert is_working_day(deadline)
    # 31 March 2026 is a Tuesday; five working days later, skipping Idul Fitri's cuti
    # bersama and holidays, the deadline is a working day in April.
    assert first["deadline"].startswith("2026-04")


def test_generate_months_and_semesters(as_, world):
    api = as_(world.one.admin)
    months = api.post("/api/v1/periods/generate", json={"year": 2027, "kind": "monthly"})
    assert len(months.get_json()) == 13
    assert months.get_json()[1]["name"] == "Februari 2027"
    assert months.get_json()[1]["ends_on"] == "2027-02-28"
    semesters = api.post("/api/v1/periods/generate", json={"year": 2027, "kind": "semester"})
    names = [p["name"] for p in semesters.get_json()]
    # The annual period of 2027 exists already: only the semesters are new.
    assert names == ["Semester I 2027", "Semester II 2027"]
    assert semesters.get_json()[1]["starts_on"] == "2027-07-01"


def test_generating_twice_creates_nothing_more(as_, world):
    api = as_(world.one.admin)
    api.post("/api/v1/periods/generate", json={"year": 2026, "kind": "quarterly"})
    again = api.post("/api/v1/periods/generate", json={"year": 2026, "kind": "quarterly"})
    assert again.status_code == 201 and again.get_json() == []
    assert len(api.get("/api/v1/periods?year=2026").get_json()) == 5


def test_only_admin_manages_periods(as_, world):
    api = as_(world.one.sup_a)
    assert api.post("/api/v1/periods/generate",
                    json={"year": 2026, "kind": "quarterly"}).status_code == 403
    assert api.post("/api/v1/periods", json={
        "name": "X", "kind": "monthly", "starts_on": "2026-01-01",
        "ends_on": "2026-01-31"}).status_code == 403
    # Everyone of the organisation may read them.
    quarters(world.one)
    assert len(api.get("/api/v1/periods").get_json()) == 5


def test_create_edit_delete_a_period(as_, world):
    api = as_(world.one.admin)
    response = api.post("/api/v1/periods", json={
        "name": "Januari 2026", "kind": "monthly", "starts_on": "2026-01-01",
        "ends_on": "2026-01-31", "deadline": "2026-02-06"})
    assert response.status_code == 201
    period = response.get_json()
    assert period["year"] == 2026 and period["deadline"] == "2026-02-06"
    url = f"/api/v1/periods/{period['id']}"
    patched = api.patch(url, json={"deadline": "2026-02-10", "name": "Jan 2026"})
    assert patched.status_code == 200
    assert patched.get_json()["deadline"] == "2026-02-10"
    assert api.get(url).get_json()["name"] == "Jan 2026"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_default_deadline_is_five_working_days_after_the_end(as_, world):
    api = as_(world.one.admin)
    period = api.post("/api/v1/periods", json={
        "name": "Oktober 2026", "kind": "monthly", "starts_on": "2026-10-01",
        "ends_on": "2026-10-31"}).get_json()
    # Saturday 31 October: Mon 2 .. Fri 6 November.
    assert period["deadline"] == "2026-11-06"


def test_invalid_periods_are_refused(as_, world):
    api = as_(world.one.admin)
    base = {"name": "Triwulan", "kind": "quarterly", "starts_on": "2026-01-01",
            "ends_on": "2026-03-31", "deadline": "2026-04-10"}
    assert api.post("/api/v1/periods", json=base).status_code == 201
    cases = [
        ({"ends_on": "2025-12-31"}, "ends_on"),
        ({"deadline": "2026-03-30"}, "deadline"),
        ({"starts_on": "2026-03-01", "ends_on": "2026-05-31", "deadline": "2026-06-10"},
         "starts_on"),
        ({"kind": "weekly"}, "kind"),
        ({"name": ""}, "name"),
        ({"starts_on": "kemarin"}, "starts_on"),
    ]
    for change, field in cases:
        response = api.post("/api/v1/periods", json={**base, **change})
        assert response.status_code == 422, change
        assert field in response.get_json()["error"]["fields"], (change, response.get_json())
    # The same dates are fine for another kind.
    other = api.post("/api/v1/periods", json={**base, "kind": "semester"})
    assert other.status_code == 201
    # Editing into an overlap is refused too.
    second = api.post("/api/v1/periods", json={**base, "starts_on": "2026-04-01",
                                                 "ends_on": "2026-06-30",
                                                 "deadline": "2026-07-10"}).get_json()
    response = api.patch(f"/api/v1/periods/{second['id']}", json={"starts_on": "2026-03-15"})
    assert response.status_code == 422
    assert "starts_on" in response.get_json()["error"]["fields"]
    assert api.post("/api/v1/periods/generate",
                    json={"year": 2026, "kind": "annual"}).status_code == 422


def test_delete_refused_once_evaluations_exist(as_, world):
    periods = quarters(world.one)
    line_skps(world.one)
    period = periods["Triwulan IV 2026"]
    assert as_(world.one.staff_a1).post(
        f"/api/v1/periods/{period.id}/evaluation").status_code == 201
    response = as_(world.one.admin).delete(f"/api/v1/periods/{period.id}")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "period_in_use"


def test_other_organisations_period_cannot_be_changed(as_, world):
    period = quarters(world.two)["Triwulan I 2026"]
    api = as_(world.one.admin)
    assert api.patch(f"/api/v1/periods/{period.id}", json={"name": "X"}).status_code == 404
    assert api.delete(f"/api/v1/periods/{period.id}").status_code == 404
    assert api.get("/api/v1/periods").get_json() == []
