"""Progress and recaps add up what was logged: by status, inside the period, per person."""

from datetime import date
from decimal import Decimal

from app.activities.models import ActivityStatus, WorkKind
from app.reports.services import (
    month_bounds,
    monthly_recap,
    percent_of,
    progress_for,
    team_monthly_recap,
)
from app.targets.models import Aspect, Indicator
from tests.factories import add_person
from tests.reports.conftest import log, make_skp

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def by_indicator(rows):
    return {row["indicator_id"]: row for row in rows}


def test_progress_separates_approved_from_submitted(db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 2, 3), target=targets.dokumen, quantity=3)
    log(db, person, date(2026, 2, 4), target=targets.dokumen, quantity="4.5")
    log(db, person, date(2026, 2, 5), target=targets.dokumen, quantity=2,
        status=ActivityStatus.SUBMITTED)
    log(db, person, date(2026, 2, 6), target=targets.dokumen, quantity=50,
        status=ActivityStatus.DRAFT)
    log(db, person, date(2026, 2, 7), target=targets.dokumen, quantity=50,
        status=ActivityStatus.RETURNED)

    row = by_indicator(progress_for(person, *YEAR))[targets.dokumen.id]

    assert row["target_quantity"] == Decimal("12.00")
    assert row["unit"] == "dokumen"
    assert row["approved"] == {"quantity": Decimal("7.50"), "count": 2,
                               "value": Decimal("7.50"), "percent": Decimal("62.5"),
                               "status": "below", "above_target": False}
    assert row["submitted"] == {"quantity": Decimal("2.00"), "count": 1,
                                "value": Decimal("2.00"), "percent": Decimal("16.7"),
                                "status": "below", "above_target": False}


def test_progress_is_not_capped_and_flags_above_target(db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 3, 2), target=targets.dokumen, quantity=15)

    approved = by_indicator(progress_for(person, *YEAR))[targets.dokumen.id]["approved"]

    assert approved["percent"] == Decimal("125.0")
    assert approved["above_target"] is True


def test_progress_of_a_range_is_measured_against_its_upper_bound(db, world, targets):
    log(db, world.one.staff_a1, date(2026, 3, 2), target=targets.laporan, quantity=5)

    row = by_indicator(progress_for(world.one.staff_a1, *YEAR))[targets.laporan.id]

    assert row["target_quantity"] == Decimal("20.00")
    assert row["approved"]["percent"] == Decimal("25.0")


def test_progress_lists_every_indicator_utama_first(db, world, targets):
    rows = progress_for(world.one.staff_a1, *YEAR)

    assert [row["indicator_id"] for row in rows] == [
        targets.dokumen.id, targets.laporan.id, targets.kualitas.id, targets.tambahan.id]
    kualitas = rows[2]
    # A Kualitas indicator is a percentage: without a numeric one, full quality (100 %).
    assert kualitas["target_quantity"] == Decimal(100)
    assert kualitas["approved"] == {"quantity": Decimal("0.00"), "count": 0, "value": None,
                                    "percent": None, "status": None, "above_target": False}
    assert rows[0]["submitted"]["percent"] == Decimal("0.0")


def test_progress_counts_only_the_period_both_ends_included(db, world, targets):
    person = world.one.staff_a1
    for day, quantity in [(date(2026, 3, 31), 100), (date(2026, 4, 1), 1),
                          (date(2026, 4, 30), 2), (date(2026, 5, 1), 100)]:
        log(db, person, day, target=targets.dokumen, quantity=quantity)

    row = by_indicator(progress_for(person, date(2026, 4, 1), date(2026, 4, 30)))

    assert row[targets.dokumen.id]["approved"]["quantity"] == Decimal("3.00")


def test_progress_covers_only_the_persons_own_skp_of_the_years_in_the_period(db, world,
                                                                            targets):
    other = make_skp(db, world.one.staff_a2)
    log(db, world.one.staff_a2, date(2026, 2, 3), target=other.dokumen, quantity=9)
    old = make_skp(db, world.one.staff_a1, year=2025)

    ids = set(by_indicator(progress_for(world.one.staff_a1, *YEAR)))

    assert targets.dokumen.id in ids
    assert other.dokumen.id not in ids and old.dokumen.id not in ids
    spanning = progress_for(world.one.staff_a1, date(2025, 7, 1), date(2026, 6, 30))
    assert {old.dokumen.id, targets.dokumen.id} <= set(by_indicator(spanning))


def test_progress_is_three_queries_whatever_the_number_of_indicators(db, world, targets,
                                                                     statements):
    """The indicators, their period targets, the activities summed per indicator (a Waktu
    indicator adds one for due dates): never one query per indicator or activity."""
    for indicator in (targets.dokumen, targets.laporan, targets.tambahan):
        log(db, world.one.staff_a1, date(2026, 2, 3), target=indicator, quantity=1)
    assert world.one.staff_a1.id  # loaded before counting

    with statements() as seen:
        rows = progress_for(world.one.staff_a1, *YEAR)
    assert len(rows) == 4 and len(seen) == 3
    assert any("GROUP BY" in statement and "CASE" in statement for statement in seen)

    for number in range(6):
        extra = Indicator(rhk_id=targets.dokumen.rhk_id, aspect=Aspect.KUANTITAS,
                          description=f"Tambahan {number}", target_min=Decimal(2), unit="x")
        db.session.add(extra)
        db.session.flush()
        log(db, world.one.staff_a1, date(2026, 2, 4), target=extra, quantity=1)
    assert world.one.staff_a1.id
    with statements() as seen:
        rows = progress_for(world.one.staff_a1, *YEAR)
    assert len(rows) == 10 and len(seen) == 3


