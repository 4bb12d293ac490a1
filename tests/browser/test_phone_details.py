"""Small things that spoil a phone (issue 14, finding 8), at 360 px in Bahasa Indonesia."""

from playwright.sync_api import expect

from app.activities.services import review
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_pwa import log_on_server


def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    return context, context.new_page()


def test_the_sixth_wrong_password_keeps_the_form_and_says_how_long(browser, live_server,
                                                                   world):
    person = world.one.staff_a1
    context, page = phone(browser, live_server)
    page.goto("/masuk")
    for _ in range(6):
        page.get_by_label("NIP").fill(person.nip)
        page.get_by_label("Kata sandi").fill("salah-sekali")
        page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("Mohon tunggu 15 menit")
    expect(page.get_by_label("NIP")).to_have_value(person.nip)
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()
    context.close()


def test_team_items_open_the_return_reason_only_when_asked(browser, live_server, world, db):
    staff, supervisor = world.one.staff_a1, world.one.sup_a
    for start, text in ((7, "Rekap surat masuk"), (9, "Entri data cuti")):
        activity = log_on_server(db, staff, text, (start, 0), (start + 1, 0))
        review.submit_activity(staff, activity.id)
    db.session.commit()
    context, page = phone(browser, live_server)
    sign_in(page, supervisor)
    page.goto("/tim")
    expect(page.get_by_label("Alasan dikembalikan")).to_have_count(2)
    for field in page.get_by_label("Alasan dikembalikan").all():
        expect(field).to_be_hidden()
    item = page.locator(".team-activity", has_text="Rekap surat masuk")
    item.locator("summary", has_text="Kembalikan").click()
    expect(item.get_by_label("Alasan dikembalikan")).to_be_visible()
    expect(page.locator(".team-activity", has_text="Entri data cuti")
           .get_by_label("Alasan dikembalikan")).to_be_hidden()
    context.close()


def test_cards_keep_the_description_wide_and_the_badge_keeps_the_name(browser, live_server,
                                                                       world, db):
    person = world.one.staff_a1
    activity = log_on_server(db, person, "Menyusun rekapitulasi kehadiran pegawai bulanan",
                             (7, 30), (8, 30))
    review.submit_activity(person, activity.id)
    db.session.commit()
    context, page = phone(browser, live_server)
    sign_in(page, person)
    shares = page.evaluate("""() => Array.from(document.querySelectorAll(".activity-card"))
        .map((card) => card.querySelector(".activity-description").getBoundingClientRect()
          .width / card.getBoundingClientRect().width)""")
    assert shares and min(shares) > 0.7, shares
    page.evaluate("""() => { const b = document.getElementById("outbox-badge");
        b.hidden = false; b.textContent = "12 menunggu sinkron"; }""")
    name = page.locator(".header-person")
    assert name.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
    context.close()
