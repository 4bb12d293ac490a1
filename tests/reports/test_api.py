"""GET /api/v1/progress and /api/v1/recaps: shapes, defaults, bad input, who sees whom."""

from datetime import date

import pytest
import time_machine

from app.activities.models import ActivityStatus
from tests.reports.conftest import log

MONTHLY = "/api/v1/recaps/monthly"
TEAM = "/api/v1/recaps/monthly/team"


def test_progress_answers_per_indicator_with_numbers(api, db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 2, 3), target=targets.dokumen, quantity=3)
    log(db, person, date(2026, 2, 4), target=targets.dokumen, quantity=1,
        status=ActivityStatus.SUBMITTED)
    api.login(person)

    response = api.get("/api/v1/progress?from=2026-01-01&to=2026-12-31")

    assert response.status_code == 200
    body = response.get_json()
    assert body["person"]["id"] == person.id
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-12-31")
    first = body["indicators"][0]
    assert first["indicator_id"] == targets.dokumen.id
    assert first["target_quantity"] == 12 and first["unit"] == "dokumen"
    assert first["approved"] == {"quantity": 3, "count": 1, "value": 3, "percent": 25,
                                 "status": "below", "above_target": False}
    assert first["measure"] == "quantity" and first["split"] is None
    assert first["submitted"]["percent"] == 8.3
    assert body["indicators"][2]["approved"]["percent"] is None


def test_progress_defaults_to_the_year_to_date_in_local_time(api, db, world, targets):
    person = world.one.staff_a1  # Asia/Jakarta: 2026-03-15 17:30 UTC is the 16th there
    log(db, person, date(2026, 3, 16), target=targets.dokumen, quantity=2)
    log(db, person, date(2026, 3, 17), target=targets.dokumen, quantity=5)
    with time_machine.travel("2026-03-15T17:30:00+00:00", tick=False):
        api.login(person)
        body = api.get("/api/v1/progress").get_json()

    assert (body["from"], body["to"]) == ("2026-01-01", "2026-03-16")
    assert body["indicators"][0]["approved"]["quantity"] == 2


def test_progress_with_only_a_start_runs_to_the_end_of_that_year(api, db, world, targets):
    with time_machine.travel("2027-02-01T03:00:00+00:00", tick=False):
        api.login(world.one.staff_a1)
        body = api.get("/api/v1/progress?from=2026-07-01").get_json()

    assert (body["from"], body["to"]) == ("2026-07-01", "2026-12-31")


def test_monthly_recap_of_the_caller(api, db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 2, 2), target=targets.dokumen, quantity=2, minutes=90)
    log(db, person, date(2026, 2, 3), minutes=45, status=ActivityStatus.DRAFT)
    log(db, person, date(2026, 3, 1), target=targets.dokumen, quantity=9, minutes=600)
    api.login(person)

    response = api.get(f"{MONTHLY}?month=2026-02")

    assert response.status_code == 200
    body = response.get_json()
    assert body["month"] == "2026-02" and body["person"]["id"] == person.id
    assert (body["days_logged"], body["minutes"], body["hours"]) == (2, 135, 2.25)
    assert body["by_status"] == {"draft": 1, "submitted": 0, "approved": 1, "returned": 0}
    assert body["by_work_kind"] == {"skp": 1, "tambahan": 0, "lainnya": 1}
    rhk = {"rhk_id": targets.dokumen.rhk_id, "rhk_kind": "utama",
           "rhk_description": "Tersusunnya dokumen perencanaan"}
    assert body["outputs"] == [{
        **rhk, "indicator_id": targets.dokumen.id, "description": "Dokumen", "unit": "dokumen",
        "aspect": "kuantitas", "measure": "quantity", "value_unit": "dokumen",
        "target_quantity": 12, "count": 1, "quantity": 2, "approved_quantity": 2,
        "percent": 16.7, "status": "below"}, {
        # The RHK's Kualitas indicator, judged on its marks (none yet), never summed.
        **rhk, "indicator_id": targets.kualitas.id, "description": "Kualitas", "unit": "%",
        "aspect": "kualitas", "measure": "quality", "value_unit": "%",
        "target_quantity": 100, "count": 0, "quantity": None, "approved_quantity": None,
        "percent": None, "status": None}]


def test_monthly_recap_defaults_to_the_current_local_month(api, db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 4, 1), minutes=30)
    with time_machine.travel("2026-03-31T18:00:00+00:00", tick=False):  # 1 April in WIB
        api.login(person)
        body = api.get(MONTHLY).get_json()

    assert body["month"] == "2026-04" and body["minutes"] == 30


