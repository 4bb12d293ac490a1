"""The dashboards' numbers equal what was logged (a fixed 'now': Wednesday 11 March 2026)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.activities.models import ActivityStatus
from app.dashboards import services
from app.errors import Forbidden, NotFound
from tests.dashboards.support import indicator, log, survey

#: 10.00 WIB on Wednesday 11 March 2026: 8 working days so far (2-6, 9-11 March).
NOW = datetime(2026, 3, 11, 3, 0)
SUBMITTED = ActivityStatus.SUBMITTED
APPROVED = ActivityStatus.APPROVED


@pytest.fixture
def logged(world, db):
    one = world.one
    a1, a2 = one.staff_a1, one.staff_a2
    dokumen = indicator(a1, 2026, 12)
    laporan = indicator(a1, 2026, None, description="Kualitas laporan")
    last_year = indicator(a1, 2025, 10)
    # staff_a1: 2, 3, 4 (twice) and 11 March (today): 4 working days; one late.
    log(a1, date(2026, 3, 2), status=APPROVED, target=dokumen, quantity=3)
    log(a1, date(2026, 3, 3), late=True)
    log(a1, date(2026, 3, 4))
    log(a1, date(2026, 3, 4), status=APPROVED, target=laporan, quantity=1)
    log(a1, date(2026, 3, 11))
    log(a1, date(2026, 1, 15), status=APPROVED, target=dokumen, quantity=6)
    log(a1, date(2026, 1, 16), status=SUBMITTED, target=dokumen, quantity=5,
        submitted_at=datetime(2026, 1, 16, 9))  # waiting: not realised yet
    log(a1, date(2025, 12, 30), status=APPROVED, target=last_year, quantity=4)
    # staff_a2: Saturday 7 March (not a working day) and 9 March; two waiting for review.
    log(a2, date(2026, 3, 7), status=SUBMITTED, submitted_at=datetime(2026, 3, 8, 1))
    log(a2, date(2026, 3, 9), status=SUBMITTED, late=True,
        submitted_at=datetime(2026, 3, 11, 1))
    # Others: sup_b's line, and the other organisation (never counted here).
    log(one.staff_b1, date(2026, 3, 10), late=True)
    log(world.two.staff_a1, date(2026, 3, 11), status=SUBMITTED,
        submitted_at=datetime(2026, 1, 1, 1))
    db.session.commit()
    return {"dokumen": dokumen, "laporan": laporan}


def by_name(rows):
    return {row["person"]["name"]: row for row in rows}


def test_team_today_month_compliance_and_late(world, logged):
    view = services.team_dashboard(world.one.sup_a, now=NOW)
    assert view["today"] == date(2026, 3, 11) and view["working_days"] == 8
    people = by_name(view["people"])
    assert set(people) == {world.one.staff_a1.name, world.one.staff_a2.name}
    a1, a2 = people[world.one.staff_a1.name], people[world.one.staff_a2.name]
    assert (a1["logged_today"], a1["days_logged"], a1["working_days"]) == (True, 4, 8)
    assert a1["compliance_percent"] == Decimal("50.0")
    assert (a1["activities"], a1["late"]) == (5, 1)
    assert (a2["logged_today"], a2["days_logged"], a2["compliance_percent"]) == (
        False, 1, Decimal("12.5"))
    assert (a2["activities"], a2["late"], a2["waiting"]) == (2, 1, 2)
    assert [p["id"] for p in view["not_logged_today"]] == [world.one.staff_a2.id]
    assert [p["id"] for p in view["logged_today"]] == [world.one.staff_a1.id]


def test_team_realisation_counts_approved_output_of_the_year(world, logged):
    view = services.team_dashboard(world.one.sup_a, now=NOW)
    items = {i["indicator_id"]: i for i in by_name(view["people"])[world.one.staff_a1.name]
             ["indicators"]}
    assert set(items) == {logged["dokumen"].id, logged["laporan"].id}  # 2026's SKP only
    dokumen = items[logged["dokumen"].id]
    # Approved 3 + 6 of 12 (the submitted 5 waits): 75 %.
    assert dokumen["approved_quantity"] == Decimal("9.00")
    assert dokumen["percent"] == Decimal("75.0")
    assert items[logged["laporan"].id]["percent"] is None  # no numeric target
    assert items[logged["laporan"].id]["approved_count"] == 1


def test_team_reviews_waiting_and_the_oldest(world, logged):
    reviews = services.team_dashboard(world.one.sup_a, now=NOW)["reviews"]
    assert reviews["waiting"] == 3
    assert reviews["oldest"]["date"] == date(2026, 1, 16)
    assert reviews["oldest"]["person"]["id"] == world.one.staff_a1.id


def test_a_past_month_counts_all_its_working_days(world, logged):
    view = services.team_dashboard(world.one.sup_a, month=date(2026, 3, 1),
                                   now=datetime(2026, 4, 10, 3))
    # March 2026: 17 working days (Nyepi, Idul Fitri and cuti bersama 18-24 March off).
    a1 = by_name(view["people"])[world.one.staff_a1.name]
    assert (a1["days_logged"], a1["working_days"]) == (4, 17)
    assert a1["logged_today"] is False


def test_head_sees_the_whole_line_and_never_another_organisation(world, logged):
    view = services.team_dashboard(world.one.head, now=NOW)
    ids = {row["person"]["id"] for row in view["people"]}
    one = world.one
    assert ids == {one.sup_a.id, one.staff_a1.id, one.staff_a2.id, one.sup_b.id,
                   one.staff_b1.id, one.admin.id}
    assert view["reviews"]["waiting"] == 3  # not the other organisation's January one


def test_team_pages_split_the_people_but_not_the_teams_figures(world, logged):
    """Per-person figures for one page, by name; today's logging and reviews for everyone."""
    whole = services.team_dashboard(world.one.head, now=NOW)
    names = [row["person"]["name"] for row in whole["people"]]
    assert names == sorted(names) and whole["pagination"] == {
        "page": 1, "per_page": services.TEAM_PAGE_SIZE, "total": 6, "pages": 1}
    pages = [services.team_dashboard(world.one.head, now=NOW, page=n, per_page=4)
             for n in (1, 2, 3)]
    assert [[row["person"]["name"] for row in page["people"]] for page in pages] == [
        names[:4], names[4:], []]
    assert [page["pagination"]["pages"] for page in pages] == [2, 2, 2]
    by_id = {row["person"]["id"]: row for row in whole["people"]}
    for page in pages:
        assert page["logged_today"] == whole["logged_today"]
        assert page["not_logged_today"] == whole["not_logged_today"]
        assert page["reviews"] == whole["reviews"]
        for row in page["people"]:
            assert row == by_id[row["person"]["id"]]  # the same figures on any page


