"""Realisation by aspect (Kuantitas, Kualitas, Waktu) and targets split per period, through
the real approval API, the progress API and the self-evaluation's pre-fill."""

from datetime import date
from decimal import Decimal

import pytest

from app.activities.models import ActivityStatus
from app.extensions import db as _db
from app.reports.services import progress_for
from app.targets.models import Aspect, Indicator, SkpStatus
from tests.evaluations.support import quarters
from tests.reports.conftest import log, make_skp

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def row_of(person, indicator, start=YEAR[0], end=YEAR[1]):
    return {row["indicator_id"]: row for row in progress_for(person, start, end)}[indicator.id]


def add_indicator(db, rhk_id, aspect, *, target=None, unit="%", due_date=None):
    indicator = Indicator(rhk_id=rhk_id, aspect=aspect, description=f"{aspect} keluaran",
                          target_min=None if target is None else Decimal(target), unit=unit,
                          due_date=due_date, position=9)
    db.session.add(indicator)
    db.session.commit()
    return indicator


def approve(api, supervisor, activity, quality=None):
    api.login(supervisor)
    body = {} if quality is None else {"quality": quality}
    return api.post(f"/api/v1/activities/{activity.id}/approve", json=body)


# --- Kualitas ------------------------------------------------------------------------------

def test_kualitas_without_marks_is_not_judged_yet(db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 2, 3), target=targets.dokumen, quantity=2)

    row = row_of(person, targets.kualitas)

    assert row["measure"] == "quality"
    assert row["quality"] == {"marked": 0, "average_mark": None}
    assert row["approved"]["value"] is None and row["approved"]["percent"] is None
    assert row["approved"]["status"] is None and row["approved"]["count"] == 1


def test_kualitas_averages_the_marks_given_at_approval(api, db, world, targets):
    person, supervisor = world.one.staff_a1, world.one.sup_a
    quality = add_indicator(db, targets.dokumen.rhk_id, Aspect.KUALITAS, target=90)
    marked = [log(db, person, date(2026, 2, day), target=targets.dokumen, quantity=1,
                  status=ActivityStatus.SUBMITTED) for day in (3, 4, 5)]
    # The marks come from the review: activities serving any indicator of the RHK count.
    assert approve(api, supervisor, marked[0], 4).status_code == 200
    assert approve(api, supervisor, marked[1], 2).status_code == 200
    assert approve(api, supervisor, marked[2]).status_code == 200  # approved, no mark
    assert approve(api, supervisor, marked[2], 4).get_json()["quality"] is None  # no-op

    row = row_of(person, quality)

    assert row["quality"] == {"marked": 2, "average_mark": Decimal("3.00")}
    assert row["target_min"] == Decimal(90)
    assert row["approved"]["value"] == Decimal("75.0")  # (4 + 2) / 2 x 25
    assert row["approved"]["percent"] == Decimal("83.3")  # 75 of 90
    assert row["approved"]["status"] == "below"
    assert row["approved"]["count"] == 3


@pytest.mark.parametrize("quality", [0, 5, "4", 2.5, True])
def test_a_quality_mark_outside_1_to_4_is_refused(api, db, world, targets, quality):
    activity = log(db, world.one.staff_a1, date(2026, 2, 3), target=targets.dokumen,
                   quantity=1, status=ActivityStatus.SUBMITTED)

    response = approve(api, world.one.sup_a, activity, quality)

    assert response.status_code == 422
    assert "quality" in response.get_json()["error"]["fields"]
    _db.session.refresh(activity)
    assert activity.status is ActivityStatus.SUBMITTED


def test_the_team_page_gives_the_mark_with_the_approval(client, db, world, targets):
    from tests.test_pages import csrf_from, sign_in

    activity = log(db, world.one.staff_a1, date(2026, 2, 3), target=targets.dokumen,
                   quantity=1, status=ActivityStatus.SUBMITTED)
    sign_in(client, world.one.sup_a)
    page = client.get("/tim?status=submitted").get_data(as_text=True)
    assert f'id="quality-{activity.id}"' in page

    client.post(f"/tim/aktivitas/{activity.id}/setujui", data={"quality": "3",
                                                              "csrf_token": csrf_from(page)})

    _db.session.refresh(activity)
    assert activity.status is ActivityStatus.APPROVED and activity.quality == 3


