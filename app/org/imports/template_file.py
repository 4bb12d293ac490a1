"""The downloadable template XLSX: the SIASN headers and one example row, NIPs as text."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from app.org.imports.reading import HEADERS
from app.org.models import ImportKind

EXAMPLES = {
    ImportKind.PEOPLE: ("199001012015031001", "Budi Santoso", "Analis Kepegawaian",
                        "Fungsional", "III/b", "BKPSDM", "197001011992011101",
                        "budi@example.go.id"),
    ImportKind.UNITS: ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "SETDA", "WIB"),
}
#: Columns holding NIPs or codes: formatted as text so Excel keeps every digit.
TEXT_COLUMNS = {"nip", "nip_atasan", "kode", "kode_induk", "kode_unit", "golongan"}


def template_xlsx(kind: ImportKind) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "pegawai" if kind == ImportKind.PEOPLE else "unit"
    sheet.append(list(HEADERS[kind]))
    sheet.append(list(EXAMPLES[kind]))
    for position, header in enumerate(HEADERS[kind], start=1):
        sheet.cell(1, position).font = Font(bold=True)
        letter = sheet.cell(1, position).column_letter
        sheet.column_dimensions[letter].width = max(14, len(header) + 4)
        if header in TEXT_COLUMNS:  # the whole column, so rows typed later keep digits
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(2, position).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
