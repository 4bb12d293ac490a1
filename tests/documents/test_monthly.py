"""The monthly report: PDF and XLSX read back, who may get it, bad arguments."""

from datetime import date, datetime, time

import pytest
import time_machine
from flask_babel import gettext as _

from app.activities.models import ActivityStatus
from tests.documents.conftest import add, find_row, flat, pdf_text, workbook

URL = "/api/v1/documents/monthly-report"


@pytest.fixture
def month_of_work(db, world, targets):
    person = world.one.staff_a1
    add(db, person, date(2026, 11, 23), "Menyusun rencana kerja tahunan", target=targets.dokumen,
        quantity=1250, links=["https://drive.example.org/bukti"], files=1)
    add(db, person, date(2026, 11, 24), "Menyusun laporan bulanan", target=targets.laporan,
        quantity=17.1, start=time(13, 0), end=time(15, 30))
    add(db, person, date(2026, 11, 25), "Rapat koordinasi", status=ActivityStatus.SUBMITTED,
        late=True)
    add(db, person, date(2026, 10, 30), "Kegiatan bulan lalu")
    return person


def test_pdf_has_header_activities_summary_and_signatures(api, db, world, month_of_work):
    with time_machine.travel("2026-12-02T03:00:00+00:00", tick=False):
        api.login(month_of_work)
        response = api.get(f"{URL}?month=2026-11&format=pdf&place=Surakarta")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader, text = pdf_text(response.data)
    text = flat(text)
    person, supervisor = world.one.staff_a1, world.one.sup_a
    for expected in (person.name, person.nip, supervisor.name, supervisor.nip,
                     "Penata Muda (III/a)", person.jabatan, "Seksi A1",
                     world.one.org.name.upper(), "NOVEMBER 2026", "November 2026",
                     "Senin, 23 November 2026", "Menyusun rencana kerja tahunan",
                     "13.00–15.30 WIB", "1.250 dokumen", "17,1 laporan", "85,5 %",
                     "Surakarta, 30 November 2026"):
        assert expected in text, expected
    for label in (_("Employee"), _("Supervisor (appraising official)"), _("Summary"),
                  _("Additional / other tasks"), _("waiting for approval")):
        assert flat(label) in text, label
    assert "Kegiatan bulan lalu" not in text
    assert _("Page %(page)s of %(pages)s", page=1, pages=len(reader.pages)) in text


def test_long_month_runs_over_several_numbered_pages(api, db, world, targets):
    person = world.one.staff_a1
    for day in range(1, 31):
        for hour in (8, 10, 13):
            add(db, person, date(2026, 11, day), f"Kegiatan {day}-{hour} " + "uraian " * 12,
                start=time(hour), end=time(hour + 1), target=targets.dokumen, quantity=1)
    api.login(person)

    reader, text = pdf_text(api.get(f"{URL}?month=2026-11").data)

    assert len(reader.pages) >= 4
    for number, page in enumerate(reader.pages, start=1):
        assert _("Page %(page)s of %(pages)s", page=number, pages=len(reader.pages)) \
            in page.extract_text()
    assert "Kegiatan 30-13" in text
    assert flat(_("Days logged")) in flat(text) and "90" in text  # 90 activities


