"""Dates, times and numbers as documents print them, in the current language.

In Bahasa Indonesia: "Senin, 23 November 2026", "08.00–09.30 WIB", "1.250", "85,5 %"; times
in English "8:00 AM–9:30 AM WIB" (`clock`: one time format per language).
"""

from datetime import date, time
from decimal import Decimal

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from app.activities.templating import STATUS_LABELS
from app.core.templating import LONG_DATE, clock, zone_label

MONTH_FORMAT = "MMMM y"

#: Aspects of an indicator as the forms name them.
ASPECT_LABELS = {
    "kuantitas": "Kuantitas",
    "kualitas": "Kualitas",
    "waktu": "Waktu",
    "biaya": "Biaya",
}

NO_RHK = _l("Additional / other tasks")


def long_date(value: date | None) -> str:
    return format_date(value, format=LONG_DATE) if value else ""


def short_date(value: date | None) -> str:
    """"23 November 2026"."""
    return format_date(value, format="d MMMM y") if value else ""


def month_name(value: date) -> str:
    """"November 2026"."""
    return format_date(value, format=MONTH_FORMAT)


def time_range(start: time | None, end: time | None, timezone: str) -> str:
    """"08.00–09.30 WIB"; empty without times."""
    if start is None and end is None:
        return ""
    return f"{clock(start)}–{clock(end)} {zone_label(timezone)}".strip()


def number(value) -> str:
    """"1.250", "2,5": at most two decimals, no trailing zeros."""
    if value is None:
        return ""
    return format_decimal(Decimal(str(value)), format="#,##0.##")


def percent(value) -> str:
    """"85,5 %" (one decimal); empty when there is no numeric target."""
    if value is None:
        return ""
    return f"{format_decimal(Decimal(str(value)), format='#,##0.0')} %"


def status_label(status) -> str:
    return str(STATUS_LABELS.get(getattr(status, "value", status), status))


def person_block(person) -> dict:
    """Name, NIP, pangkat/golongan, jabatan and unit of ``person`` as printed."""
    if person is None:
        return None
    pangkat = person.pangkat
    grade = f"{pangkat} ({person.golongan})" if pangkat else (person.golongan or "")
    return {"name": person.name, "nip": person.nip, "pangkat": grade,
            "jabatan": person.jabatan, "unit": person.unit.name}
