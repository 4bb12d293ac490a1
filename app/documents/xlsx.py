"""Small helpers over openpyxl: a bold frozen header row, widths, number formats.

Cells hold real values (dates, times, numbers) with a number format, so a spreadsheet can
sum and sort them; Excel shows them in the reader's own regional format. Text is always text:
a description that starts like a formula (``=HYPERLINK(...)``) is never written as one.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE = "DD/MM/YYYY"
TIME = "HH:MM"
NUMBER = "#,##0.##"
DECIMAL = "#,##0.00"
INTEGER = "#,##0"
PERCENT = "0.0%"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E2E8F0")


def workbook() -> Workbook:
    return Workbook()


def title_rows(sheet, lines: list[str]) -> None:
    """Lines of text above a table (the first one bold)."""
    for index, line in enumerate(lines, start=1):
        cell = put(sheet, index, 1, line)
        if index == 1:
            cell.font = Font(bold=True, size=12)


def _value(value):
    # openpyxl writes Decimal, but as float is what every reader expects.
    return float(value) if isinstance(value, Decimal) else value


def put(sheet, row: int, column: int, value):
    """Write ``value`` into a cell; text that openpyxl would take for a formula stays text."""
    cell = sheet.cell(row=row, column=column, value=_value(value))
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def table(sheet, start_row: int, headings: list[str], rows, *, widths=None, formats=None,
          wrap=(), freeze: bool = True) -> int:
    """Write a header row at ``start_row`` and ``rows`` below it; returns the last row.

    ``formats`` and ``wrap`` are keyed by 1-based column. The header row is frozen (it stays
    in view while scrolling) unless ``freeze`` is False.
    """
    formats = formats or {}
    for column, heading in enumerate(headings, start=1):
        cell = put(sheet, start_row, column, str(heading))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number = start_row
    for row in rows:
        row_number += 1
        for column, value in enumerate(row, start=1):
            cell = put(sheet, row_number, column, value)
            if column in formats:
                cell.number_format = formats[column]
            if column in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    if freeze:
        sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)
    return row_number


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_row(sheet, row_number: int, values, *, formats=None, bold: bool = False) -> None:
    """One more row (e.g. totals) in the table above it."""
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row_number, column, value)
        if formats and column in formats:
            cell.number_format = formats[column]
        if bold:
            cell.font = HEADER_FONT


SHADE_FILL = PatternFill("solid", fgColor="D9D9D9")


def shade_columns(sheet, header_row: int, count: int, columns: list[int]) -> None:
    """Grey the cells of ``columns`` (days off) under the header row."""
    for column in columns:
        for row in range(header_row, header_row + count + 1):
            sheet.cell(row=row, column=column).fill = SHADE_FILL
