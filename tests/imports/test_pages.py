"""/admin/impor: upload, the preview table, apply the same file without a second upload."""

import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.org.models import Person
from tests.factories import new_nip
from tests.imports.support import csv_file, person_row, roster


def post_file(api, content, kind="people", name="pegawai.csv", lang="id"):
    return api.post("/admin/impor", data={"kind": kind, "file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data", headers={"Accept-Language": lang})


def job_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def test_upload_preview_then_apply(api, world, count):
    api.login(world.one.admin)
    nips = [new_nip(), new_nip()]
    rows = roster(world.one) + [person_row(nips[0], "Baru Satu"), person_row(nips[1], "Baru Dua")]
    rows[3][6] = world.one.sup_b.nip
    people = count(Person)
    preview = api.get(job_url(post_file(api, csv_file(rows)))).get_data(as_text=True)
    assert "Pratinjau impor" in preview
    assert preview.count('data-action="create"') == 2
    assert preview.count('data-action="update"') == 1
    # The summary counts what changes, not a Python method ("<built-in method update ...>").
    assert "built-in" not in preview
    assert re.search(r'status-submitted">Diubah</span> 1</li>', preview)
    assert f"{world.one.sup_a.nip} → {world.one.sup_b.nip}" in preview
    assert "Terapkan" in preview
    assert count(Person) == people
    action = re.search(r'action="(/admin/impor/[^"]+/terapkan)"', preview).group(1)
    applied = api.get(job_url(api.post(action, data={}))).get_data(as_text=True)
    assert "Impor telah diterapkan." in applied
    assert count(Person) == people + 2


def test_a_file_with_errors_shows_them_and_offers_no_apply(api, world, count):
    api.login(world.one.admin)
    rows = [person_row(new_nip(), "Baik"), person_row("123", "Salah"),
            person_row(new_nip(), "Unit Salah", unit="NOPE")]
    url = job_url(post_file(api, csv_file(rows)))
    page = api.get(url).get_data(as_text=True)
    assert page.count('data-action="error"') == 2
    assert "Kode unit NOPE tidak dikenal." in page
    assert "/terapkan" not in page
    only = api.get(url + "?kesalahan=1").get_data(as_text=True)
    assert only.count('data-action="error"') == 2 and 'data-action="create"' not in only
    job_id = url.rsplit("/", 1)[1]
    people = count(Person)
    refused = api.post(f"/admin/impor/{job_id}/terapkan", data={})
    assert refused.status_code == 303
    assert count(Person) == people


def test_deactivation_needs_the_checkbox_and_warns_how_many(api, world, db):
    api.login(world.one.admin)
    rows = [row for row in roster(world.one) if row[0] != world.one.staff_b1.nip]
    url = job_url(post_file(api, csv_file(rows)))
    page = api.get(url).get_data(as_text=True)
    assert "1 data aktif" in page and 'name="deactivate_missing"' in page
    job_id = url.rsplit("/", 1)[1]
    api.post(f"/admin/impor/{job_id}/terapkan", data={"deactivate_missing": "1"})
    db.session.expire_all()
    assert not db.session.get(Person, world.one.staff_b1.id).active


def test_missing_file_shows_the_form_again(api, world):
    api.login(world.one.admin)
    response = api.post("/admin/impor", data={"kind": "units"},
                        content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert 'value="units" checked' in page


def test_missing_column_shows_the_form_again_naming_it(api, world):
    api.login(world.one.admin)
    response = post_file(api, csv_file([[new_nip(), "X"]], headers=["nip", "nama"]))
    assert response.status_code == 422
    assert "kode_unit" in response.get_data(as_text=True)


def test_a_big_file_shows_a_progress_bar_then_the_preview(api, world, app, tmp_path,
                                                           monkeypatch):
    """The queue is held back (a worker would take the job): the page shows the bar, whose
    script polls the job's JSON; once the job has run, the same page shows the preview."""
    from app.org.imports import jobs

    queued = []
    monkeypatch.setattr(jobs, "run_import_task", queued.append)
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 2)
    monkeypatch.setitem(app.config, "IMPORT_FOLDER", str(tmp_path))
    api.login(world.one.admin)
    rows = [person_row(new_nip(), f"P{i}") for i in range(3)]
    url = job_url(post_file(api, csv_file(rows)))
    job_id = url.rsplit("/", 1)[1]
    assert queued == [job_id]
    page = api.get(url).get_data(as_text=True)
    assert f'data-import="/api/v1/imports/{job_id}"' in page
    assert '<progress id="import-progress"' in page and "import-progress.js" in page
    assert api.get(f"/api/v1/imports/{job_id}").get_json()["status"] == "queued"
    jobs.run_job(job_id)
    page = api.get(url).get_data(as_text=True)
    assert page.count('data-action="create"') == 3 and "import-progress" not in page


def test_the_page_is_paginated(api, world, monkeypatch):
    monkeypatch.setattr("app.org.imports.views.PAGE_ROWS", 2)
    api.login(world.one.admin)
    rows = [person_row(new_nip(), f"P{i}") for i in range(5)]
    url = job_url(post_file(api, csv_file(rows)))
    first = api.get(url).get_data(as_text=True)
    assert first.count("<tr class=\"import-") == 2 and "Halaman 1 dari" in first
    last = api.get(url + "?halaman=99").get_data(as_text=True)
    assert "Halaman" in last


@pytest.mark.parametrize(("path", "headers"), [
    ("/admin/impor/templat-pegawai.xlsx", ["nip", "nama", "jabatan", "jenis_jabatan",
                                           "golongan", "kode_unit", "nip_atasan", "email"]),
    ("/admin/impor/templat-unit.xlsx", ["kode", "nama", "kode_induk", "zona_waktu"]),
])
def test_templates_have_the_headers_and_an_example(api, world, path, headers):
    api.login(world.one.admin)
    response = api.get(path)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers and len(rows) == 2
    assert all(isinstance(value, str) for value in rows[1])


@pytest.mark.parametrize("who", ["head", "staff_a1"])
@pytest.mark.parametrize(("method", "path"), [
    ("get", "/admin/impor"), ("post", "/admin/impor"),
    ("get", "/admin/impor/templat-pegawai.xlsx")])
def test_pimpinan_and_pegawai_are_refused(api, world, who, method, path):
    api.login(getattr(world.one, who))
    assert getattr(api, method)(path).status_code == 403


def test_another_organisations_job_page_is_not_found(api, world, db):
    api.login(world.one.admin)
    url = job_url(post_file(api, csv_file([person_row(new_nip(), "Satu")])))
    api.login(world.two.admin)
    assert api.get(url).status_code == 404
    assert api.post(url + "/terapkan", data={}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(
        Person.name == "Satu")) == 0
