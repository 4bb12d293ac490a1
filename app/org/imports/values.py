"""One cell of an import file checked and turned into the value we store.

Each parser takes the cell's text (or None) and returns the value, or raises
:class:`BadValue` with the message shown on the row. Kept apart from the plans so that
people and units say the same thing about the same mistake.
"""

import re

from flask_babel import gettext as _

from app.core.i18n import TIME_ZONES
from app.core.schemas import text_problem
from app.org.imports.reading import FLOAT_NUMBER
from app.org.models import PANGKAT, PPPK_GOLONGAN, PositionKind
from app.org.nip import InvalidNip, normalise, parse_nip


class BadValue(ValueError):
    """The cell cannot be used; ``str(error)`` is the message for the row."""


#: Jenis jabatan as SIASN and HR offices write it (folded: lower case, no "jabatan").
POSITION_KINDS = {
    **{kind.value: kind for kind in PositionKind},
    "pimpinantinggi": PositionKind.JPT, "jptpratama": PositionKind.JPT,
    "jptmadya": PositionKind.JPT, "jptutama": PositionKind.JPT,
    "struktural": PositionKind.ADMINISTRATOR,
    "fungsionaltertentu": PositionKind.FUNGSIONAL,
    "fungsionalumum": PositionKind.PELAKSANA,
}
#: Zones by IANA name or by their Indonesian abbreviation.
ZONES = {**{name.lower(): name for name in TIME_ZONES},
         **{abbreviation.lower(): name for name, abbreviation in TIME_ZONES.items()}}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def plain_text(value: str | None) -> str | None:
    """Cell text with a number Excel stored as a float written back as the number."""
    if value is None or not value.startswith(FLOAT_NUMBER):
        return value
    return value[len(FLOAT_NUMBER):]


def required_text(value: str | None, limit: int) -> str:
    value = plain_text(value)
    if value is None:
        raise BadValue(_("This value is required."))
    return checked_text(value, limit)


def checked_text(value: str, limit: int) -> str:
    problem = text_problem(value)
    if problem:
        raise BadValue(problem)
    if len(value) > limit:
        raise BadValue(_("At most %(count)s characters.", count=limit))
    return value


def nip_text(value: str | None) -> str | None:
    """A NIP cell as its digits (None when blank), without checking it further."""
    if value is not None and value.startswith(FLOAT_NUMBER):
        raise BadValue(_("The NIP was stored as a number and lost its last digits: format "
                         "the NIP columns as text and type the NIPs again."))
    if value is not None and re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", value):
        raise BadValue(_("The NIP was written in exponent form (%(value)s): format the NIP "
                         "columns as text and type the NIPs again.", value=value))
    return normalise(value) or None if value is not None else None


def nip(value: str | None) -> str:
    text = nip_text(value)
    if text is None:
        raise BadValue(_("The NIP is required."))
    try:
        return parse_nip(text).value
    except InvalidNip as error:
        raise BadValue(str(error)) from None


def position_kind(value: str | None) -> PositionKind:
    key = re.sub(r"[\s_-]+", "", (plain_text(value) or "").lower())
    key = key.removeprefix("jabatan") or key
    kind = POSITION_KINDS.get(key)
    if kind is None:
        raise BadValue(_("Unknown jenis jabatan %(value)s: use JPT, Administrator, Pengawas, "
                         "Pelaksana or Fungsional.", value=value or ""))
    return kind


def golongan(value: str | None) -> str | None:
    text = plain_text(value)
    if text is None:
        return None
    match = re.fullmatch(r"\s*([IVXivx]+)\s*(?:/\s*([a-eA-E]))?\s*", text)
    folded = None
    if match:
        folded = match.group(1).upper() + (f"/{match.group(2).lower()}" if match.group(2)
                                           else "")
    if folded not in PANGKAT and folded not in PPPK_GOLONGAN:
        raise BadValue(_("Unknown golongan %(value)s: use e.g. III/a (PNS) or IX (PPPK).",
                         value=text))
    return folded


def email(value: str | None) -> str | None:
    text = plain_text(value)
    if text is None:
        return None
    if len(text) > 254 or not EMAIL.match(text):
        raise BadValue(_("This is not a valid e-mail address."))
    return text


def unit_code(value: str | None) -> str:
    text = required_text(value, 32)
    if not UNIT_CODE.match(text):
        raise BadValue(_("A unit code holds letters, digits and . _ / - only."))
    return text


def timezone(value: str | None) -> str | None:
    text = plain_text(value)
    if text is None:
        return None
    zone = ZONES.get(text.lower())
    if zone is None:
        raise BadValue(_("Unknown time zone %(value)s: use WIB, WITA or WIT.", value=text))
    return zone