def test_person_without_skp_has_no_progress(db, world):
    assert progress_for(world.one.staff_a2, *YEAR) == []


def test_percent_rounds_half_up_to_one_decimal():
    assert percent_of(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert percent_of(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert percent_of(Decimal("1"), Decimal("0")) is None
    assert percent_of(Decimal("1"), None) is None


def test_month_bounds_roll_over_the_year():
    assert month_bounds(date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert month_bounds(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 3, 1))


def test_monthly_recap_adds_up_one_persons_month(db, world, targets):
    person = world.one.staff_a1
    log(db, person, date(2026, 2, 2), target=targets.dokumen, quantity=2, minutes=90)
    log(db, person, date(2026, 2, 2), target=targets.dokumen, quantity=1, minutes=30,
        status=ActivityStatus.SUBMITTED)
    log(db, person, date(2026, 2, 27), target=targets.tambahan, quantity=1, minutes=45,
        status=ActivityStatus.DRAFT, work_kind=WorkKind.TAMBAHAN)
    log(db, person, date(2026, 2, 28), minutes=20, status=ActivityStatus.RETURNED)
    # Outside February: the day before and the day after.
    log(db, person, date(2026, 1, 31), target=targets.dokumen, quantity=100, minutes=600)
    log(db, person, date(2026, 3, 1), target=targets.dokumen, quantity=100, minutes=600)

    recap = monthly_recap(person, date(2026, 2, 1))

    assert recap["month"] == "2026-02"
    assert recap["person"]["id"] == person.id
    assert recap["days_logged"] == 3
    assert recap["activity_count"] == 4
    assert recap["minutes"] == 185
    assert recap["hours"] == Decimal("3.08")
    assert recap["by_status"] == {"draft": 1, "submitted": 1, "approved": 1, "returned": 1}
    assert recap["by_work_kind"] == {"skp": 2, "tambahan": 1, "lainnya": 1}
    outputs = {o["indicator_id"]: o for o in recap["outputs"]}
    # The RHK's Kualitas indicator comes with the Dokumen it is judged on.
    assert list(outputs) == [targets.dokumen.id, targets.kualitas.id, targets.tambahan.id]
    assert outputs[targets.kualitas.id]["quantity"] is None
    assert outputs[targets.dokumen.id]["quantity"] == Decimal("3.00")
    assert outputs[targets.dokumen.id]["approved_quantity"] == Decimal("2.00")
    assert outputs[targets.dokumen.id]["count"] == 2
    assert outputs[targets.dokumen.id]["unit"] == "dokumen"
    assert outputs[targets.dokumen.id]["rhk_kind"] == "utama"
    assert outputs[targets.tambahan.id]["quantity"] == Decimal("1.00")


def test_monthly_recap_of_an_empty_month_is_zero(db, world):
    recap = monthly_recap(world.one.staff_a2, date(2026, 2, 1))

    assert recap["days_logged"] == 0 and recap["minutes"] == 0
    assert recap["hours"] == Decimal("0.00")
    assert recap["by_status"] == {"draft": 0, "submitted": 0, "approved": 0, "returned": 0}
    assert recap["outputs"] == []


def test_team_recap_covers_exactly_the_line_below(db, world, targets):
    one = world.one
    log(db, one.staff_a1, date(2026, 2, 2), target=targets.dokumen, quantity=2, minutes=60)
    log(db, one.staff_a2, date(2026, 2, 3), minutes=120)
    log(db, one.staff_b1, date(2026, 2, 3), minutes=120)
    log(db, one.sup_a, date(2026, 2, 3), minutes=120)
    log(db, world.two.staff_a1, date(2026, 2, 3), minutes=120)

    team = team_monthly_recap(one.sup_a, date(2026, 2, 1))

    assert [item["person"]["id"] for item in team] == [one.staff_a1.id, one.staff_a2.id]
    assert [item["minutes"] for item in team] == [60, 120]
    assert team[0]["outputs"][0]["quantity"] == Decimal("2.00")
    assert team[1]["outputs"] == []
    everyone = {item["person"]["id"] for item in team_monthly_recap(one.head,
                                                                    date(2026, 2, 1))}
    assert everyone == {one.sup_a.id, one.sup_b.id, one.staff_a1.id, one.staff_a2.id,
                        one.staff_b1.id, one.admin.id}
    assert team_monthly_recap(one.staff_a1, date(2026, 2, 1)) == []


def test_team_recap_is_five_queries_whatever_the_team_size(db, world, targets, statements):
    one = world.one
    for n in range(12):
        member = add_person(one.org, one.staff_a1.unit, f"Anggota {n}", one.sup_a)
        log(db, member, date(2026, 2, 1 + n), target=make_skp(db, member).dokumen,
            quantity=1)
    assert one.sup_a.org_id  # loaded before counting

    with statements() as seen:
        team = team_monthly_recap(one.sup_a, date(2026, 2, 1))

    assert len(team) == 14
    assert sum(item["outputs"][0]["count"] for item in team if item["outputs"]) == 12
    # The line's ids, the summaries, what was logged per indicator, the realisation (the
    # indicators, their period targets, the activities summed per indicator; no Waktu
    # indicator here), the organisation's own holidays (for the working days) and the
    # absences that excuse some of them.
    assert len(seen) == 8