# --- Waktu ---------------------------------------------------------------------------------

def test_waktu_is_the_share_of_outputs_finished_by_their_due_date(db, world, targets):
    person = world.one.staff_a1
    waktu = add_indicator(db, targets.dokumen.rhk_id, Aspect.WAKTU, target=12,
                          unit="bulan", due_date=date(2026, 3, 31))
    for day in (date(2026, 3, 2), date(2026, 3, 31), date(2026, 4, 1)):
        log(db, person, day, target=targets.dokumen, quantity=1)
    log(db, person, date(2026, 3, 3), target=targets.laporan, quantity=1,
        status=ActivityStatus.SUBMITTED)  # not approved: not judged

    row = row_of(person, waktu)

    assert row["measure"] == "timeliness"
    assert row["timeliness"] == {"outputs": 3, "on_time": 2, "late": 1,
                                 "due_date": date(2026, 3, 31)}
    # "12 bulan" is not a percentage: everything on time (100 %) is the target.
    assert row["target_min"] == Decimal(100)
    assert row["approved"]["value"] == Decimal("66.7")
    assert row["approved"]["status"] == "below"


def test_waktu_without_a_due_date_is_not_judged(db, world, targets):
    person = world.one.staff_a1
    waktu = add_indicator(db, targets.dokumen.rhk_id, Aspect.WAKTU, target=100)
    log(db, person, date(2026, 3, 2), target=targets.dokumen, quantity=1)

    row = row_of(person, waktu)

    assert row["timeliness"]["outputs"] == 0 and row["approved"]["value"] is None


# --- Kuantitas with a range ----------------------------------------------------------------

@pytest.mark.parametrize(("quantity", "status", "percent"), [
    (5, "below", "25.0"), (10, "meets", "50.0"), (20, "meets", "100.0"),
    (25, "above", "125.0")])
def test_a_range_is_met_from_its_lower_end_and_exceeded_above_its_upper(
        db, world, targets, quantity, status, percent):
    log(db, world.one.staff_a1, date(2026, 3, 2), target=targets.laporan, quantity=quantity)

    approved = row_of(world.one.staff_a1, targets.laporan)["approved"]

    assert approved["status"] == status
    assert approved["percent"] == Decimal(percent)
    assert approved["above_target"] is (status == "above")


# --- targets per period --------------------------------------------------------------------

def split(api, person, indicator, version, kind, targets, due=None):
    api.login(person)
    parts = [{"number": number, "target": str(value)} | ({"due_date": due[number - 1]}
                                                          if due else {})
             for number, value in enumerate(targets, start=1)]
    return api.put(f"/api/v1/indicators/{indicator.id}/period-targets",
                   json={"version": version, "kind": kind, "parts": parts})


def test_a_quarterly_split_is_the_target_of_each_quarter(api, db, world, targets):
    person = world.one.staff_a1
    response = split(api, person, targets.dokumen, targets.skp.version, "quarter",
                     [2, 4, 4, 2])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [part["target"] for part in body["period_targets"]] == [
        "2.00", "4.00", "4.00", "2.00"]
    assert body["period_targets"][1]["starts_on"] == "2026-04-01"
    assert body["period_targets"][1]["ends_on"] == "2026-06-30"
    log(db, person, date(2026, 3, 31), target=targets.dokumen, quantity=5)
    log(db, person, date(2026, 5, 4), target=targets.dokumen, quantity=3)

    second = row_of(person, targets.dokumen, date(2026, 4, 1), date(2026, 6, 30))
    assert second["split"] == "quarter" and second["target_quantity"] == Decimal("4.00")
    assert second["approved"]["percent"] == Decimal("75.0")
    first = row_of(person, targets.dokumen, date(2026, 1, 1), date(2026, 3, 31))
    assert first["approved"]["status"] == "above"
    # A month of a quarter is its share of the quarter; the year is the whole target.
    may = row_of(person, targets.dokumen, date(2026, 5, 1), date(2026, 5, 31))
    assert may["target_quantity"] == Decimal("1.36")  # 4 x 31 / 91 days
    assert row_of(person, targets.dokumen)["target_quantity"] == Decimal("12.00")


