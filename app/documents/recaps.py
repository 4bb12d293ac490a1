"""Team and unit recaps as XLSX, and the e-Kinerja daily progress (XLSX and CSV)."""

import csv
import io

from flask_babel import gettext as _

from app.documents import formats as f
from app.documents import xlsx
from app.documents.services import outputs_by_rhk

STATUSES = ("draft", "submitted", "approved", "returned")


def _outputs_text(outputs: list[dict]) -> str:
    """Per RHK the quantity logged, and the approved quality or timeliness percentage
    once there is one."""
    return "\n".join(
        f"{row['rhk_description']}: {f.number(row['quantity'])} {row['unit']}"
        if row["measure"] == "quantity" else
        f"{row['rhk_description']}: {f.number(row['approved_quantity']) or '-'} "
        f"{row['value_unit']}"
        for row in outputs_by_rhk(outputs)
        if row["measure"] == "quantity" or row["approved_quantity"] is not None)


def _person_columns():
    return [_("NIP"), _("Name"), _("Position")]


def _recap_headings():
    return [_("Days logged"), _("Working days"), _("Hours"), _("Activities")] + \
        [f.status_label(status) for status in STATUSES] + \
        [_("Late submissions"), _("Days excused (absence)"), _("Outputs per RHK")]


def _recap_values(row: dict, working_days: int) -> list:
    return [row["days_logged"], working_days, row["hours"], row["activity_count"]] + \
        [row["by_status"].get(status, 0) for status in STATUSES] + \
        [row["late"], row.get("days_excused", 0), _outputs_text(row["outputs"])]


def _recap_formats(first: int) -> dict:
    formats = {first: xlsx.INTEGER, first + 1: xlsx.INTEGER, first + 2: xlsx.DECIMAL,
               first + 3: xlsx.INTEGER}
    formats.update({first + 4 + n: xlsx.INTEGER for n in range(len(STATUSES) + 2)})
    return formats


def _totals(rows: list[list], first: int, last: int) -> list:
    """A totals row under a table: sums of the numeric columns ``first``..``last``."""
    totals = [None] * len(rows[0]) if rows else []
    for column in range(first - 1, last):
        totals[column] = sum(row[column] or 0 for row in rows)
    return totals


def render_team_xlsx(recap: dict, progress=None) -> bytes:
    progress = progress or (lambda percent: None)
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = _("Team recap")[:31]
    supervisor = recap["supervisor"]
    xlsx.title_rows(sheet, [recap["organisation"],
                            _("Team recap %(month)s", month=f.month_name(recap["month"])),
                            f"{_('Supervisor')}: {supervisor.name} ({supervisor.nip})"])
    rows = [[row["person"]["nip"], row["person"]["name"], row["person"]["jabatan"]]
            + _recap_values(row, recap["working_days"]) for row in recap["people"]]
    start = sheet.max_row + 2
    last = xlsx.table(sheet, start, _person_columns() + _recap_headings(), rows,
                      widths=[21, 30, 30, 10, 10, 10, 10, 10, 12, 12, 12, 10, 12, 50],
                      formats=_recap_formats(4), wrap={3, 14})
    if rows:
        totals = _totals(rows, 4, 13)
        totals[0] = _("Total")
        totals[4] = None  # working days do not add up
        xlsx.table_row(sheet, last + 1, totals, formats=_recap_formats(4), bold=True)
    progress(90)
    return xlsx.save(book)


def render_unit_xlsx(recap: dict, progress=None) -> bytes:
    """Sheet 1: one row per person; sheet 2: per-day matrix of who logged (1) or not."""
    progress = progress or (lambda percent: None)
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    title = _("Unit recap %(unit)s, %(month)s", unit=recap["unit"].name,
              month=f.month_name(recap["month"]))
    xlsx.title_rows(sheet, [recap["organisation"], title])
    people = recap["people"]
    rows = []
    for index, row in enumerate(people, start=1):
        rows.append([row["person"]["nip"], row["person"]["name"], row["person"]["jabatan"],
                     row["unit"]] + _recap_values(row, recap["working_days"]))
        if index % 200 == 0:
            progress(60 + 20 * index // max(len(people), 1))
    start = sheet.max_row + 2
    last = xlsx.table(sheet, start, _person_columns() + [_("Work unit")] + _recap_headings(),
                      rows, widths=[21, 30, 30, 25, 10, 10, 10, 10, 10, 12, 12, 12, 10, 12, 50],
                      formats=_recap_formats(5), wrap={3, 15})
    if rows:
        totals = _totals(rows, 5, 14)
        totals[0] = _("Total")
        totals[5] = None
        xlsx.table_row(sheet, last + 1, totals, formats=_recap_formats(5), bold=True)
    progress(80)

    matrix = book.create_sheet(_("Per day")[:31])
    xlsx.title_rows(matrix, [title, _("1 = logged activities that day; grey = not a "
                                      "working day")])
    days = recap["days"]
    headings = [_("NIP"), _("Name")] + [day.day for day in days] + [_("Days logged")]
    grid = []
    for row in people:
        person_id = row["person"]["id"]
        marks = [1 if (person_id, day) in recap["logged"] else None for day in days]
        grid.append([row["person"]["nip"], row["person"]["name"]] + marks
                    + [sum(1 for mark in marks if mark)])
    start = matrix.max_row + 2
    xlsx.table(matrix, start, headings, grid, widths=[21, 30] + [4] * len(days) + [10],
               formats={len(days) + 3: xlsx.INTEGER})
    xlsx.shade_columns(matrix, start, len(grid),
                       [index + 3 for index, day in enumerate(days)
                        if day not in recap["working"]])
    matrix.freeze_panes = matrix.cell(row=start + 1, column=3)
    progress(95)
    return xlsx.save(book)


# --- e-Kinerja daily progress ---------------------------------------------------------------

#: The column names of the progres harian export (what BKN e-Kinerja asks for, in its terms).
EKINERJA_HEADINGS = ("Tanggal", "Uraian", "Link Bukti Dukung", "RHK", "Status")


def render_ekinerja_xlsx(export: dict) -> bytes:
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = "Progres Harian"
    rows = [[row["date"], row["description"], row["evidence"],
             row["rhk"] or str(f.NO_RHK), f.status_label(row["status"])]
            for row in export["rows"]]
    xlsx.table(sheet, 1, list(EKINERJA_HEADINGS), rows, widths=[12, 60, 50, 50, 20],
               formats={1: xlsx.DATE}, wrap={2, 4})
    for index, row in enumerate(export["rows"], start=2):
        sheet.cell(row=index, column=3).hyperlink = row["evidence"]
    return xlsx.save(book)


def csv_text(value: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading
    apostrophe (OWASP's advice for CSV injection)."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


#: What makes Excel, LibreOffice or Sheets read a CSV cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def render_ekinerja_csv(export: dict) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads the accents right; ISO dates; no cell
    that a spreadsheet would take for a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EKINERJA_HEADINGS)
    for row in export["rows"]:
        writer.writerow([row["date"].isoformat(), csv_text(row["description"]),
                         csv_text(row["evidence"] or ""),
                         csv_text(row["rhk"] or str(f.NO_RHK)), f.status_label(row["status"])])
    return buffer.getvalue().encode("utf-8-sig")
