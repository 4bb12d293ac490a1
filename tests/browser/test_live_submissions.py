"""Live submissions in the browser: the supervisor's open /tim shows what the employee sends,
within two seconds and without a reload, whether sent online or replayed from the outbox of
a phone that was offline."""

from playwright.sync_api import expect

from app.activities.models import ActivityStatus
from app.targets.models import SkpStatus
from tests.browser import conftest
from tests.browser.test_live import streams_of, wait_for_stream
from tests.browser.test_pwa import OUTBOX_EMPTY, open_phone, server_activities, sign_in, wait_until
from tests.targets.factories import cascade

#: What "at once" means for the supervisor.
AT_ONCE_MS = 2_000


def log_and_send(page, description):
    """Log an activity through the employee's form and send it for approval."""
    page.get_by_role("link", name="Catat aktivitas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat aktivitas")
    page.get_by_label("Uraian kegiatan").fill(description)
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator(".activity-card", has_text=description)).to_be_visible()


def sent_activity(team_page, person, description):
    return team_page.locator(
        f'section.team-person[data-person-id="{person.id}"] .team-activity',
        has_text=description)


def test_the_supervisors_open_team_page_shows_submissions_at_once(browser, live_server, app,
                                                                   world, db):
    employee, supervisor = world.one.staff_a1, world.one.sup_a
    cascade(world.one, staff_status=SkpStatus.APPROVED)
    db.session.commit()
    desk = browser.new_context(base_url=live_server, locale="id-ID", **conftest.PHONE)
    phone = open_phone(browser, live_server)
    try:
        team_page = desk.new_page()
        conftest.sign_in(team_page, supervisor)
        before = streams_of(app, supervisor)
        team_page.goto("/tim")
        wait_for_stream(app, supervisor, before)
        team_page.evaluate("window.__notReloaded = true")
        badge = team_page.locator("[data-unread-badge]").first
        unread = int(badge.text_content().split()[0])  # (the SKPs sent in the set-up)

        page = phone.new_page()
        sign_in(page, employee)
        log_and_send(page, "Menyusun telaahan staf")
        wait_until(page, OUTBOX_EMPTY, timeout=15)
        sent = sent_activity(team_page, employee, "Menyusun telaahan staf")
        expect(sent).to_be_visible(timeout=AT_ONCE_MS)
        # The unread badge in the menu counts it too, without a reload.
        expect(badge).to_be_visible(timeout=AT_ONCE_MS)
        expect(badge).to_contain_text(f"{unread + 1} belum dibaca")
        # Drawn with its review forms, ready to approve.
        expect(sent.get_by_role("button", name="Setujui")).to_be_visible()

        phone.set_offline(True)
        page.reload()
        log_and_send(page, "Rapat koordinasi daring")
        expect(page.locator("#outbox-badge")).to_have_text("1 menunggu sinkron")
        team_page.wait_for_timeout(500)
        expect(sent_activity(team_page, employee, "Rapat koordinasi daring")).to_have_count(0)

        phone.set_offline(False)  # the outbox replays the submission
        wait_until(page, OUTBOX_EMPTY, timeout=15)
        expect(sent_activity(team_page, employee, "Rapat koordinasi daring")).to_be_visible(
            timeout=AT_ONCE_MS)
        assert team_page.evaluate("window.__notReloaded") is True
        assert sorted((a.description, a.status) for a in server_activities(db, employee)) == [
            ("Menyusun telaahan staf", ActivityStatus.SUBMITTED),
            ("Rapat koordinasi daring", ActivityStatus.SUBMITTED)]
        # Shown once each, however many events the stream replayed.
        assert team_page.locator(".team-activity").count() == 2
    finally:
        phone.close()
        desk.close()