def test_a_split_must_cover_every_part_and_add_up(api, db, world, targets):
    person, version = world.one.staff_a1, targets.skp.version
    short = split(api, person, targets.dokumen, version, "quarter", [3, 3, 3])
    wrong = split(api, person, targets.dokumen, version, "quarter", [3, 3, 3, 4])
    bad_kind = split(api, person, targets.dokumen, version, "semester", [6, 6])

    for response in (short, wrong, bad_kind):
        assert response.status_code == 422
    assert "parts" in short.get_json()["error"]["fields"]
    assert "12" in wrong.get_json()["error"]["fields"]["parts"]
    assert not targets.dokumen.period_targets


def test_a_split_is_the_owners_while_the_skp_is_editable(api, db, world, targets):
    version = targets.skp.version
    assert split(api, world.one.sup_a, targets.dokumen, version, "quarter",
                 [3, 3, 3, 3]).status_code == 403
    other = make_skp(db, world.two.staff_a1)
    assert split(api, world.one.staff_a1, other.dokumen, other.skp.version, "quarter",
                 [3, 3, 3, 3]).status_code == 404
    assert split(api, world.one.staff_a1, targets.dokumen, version + 5, "quarter",
                 [3, 3, 3, 3]).status_code == 409
    ok = split(api, world.one.staff_a1, targets.dokumen, version, "quarter", [3, 3, 3, 3])
    assert ok.status_code == 200
    cleared = split(api, world.one.staff_a1, targets.dokumen, version + 1, None, [])
    assert cleared.status_code == 200 and cleared.get_json()["period_targets"] == []
    targets.skp.status = SkpStatus.APPROVED
    db.session.commit()
    assert split(api, world.one.staff_a1, targets.dokumen, version + 2, "quarter",
                 [3, 3, 3, 3]).status_code == 409


def test_a_waktu_split_has_a_due_date_per_quarter(api, db, world, targets):
    person = world.one.staff_a1
    waktu = add_indicator(db, targets.dokumen.rhk_id, Aspect.WAKTU, target=100)
    due = ["2026-03-20", "2026-06-20", "2026-09-20", "2026-12-20"]
    assert split(api, person, waktu, targets.skp.version, "quarter", [100] * 4,
                 due).status_code == 200
    log(db, person, date(2026, 3, 25), target=targets.dokumen, quantity=1)  # late
    log(db, person, date(2026, 6, 5), target=targets.dokumen, quantity=1)  # on time

    assert row_of(person, waktu)["timeliness"]["on_time"] == 1
    second = row_of(person, waktu, date(2026, 4, 1), date(2026, 6, 30))
    assert second["approved"]["status"] == "meets"


def test_progress_for_an_evaluation_period_and_the_quarterly_prefill(api, db, world,
                                                                       targets):
    person = world.one.staff_a1
    assert split(api, person, targets.dokumen, targets.skp.version, "quarter",
                 [2, 4, 4, 2]).status_code == 200
    log(db, person, date(2026, 5, 4), target=targets.dokumen, quantity=3)
    periods = quarters(world.one)
    second = periods["Triwulan II 2026"]
    other = quarters(world.two)["Triwulan II 2026"]

    api.login(person)
    body = api.get(f"/api/v1/progress?period_id={second.id}").get_json()
    assert (body["from"], body["to"], body["period_id"]) == ("2026-04-01", "2026-06-30",
                                                             second.id)
    dokumen = {row["indicator_id"]: row for row in body["indicators"]}[targets.dokumen.id]
    assert dokumen["target_quantity"] == 4 and dokumen["approved"]["percent"] == 75
    assert api.get(f"/api/v1/progress?period_id={other.id}").status_code == 404
    both = api.get(f"/api/v1/progress?period_id={second.id}&from=2026-04-01")
    assert both.status_code == 422

    targets.skp.status = SkpStatus.APPROVED
    db.session.commit()
    opened = api.post(f"/api/v1/periods/{second.id}/evaluation")
    assert opened.status_code == 201, opened.get_json()
    prefill = {row["indicator_id"]: row for row in opened.get_json()["indicators"]}
    assert Decimal(prefill[targets.dokumen.id]["approved_percent"]) == Decimal("75.0")
