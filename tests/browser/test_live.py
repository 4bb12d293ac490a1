"""Live events in the browser: the employee's open activity page changes without a reload."""

import re
import time

from playwright.sync_api import expect

from app.activities import deadlines
from app.models import utcnow
from tests.browser.conftest import PHONE, sign_in
from tests.feedback.support import submitted
from tests.support import ApiClient


def streams_of(app, person) -> set[int]:
    """The broker's subscriptions of ``person`` now (their identities)."""
    broker = app.extensions["kinerjaku_broker"]
    with broker._lock:
        return {id(s) for group in broker._subscribers.values() for s in group
                if s.person_id == person.id}


def wait_for_stream(app, person, known: set[int], timeout=30):
    """Wait until ``person`` holds a stream that was not among ``known`` (one an earlier test
    left open, or closing meanwhile, changes nothing here)."""
    deadline = time.monotonic() + timeout
    while not streams_of(app, person) - known:
        assert time.monotonic() < deadline, "the page never opened its stream"
        time.sleep(0.05)


def test_supervisor_comment_and_approval_appear_on_the_open_page(browser, live_server, app,
                                                                 world, db):
    owner = world.one.staff_a1
    activity = submitted(owner, on=deadlines.local_today(owner, utcnow()))
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    try:
        page = context.new_page()
        sign_in(page, owner)
        before = streams_of(app, owner)
        page.goto(f"/aktivitas/{activity.id}")
        wait_for_stream(app, owner, before)
        page.evaluate("window.__notReloaded = true")
        badge = page.locator("[data-unread-badge]").first
        expect(badge).to_be_hidden()

        supervisor = ApiClient(app).login(world.one.sup_a)
        response = supervisor.post(f"/api/v1/activities/{activity.id}/comments",
                                   json={"body": "Tolong lampirkan notulen."})
        assert response.status_code == 201
        comment = page.locator(f'#comments .comment[data-comment-id="{response.get_json()["id"]}"]')
        expect(comment.locator(".comment-body")).to_have_text("Tolong lampirkan notulen.")
        expect(comment.locator(".comment-author")).to_have_text(world.one.sup_a.name)
        expect(page.locator("#live-toast")).to_be_visible()
        expect(page.locator("#live-toast")).to_contain_text(world.one.sup_a.name)
        expect(badge).to_be_visible()
        expect(badge).to_contain_text("1")

        version = supervisor.get(f"/api/v1/activities/{activity.id}").get_json()["version"]
        response = supervisor.post(f"/api/v1/activities/{activity.id}/approve",
                                   json={"version": version})
        assert response.status_code == 200, response.get_json()
        status = page.locator(".facts .status").first
        expect(status).to_have_class(re.compile(r"\bstatus-approved\b"))
        expect(status).to_have_text("disetujui")
        expect(badge).to_contain_text("2")
        # The same page all along: nothing was reloaded.
        assert page.evaluate("window.__notReloaded") is True
        assert page.locator("#comments .comment").count() == 1
    finally:
        context.close()


def test_a_returned_self_evaluation_is_told_as_such(browser, live_server, app, world, db):
    """Evaluations share the activities' notification kinds; the toast must still say what
    was returned, not 'Your activity was returned.'"""
    from app.evaluations import services as evaluations
    from tests.evaluations.support import YEAR, fill_realisations, line_skps, quarters

    owner, supervisor = world.one.staff_a1, world.one.sup_a
    period = quarters(world.one)[f"Triwulan IV {YEAR}"]
    line_skps(world.one)
    evaluation, _created = evaluations.open_evaluation(owner, period.id)
    evaluation = fill_realisations(owner, evaluation)
    db.session.commit()
    evaluations.submit_evaluation(owner, evaluation.id, evaluation.version)
    db.session.commit()
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    try:
        page = context.new_page()
        sign_in(page, owner)
        before = streams_of(app, owner)
        page.goto("/")
        wait_for_stream(app, owner, before)
        evaluations.return_evaluation(supervisor, evaluation.id, reason="Lengkapi bukti.")
        db.session.commit()
        toast = page.locator("#live-toast")
        expect(toast).to_be_visible()
        expect(toast).to_contain_text("evaluasi diri")
        expect(toast).not_to_contain_text("aktivitas")
    finally:
        context.close()
