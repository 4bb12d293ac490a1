"""Absences from a spreadsheet: ``nip, jenis, mulai, selesai, keterangan``, as HR keeps them.

A dry run checks every row and says what would happen (create, unchanged, or the row's
errors); applying writes all rows or none. An absence already entered with the same person,
kind and dates is *unchanged*: importing the same file twice changes nothing. Each absence is
created through :func:`app.absences.services.create_absence`, so it is checked and audited
exactly as one entered by hand.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import load_workbook

from app.absences import services
from app.absences.models import Absence, AbsenceKind, AbsenceStatus
from app.absences.schemas import ImportOut
from app.errors import AppError, Forbidden, ValidationFailed
from app.extensions import db
from app.org.models import Person, Role

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = ("nip", "jenis", "mulai", "selesai", "keterangan")

#: What HR offices write in the *jenis* column, normalised (lower case, single spaces).
KIND_NAMES = {
    "cuti tahunan": AbsenceKind.CUTI_TAHUNAN,
    "cuti besar": AbsenceKind.CUTI_BESAR,
    "cuti sakit": AbsenceKind.CUTI_SAKIT,
    "cuti melahirkan": AbsenceKind.CUTI_MELAHIRKAN,
    "cuti karena alasan penting": AbsenceKind.CUTI_ALASAN_PENTING,
    "cuti alasan penting": AbsenceKind.CUTI_ALASAN_PENTING,
    "cuti bersama": AbsenceKind.CUTI_BERSAMA,
    "cuti di luar tanggungan negara": AbsenceKind.CUTI_LUAR_TANGGUNGAN,
    "cuti luar tanggungan": AbsenceKind.CUTI_LUAR_TANGGUNGAN,
    "cltn": AbsenceKind.CUTI_LUAR_TANGGUNGAN,
    "sakit": AbsenceKind.SAKIT,
    "dinas luar": AbsenceKind.DINAS_LUAR,
    "tugas belajar": AbsenceKind.TUGAS_BELAJAR,
} | {kind.value.replace("_", " "): kind for kind in AbsenceKind}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class Row:
    """One spreadsheet row, read and checked."""

    row: int
    nip: str
    name: str | None = None
    person_id: int | None = None
    kind: AbsenceKind | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    note: str = ""
    action: str = "create"
    errors: dict = field(default_factory=dict)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_kind(value) -> AbsenceKind | None:
    return KIND_NAMES.get(_text(value).lower().replace("_", " "))


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(_text(value), pattern).date()
        except ValueError:
            continue
    return None


def read_rows(data: bytes) -> list[tuple[int, list]]:
    """(row number, cells) of the first sheet below its header row.

    :raise ValidationFailed: for a file that is not an XLSX workbook, too big or too long,
        or whose header lacks a column.
    """
    if len(data) > MAX_BYTES:
        raise AppError(_("The file is too large (at most 2 MB)."), status=413, code="too_large")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationFailed(fields={"file": _("Send an Excel workbook (.xlsx).")})
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ValidationFailed(fields={"file": _("The workbook could not be read.")}) from error
    if not rows:
        raise ValidationFailed(fields={"file": _("The workbook is empty.")})
    header = [_text(cell).lower() for cell in rows[0]]
    missing = [name for name in COLUMNS[:4] if name not in header]
    if missing:
        raise ValidationFailed(fields={"file": _("Columns missing: %(names)s.",
                                                 names=", ".join(missing))})
    if len(rows) > MAX_ROWS + 1:
        raise ValidationFailed(fields={"file": _("At most %(num)d rows at a time.",
                                                 num=MAX_ROWS)})
    index = {name: header.index(name) for name in COLUMNS if name in header}
    return [(number, [row[index[name]] if name in index and index[name] < len(row) else None
                      for name in COLUMNS])
            for number, row in enumerate(rows[1:], start=2)
            if any(_text(cell) for cell in row)]


def _check(actor: Person, number: int, cells: list, people: dict) -> Row:
    nip, kind, start, end, note = cells
    row = Row(number, _text(nip), kind=parse_kind(kind), starts_on=parse_date(start),
              ends_on=parse_date(end), note=_text(note)[:500])
    person = people.get(row.nip)
    if person is None:
        row.errors["nip"] = _("No one of your organisation has this NIP.")
    else:
        row.name, row.person_id = person.name, person.id
    if row.kind is None:
        row.errors["jenis"] = _("Unknown kind of absence.")
    if row.starts_on is None:
        row.errors["mulai"] = _("Enter a date (YYYY-MM-DD or DD/MM/YYYY).")
    if row.ends_on is None:
        row.errors["selesai"] = _("Enter a date (YYYY-MM-DD or DD/MM/YYYY).")
    elif row.starts_on and row.ends_on < row.starts_on:
        row.errors["selesai"] = _("The end must not be before the start.")
    elif row.starts_on and (row.ends_on - row.starts_on).days >= services.MAX_DAYS:
        row.errors["selesai"] = _("Enter at most five years at a time.")
    return row


def _against_stored(rows: list[Row]) -> None:
    """Mark rows already entered (unchanged), and those overlapping another absence or an
    earlier row of the file."""
    ids = {row.person_id for row in rows if not row.errors}
    stored = list(db.session.scalars(sa.select(Absence).where(
        Absence.person_id.in_(ids), Absence.status.in_(services.ACTIVE)))) if ids else []
    taken: dict[int, list[tuple[date, date]]] = {}
    for row in rows:
        if row.errors:
            continue
        same = [a for a in stored if a.person_id == row.person_id and a.kind == row.kind
                and a.starts_on == row.starts_on and a.ends_on == row.ends_on
                and a.status == AbsenceStatus.APPROVED]
        if same:
            row.action = "unchanged"
            continue
        spans = [(a.starts_on, a.ends_on) for a in stored if a.person_id == row.person_id]
        spans += taken.get(row.person_id, [])
        if any(start <= row.ends_on and end >= row.starts_on for start, end in spans):
            row.errors["mulai"] = _("These days overlap another absence of this person.")
            continue
        taken.setdefault(row.person_id, []).append((row.starts_on, row.ends_on))
    for row in rows:
        if row.errors:
            row.action = "error"


def import_absences(actor: Person, data: bytes, *, dry_run: bool = True) -> dict:
    """Check (and unless ``dry_run``, apply) a spreadsheet of absences (HR administrators).

    :raise ValidationFailed: when applying a file with any row in error (nothing is written;
        ``extra["result"]`` has the preview).
    """
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(_("Only HR administrators import absences."))
    cells = read_rows(data)
    nips = {_text(row[0]) for _number, row in cells}
    people = {person.nip: person for person in db.session.scalars(sa.select(Person).where(
        Person.org_id == actor.org_id, Person.nip.in_(nips)))} if nips else {}
    rows = [_check(actor, number, row, people) for number, row in cells]
    _against_stored(rows)
    result = {"dry_run": dry_run, "applied": False,
              "created": sum(row.action == "create" for row in rows),
              "unchanged": sum(row.action == "unchanged" for row in rows),
              "errors": sum(row.action == "error" for row in rows),
              "rows": [vars(row) for row in rows]}
    if dry_run:
        return result
    if result["errors"]:
        raise ValidationFailed(_("Some rows need attention; nothing was imported."),
                               fields={"file": _("Correct the rows in error and try again.")},
                               extra={"result": ImportOut().dump(result)})
    for row in rows:
        if row.action == "create":
            services.create_absence(actor, person_id=row.person_id, kind=row.kind,
                                    starts_on=row.starts_on, ends_on=row.ends_on, note=row.note)
    result["applied"] = True
    return result

