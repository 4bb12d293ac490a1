from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.org.nip import InvalidNip, make_nip, parse_nip

TODAY = date(2026, 11, 23)


def test_parse_nip_reads_every_part():
    nip = parse_nip("19850312 201001 1 002", today=TODAY)
    assert nip.value == "198503122010011002"
    assert nip.birth_date == date(1985, 3, 12)
    assert (nip.appointment_year, nip.appointment_month) == (2010, 1)
    assert nip.sex == "L"
    assert nip.sequence == 2


@pytest.mark.parametrize(("text", "reason"), [
    ("1985031220100110", "18 digits"),
    ("19850312201001100A", "18 digits"),
    ("198502302010011002", "birth date"),
    ("198503122010131002", "appointment month"),
    ("198503122010001002", "appointment month"),
    ("198503122027011002", "future"),
    ("198503122002011002", "18th birthday"),
    ("198503122010013002", "Digit 15"),
    ("198503122010011000", "000"),
])
def test_parse_nip_refuses_broken_structure(text, reason):
    with pytest.raises(InvalidNip, match=reason):
        parse_nip(text, today=TODAY)


@given(birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)),
       years_after=st.integers(min_value=19, max_value=25), month=st.integers(1, 12),
       sex=st.sampled_from("LP"), sequence=st.integers(1, 999))
def test_make_nip_round_trips(birth, years_after, month, sex, sequence):
    text = make_nip(birth, birth.year + years_after, month, sex, sequence)
    nip = parse_nip(text, today=TODAY)
    assert (nip.birth_date, nip.appointment_year, nip.appointment_month, nip.sex,
            nip.sequence) == (birth, birth.year + years_after, month, sex, sequence)