def test_xlsx_has_typed_cells_formats_and_a_frozen_header(api, db, world, month_of_work):
    api.login(month_of_work)
    response = api.get(f"{URL}?month=2026-11&format=xlsx")

    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = workbook(response.data)
    sheet = book.worksheets[0]
    header = find_row(sheet, "No")
    assert sheet.freeze_panes == f"A{header + 1}"
    assert [c.value for c in sheet[header]][:8] == [
        "No", _("Date"), _("Day"), _("Start"), _("End"), _("Time zone"), _("Description"),
        _("RHK / indicator")]
    first = sheet[header + 1]
    assert first[1].value == datetime(2026, 11, 23) and first[1].number_format == "DD/MM/YYYY"
    assert first[2].value == "Senin"
    assert first[6].value == "Menyusun rencana kerja tahunan"
    assert first[7].value == "Tersusunnya dokumen perencanaan / Dokumen"
    assert first[8].value == 1250 and first[8].number_format == "#,##0.##"
    assert first[11].value == 2  # a link and a file
    third = sheet[header + 3]
    assert third[12].value == _("yes")  # late
    assert third[7].value == _("Additional / other tasks")
    assert third[10].value == _("waiting for approval")
    assert sheet.max_row == header + 3
    assert sheet.column_dimensions["G"].width == 50

    summary = book.worksheets[1]
    values = {row[0].value: row[1].value for row in summary.iter_rows() if row[0].value}
    assert values[_("Days logged")] == 3
    assert values[_("Hours")] == 5.5  # 1.5 + 2.5 + 1.5
    assert values[_("Late submissions")] == 1
    laporan = find_row(summary, "Tersusunnya dokumen perencanaan")
    rows = [r for r in summary.iter_rows(min_row=laporan) if r[1].value == "Laporan"]
    assert rows[0][4].value == 17.1
    assert rows[0][5].value == pytest.approx(0.855)
    dokumen = [r for r in summary.iter_rows(min_row=laporan) if r[1].value == "Dokumen"][0]
    assert dokumen[5].value == pytest.approx(1250 / 12, abs=0.001)
    assert dokumen[5].number_format == "0.0%"


@pytest.mark.parametrize(("who", "status"), [("staff_a1", 200), ("sup_a", 200), ("head", 200),
                                         ("admin", 200), ("staff_a2", 404), ("sup_b", 404),
                                         ("staff_b1", 404)])
def test_who_may_get_someone_elses_report(api, db, world, month_of_work, who, status):
    api.login(getattr(world.one, who))
    response = api.get(f"{URL}?month=2026-11&person_id={world.one.staff_a1.id}")
    assert response.status_code == status
    if status == 404:
        assert response.get_json()["error"]["code"] == "not_found"


def test_other_organisation_is_404(api, db, world, month_of_work):
    api.login(world.two.admin)
    response = api.get(f"{URL}?month=2026-11&person_id={world.one.staff_a1.id}")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["month=2026-13", "month=november", "format=doc",
                                   "person_id=abc", "person_id=0", "place=" + "x" * 61,
                                   "month=2026-11-01"])
def test_bad_arguments_are_422(api, db, world, query):
    api.login(world.one.staff_a1)
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_page_shows_the_recap_and_download_links(client, db, world, month_of_work):
    from tests.test_pages import sign_in

    sign_in(client, world.one.staff_a1)
    html = client.get("/laporan-bulanan?bulan=2026-11").get_data(as_text=True)
    assert "Menyusun rencana kerja tahunan" in html
    assert 'for="month"' in html and 'type="month"' in html
    assert "/laporan-bulanan/unduh?bulan=2026-11" in html
    assert "/laporan-bulanan/ekinerja" in html
    pdf = client.get("/laporan-bulanan/unduh?bulan=2026-11&format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "/laporan-bulanan" in client.get("/profil").get_data(as_text=True)


def test_page_of_someone_outside_the_line_is_404(client, db, world, month_of_work):
    from tests.test_pages import sign_in

    sign_in(client, world.one.staff_b1)
    assert client.get(f"/laporan-bulanan?orang={world.one.staff_a1.id}").status_code == 404
    assert client.get(f"/laporan-bulanan/unduh?orang={world.one.staff_a1.id}").status_code \
        == 404
    assert client.get("/laporan-bulanan?bulan=2026-13").status_code == 422


def test_supervisor_page_lists_the_team(client, db, world, month_of_work):
    from tests.test_pages import sign_in

    sign_in(client, world.one.sup_a)
    html = client.get("/laporan-bulanan?bulan=2026-11").get_data(as_text=True)
    assert f"orang={world.one.staff_a1.id}" in html
    assert "/laporan-bulanan/tim?bulan=2026-11" in html
