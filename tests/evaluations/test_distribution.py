"""The distribution of predikat in a team or unit against the unit's predicate (SE 3/2023)."""

import pytest

from app.evaluations import services
from app.extensions import db
from app.targets.models import SkpStatus
from tests.evaluations.support import STAFF_RHKS, fill_realisations, line_skps, quarters
from tests.factories import add_person
from tests.targets.factories import make_skp


def assess(person, period, appraiser, hasil, perilaku):
    evaluation, _ = services.open_evaluation(person, period.id)
    evaluation = fill_realisations(person, evaluation)
    services.submit_evaluation(person, evaluation.id, evaluation.version)
    services.assess_evaluation(appraiser, evaluation.id, version=evaluation.version,
                               hasil_kerja=hasil, perilaku_kerja=perilaku)
    db.session.commit()
    return evaluation


@pytest.fixture
def team_a(world):
    """sup_a's team of five (staff_a1, staff_a2 and three more) with approved SKPs."""
    org = world.one
    periods = quarters(org)
    skps = line_skps(org, staff=("staff_a1", "staff_a2"))
    people = [org.staff_a1, org.staff_a2]
    for n in range(3):
        person = add_person(org.org, org.staff_a1.unit, f"Staf Tambahan {n}", org.sup_a)
        make_skp(person, 2026, rhks=STAFF_RHKS, parent=skps["sup_a"].rhks[0],
                 status=SkpStatus.APPROVED)
        people.append(person)
    db.session.commit()
    return periods["Triwulan IV 2026"], people


def test_istimewa_allows_at_most_70_percent_sangat_baik(as_, world, team_a):
    period, people = team_a
    for person in people:
        assess(person, period, world.one.sup_a, "di_atas", "di_atas")
    head = as_(world.one.head)
    head.put(f"/api/v1/periods/{period.id}/unit-predicates/{world.one.sup_a.unit_id}",
             json={"predikat": "istimewa"})

    body = as_(world.one.sup_a).get(f"/api/v1/periods/{period.id}/distribution").get_json()

    assert body["scope"] == "team" and body["total"] == 5
    assert body["pattern"] == "istimewa"
    assert body["pattern_unit_id"] == world.one.sup_a.unit_id
    counts = {c["predikat"]: c for c in body["counts"]}
    assert counts["sangat_baik"]["count"] == 5 and counts["sangat_baik"]["share"] == "1.0000"
    assert [w["code"] for w in body["warnings"]] == ["max_sangat_baik"]
    warning = body["warnings"][0]
    assert (warning["limit"], warning["actual"]) == ("0.70", "1.0000")
    assert "100" in warning["message"] and "70" in warning["message"]


def test_baik_needs_some_butuh_perbaikan_or_kurang(as_, world, team_a):
    period, people = team_a
    for person in people[:4]:
        assess(person, period, world.one.sup_a, "sesuai", "sesuai")
    assess(people[4], period, world.one.sup_a, "di_atas", "di_atas")
    # No predicate for the unit: the organisation's (the root unit's) applies.
    as_(world.one.admin).put(
        f"/api/v1/periods/{period.id}/unit-predicates/{world.one.head.unit_id}",
        json={"predikat": "baik"})

    body = as_(world.one.sup_a).get(f"/api/v1/periods/{period.id}/distribution").get_json()

    assert body["pattern"] == "baik" and body["pattern_unit_id"] == world.one.head.unit_id
    codes = [w["code"] for w in body["warnings"]]
    assert codes == ["max_baik", "min_butuh_perbaikan_or_kurang"]
    counts = {c["predikat"]: c["count"] for c in body["counts"]}
    assert counts == {"sangat_baik": 1, "baik": 4, "butuh_perbaikan": 0,
                      "kurang_misconduct": 0, "sangat_kurang": 0}


def test_a_fitting_distribution_has_no_warnings(as_, world, team_a):
    period, people = team_a
    ratings = [("sesuai", "sesuai"), ("sesuai", "sesuai"), ("sesuai", "sesuai"),
               ("di_bawah", "sesuai"), ("di_atas", "di_atas")]
    for person, (hasil, perilaku) in zip(people, ratings, strict=True):
        assess(person, period, world.one.sup_a, hasil, perilaku)
    as_(world.one.head).put(
        f"/api/v1/periods/{period.id}/unit-predicates/{world.one.sup_a.unit_id}",
        json={"predikat": "baik"})
    body = as_(world.one.sup_a).get(f"/api/v1/periods/{period.id}/distribution").get_json()
    assert body["total"] == 5 and body["warnings"] == []


def test_unit_distribution_for_admin_and_pimpinan_only(as_, world, team_a):
    period, people = team_a
    for person in people[:2]:
        assess(person, period, world.one.sup_a, "di_atas", "di_atas")
    unit_a = world.one.sup_a.unit_id
    url = f"/api/v1/periods/{period.id}/distribution?unit_id={unit_a}"
    body = as_(world.one.admin).get(url).get_json()
    # Bidang A and Seksi A1 below it; its head (sup_a) is not counted.
    assert body["scope"] == "unit" and body["total"] == 2 and body["people"] == 5
    assert body["pattern"] is None and body["warnings"] == []
    assert as_(world.one.head).get(url).status_code == 200
    assert as_(world.one.sup_a).get(url).status_code == 200  # the unit's own head
    assert as_(world.one.sup_b).get(url).status_code == 403
    assert as_(world.one.staff_a1).get(url).status_code == 403
    assert as_(world.two.admin).get(url).status_code == 404
    other_unit = f"/api/v1/periods/{period.id}/distribution?unit_id={world.two.sup_a.unit_id}"
    assert as_(world.one.admin).get(other_unit).status_code == 404


def test_drafts_and_submitted_are_not_counted(as_, world, team_a):
    period, people = team_a
    services.open_evaluation(people[0], period.id)
    evaluation, _ = services.open_evaluation(people[1], period.id)
    evaluation = fill_realisations(people[1], evaluation)
    services.submit_evaluation(people[1], evaluation.id, evaluation.version)
    db.session.commit()
    body = as_(world.one.sup_a).get(f"/api/v1/periods/{period.id}/distribution").get_json()
    assert body["total"] == 0 and body["people"] == 5
