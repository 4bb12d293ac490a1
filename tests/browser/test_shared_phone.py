"""One phone, several people (issue 14, finding 2): signing out never loses an unsent entry,
never shows it to the next person, and a signed-out visitor offline sees nothing personal."""

from playwright.sync_api import expect

from tests.browser.test_pwa import (
    OUTBOX_EMPTY,
    open_phone,
    server_activities,
    sign_in,
    wait_until,
)

BATCH = "**/api/v1/activities/batch"


def log_while_unsent(context, page, description):
    """Log an activity that cannot reach the server (the batch request fails)."""
    context.route(BATCH, lambda route: route.abort("internetdisconnected"))
    page.get_by_role("link", name="Catat aktivitas").click()
    page.get_by_label("Uraian kegiatan").fill(description)
    page.get_by_role("button", name="Simpan", exact=True).click()
    card = page.locator(".activity-card", has_text=description)
    expect(card.locator(".sync-mark")).to_be_visible()
    expect(page.locator("#outbox-badge")).to_have_text("1 menunggu sinkron")


def signed_in_phone(browser, live_server, person):
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    return context, page


def open_sign_out(page):
    page.goto("/profil")
    page.get_by_role("button", name="Keluar", exact=True).click()
    return page.get_by_role("dialog", name="Belum terkirim")


def expect_nobody_offline(context, page, *secrets):
    """Offline, the app opens with no name, no activities, no navigation, no outbox."""
    context.set_offline(True)
    page.goto("/")
    view = page.locator("#offline-view")
    expect(view.get_by_role("heading", level=1)).to_have_text("Anda sedang offline")
    expect(page.get_by_role("navigation")).to_be_hidden()
    expect(page.get_by_role("link", name="Catat aktivitas")).to_have_count(0)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    text = page.locator("body").inner_text()
    for secret in secrets:
        assert secret not in text
    context.set_offline(False)


def test_sign_out_seals_the_unsent_entry_to_its_owner(browser, live_server, world, db):
    owner, next_person = world.one.staff_a1, world.one.staff_a2
    context, page = signed_in_phone(browser, live_server, owner)
    log_while_unsent(context, page, "Menyusun laporan keuangan triwulan")

    dialog = open_sign_out(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 entri belum terkirim.")
    expect(dialog.get_by_role("listitem")).to_have_text(["Menyusun laporan keuangan triwulan"])
    dialog.get_by_role("button", name="Kirim dulu").click()
    expect(dialog.get_by_role("status")).to_contain_text("Belum semua dapat terkirim")
    dialog.get_by_role("button", name="Keluar, simpan untuk saya").click()
    page.wait_for_url("**/masuk")
    assert server_activities(db, owner) == []

    expect_nobody_offline(context, page, owner.name, "Menyusun laporan keuangan")

    # The next person on this phone: not shown, not counted, not sent under their session.
    context.unroute(BATCH)
    sign_in(page, next_person)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    assert "Menyusun laporan keuangan" not in page.locator("body").inner_text()
    assert page.evaluate("() => Kinerjaku.pendingCount()") == 0
    page.evaluate("() => KinerjakuApp.flush()")
    assert server_activities(db, owner) == [] and server_activities(db, next_person) == []
    context.set_offline(True)
    page.goto("/")
    expect(page.locator("#offline-view h1")).to_have_text(next_person.name)
    assert "Menyusun laporan keuangan" not in page.locator("body").inner_text()
    context.set_offline(False)
    page.goto("/profil")
    page.get_by_role("button", name="Keluar", exact=True).click()  # nothing waits: no dialog
    page.wait_for_url("**/masuk")

    # Its owner signs in again: it is sent, once.
    sign_in(page, owner)
    wait_until(page, OUTBOX_EMPTY, timeout=15)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    assert [a.description for a in server_activities(db, owner)] == [
        "Menyusun laporan keuangan triwulan"]
    context.close()


def test_send_first_sends_then_signs_out(browser, live_server, world, db):
    person = world.one.staff_a1
    context, page = signed_in_phone(browser, live_server, person)
    log_while_unsent(context, page, "Rekap daftar hadir apel pagi")
    dialog = open_sign_out(page)
    expect(dialog.get_by_role("listitem")).to_have_text(["Rekap daftar hadir apel pagi"])
    context.unroute(BATCH)  # the connection is back
    dialog.get_by_role("button", name="Kirim dulu").click()
    page.wait_for_url("**/masuk")
    assert [a.description for a in server_activities(db, person)] == [
        "Rekap daftar hadir apel pagi"]
    assert page.evaluate("() => Kinerjaku.entries().then((e) => e.length)") == 0
    expect_nobody_offline(context, page, person.name, "Rekap daftar hadir")
    context.close()


def test_signed_out_visitor_offline_sees_no_navigation(browser, live_server, world, db):
    person = world.one.staff_a1
    context, page = signed_in_phone(browser, live_server, person)
    page.goto("/profil")
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url("**/masuk")
    expect_nobody_offline(context, page, person.name)
    context.close()
