"""The unit's SKM report over a period, as XLSX and PDF, opened and read: the index, the NRR
of each unsur, and the follow-up plan (rencana tindak lanjut) of the weakest unsur."""

import io
from datetime import datetime

import openpyxl
from pypdf import PdfReader

from app.citizen.models import SurveyResponse
from app.extensions import db

PERIOD = "dari=2026-01-01&sampai=2026-06-30"


def answers(world, rows, when=datetime(2026, 3, 10, 3, 0), unit_id=None):
    one = world.one
    for row in rows:
        db.session.add(SurveyResponse(
            org_id=one.org.id, unit_id=unit_id or one.staff_a1.unit_id, submitted_at=when,
            **{f"u{n}": value for n, value in enumerate(row, start=1)}))
    db.session.commit()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def xlsx_text(data: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return "\n".join(" | ".join("" if cell is None else str(cell) for cell in row)
                     for row in sheet.iter_rows(values_only=True))


def seed(world):
    # Weakest: u4 (cost, 1.5), u8 (complaints, 2.0), u3 (time, 2.5); the rest 3.5 or 4.
    answers(world, [[4, 4, 3, 1, 4, 4, 4, 2, 4], [3, 3, 2, 2, 3, 3, 3, 2, 3]])
    # Outside the period, and another unit: not in the report.
    answers(world, [[1] * 9], when=datetime(2026, 7, 2, 3, 0))
    answers(world, [[1] * 9], unit_id=world.one.staff_b1.unit_id)


def test_report_page_ranks_the_weakest_unsur_and_keeps_their_plans(api, world):
    seed(world)
    api.login(world.one.sup_a)
    unit = world.one.staff_a1.unit_id
    page = api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}").get_data(as_text=True)
    assert 'id="plan-u4"' in page and 'id="plan-u8"' in page and 'id="plan-u3"' in page
    assert 'id="plan-u1"' not in page
    saved = api.post("/suara-warga/laporan/tindak-lanjut", data={
        "unit": unit, "dari": "2026-01-01", "sampai": "2026-06-30", "unsur": "u4",
        "plan": "Sosialisasi tarif resmi di papan informasi", "due_on": "2026-08-31",
        "responsible": "Kepala Seksi A1"})
    assert saved.status_code == 303
    # Rewritten, not duplicated.
    api.post("/suara-warga/laporan/tindak-lanjut", data={
        "unit": unit, "dari": "2026-01-01", "sampai": "2026-06-30", "unsur": "u4",
        "plan": "Sosialisasi tarif resmi dan pembayaran nontunai", "due_on": "2026-08-31",
        "responsible": "Kepala Seksi A1"})
    page = api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}").get_data(as_text=True)
    assert "pembayaran nontunai" in page

    pdf = api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}&format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "SURVEI KEPUASAN MASYARAKAT" in text and "Seksi A1" in text
    assert "Responden" in text and "Rencana tindak lanjut" in text
    assert "pembayaran nontunai" in " ".join(text.split())
    assert "Belum ditetapkan" in text  # u8 and u3 have no plan yet
    # NRR of u4 = 1.5, the index: (3.5+3.5+2.5+1.5+3.5+3.5+3.5+2+3.5)/9*25 = 75.00 (C).
    assert "1,5000" in text and "75,00" in text and "C (" in text

    sheet = api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}&format=xlsx")
    assert sheet.status_code == 200
    assert sheet.headers["Content-Disposition"].endswith('.xlsx"')
    text = xlsx_text(sheet.data)
    assert "Laporan SKM Seksi A1" in text
    assert "Sosialisasi tarif resmi dan pembayaran nontunai" in text
    assert "Kepala Seksi A1" in text and "Belum ditetapkan" in text
    assert "U4 | Biaya/tarif | 1.5 |" in text
    assert "Responden | 2" in text


def test_report_is_for_the_unit_head_and_hr_only(api, world):
    seed(world)
    unit = world.one.staff_a1.unit_id
    api.login(world.one.admin)
    assert api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}&format=xlsx").status_code == 200
    for stranger in (world.one.sup_b, world.two.admin):
        api.login(stranger)
        assert api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}").status_code == 404
        assert api.post("/suara-warga/laporan/tindak-lanjut", data={
            "unit": unit, "dari": "2026-01-01", "sampai": "2026-06-30", "unsur": "u4",
            "plan": "x"}).status_code == 404
    api.login(world.one.staff_a1)  # heads no unit
    assert api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}").status_code == 403
    api.login(world.one.sup_a)
    assert api.get(f"/suara-warga/laporan?unit={unit}&dari=kemarin").status_code == 422
    assert api.get(f"/suara-warga/laporan?unit={unit}&dari=2026-06-01&sampai=2026-01-01"
                   ).status_code == 422


def test_an_empty_period_prints_without_a_plan(api, world):
    api.login(world.one.sup_a)
    unit = world.one.staff_a1.unit_id
    text = pdf_text(api.get(f"/suara-warga/laporan?unit={unit}&{PERIOD}&format=pdf").data)
    assert "Belum ada jawaban survei pada periode ini." in text
