"""The NIP (Nomor Induk Pegawai), the 18-digit national civil-servant number.

Structure: ``YYYYMMDD`` birth date, ``YYYYMM`` appointment (TMT CPNS) year and month,
one sex digit (1 male, 2 female) and a three-digit sequence number (001-999).
"""

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

NIP_PATTERN = re.compile(r"^\d{18}$")
#: Youngest age at appointment as CPNS or PPPK.
MIN_AGE_AT_APPOINTMENT = 18


class InvalidNip(ValueError):
    """The text is not a valid NIP; ``str(error)`` says why, in the UI language."""


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    sequence: int


def normalise(text: str) -> str:
    """Drop the spaces and dots people type between the NIP's groups."""
    return re.sub(r"[\s.\-]", "", text or "")


def parse_nip(text: str, today: date | None = None) -> Nip:
    """Parse and validate a NIP, raising :class:`InvalidNip` with a readable reason."""
    value = normalise(text)
    if not NIP_PATTERN.match(value):
        raise InvalidNip(_l("NIP must be exactly 18 digits."))
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise InvalidNip(_l("The first 8 digits of the NIP are not a valid birth date.")) from None
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise InvalidNip(_l("Digits 9-14 of the NIP are not a valid appointment month."))
    today = today or date.today()
    if (year, month) > (today.year, today.month):
        raise InvalidNip(_l("The appointment month in the NIP lies in the future."))
    if (year, month) < (birth.year + MIN_AGE_AT_APPOINTMENT, birth.month):
        raise InvalidNip(_l("The appointment month in the NIP is before the 18th birthday."))
    sex_digit = value[14]
    if sex_digit not in "12":
        raise InvalidNip(_l("Digit 15 of the NIP must be 1 (male) or 2 (female)."))
    sequence = int(value[15:18])
    if sequence == 0:
        raise InvalidNip(_l("The last 3 digits of the NIP must not be 000."))
    return Nip(value, birth, year, month, "L" if sex_digit == "1" else "P", sequence)


def make_nip(birth: date, appointment_year: int, appointment_month: int, sex: str,
             sequence: int) -> str:
    """Compose a NIP from its parts (used by the demo data and tests)."""
    digit = "1" if sex == "L" else "2"
    return (f"{birth:%Y%m%d}{appointment_year:04d}{appointment_month:02d}"
            f"{digit}{sequence:03d}")
