"""The filtered audit trail as an XLSX file, bounded and fast for a hundred thousand entries.

Why not :mod:`app.documents.xlsx` (openpyxl): without lxml, openpyxl serialises about two
thousand rows a second, so a full trail would take most of a minute. An audit export is one
plain table, so it is written here directly as SpreadsheetML: a single sheet streamed into
the zip in chunks while rows are read from the database in batches. Every text is an inline
string, so text that starts like a formula (``=HYPERLINK(...)``) is never a formula — the
guard of ``xlsx.put`` by construction. Times are real date-time cells in the reader's zone.

The export holds the newest ``AUDIT_EXPORT_MAX_ROWS`` entries (100,000 by default) and says
in its title rows when the filter matched more.
"""

import io
import re
import zipfile
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from app.audit import labels, viewer
from app.core.i18n import TIME_ZONES
from app.org.models import Person

DEFAULT_MAX_ROWS = 100_000
WIDTHS = (10, 20, 30, 24, 20, 38, 30, 80)
COLUMNS = "ABCDEFGH"
#: Styles of styles.xml: 0 plain, 1 header, 2 date-time, 3 title.
HEADER, DATETIME, TITLE = 1, 2, 3
#: Characters XML 1.0 cannot hold at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's longest cell text.
_MAX_TEXT = 32_767
_EPOCH = datetime(1899, 12, 30)
_ROWS_PER_CHUNK = 1000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
        f'</Relationships>'),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY HH:MM:SS"/>'
        '</numFmts><fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="12"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill><fill><patternFill '
        'patternType="solid"><fgColor rgb="FFE2E8F0"/></patternFill></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="4">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '</cellStyles></styleSheet>'),
}


def max_rows() -> int:
    return int(current_app.config.get("AUDIT_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value)[:_MAX_TEXT])


def _cell(reference: str, value, style: int = 0) -> str:
    """One cell: numbers as numbers, date-times as Excel serials, everything else as an
    inline string (never a formula)."""
    styled = f' s="{style}"' if style else ""
    if isinstance(value, datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{reference}" s="{DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<c r="{reference}"{styled}><v>{value}</v></c>'
    return (f'<c r="{reference}" t="inlineStr"{styled}><is><t xml:space="preserve">'
            f'{_text(str(value))}</t></is></c>')


def _row(number: int, values, style: int = 0) -> str:
    cells = "".join(_cell(f"{COLUMNS[column]}{number}", value, style)
                    for column, value in enumerate(values) if value is not None)
    return f'<row r="{number}">{cells}</row>'


def _sheet_start(header_row: int) -> str:
    columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                      for n, width in enumerate(WIDTHS, start=1))
    return (f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
            f'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<cols>{columns}</cols><sheetData>')


def _headings(zone: str) -> list[str]:
    return [_("Entry"), _("Time (%(zone)s)", zone=TIME_ZONES.get(zone, zone)), _("Done by"),
            _("Action"), _("Subject"), _("Subject ID"), _("Whose"), _("Change")]


def _name(person: dict | None, system: str) -> str:
    return system if person is None else f"{person['name']} ({person['nip']})"


def _values(entry: dict, tz: ZoneInfo, system: str) -> list:
    local = entry["created_at"].replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
    return [entry["id"], local, _name(entry["actor"], system), entry["action_label"],
            entry["item_type_label"], entry["item_id"], _name(entry["person"], system),
            entry["summary"]]


def _title(actor: Person, total: int, limit: int) -> list[str]:
    if total > limit:
        extent = _("The newest %(shown)s of %(total)s matching entries; narrow the dates "
                   "for older ones.", shown=limit, total=total)
    else:
        extent = _("%(total)s matching entries.", total=total)
    return [_row(1, [_("Audit trail of %(org)s", org=actor.organisation.name)], TITLE),
            _row(2, [extent])]


def _write_sheet(stream, actor: Person, filters: viewer.Filters) -> None:
    limit = max_rows()
    total, rows = viewer.trail_rows(actor, filters, limit)
    tz, words, system = ZoneInfo(actor.timezone), labels.Wording(), _("System")
    stream.write(_sheet_start(3).encode())
    chunk = _title(actor, total, limit) + [_row(3, _headings(actor.timezone), HEADER)]
    for number, row in enumerate(rows, start=4):
        entry = viewer.describe(row, words, limit=None)
        chunk.append(_row(number, _values(entry, tz, system)))
        if len(chunk) >= _ROWS_PER_CHUNK:
            stream.write("".join(chunk).encode())
            chunk = []
    chunk.append("</sheetData></worksheet>")
    stream.write("".join(chunk).encode())


def write_trail(actor: Person, filters: viewer.Filters) -> bytes:
    """The XLSX of the filtered trail, newest entries first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in _PARTS.items():
            package.writestr(name, _HEAD + content)
        sheet_name = quoteattr(_text(_("Audit trail"))[:31])
        package.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            f'<sheet name={sheet_name} sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with package.open("xl/worksheets/sheet1.xml", "w") as stream:
            _write_sheet(stream, actor, filters)
    return buffer.getvalue()
