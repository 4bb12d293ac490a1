"""Export jobs: queued, running with progress, done, downloaded; only by their owner."""

from datetime import date, timedelta

import pytest

from app.documents import jobs, services
from app.documents.models import ExportJob, ExportStatus
from tests.documents.conftest import add, fetch, workbook

EXPORTS = "/api/v1/exports"


@pytest.fixture
def held(monkeypatch):
    """Jobs stay queued until the test runs them (as a worker would, later)."""
    queued = []
    monkeypatch.setattr(jobs, "enqueue", queued.append)
    return queued


@pytest.fixture
def unit_month(db, world):
    for person in (world.one.staff_a1, world.one.staff_a2, world.one.sup_a):
        add(db, person, date(2026, 11, 2), f"Kegiatan {person.name}")


def start(api, world):
    return api.post(EXPORTS, json={"kind": "unit_recap", "unit_id": world.one.head.unit_id,
                                   "month": "2026-11"})


def test_lifecycle_queued_running_done_download(api, db, world, unit_month, held):
    api.login(world.one.admin)
    response = start(api, world)

    assert response.status_code == 202
    job = response.get_json()
    assert (job["status"], job["progress"], job["file_url"]) == ("queued", 0, None)
    assert held == [job["id"]]
    assert response.headers["Location"].endswith(f"/api/v1/exports/{job['id']}")
    assert api.get(f"{EXPORTS}/{job['id']}/file").status_code == 409

    seen = []
    jobs.run_job(job["id"], on_progress=lambda percent: seen.append(
        api.get(f"{EXPORTS}/{job['id']}").get_json()))

    assert seen and all(item["status"] == "running" for item in seen)
    progress = [item["progress"] for item in seen]
    assert progress == sorted(progress) and 0 < progress[0] and progress[-1] < 100
    done = api.get(f"{EXPORTS}/{job['id']}").get_json()
    assert (done["status"], done["progress"]) == ("done", 100)
    assert done["filename"].startswith("rekap-unit-ROOT-2026-11")
    assert done["finished_at"] is not None
    download = fetch(api, done["file_url"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert len(workbook(download.data).worksheets) == 2
    assert [item["id"] for item in api.get(EXPORTS).get_json()] == [job["id"]]


@pytest.mark.parametrize("who", ["head", "staff_a1"])
def test_someone_elses_job_is_404(api, db, world, unit_month, who):
    api.login(world.one.admin)
    job = start(api, world).get_json()
    api.login(getattr(world.one, who))
    assert api.get(f"{EXPORTS}/{job['id']}").status_code == 404
    assert api.get(f"{EXPORTS}/{job['id']}/file").status_code == 404
    assert api.get(EXPORTS).get_json() == []


def test_another_organisations_job_is_404(api, db, world, unit_month):
    api.login(world.one.admin)
    job = start(api, world).get_json()
    api.login(world.two.admin)
    assert api.get(f"{EXPORTS}/{job['id']}").status_code == 404
    assert api.get(f"{EXPORTS}/{job['id']}/file").status_code == 404
    assert api.get(f"{EXPORTS}/not-a-job").status_code == 404


def test_a_failing_export_is_marked_failed(api, db, world, unit_month, held, monkeypatch):
    api.login(world.one.admin)
    job = start(api, world).get_json()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "unit_recap", broken)
    jobs.run_job(job["id"])

    failed = api.get(f"{EXPORTS}/{job['id']}").get_json()
    assert failed["status"] == "failed" and failed["error"]
    assert "disk on fire" not in failed["error"]  # no internals shown
    assert api.get(f"{EXPORTS}/{job['id']}/file").status_code == 409


def test_a_job_runs_once(api, db, world, unit_month, held):
    api.login(world.one.admin)
    job_id = start(api, world).get_json()["id"]
    jobs.run_job(job_id)
    first = db.session.get(ExportJob, job_id).finished_at
    jobs.run_job(job_id)  # a redelivered task
    db.session.expire_all()
    job = db.session.get(ExportJob, job_id)
    assert job.status == ExportStatus.DONE and job.finished_at == first


def test_the_queue_task_runs_the_job(api, db, world, unit_month, held):
    api.login(world.one.admin)
    job_id = start(api, world).get_json()["id"]
    jobs.run_export_task.call_local(job_id)
    assert api.get(f"{EXPORTS}/{job_id}").get_json()["status"] == "done"


def test_progress_page_refreshes_without_js_until_done(client, db, world, unit_month, held):
    from tests.test_pages import csrf_from, sign_in

    sign_in(client, world.one.admin)
    form = client.get("/rekap-unit")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'for="unit"' in html and 'for="month"' in html
    response = client.post("/rekap-unit", data={
        "unit_id": str(world.one.head.unit_id), "month": "2026-11",
        "csrf_token": csrf_from(html)})
    assert response.status_code == 303
    page_url = response.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "<progress" in page
    assert "export-progress.js" in page

    jobs.run_job(held[0])
    page = client.get(page_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert f"/ekspor/{held[0]}/unduh" in page
    download = fetch(client, f"/ekspor/{held[0]}/unduh")
    assert download.status_code == 200


def test_unit_recap_form_errors_keep_the_input(client, db, world):
    from tests.test_pages import csrf_from, sign_in

    sign_in(client, world.one.admin)
    html = client.get("/rekap-unit").get_data(as_text=True)
    response = client.post("/rekap-unit", data={
        "unit_id": str(world.one.head.unit_id), "month": "2026-13",
        "csrf_token": csrf_from(html)})
    assert response.status_code == 422
    assert 'value="2026-13"' in response.get_data(as_text=True)
    other = client.post("/rekap-unit", data={
        "unit_id": str(world.two.head.unit_id), "month": "2026-11",
        "csrf_token": csrf_from(html)})
    assert other.status_code == 422


def test_unit_recap_page_is_not_for_staff(client, db, world):
    from tests.test_pages import sign_in

    sign_in(client, world.one.staff_a1)
    assert client.get("/rekap-unit").status_code == 403


def test_old_exports_and_their_files_are_purged(api, db, world, unit_month, export_folder):
    api.login(world.one.admin)
    old_id = start(api, world).get_json()["id"]
    new_id = start(api, world).get_json()["id"]
    old = db.session.get(ExportJob, old_id)
    old_file = jobs.file_path(old)
    assert old_file.is_file()
    old.created_at -= timedelta(days=8)
    db.session.commit()

    assert jobs.purge_old_exports() == 1

    assert not old_file.exists()
    assert db.session.get(ExportJob, old_id) is None
    assert jobs.file_path(db.session.get(ExportJob, new_id)).is_file()
    assert api.get(f"{EXPORTS}/{old_id}").status_code == 404


def test_a_job_interrupted_while_running_is_marked_failed(api, db, world, unit_month, held):
    api.login(world.one.admin)
    job_id = start(api, world).get_json()["id"]
    job = db.session.get(ExportJob, job_id)
    job.status, job.started_at = ExportStatus.RUNNING, job.created_at - timedelta(hours=2)
    db.session.commit()

    jobs.purge_old_exports()

    answer = api.get(f"{EXPORTS}/{job_id}").get_json()
    assert answer["status"] == "failed" and answer["error"]
