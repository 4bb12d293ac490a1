"""The evaluation rules: all nine cells of the matrix, the JPT rule, the distribution."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.evaluations.rules import (
    CREDIT_POINT_SHARE,
    MATRIX,
    OrgPredikat,
    Predikat,
    Rating,
    distribution_warnings,
    jpt_results_rating,
    predikat,
    suggested_results_rating,
)

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
SB, BK, BP = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
KM, SK = Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), [
    (A, B, KM), (A, S, BK), (A, A, SB),
    (S, B, KM), (S, S, BK), (S, A, BK),
    (B, B, SK), (B, S, BP), (B, A, BP),
])
def test_matrix_cell(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) is expected


def test_matrix_has_exactly_nine_cells_and_every_predikat():
    assert len(MATRIX) == 9
    assert set(MATRIX.values()) == set(Predikat)


@given(st.sampled_from(Rating))
def test_poor_behaviour_caps_at_kurang_whatever_the_results(hasil):
    assert predikat(hasil, B) in (KM, SK)


def test_predikat_accepts_the_stored_values():
    assert predikat("di_atas", "di_atas") is SB


@pytest.mark.parametrize(("unit", "expected"), [
    (OrgPredikat.ISTIMEWA, A), (OrgPredikat.BAIK, S), (OrgPredikat.BUTUH_PERBAIKAN, B),
    (OrgPredikat.KURANG, B), (OrgPredikat.SANGAT_KURANG, B),
])
def test_jpt_results_follow_the_unit(unit, expected):
    assert jpt_results_rating(unit) is expected


@pytest.mark.parametrize(("ratings", "expected"), [
    ([("utama", A), ("utama", A), ("tambahan", S)], A),
    ([("utama", A), ("utama", A), ("utama", B)], S),  # a main result below: not Di Atas
    ([("utama", S), ("utama", S), ("tambahan", B)], S),
    ([("utama", B), ("utama", B), ("utama", S)], B),
    ([], None),
])
def test_suggested_results_rating(ratings, expected):
    assert suggested_results_rating(ratings) is expected


def test_credit_point_shares():
    assert CREDIT_POINT_SHARE == {SB: Decimal("1.50"), BK: Decimal("1.00"),
                                  BP: Decimal("0.75"), KM: Decimal("0.50"),
                                  SK: Decimal("0.25")}


def codes(org, predicates):
    return sorted(w.code for w in distribution_warnings(org, predicates))


def test_istimewa_pattern():
    assert codes(OrgPredikat.ISTIMEWA, [SB] * 6 + [BK] * 4) == []
    assert codes(OrgPredikat.ISTIMEWA, [SB] * 8 + [BK] * 2) == ["max_sangat_baik"]
    assert codes(OrgPredikat.ISTIMEWA, [SB] * 3 + [BK] * 7) == ["most_sangat_baik"]


def test_baik_pattern_needs_some_below():
    assert codes(OrgPredikat.BAIK, [BK] * 6 + [SB] * 2 + [BP] * 2) == []
    assert codes(OrgPredikat.BAIK, [BK] * 7 + [SB] * 3) == ["min_butuh_perbaikan_or_kurang"]
    assert codes(OrgPredikat.BAIK, [BK] * 9 + [KM]) == ["max_baik"]


def test_butuh_perbaikan_pattern():
    assert codes(OrgPredikat.BUTUH_PERBAIKAN, [BP] * 6 + [BK] * 3 + [SB]) == []
    assert codes(OrgPredikat.BUTUH_PERBAIKAN, [BP] * 5 + [BK] * 3 + [SB] * 2) == [
        "max_sangat_baik", "min_butuh_perbaikan"]


def test_kurang_pattern():
    assert codes(OrgPredikat.KURANG, [KM] * 6 + [BP] * 3 + [SB]) == []
    assert codes(OrgPredikat.KURANG, [KM] * 9 + [SB]) == ["min_butuh_perbaikan"]


def test_sangat_kurang_pattern_allows_no_sangat_baik():
    assert codes(OrgPredikat.SANGAT_KURANG, [SK] * 6 + [KM] * 2 + [BP] * 2) == []
    assert codes(OrgPredikat.SANGAT_KURANG, [SK] * 8 + [KM] + [SB]) == ["max_sangat_baik"]
    assert codes(OrgPredikat.SANGAT_KURANG, [SK] * 10) == ["min_kurang_or_butuh_perbaikan"]


def test_warning_carries_the_limit_and_the_share():
    [warning] = distribution_warnings(OrgPredikat.ISTIMEWA, [SB] * 8 + [BK] * 2)
    assert (warning.limit, warning.actual, warning.is_minimum) == (
        Decimal("0.70"), Decimal("0.8000"), False)


def test_empty_unit_has_no_warnings():
    assert distribution_warnings(OrgPredikat.BAIK, []) == []
