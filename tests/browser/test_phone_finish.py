"""Issue 14, the rest of finding 8 at a phone viewport: the bottom navigation in English, one
time format per locale, period names in English."""

import re
import time

import pytest
from playwright.sync_api import expect

from app.demo.data import DEMO_PASSWORD
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_pwa import wait_until
from tests.browser.tour import person_for
from tests.factories import PASSWORD

NO_SIDEWAYS = "() => document.scrollingElement.scrollWidth <= window.innerWidth"

#: Each label inside its own item, none running into the next.
LABELS_APART = """() => {
  const items = [...document.querySelectorAll('.app-nav li')];
  const boxes = items.map((li) => {
    const label = li.querySelector('a > span:not(.nav-badge)');
    const range = document.createRange();
    range.selectNodeContents(label);
    const text = range.getBoundingClientRect();
    return { item: li.getBoundingClientRect(), text, name: label.textContent,
             clipped: label.scrollWidth > label.clientWidth };
  });
  return boxes.filter((b, i) => b.clipped || b.text.left < b.item.left - 0.5
    || b.text.right > b.item.right + 0.5
    || (i > 0 && b.text.left < boxes[i - 1].text.right + 2)).map((b) => b.name);
}"""


def settled(page, check: str, timeout: float = 10):
    """``check``'s answer once the page's layout has settled: on a loaded machine the first
    measure can come before the stylesheet applies, when every label is an unstyled span."""
    page.wait_for_load_state("load")
    deadline = time.monotonic() + timeout
    while (result := page.evaluate(check)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return result


def phone_in(browser, live_server, person, language, password=PASSWORD):
    """A phone signed in as `person`, the interface in `language` ("id" or "en")."""
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    page = context.new_page()
    sign_in(page, person, password)
    if language == "en":
        page.goto("/bahasa/en")
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    return context, page


@pytest.mark.parametrize("who", ["sup_a", "admin", "head"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_bottom_navigation_keeps_every_label_apart(browser, live_server, world, who,
                                                       language):
    context, page = phone_in(browser, live_server, getattr(world.one, who), language)
    assert page.locator(".app-nav li").count() >= 5
    assert settled(page, LABELS_APART) == []
    context.close()


#: "23.59": the Indonesian way of writing a time, wrong on an English page.
INDONESIAN_TIME = re.compile(r"\b\d{1,2}\.\d{2}\b")
ENGLISH_TIME = re.compile(r"\b\d{1,2}:\d{2}\s?[AP]M\b")


def test_english_pages_write_times_one_way_and_name_periods_in_english(browser, live_server,
                                                                          demo):
    person = person_for("pegawai", demo.id)
    context, page = phone_in(browser, live_server, person, "en", DEMO_PASSWORD)
    beranda = page.locator("main").inner_text()
    assert "The log for this month locks on" in beranda
    assert ENGLISH_TIME.search(beranda)
    assert not INDONESIAN_TIME.search(beranda), INDONESIAN_TIME.findall(beranda)

    page.goto("/evaluasi")
    periods = page.locator("main").inner_text()
    assert "Quarter" in periods
    assert "Triwulan" not in periods and "Tahunan" not in periods
    context.close()

    context, page = phone_in(browser, live_server, person, "id", DEMO_PASSWORD)
    beranda = page.locator("main").inner_text()
    assert INDONESIAN_TIME.search(beranda) and not ENGLISH_TIME.search(beranda)
    page.goto("/evaluasi")
    assert "Triwulan" in page.locator("main").inner_text()
    context.close()


def test_withdraw_then_delete_a_draft_on_the_phone(browser, live_server, world, db):
    """Finding 9: an unreviewed submission comes back as a draft, and a draft can go; both stay
    in the owner's audit chain."""
    import sqlalchemy as sa

    from app.activities.models import Activity
    from app.audit.models import AuditEntry
    from tests.activities.test_withdraw import submitted

    person = world.one.staff_a1
    activity_id = submitted(db, person, "Rekap absensi pegawai")
    context, page = phone_in(browser, live_server, person, "id")
    page.goto(f"/aktivitas/{activity_id}")
    expect(page.get_by_role("button", name="Hapus draf")).to_have_count(0)
    page.get_by_role("button", name="Tarik kembali").click()
    expect(page.locator(".flashes")).to_contain_text("ditarik kembali")
    expect(page.locator("main .status").first).to_have_text("draf")

    page.get_by_role("button", name="Hapus draf").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator(".flashes")).to_contain_text("Draf dihapus.")
    wait_until(page, "() => true")
    page.wait_for_timeout(500)  # the working set is refreshed: the card must stay away
    expect(page.get_by_text("Rekap absensi pegawai")).to_have_count(0)
    assert page.evaluate(NO_SIDEWAYS)
    context.close()

    db.session.rollback()
    assert db.session.get(Activity, activity_id) is None
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.subject_id == activity_id).order_by(AuditEntry.seq)).all()
    assert actions[-2:] == ["withdraw", "delete"]


def test_activity_lists_show_evidence_thumbnails(browser, live_server, world, db,
                                                evidence_folder):
    """Finding 9: a photo shows as a small image in the day's list, a link as an icon."""
    import io

    from app.activities import evidence
    from tests.browser.test_pwa import log_on_server, png

    person = world.one.staff_a1
    activity = log_on_server(db, person, "Dokumentasi rapat koordinasi", (8, 0), (9, 0))
    evidence.add_file(person, activity.id, stream=io.BytesIO(png(64, 48)), filename="rapat.png")
    evidence.add_link(person, activity.id, url="https://drive.example.org/notulen")
    db.session.commit()
    context, page = phone_in(browser, live_server, person, "id")
    card = page.locator(f'[data-activity-id="{activity.id}"]')
    photo = card.locator("img.evidence-thumb")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    wait_until(page, "(img) => img.complete && img.naturalWidth === 64", photo.element_handle())
    expect(card.locator("svg.evidence-icon")).to_have_count(1)
    assert page.evaluate(NO_SIDEWAYS)
    context.close()


def test_a_supervisor_comments_from_the_team_list_and_stays_there(browser, live_server,
                                                                  world, db):
    """Finding 9: feedback on a team member's activity without leaving /tim."""
    import sqlalchemy as sa

    from app.feedback.models import Comment
    from tests.browser.test_pwa import log_on_server

    staff, supervisor = world.one.staff_a1, world.one.sup_a
    activity = log_on_server(db, staff, "Menyusun notulen rapat", (8, 0), (9, 0))
    context, page = phone_in(browser, live_server, supervisor, "id")
    page.goto("/tim")
    item = page.locator(f'.team-activity[data-activity-id="{activity.id}"]')
    item.get_by_text("Komentari").click()
    item.get_by_label("Umpan balik").fill("Lampirkan daftar hadirnya, ya.")
    item.get_by_role("button", name="Kirim").click()
    page.wait_for_url(f"{live_server}/tim**")
    expect(page.locator(".flashes")).to_contain_text("terkirim")
    assert page.evaluate(NO_SIDEWAYS)
    context.close()
    db.session.rollback()
    bodies = db.session.scalars(sa.select(Comment.body).where(
        Comment.activity_id == activity.id)).all()
    assert bodies == ["Lampirkan daftar hadirnya, ya."]
