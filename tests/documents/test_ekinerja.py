"""The e-Kinerja daily progress export: CSV bytes, XLSX cells, evidence links, options."""

import csv
import io
from datetime import date, datetime

import pytest

from app.activities.models import ActivityStatus
from app.documents.recaps import EKINERJA_HEADINGS
from tests.documents.conftest import add, fetch, workbook

URL = "/api/v1/documents/ekinerja"


@pytest.fixture
def logged(db, world, targets):
    person = world.one.staff_a1
    return {
        "link": add(db, person, date(2026, 11, 2), "Rapat dengan warga, Kelurahan Jebres",
                    target=targets.dokumen, quantity=1,
                    links=["https://drive.example.org/notulen"]),
        "file": add(db, person, date(2026, 11, 3), "Memeriksa berkas “izin” – tahap 2",
                    files=1),
        "none": add(db, person, date(2026, 11, 4), "Pelayanan di loket"),
        "submitted": add(db, person, date(2026, 11, 5), "Menunggu persetujuan",
                         status=ActivityStatus.SUBMITTED),
        "draft": add(db, person, date(2026, 11, 6), "Masih draf", status=ActivityStatus.DRAFT),
        "outside": add(db, person, date(2026, 12, 1), "Bulan berikutnya"),
    }


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_bom_header_and_approved_rows_with_absolute_links(api, db, world, logged):
    api.login(world.one.staff_a1)
    response = api.get(f"{URL}?from=2026-11-01&to=2026-11-30&format=csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response.data)
    assert rows[0] == list(EKINERJA_HEADINGS)
    assert [row[0] for row in rows[1:]] == ["2026-11-02", "2026-11-03", "2026-11-04"]
    link, file, none = rows[1:]
    assert link[1] == "Rapat dengan warga, Kelurahan Jebres"
    assert link[2] == "https://drive.example.org/notulen"
    assert link[3] == "Tersusunnya dokumen perencanaan / Dokumen"
    attachment = logged["file"].attachments[0]
    assert file[1] == "Memeriksa berkas “izin” – tahap 2"
    assert file[2] == f"http://localhost/api/v1/attachments/{attachment.id}"
    assert none[2] == f"http://localhost/aktivitas/{logged['none'].id}"


def test_submitted_activities_on_request(api, db, world, logged):
    api.login(world.one.staff_a1)
    rows = read_csv(api.get(f"{URL}?from=2026-11-01&to=2026-11-30&format=csv"
                            "&include_submitted=true").data)
    descriptions = [row[1] for row in rows[1:]]
    assert "Menunggu persetujuan" in descriptions
    assert "Masih draf" not in descriptions and "Bulan berikutnya" not in descriptions


def test_xlsx_has_date_cells_and_hyperlinks(api, db, world, logged):
    api.login(world.one.sup_a)
    response = api.get(f"{URL}?from=2026-11-01&to=2026-11-30&person_id="
                       f"{world.one.staff_a1.id}")

    assert response.status_code == 200
    sheet = workbook(response.data).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(EKINERJA_HEADINGS)
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == datetime(2026, 11, 2) and sheet["A2"].number_format == \
        "DD/MM/YYYY"
    assert sheet["C2"].value == "https://drive.example.org/notulen"
    assert sheet["C2"].hyperlink.target == "https://drive.example.org/notulen"
    assert sheet.max_row == 4


@pytest.mark.parametrize(("who", "status"), [("staff_a2", 404), ("sup_b", 404), ("admin", 200)])
def test_only_the_line_and_hr_get_someone_elses_progress(api, db, world, logged, who, status):
    api.login(getattr(world.one, who))
    response = api.get(f"{URL}?from=2026-11-01&to=2026-11-30&person_id="
                       f"{world.one.staff_a1.id}")
    assert response.status_code == status


def test_other_organisation_is_404(api, db, world, logged):
    api.login(world.two.admin)
    response = api.get(f"{URL}?from=2026-11-01&to=2026-11-30&person_id="
                       f"{world.one.staff_a1.id}")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["from=2026-11-30&to=2026-11-01", "from=2026-11-01",
                                   "from=2025-01-01&to=2026-11-30",
                                   "from=2026-11-01&to=2026-11-30&format=pdf",
                                   "from=1-11-2026&to=2026-11-30"])
def test_bad_arguments_are_422(api, db, world, query):
    api.login(world.one.staff_a1)
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 422


def test_a_large_export_becomes_a_job(app, api, db, world, logged, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIRECT_MAX_ROWS", 2)
    api.login(world.one.staff_a1)
    response = api.get(f"{URL}?from=2026-11-01&to=2026-11-30&format=csv")

    assert response.status_code == 202
    job = response.get_json()
    assert job["kind"] == "ekinerja_csv" and job["status"] == "done"
    rows = read_csv(fetch(api, job["file_url"]).data)
    assert len(rows) == 4


def test_page_download_follows_the_same_rules(client, db, world, logged):
    from tests.test_pages import sign_in

    sign_in(client, world.one.staff_a1)
    response = client.get("/laporan-bulanan/ekinerja?dari=2026-11-01&sampai=2026-11-30"
                          "&format=csv&diajukan=1")
    assert response.status_code == 200
    assert len(read_csv(response.data)) == 5
    assert client.get("/laporan-bulanan/ekinerja?dari=2026-11-30&sampai=2026-11-01") \
        .status_code == 422
