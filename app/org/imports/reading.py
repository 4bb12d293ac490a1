"""Reading an import file (XLSX or CSV) into rows keyed by our own column names.

Headers are matched ignoring case, spaces and underscores, in Indonesian or English, so
"Kode Unit", "kode_unit" and "UNIT CODE" all name the same column. Every value comes back
as trimmed text or None; a number Excel stored for a NIP is read back as its digits, and a
number Excel already rounded (a float) is refused, since its last digits are lost.
"""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import load_workbook

from app.errors import ValidationFailed
from app.org.models import ImportKind

#: Our column name -> the header spellings accepted for it (already folded, see fold()).
PEOPLE_COLUMNS = {
    "nip": ("nip",),
    "name": ("nama", "name"),
    "jabatan": ("jabatan", "position"),
    "position_kind": ("jenisjabatan", "positionkind"),
    "golongan": ("golongan", "grade"),
    "unit_code": ("kodeunit", "unitcode"),
    "supervisor_nip": ("nipatasan", "supervisornip"),
    "email": ("email", "e-mail", "surel"),
}
UNIT_COLUMNS = {
    "code": ("kode", "code"),
    "name": ("nama", "name"),
    "parent_code": ("kodeinduk", "parentcode"),
    "timezone": ("zonawaktu", "timezone"),
}
COLUMNS = {ImportKind.PEOPLE: PEOPLE_COLUMNS, ImportKind.UNITS: UNIT_COLUMNS}
REQUIRED = {
    ImportKind.PEOPLE: ("nip", "name", "jabatan", "position_kind", "unit_code"),
    ImportKind.UNITS: ("code", "name"),
}
#: The header each column is written with in the template (the SIASN spelling).
HEADERS = {
    ImportKind.PEOPLE: ("nip", "nama", "jabatan", "jenis_jabatan", "golongan", "kode_unit",
                        "nip_atasan", "email"),
    ImportKind.UNITS: ("kode", "nama", "kode_induk", "zona_waktu"),
}
#: A float NIP cell, marked so the plan can say what went wrong.
FLOAT_NUMBER = "\x00float"


@dataclass
class Table:
    """The rows of a file: ``columns`` present (our names), rows as (row number, values)."""

    columns: set[str]
    rows: list[tuple[int, dict]]


def fold(header) -> str:
    return re.sub(r"[\s_]+", "", str(header or "")).lower()


def _column_map(kind: ImportKind, headers: list) -> dict[int, str]:
    """Position -> our column name; :raise ValidationFailed: naming a missing column."""
    spellings = {spelling: name for name, names in COLUMNS[kind].items() for spelling in names}
    found = {}
    for position, header in enumerate(headers):
        name = spellings.get(fold(header))
        if name is not None and name not in found.values():
            found[position] = name
    missing = [column for column in REQUIRED[kind] if column not in found.values()]
    if missing:
        wanted = ", ".join(HEADERS[kind][list(COLUMNS[kind]).index(m)] for m in missing)
        raise ValidationFailed(_("The file lacks the required column(s): %(columns)s.",
                                 columns=wanted), fields={"file": wanted})
    return found


def cell_text(value) -> str | None:
    """A cell as trimmed text: whole numbers without ".0", floats marked as such."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return f"{FLOAT_NUMBER}{int(value)}"
        return f"{FLOAT_NUMBER}{value}"
    text = str(value).strip()
    return text or None


def _table(kind: ImportKind, lines: Iterator[list], progress: Callable | None) -> Table:
    headers = next(lines, None)
    if headers is None:
        raise ValidationFailed(_("The file is empty."), fields={"file": _("The file is empty.")})
    columns = _column_map(kind, list(headers))
    rows = []
    for number, line in enumerate(lines, start=2):
        values = {name: cell_text(line[position]) if position < len(line) else None
                  for position, name in columns.items()}
        if any(value is not None for value in values.values()):
            rows.append((number, values))
        if progress is not None and number % 1000 == 0:
            progress(number)
    return Table(set(columns.values()), rows)


def _xlsx_lines(content: bytes) -> Iterator[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for line in sheet.iter_rows(values_only=True):
            yield list(line)
    finally:
        workbook.close()


def _csv_lines(content: bytes) -> Iterator[list]:
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed(_("Save the CSV file as UTF-8."),
                               fields={"file": _("Save the CSV file as UTF-8.")}) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell.strip() or None for cell in line]


def is_xlsx(content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04"


def read_table(kind: ImportKind, content: bytes, progress: Callable | None = None) -> Table:
    """The rows of an XLSX or CSV file (told apart by their bytes, not the file name).

    :raise ValidationFailed: for an unreadable file or a missing required column (422).
    """
    try:
        lines = _xlsx_lines(content) if is_xlsx(content) else _csv_lines(content)
        return _table(kind, lines, progress)
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - whatever the parsers trip on, the file is unreadable
        message = _("The file could not be read as XLSX or CSV.")
        raise ValidationFailed(message, fields={"file": message}) from None
