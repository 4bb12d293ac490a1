"""The predikat distribution on the organisation dashboard comes from real assessments."""

from datetime import UTC, datetime

import pytest
import time_machine

from app.dashboards import services
from app.evaluations import services as evaluations
from app.extensions import db
from tests.evaluations.support import fill_realisations, line_skps, quarters


@pytest.fixture(autouse=True)
def clock():
    """Monday 23 November 2026: Triwulan IV and the annual period are still open."""
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=True):
        yield


def assess(org, person, period, hasil, perilaku):
    evaluation, _ = evaluations.open_evaluation(person, period.id)
    evaluation = fill_realisations(person, evaluation)
    evaluations.submit_evaluation(person, evaluation.id, evaluation.version)
    evaluations.assess_evaluation(person.supervisor, evaluation.id,
                                  version=evaluation.version, hasil_kerja=hasil,
                                  perilaku_kerja=perilaku)
    db.session.commit()


def test_distribution_counts_each_units_predikat_of_the_latest_period(world, app):
    one, two = world.one, world.two
    periods = quarters(one)
    line_skps(one, staff=("staff_a1", "staff_a2", "staff_b1"))
    line_skps(two, staff=("staff_a1",))
    # Triwulan IV and the annual (final) period end the same day: the final one is shown.
    q3, q4 = periods["Triwulan IV 2026"], periods["Tahunan 2026"]
    assess(one, one.staff_a1, q3, "sesuai", "sesuai")  # another period: not counted
    assess(one, one.staff_a1, q4, "di_atas", "di_atas")  # Sangat Baik
    assess(one, one.staff_a2, q4, "di_bawah", "sesuai")  # Butuh Perbaikan
    assess(one, one.staff_b1, q4, "sesuai", "di_bawah")  # Kurang/Misconduct
    assess(two, two.staff_a1, quarters(two)["Tahunan 2026"], "di_bawah", "di_bawah")

    assert services.predikat_period(one.org.id).id == q4.id
    found = services.predikat_distribution(one.org.id)
    a_unit, b_unit = one.staff_a1.unit_id, one.staff_b1.unit_id
    expected_a = {"sangat_baik": 1, "baik": 0, "butuh_perbaikan": 0,
                  "kurang_misconduct": 0, "sangat_kurang": 0}
    if one.staff_a2.unit_id == a_unit:
        expected_a["butuh_perbaikan"] = 1
    assert found[a_unit] == expected_a
    assert found[b_unit]["kurang_misconduct"] == 1
    assert sum(sum(c.values()) for c in found.values()) == 3  # nothing of the other org
    assert services.predikat_distribution(one.org.id, q3.id) == {
        a_unit: {"sangat_baik": 0, "baik": 1, "butuh_perbaikan": 0, "kurang_misconduct": 0,
                 "sangat_kurang": 0}}

    with app.test_request_context():
        view = services.organisation_dashboard(one.admin)
    assert view["predikat_available"] and view["predikat_period"] == "Tahunan 2026"
    row = next(u for u in view["units"] if u["id"] == b_unit)
    assert row["predikat"]["kurang_misconduct"] == 1


def test_no_assessment_means_no_distribution(world):
    quarters(world.one)
    assert services.predikat_period(world.one.org.id) is None
    assert services.predikat_distribution(world.one.org.id) == {}