def test_team_recap_lists_the_callers_line(api, db, world, targets):
    one = world.one
    log(db, one.staff_a1, date(2026, 2, 2), target=targets.dokumen, quantity=2, minutes=60)
    log(db, one.staff_b1, date(2026, 2, 2), minutes=60)
    api.login(one.sup_a)

    response = api.get(f"{TEAM}?month=2026-02")

    assert response.status_code == 200
    body = response.get_json()
    assert body["supervisor"]["id"] == one.sup_a.id and body["month"] == "2026-02"
    assert [p["person"]["id"] for p in body["people"]] == [one.staff_a1.id, one.staff_a2.id]
    assert [p["hours"] for p in body["people"]] == [1, 0]


def test_team_recap_of_someone_without_a_team_is_empty(api, db, world):
    api.login(world.one.staff_a1)

    assert api.get(f"{TEAM}?month=2026-02").get_json()["people"] == []


@pytest.mark.parametrize(("who", "whom"), [
    ("staff_a1", "staff_a1"),  # themself
    ("sup_a", "staff_a1"),  # their line
    ("head", "staff_a1"),  # two levels down
    ("admin", "staff_b1"),  # admin kepegawaian: the whole organisation
    ("admin", "head"),
])
def test_reports_of_people_the_caller_may_see(api, world, targets, who, whom):
    api.login(getattr(world.one, who))
    person_id = getattr(world.one, whom).id

    for url in (f"/api/v1/progress?person_id={person_id}",
                f"{MONTHLY}?person_id={person_id}&month=2026-02"):
        response = api.get(url)
        assert response.status_code == 200, url
        assert response.get_json()["person"]["id"] == person_id


@pytest.mark.parametrize(("who", "whom"), [
    ("staff_a2", "staff_a1"),  # a peer
    ("sup_b", "staff_a1"),  # another line
    ("staff_a1", "sup_a"),  # their own supervisor
    ("sup_a", "head"),
])
def test_reports_of_people_outside_the_line_are_404(api, world, who, whom):
    api.login(getattr(world.one, who))
    person_id = getattr(world.one, whom).id

    for url in (f"/api/v1/progress?person_id={person_id}",
                f"{MONTHLY}?person_id={person_id}&month=2026-02"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("who", ["head", "admin", "sup_a"])
def test_reports_of_another_organisation_are_404(api, world, who):
    api.login(getattr(world.one, who))
    person_id = world.two.staff_a1.id

    for url in (f"/api/v1/progress?person_id={person_id}",
                f"{MONTHLY}?person_id={person_id}&month=2026-02",
                f"{MONTHLY}?person_id=999999&month=2026-02"):
        assert api.get(url).status_code == 404, url


def test_team_recap_never_reaches_another_organisation(api, db, world):
    log(db, world.two.staff_a1, date(2026, 2, 2), minutes=60)
    api.login(world.one.head)

    people = api.get(f"{TEAM}?month=2026-02").get_json()["people"]

    assert world.two.staff_a1.id not in {p["person"]["id"] for p in people}
    assert len(people) == 6


@pytest.mark.parametrize(("url", "field"), [
    (f"{MONTHLY}?month=2026-13", "month"),
    (f"{MONTHLY}?month=2026-2", "month"),
    (f"{MONTHLY}?month=9999-12", "month"),
    (f"{MONTHLY}?month=maret", "month"),
    (f"{TEAM}?month=2026-00", "month"),
    (f"{MONTHLY}?person_id=abc", "person_id"),
    (f"{MONTHLY}?person_id=3.5", "person_id"),
    (f"{MONTHLY}?person_id=0", "person_id"),
    (f"{MONTHLY}?person_id=99999999999999999999", "person_id"),
    ("/api/v1/progress?from=2026-02-30", "from"),
    ("/api/v1/progress?from=2026-05-01&to=2026-04-01", "to"),
])
def test_bad_arguments_get_the_error_envelope(api, world, url, field):
    api.login(world.one.sup_a)

    response = api.get(url)

    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_reports_need_signing_in(client):
    for url in ("/api/v1/progress", MONTHLY, TEAM):
        assert client.get(url).status_code == 401


def test_reports_are_in_the_openapi_document(api, world):
    paths = api.login(world.one.staff_a1).get("/api/v1/openapi.json").get_json()["paths"]

    for path in ("/api/v1/progress", "/api/v1/recaps/monthly", "/api/v1/recaps/monthly/team"):
        assert "200" in paths[path]["get"]["responses"]
        assert "422" in paths[path]["get"]["responses"]
    assert "404" in paths["/api/v1/progress"]["get"]["responses"]