def test_plain_employee_has_no_team_dashboard(world, logged):
    with pytest.raises(Forbidden):
        services.team_dashboard(world.one.staff_a1, now=NOW)


def test_organisation_per_unit_with_roll_up(world, logged, db):
    one = world.one
    survey(one.staff_a1, [4] * 9, datetime(2026, 2, 1, 3))
    survey(one.staff_a1, [3] * 9, datetime(2026, 3, 10, 3))
    survey(world.two.staff_a1, [1] * 9, datetime(2026, 3, 10, 3))
    db.session.commit()
    view = services.organisation_dashboard(one.admin, now=NOW)
    units = {u["code"]: u for u in view["units"]}
    assert [u["code"] for u in view["units"]] == ["ROOT", "A", "A1", "B"]
    assert [u["depth"] for u in view["units"]] == [0, 1, 2, 1]
    a1 = units["A1"]
    assert (a1["people"], a1["days_logged"], a1["possible_days"]) == (2, 5, 16)
    assert a1["compliance_percent"] == Decimal("31.3")  # 5 / 16 = 31.25
    assert (a1["activities"], a1["late"]) == (7, 2)
    # A alone (sup_a, nothing logged) and with A1 below it.
    assert (units["A"]["people"], units["A"]["days_logged"]) == (1, 0)
    assert units["A"]["with_subunits"]["possible_days"] == 24
    assert units["A"]["with_subunits"]["compliance_percent"] == Decimal("20.8")
    assert units["B"]["late"] == 1
    root = units["ROOT"]["with_subunits"]
    assert (root["people"], root["days_logged"], root["late"]) == (7, 6, 3)
    assert view["totals"]["people"] == 7 and view["totals"]["late"] == 3
    # The survey: January to March, this organisation's answers only: (4 + 3) / 2 = 3.5.
    assert units["A1"]["survey"]["responses"] == 2
    assert (units["A1"]["survey"]["value"], units["A1"]["survey"]["grade"]) == (
        Decimal("87.50"), "B")
    assert units["B"]["survey"] is None
    assert view["predikat_available"] is False and a1["predikat"] is None


