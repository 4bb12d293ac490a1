"""Opening and editing an activity with no network, through the same form as online."""

from playwright.sync_api import expect

from tests.browser.test_pwa import log_on_server, open_phone, server_activities, sign_in, wait_until


def test_edit_a_draft_offline_and_it_arrives(browser, live_server, world, db):
    person = world.one.staff_a1
    activity = log_on_server(db, person, "Menyusun notula", (8, 0), (9, 0))
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)  # the working set now holds the draft

    context.set_offline(True)
    page.goto(f"/aktivitas/{activity.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Menyusun notula")
    page.get_by_role("link", name="Ubah").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubah aktivitas")
    expect(page.get_by_label("Uraian kegiatan")).to_have_value("Menyusun notula")
    page.get_by_label("Uraian kegiatan").fill("Menyusun notula rapat koordinasi")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Menyusun notula rapat koordinasi")
    expect(page.locator(".sync-mark")).to_be_visible()
    assert server_activities(db, person)[0].description == "Menyusun notula"

    context.set_offline(False)
    wait_until(page, "async () => (await Kinerjaku.entries()).length === 0", timeout=15)
    [stored] = server_activities(db, person)
    assert (stored.id, stored.description, stored.version) == (
        activity.id, "Menyusun notula rapat koordinasi", 2)
    context.close()


def test_an_approved_activity_cannot_be_edited_offline(browser, live_server, world, db):
    from app.activities import services

    person = world.one.staff_a1
    activity = log_on_server(db, person, "Apel pagi", (7, 0), (7, 30))
    services.submit_activity(person, activity.id)
    services.approve_activity(world.one.sup_a, activity.id)
    db.session.commit()
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    context.set_offline(True)
    page.goto(f"/aktivitas/{activity.id}")
    expect(page.locator("[data-slot=status]")).to_have_text("disetujui")
    expect(page.get_by_role("link", name="Ubah")).to_have_count(0)
    context.close()


def test_comment_written_offline_arrives_once(browser, live_server, world, db):
    from app.feedback.models import Comment

    person = world.one.staff_a1
    activity = log_on_server(db, person, "Rekap absensi", (9, 0), (10, 0))
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    page.goto(f"/aktivitas/{activity.id}")

    context.set_offline(True)
    page.get_by_label("Tulis umpan balik").fill("Daftar hadir menyusul besok.")
    page.locator("form.comment-form button[type=submit]").click()
    mine = page.locator("#comments .comment", has_text="Daftar hadir menyusul besok.")
    expect(mine.locator(".sync-mark")).to_be_visible()

    page.reload()  # offline: the shell draws the activity and its thread from the phone
    expect(page.locator("#comments .comment", has_text="Daftar hadir")).to_be_visible()

    context.set_offline(False)
    wait_until(page, "async () => (await Kinerjaku.entries()).length === 0", timeout=15)
    page.evaluate("Kinerjaku.flush()")  # a second send changes nothing
    db.session.rollback()
    stored = db.session.scalars(db.select(Comment).where(
        Comment.activity_id == activity.id)).all()
    assert [c.body for c in stored] == ["Daftar hadir menyusul besok."]
    context.close()
