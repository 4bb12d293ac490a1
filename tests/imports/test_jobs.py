"""Big files run as background jobs: 202, progress and result by job id, within the org."""

import pytest
import sqlalchemy as sa

from app.org.models import ImportJob, ImportStatus, Person
from tests.factories import new_nip
from tests.imports.support import csv_file, person_row, roster, upload


@pytest.fixture
def background(app, tmp_path, monkeypatch):
    """Files over two rows go to the background; uploads in a fresh folder."""
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 2)
    monkeypatch.setitem(app.config, "IMPORT_FOLDER", str(tmp_path / "imports"))
    return tmp_path / "imports"


def new_rows(n=3):
    return [person_row(new_nip(), f"Pegawai {i}", unit="B") for i in range(n)]


def test_a_big_dry_run_is_a_job_with_progress_and_result(api, world, background, count):
    api.login(world.one.admin)
    people = count(Person)
    response = upload(api, csv_file(roster(world.one) + new_rows()), dry_run=True)
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert response.headers["Location"] == f"/api/v1/imports/{job['id']}"
    assert job["status"] == "queued" and job["dry_run"] is True
    done = api.get(f"/api/v1/imports/{job['id']}").get_json()
    assert done["status"] == "done" and done["progress"] == 100
    assert done["result"]["summary"]["create"] == 3
    assert count(Person) == people
    assert len(list(background.rglob("*.csv"))) == 1  # a preview keeps its file


def test_a_preview_job_is_applied_without_a_new_upload(api, world, background, count):
    api.login(world.one.admin)
    people = count(Person)
    job = upload(api, csv_file(roster(world.one) + new_rows()), dry_run=True).get_json()
    response = api.post(f"/api/v1/imports/{job['id']}/apply")
    assert response.status_code == 202, response.get_json()
    applied = api.get(f"/api/v1/imports/{response.get_json()['id']}").get_json()
    assert applied["status"] == "done" and applied["dry_run"] is False
    assert count(Person) == people + 3
    assert list(background.rglob("*.csv")) == []  # removed when the apply ended
    again = api.post(f"/api/v1/imports/{job['id']}/apply")
    assert again.status_code == 422  # its file is gone with the apply


def test_a_big_apply_with_an_error_fails_and_writes_nothing(api, world, background, count):
    api.login(world.one.admin)
    rows = new_rows() + [person_row("123", "Salah")]
    people = count(Person)
    job = upload(api, csv_file(rows), dry_run=False).get_json()
    failed = api.get(f"/api/v1/imports/{job['id']}").get_json()
    assert failed["status"] == "failed"
    assert failed["result"]["summary"]["errors"] == 1
    assert count(Person) == people
    assert list(background.rglob("*.csv")) == []


def test_a_big_apply_writes_in_the_background(api, world, background, db):
    api.login(world.one.admin)
    rows = new_rows(4)
    job = upload(api, csv_file(roster(world.one) + rows), dry_run=False).get_json()
    assert api.get(f"/api/v1/imports/{job['id']}").get_json()["status"] == "done"
    names = set(db.session.scalars(sa.select(Person.name).where(
        Person.nip.in_([row[0] for row in rows]))))
    assert names == {f"Pegawai {i}" for i in range(4)}


def test_another_organisations_job_is_not_found(api, world, background, db):
    api.login(world.one.admin)
    job = upload(api, csv_file(new_rows()), dry_run=True).get_json()
    api.login(world.two.admin)
    assert api.get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert api.post(f"/api/v1/imports/{job['id']}/apply").status_code == 404
    assert api.get("/api/v1/imports/not-a-job").status_code == 404
    stored = db.session.get(ImportJob, job["id"])
    assert stored.status == ImportStatus.DONE and stored.org_id == world.one.org.id


def test_old_previews_and_their_files_are_purged(api, world, background, db):
    from datetime import timedelta

    from app.models import utcnow
    from app.org.imports import jobs

    api.login(world.one.admin)
    job = upload(api, csv_file(new_rows()), dry_run=True).get_json()
    fresh = upload(api, csv_file(new_rows()), dry_run=True).get_json()
    db.session.get(ImportJob, job["id"]).created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    assert len(list(background.rglob("*.csv"))) == 2
    assert jobs.purge_old_imports() == 1
    assert db.session.get(ImportJob, job["id"]) is None
    assert db.session.get(ImportJob, fresh["id"]) is not None
    assert [path.stem for path in background.rglob("*.csv")] == [fresh["id"]]


def test_only_hr_administrators_see_an_import_job(app, world):
    """A job's rows name the staff with their e-mail: nobody else of the organisation, not
    even pimpinan, may read it, whoever learns its id."""
    from app.extensions import db
    from app.org.models import ImportJob, ImportKind, ImportStatus
    from tests.support import ApiClient

    job = ImportJob(org_id=world.one.org.id, owner_id=world.one.admin.id,
                    kind=ImportKind.PEOPLE, dry_run=True, status=ImportStatus.DONE,
                    progress=100, result={"summary": {"create": 0, "update": 0, "unchanged": 0,
                                                      "deactivate": 0, "errors": 0},
                                          "rows": []})
    db.session.add(job)
    db.session.commit()
    for who in ("staff_a1", "sup_a", "head"):
        client = ApiClient(app).login(getattr(world.one, who))
        assert client.get(f"/api/v1/imports/{job.id}").status_code == 404, who
    admin = ApiClient(app).login(world.one.admin)
    assert admin.get(f"/api/v1/imports/{job.id}").status_code == 200
