"""The export progress page moves its bar and offers the file without reloading."""

from datetime import date

from playwright.sync_api import expect

from app.documents import jobs
from tests.browser.conftest import sign_in
from tests.documents.conftest import add


def test_progress_page_updates_in_place_until_the_file_is_ready(phone, world, db,
                                                                  monkeypatch, tmp_path, app):
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path / "exports"))
    monkeypatch.setattr(jobs, "enqueue", lambda job_id: None)  # a worker runs it later
    add(db, world.one.staff_a1, date(2026, 11, 2), "Kegiatan uji")
    admin = world.one.admin
    job = jobs.start_export(admin, "unit_recap", {"unit_id": admin.unit_id,
                                                  "month": "2026-11"})
    db.session.commit()
    sign_in(phone, admin)
    phone.goto(f"/ekspor/{job.id}")
    bar = phone.locator("#export-progress")
    expect(bar).to_have_attribute("value", "0")
    expect(phone.get_by_role("link", name="Unduh")).to_be_hidden()
    phone.evaluate("window.stillHere = true")

    jobs.run_job(job.id)

    expect(bar).to_have_attribute("value", "100", timeout=10_000)
    download = phone.get_by_role("link", name="Unduh")
    expect(download).to_be_visible()
    assert phone.evaluate("window.stillHere") is True  # updated by the script, not a reload
    with phone.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".xlsx")
