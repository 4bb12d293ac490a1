"""Web Push in the real browser: the service worker's push and click handlers, and the page's
subscribe flow (asked after the first saved activity; the switch on Profil).

No push service is reachable from a test browser (RECIPES.md), so pushes are delivered
through the DevTools protocol and ``PushManager.subscribe`` is stubbed with a subscription of
the local fake push service: the server really encrypts and sends, the fake service really
decrypts, and the test hands the plaintext to the browser.
"""

import json
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.notifications.models import NotificationKind, PushSubscription
from app.notifications.push import push_for_notifications
from app.notifications.services import notify
from tests.browser.conftest import PHONE
from tests.browser.test_pwa import sign_in, wait_until
from tests.push.fakepush import FakePushService

NOTIFICATIONS = """() => self.registration.getNotifications().then((ns) => ns.map((n) => ({
    title: n.title, body: n.body, tag: n.tag, icon: n.icon, badge: n.badge, data: n.data})))"""
CLICK_FIRST = """async () => {
    const [notification] = await self.registration.getNotifications();
    self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
}"""
WINDOW_UNFOCUSED = """() => clients.matchAll({ type: "window" })
    .then((cs) => cs.length === 1 && !cs[0].focused)"""
PUSHES_HEARD = "() => (window.__pushes || []).length"

STUB = """(() => {
  const SUB = %s;
  const KEY = "test:subscribed";
  const make = () => ({ endpoint: SUB.endpoint, expirationTime: null, toJSON: () => SUB,
    unsubscribe: async () => { localStorage.removeItem(KEY); return true; } });
  PushManager.prototype.subscribe = async function () {
    localStorage.setItem(KEY, "1");
    return make();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem(KEY) ? make() : null;
  };
  document.addEventListener("kinerjaku:push", (e) => (window.__pushes ||= []).push(e.detail));
})();"""


@pytest.fixture(autouse=True)
def push_config(app, tmp_path_factory):
    saved = {k: app.config.get(k) for k in ("VAPID_PRIVATE_KEY_FILE",
                                             "PUSH_ALLOW_INSECURE_ENDPOINTS", "PUSH_TIMEOUT")}
    app.config.update(VAPID_PRIVATE_KEY_FILE=str(tmp_path_factory.mktemp("vapid") / "k.pem"),
                      PUSH_ALLOW_INSECURE_ENDPOINTS=True, PUSH_TIMEOUT=5)
    yield
    app.config.update(saved)


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    context.grant_permissions(["notifications"], origin=live_server)
    yield context
    context.close()


def deliver(context, page, base, payload) -> None:
    """ServiceWorker.deliverPushMessage, as the browser does when its push service calls."""
    cdp = context.new_cdp_session(page)
    registrations = {}
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.update(
        {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}))
    cdp.send("ServiceWorker.enable")
    while base + "/" not in registrations:
        page.wait_for_timeout(50)
    data = payload if isinstance(payload, str) else json.dumps(payload)
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": base, "registrationId": registrations[base + "/"], "data": data})


def worker(context):
    (service_worker,) = context.service_workers
    return service_worker


def wait_in_worker(context, function, timeout=30):
    """Evaluate ``function`` in the service worker until it gives something, for ``timeout``
    seconds of wall time (a loaded machine runs the worker's promises late)."""
    sw = worker(context)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = sw.evaluate(function)
        if result:
            return result
        context.pages[0].wait_for_timeout(50)
    raise AssertionError(f"timed out after {timeout}s waiting for {function}")


