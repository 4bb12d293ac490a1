"""The SKM formula of PermenPANRB 14/2017, checked against hand-computed examples."""

from decimal import Decimal

import pytest

from app.citizen.services import compute, grade_of


def test_two_questionnaires_all_fours_and_all_threes():
    # Each unsur: (4 + 3) / 2 = 3.5; SKM = 9 × 3.5 × 1/9 = 3.5; value = 87.5: B, Baik.
    skm = compute(2, [7] * 9)
    assert skm.nrr == (Decimal("3.5000"),) * 9
    assert skm.skm == Decimal("3.5000")
    assert skm.value == Decimal("87.50")
    assert (skm.grade, skm.performance) == ("B", "Good")


def test_four_questionnaires_with_different_totals():
    # NRR: 3.5, 3.25, 3.0, 4.0, 2.75, 3.75, 3.5, 2.5, 3.25 (sum 29.5);
    # SKM = 29.5 / 9 = 3.27777...; value = 81.9444... -> 81.94: B.
    skm = compute(4, [14, 13, 12, 16, 11, 15, 14, 10, 13])
    assert skm.responses == 4
    assert skm.nrr == tuple(Decimal(v) for v in (
        "3.5000", "3.2500", "3.0000", "4.0000", "2.7500", "3.7500", "3.5000", "2.5000",
        "3.2500"))
    assert skm.skm == Decimal("3.2778")
    assert skm.value == Decimal("81.94")
    assert skm.grade == "B"


def test_the_ends_of_the_scale():
    top, bottom = compute(3, [12] * 9), compute(3, [3] * 9)
    assert (top.skm, top.value, top.grade, top.performance) == (
        Decimal("4.0000"), Decimal("100.00"), "A", "Very good")
    assert (bottom.skm, bottom.value, bottom.grade, bottom.performance) == (
        Decimal("1.0000"), Decimal("25.00"), "D", "Not good")


@pytest.mark.parametrize(("value", "grade"), [
    ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
])
def test_interval_edges_of_the_converted_value(value, grade):
    assert grade_of(Decimal(value)) == grade


def _hundred(total: int) -> list[int]:
    """Nine unsur totals of 100 questionnaires summing to ``total``."""
    base = total // 9
    return [base] * 8 + [total - 8 * base]


@pytest.mark.parametrize(("total", "value", "grade"), [
    # 100 questionnaires: value = 25 × total / 900 = total / 36.
    (3179, "88.31", "A"),  # 88.3055... -> 88.31
    (3178, "88.28", "B"),  # 88.2777...
    (2758, "76.61", "B"),  # 76.6111...
    (2757, "76.58", "C"),  # 76.5833...
    (2340, "65.00", "C"),  # exactly 65
    (2339, "64.97", "D"),  # 64.9722...
])
def test_interval_edges_from_answers(total, value, grade):
    skm = compute(100, _hundred(total))
    assert skm.value == Decimal(value)
    assert skm.grade == grade


def test_no_questionnaire_gives_no_index():
    assert compute(0, [0] * 9) is None


def test_custom_weights_must_sum_to_one():
    with pytest.raises(ValueError):
        compute(1, [4] * 9, weights=(Decimal("0.111"),) * 9)