def test_organisation_subtree_and_scoping(world, logged):
    one = world.one
    unit_a = next(u for u in services.organisation_dashboard(one.head, now=NOW)["units"]
                  if u["code"] == "A")
    view = services.organisation_dashboard(one.head, unit_id=unit_a["id"], now=NOW)
    assert [u["code"] for u in view["units"]] == ["A", "A1"]
    assert view["totals"]["people"] == 3
    with pytest.raises(NotFound):
        services.organisation_dashboard(one.admin, unit_id=world.two.staff_a1.unit_id,
                                        now=NOW)
    for person in (one.sup_a, one.staff_a1):
        with pytest.raises(Forbidden):
            services.organisation_dashboard(person, now=NOW)


def test_working_days_skip_holidays():
    days = services.working_days_so_far(date(2026, 3, 1), date(2026, 3, 25))
    assert len(days) == 13 and date(2026, 3, 19) not in days and date(2026, 3, 25) in days
    assert services.working_days_so_far(date(2026, 5, 1), date(2026, 3, 25)) == []


def test_team_realisation_follows_each_indicators_aspect(world, db):
    """Kualitas is the quality marks' average, Waktu the share of outputs on time: the same
    computation as the progress API, not a sum of quantities whatever the aspect."""
    from app.reports.realisation import realisation
    from app.targets.models import Aspect, Indicator

    a1, a2 = world.one.staff_a1, world.one.staff_a2
    dokumen = indicator(a1, 2026, 12)
    kualitas = Indicator(rhk_id=dokumen.rhk_id, aspect=Aspect.KUALITAS, unit="%",
                         description="Kualitas dokumen", target_min=Decimal(80))
    waktu = Indicator(rhk_id=dokumen.rhk_id, aspect=Aspect.WAKTU, unit="%",
                      description="Ketepatan waktu", target_min=Decimal(100),
                      due_date=date(2026, 2, 28))
    unmarked = Indicator(rhk_id=indicator(a2, 2026, 5).rhk_id, aspect=Aspect.KUALITAS,
                         unit="%", description="Kualitas a2", target_min=Decimal(90))
    db.session.add_all([kualitas, waktu, unmarked])
    on_time = log(a1, date(2026, 2, 10), status=APPROVED, target=dokumen, quantity=3)
    late = log(a1, date(2026, 3, 2), status=APPROVED, target=dokumen, quantity=1)
    on_time.quality, late.quality = 4, 2
    log(a2, date(2026, 3, 3), status=APPROVED, target=None)
    db.session.commit()

    view = services.team_dashboard(world.one.sup_a, now=NOW)
    people = by_name(view["people"])
    items = {i["indicator_id"]: i for i in people[a1.name]["indicators"]}
    assert items[dokumen.id]["measure"] == "quantity"
    assert (items[dokumen.id]["approved_quantity"], items[dokumen.id]["percent"]) == (
        Decimal("4.00"), Decimal("33.3"))
    assert items[kualitas.id]["measure"] == "quality"
    assert items[kualitas.id]["value_unit"] == "%"
    assert items[kualitas.id]["approved_value"] == Decimal("75.0")  # (4 + 2) / 2 x 25
    assert items[kualitas.id]["percent"] == Decimal("93.8")  # 75 of 80
    assert items[kualitas.id]["status"] == "below"
    assert items[waktu.id]["approved_value"] == Decimal("50.0")  # one of two on time
    assert items[waktu.id]["status"] == "below"
    [not_marked] = [i for i in people[a2.name]["indicators"] if i["indicator_id"] == unmarked.id]
    assert not_marked["approved_value"] is None and not_marked["percent"] is None
    # One computation: the progress rows of the same period say the same.
    same = {row["indicator_id"]: row for row in realisation(
        [a1.id], date(2026, 1, 1), date(2026, 3, 31))[a1.id]}
    for indicator_id, item in items.items():
        assert item["approved_value"] == same[indicator_id]["approved"]["value"]
        assert item["percent"] == same[indicator_id]["approved"]["percent"]