def test_a_push_shows_a_notification_whose_click_opens_the_deep_link(context, live_server,
                                                                     world):
    page = context.new_page()
    sign_in(page, world.one.staff_a1)
    page.goto("/profil")
    # The person is in another tab: ours is open but not focused.
    elsewhere = context.new_page()
    elsewhere.bring_to_front()  # ours goes to the background, as a tab behind another
    for tab, focused in ((page, False), (elsewhere, True)):
        context.new_cdp_session(tab).send("Emulation.setFocusEmulationEnabled",
                                          {"enabled": focused})
    assert wait_in_worker(context, WINDOW_UNFOCUSED)

    deliver(context, page, live_server, {
        "id": 41, "kind": "comment", "title": "Atasan A mengomentari Rapat koordinasi",
        "body": "Mohon lampirkan notulen.", "url": "/notifikasi", "tag": "comment-activity-x"})
    (shown,) = wait_in_worker(context, NOTIFICATIONS)
    assert shown["title"] == "Atasan A mengomentari Rapat koordinasi"
    assert shown["body"] == "Mohon lampirkan notulen."
    assert shown["tag"] == "comment-activity-x"
    assert shown["icon"].endswith("/static/pwa/icons/icon-192.png")
    assert shown["badge"].endswith("/static/pwa/icons/badge-96.png")
    assert shown["data"]["url"] == f"{live_server}/notifikasi"

    # A repeat about the same thing replaces it instead of piling up.
    deliver(context, page, live_server, {"title": "Komentar kedua", "url": "/notifikasi",
                                         "tag": "comment-activity-x"})
    wait_in_worker(context, NOTIFICATIONS.replace("map((n) =>", "filter((n) => n.title === "
                                                  "'Komentar kedua').map((n) =>"))
    assert len(worker(context).evaluate(NOTIFICATIONS)) == 1

    worker(context).evaluate(CLICK_FIRST)
    page.wait_for_url(f"{live_server}/notifikasi")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert worker(context).evaluate(NOTIFICATIONS) == []


def test_a_push_while_the_app_is_in_front_goes_to_the_page_not_a_banner(context,
                                                                         live_server, world):
    context.add_init_script(STUB % json.dumps({"endpoint": "http://127.0.0.1:9/x", "keys": {}}))
    page = context.new_page()
    sign_in(page, world.one.staff_a1)
    page.bring_to_front()
    deliver(context, page, live_server, {"id": 7, "title": "Disetujui", "url": "/"})
    wait_until(page, PUSHES_HEARD)
    assert page.evaluate("() => window.__pushes[0].title") == "Disetujui"
    assert worker(context).evaluate(NOTIFICATIONS) == []


def _subscriptions(db, person):
    db.session.rollback()
    return db.session.scalars(sa.select(PushSubscription)
                              .where(PushSubscription.person_id == person.id)).all()


def test_subscribe_after_the_first_saved_activity_then_a_real_push_arrives(
        context, live_server, world, db, push_service):
    staff = world.one.staff_a1
    device = push_service.new_subscription()
    context.add_init_script(STUB % json.dumps(device))
    page = context.new_page()
    sign_in(page, staff)
    # Never on a first visit.
    expect(page.locator("#push-ask")).to_have_count(0)

    _save_first_activity(page)
    ask = page.locator("#push-ask")
    expect(ask).to_be_visible()
    ask.locator("[data-push-enable]").click()
    expect(ask).to_have_count(0)
    wait_until(page, "() => true")
    for _ in range(100):
        if _subscriptions(db, staff):
            break
        page.wait_for_timeout(50)
    (row,) = _subscriptions(db, staff)
    assert (row.endpoint, row.p256dh) == (device["endpoint"], device["keys"]["p256dh"])

    # The server pushes for real; the fake push service decrypts; the browser gets it.
    notification = notify(staff, NotificationKind.APPROVED, title="Aktivitas disetujui",
                          body="Menyusun notulen rapat", url="/notifikasi")
    db.session.commit()
    push_for_notifications([notification.id])
    plaintext = push_service.for_endpoint(device["endpoint"])[-1]["plaintext"].decode()
    deliver(context, page, live_server, plaintext)
    wait_until(page, PUSHES_HEARD)
    heard = page.evaluate("() => window.__pushes.at(-1)")
    assert (heard["title"], heard["url"], heard["id"]) == (
        "Aktivitas disetujui", "/notifikasi", notification.id)

    # Asked once: the next screen does not ask again.
    page.goto("/")
    expect(page.locator("#push-ask")).to_have_count(0)


def test_profile_switch_turns_push_off_and_on_for_this_device(context, live_server, world,
                                                              db, push_service):
    staff = world.one.staff_a1
    context.add_init_script(STUB % json.dumps(push_service.new_subscription()))
    page = context.new_page()
    sign_in(page, staff)
    page.goto("/profil")
    switch = page.locator("[data-push-toggle]")
    wait_until(page, "() => document.querySelector('[data-push-settings]').dataset.ready === '1'")
    expect(switch).not_to_be_checked()
    switch.check()
    wait_until(page, "() => document.querySelectorAll('[data-device-id]').length === 1")
    expect(switch).to_be_checked()
    assert len(_subscriptions(db, staff)) == 1
    switch.uncheck()
    wait_until(page, "() => document.querySelectorAll('[data-device-id]').length === 0")
    assert _subscriptions(db, staff) == []


def test_signing_out_stops_push_on_this_device(context, live_server, world, db, push_service):
    """A shared phone must not keep showing the previous person's notifications."""
    staff = world.one.staff_a1
    context.add_init_script(STUB % json.dumps(push_service.new_subscription()))
    page = context.new_page()
    sign_in(page, staff)
    page.goto("/profil")
    wait_until(page, "() => document.querySelector('[data-push-settings]').dataset.ready === '1'")
    page.locator("[data-push-toggle]").check()
    wait_until(page, "() => document.querySelectorAll('[data-device-id]').length === 1")
    assert len(_subscriptions(db, staff)) == 1

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/masuk")
    assert _subscriptions(db, staff) == []
    assert page.evaluate("() => localStorage.getItem('test:subscribed')") is None


def test_iphone_safari_in_a_tab_shows_how_to_install_instead_of_the_switch(browser,
                                                                            live_server,
                                                                            world):
    iphone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
    context = browser.new_context(base_url=live_server, locale="id-ID", user_agent=iphone,
                                  **PHONE)
    try:
        page = context.new_page()
        sign_in(page, world.one.staff_a1)
        page.goto("/profil")
        expect(page.locator('[data-push-part="install"]')).to_be_visible()
        expect(page.locator('[data-push-part="switch"]')).to_be_hidden()
    finally:
        context.close()


def _save_first_activity(page):
    page.goto("/aktivitas/baru")
    page.get_by_label("Uraian kegiatan").fill("Menyusun notulen rapat")
    page.get_by_label("Jam mulai").fill("08:00")
    page.get_by_label("Jam selesai").fill("09:00")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/?tanggal=*")


def test_the_question_shows_once_on_beranda_and_not_on_other_pages(
        context, live_server, world, db, push_service):
    """Issue 14, finding 8: unanswered, the card does not follow the person around."""
    context.add_init_script(STUB % json.dumps(push_service.new_subscription()))
    page = context.new_page()
    sign_in(page, world.one.staff_a1)
    _save_first_activity(page)
    expect(page.locator("#push-ask")).to_be_visible()

    for path in ("/target", "/profil", "/"):
        page.goto(path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        expect(page.locator("#push-ask")).to_have_count(0)


def test_the_question_closes_and_stays_closed(context, live_server, world, db, push_service):
    context.add_init_script(STUB % json.dumps(push_service.new_subscription()))
    page = context.new_page()
    sign_in(page, world.one.staff_a1)
    _save_first_activity(page)
    ask = page.locator("#push-ask")
    ask.get_by_role("button", name="Tutup").click()
    expect(ask).to_have_count(0)
    expect(page.locator("#main")).to_be_focused()
    page.reload()
    page.wait_for_timeout(300)
    expect(ask).to_have_count(0)
