"""The installable, offline-first app in the real browser: the service worker, the offline
shell, the outbox (exactly once, through closed tabs and conflicts) and updates.

Each test starts from a fresh browser profile: the service worker installs on the first page,
and the working set is fetched after signing in, as on a new phone.
"""

import base64
import hashlib
import json
import struct
import threading
import time as time_module
import urllib.request
import zlib
from datetime import time

import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from app.activities import services as activity_services
from app.activities.deadlines import local_today
from app.activities.models import Activity, ActivityStatus, Attachment
from app.models import utcnow
from app.targets.models import SkpStatus
from tests.browser.conftest import CHROMIUM, FLAGS, PHONE
from tests.factories import PASSWORD
from tests.targets.factories import cascade

# Functions, not expressions: Playwright evaluates expressions with eval(), which the app's
# Content-Security-Policy forbids (and the tests run under the real policy).
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
OUTBOX_EMPTY = "() => Kinerjaku.pendingCount().then((n) => n === 0)"
REFRESHED = "() => Kinerjaku.getMeta('refreshed_at').then(Boolean)"


# ---- helpers ------------------------------------------------------------------------------

def png(width: int, height: int) -> bytes:
    """A real RGB PNG (a busy pattern, so JPEG re-encoding has something to do)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack("!I", len(data)) + kind + data
                + struct.pack("!I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(
        b"\x00" + bytes(channel for x in range(width)
                        for channel in (x * 255 // width, y * 255 // height, (x * y) % 256))
        for y in range(height))
    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


#: What a poll may meet while the page is still loading its scripts or navigating.
NOT_YET = ("is not defined", "Execution context was destroyed", "navigation")


def wait_until(page, function: str, arg=None, timeout: float = 20):
    """Poll a JS function (which may return a promise) until it answers truthy. Until the
    page's scripts have loaded (a loaded machine runs them late) the poll goes on."""
    deadline = time_module.monotonic() + timeout
    while True:
        try:
            if page.evaluate(function, arg):
                return
        except PlaywrightError as error:
            if not any(words in str(error) for words in NOT_YET):
                raise
        assert time_module.monotonic() < deadline, f"timed out waiting for {function}"
        page.wait_for_timeout(50)


def open_phone(browser, live_server):
    return browser.new_context(base_url=live_server, locale="id-ID", **PHONE)


def sign_in(page, person):
    """Sign in, then wait until the worker controls the page and the working set is kept."""
    page.goto("/masuk")
    # The worker installs on the first page. Waiting for it here keeps the sign-in navigation
    # from racing its activation (a page loaded while it installs is controlled only from the
    # next navigation on, as on a real phone).
    wait_until(page, CONTROLLED)
    page.get_by_label("NIP").fill(person.nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.name)
    wait_until(page, CONTROLLED)
    wait_until(page, REFRESHED)


def server_activities(db, person) -> list[Activity]:
    db.session.rollback()  # see what the server's requests committed
    return db.session.scalars(sa.select(Activity).where(Activity.person_id == person.id)
                              .order_by(Activity.start_time)).all()


def today_of(person):
    return local_today(person, utcnow())


def log_on_server(db, person, description, start, end) -> Activity:
    saved = activity_services.create_activity(
        person, date=today_of(person), start_time=time(*start), end_time=time(*end),
        description=description, work_kind="lainnya")
    db.session.commit()
    return saved.activity


def queue(page, person, descriptions, *, submit=(), photo=None):
    """Queue creates through the page's store, as the form does (``submit``: indexes to send
    for approval at once; ``photo``: PNG bytes attached to the last one). Returns the UUIDs."""
    return page.evaluate("""async ([day, descriptions, submit, photo]) => {
        const ids = [];
        for (const [i, description] of descriptions.entries()) {
          const last = i === descriptions.length - 1;
          const blob = photo && last
            ? new Blob([Uint8Array.from(atob(photo), (c) => c.charCodeAt(0))],
              { type: "image/png" })
            : null;
          const local = await Kinerjaku.createActivity({ date: day, description,
            start_time: `${String(8 + i).padStart(2, "0")}:00`,
            end_time: `${String(8 + i).padStart(2, "0")}:45`, work_kind: "lainnya" },
            { submit: submit.includes(i), photo: blob, photoName: blob && "foto.png" });
          ids.push(local.id);
        }
        return ids;
    }""", [today_of(person).isoformat(), descriptions, list(submit),
           photo and base64.b64encode(photo).decode()])


class Gate:
    """WSGI middleware: the batch request runs and commits on the server, then its answer is
    held back until the test opens the gate, as on a network that drops the way back."""

    def __init__(self, app):
        self.app = app
        self.calls = 0
        self.held = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] != "/api/v1/activities/batch":
            return self.app(environ, start_response)
        self.calls += 1
        if self.calls > 1:
            return self.app(environ, start_response)
        answer = {}

        def keep(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None

        result = self.app(environ, keep)
        body = b"".join(result)  # the request runs to the end: it has committed
        if hasattr(result, "close"):
            result.close()
        self.held.set()
        self.release.wait(timeout=30)
        start_response(answer["status"], answer["headers"])
        return [body]


# ---- installable --------------------------------------------------------------------------

def test_worker_controls_the_page_and_the_app_is_installable(browser, live_server, tmp_path):
    # An ordinary (persistent) profile: Chromium refuses installs in incognito contexts.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
        base_url=live_server, locale="id-ID")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/masuk")
        wait_until(page, CONTROLLED)
        scope, script = page.evaluate("""() => navigator.serviceWorker.getRegistration()
            .then((r) => [r.scope, r.active.scriptURL])""")
        assert (scope, script) == (f"{live_server}/", f"{live_server}/sw.js")
        caches = page.evaluate("() => caches.keys()")
        assert any(name.startswith("kinerjaku-shell-") for name in caches), caches

        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{live_server}/manifest.webmanifest"
        assert manifest["errors"] == []
        data = json.loads(manifest["data"])
        assert data["name"] and data["short_name"]
        assert data["start_url"].startswith("/") and data["display"] == "standalone"
        assert data["theme_color"] == "#0b5394"
        icons = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
        assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons
        assert [s["name"] for s in data["shortcuts"]] == ["Catat aktivitas"]
        assert data["shortcuts"][0]["url"].startswith("/aktivitas/baru")
        # Chromium's own verdict (it fetches the manifest's icons and checks the worker).
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


# ---- offline ------------------------------------------------------------------------------

def test_offline_reload_draws_the_day_from_the_phone(browser, live_server, world, db):
    person = world.one.staff_a1
    log_on_server(db, person, "Rapat koordinasi dengan kepala dinas", (7, 30), (8, 30))
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)

    context.set_offline(True)
    page.reload()
    assert page.evaluate("() => navigator.onLine") is False
    view = page.locator("#offline-view")
    expect(view.get_by_role("heading", level=1)).to_have_text(person.name)
    expect(view.get_by_role("link", name="Catat aktivitas")).to_be_visible()
    expect(view.locator(".activity-card")).to_have_count(1)
    expect(view.locator(".activity-card")).to_contain_text("Rapat koordinasi dengan kepala dinas")
    expect(page.locator("#connection-banner")).to_be_visible()
    context.close()


def test_activities_logged_offline_arrive_once_with_their_photo(browser, live_server, world, db,
                                                                evidence_folder):
    person = world.one.staff_a1
    cascade(world.one, staff_status=SkpStatus.APPROVED)
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    photo = png(240, 160)

    context.set_offline(True)
    page.reload()
    logged = [("Menyusun draf laporan bulanan", "Simpan", None),
              ("Memeriksa surat masuk", "Simpan", None),
              ("Dokumentasi kegiatan posyandu", "Kirim", photo)]
    for description, button, upload in logged:
        page.get_by_role("link", name="Catat aktivitas").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Catat aktivitas")
        page.get_by_label("Uraian kegiatan").fill(description)
        if upload:
            page.get_by_label("Bukti dukung (foto atau PDF)").set_input_files(
                {"name": "posyandu.png", "mimeType": "image/png", "buffer": upload})
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".activity-card", has_text=description)).to_be_visible()
    expect(page.locator("#outbox-badge")).to_have_text("3 menunggu sinkron")
    expect(page.locator(".activity-card .sync-mark:visible")).to_have_count(3)
    # Long words and long status names stay inside their card on a narrow phone.
    assert page.evaluate("""() => Array.from(document.querySelectorAll(".activity-card"))
        .filter((card) => Array.from(card.querySelectorAll("*")).some((part) =>
          part.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5))
        .length""") == 0

    # What the phone will send: its UUIDs, and the photo as kept in the outbox (compressed).
    queued = page.evaluate("""async () => {
        const out = { creates: [], photo: null };
        for (const e of await Kinerjaku.entries()) {
          if (e.op === "create") out.creates.push([e.id, e.data.description]);
          if (e.kind === "attachment") {
            const bytes = await e.blob.arrayBuffer();
            const digest = await crypto.subtle.digest("SHA-256", bytes);
            const bitmap = await createImageBitmap(e.blob);
            out.photo = { id: e.id, activityId: e.activityId, type: e.blob.type,
              sha256: Array.from(new Uint8Array(digest),
                (b) => b.toString(16).padStart(2, "0")).join(""),
              size: [bitmap.width, bitmap.height] };
          }
        }
        return out;
    }""")
    assert [text for _, text in queued["creates"]] == [d for d, _, _ in logged]
    assert queued["photo"]["size"] == [240, 160]
    assert not server_activities(db, person)

    context.set_offline(False)
    expect(page.locator("#outbox-badge")).to_be_hidden(timeout=15_000)
    wait_until(page, OUTBOX_EMPTY)

    stored = server_activities(db, person)
    assert sorted(a.id for a in stored) == sorted(uuid for uuid, _ in queued["creates"])
    by_id = {a.id: a for a in stored}
    for (uuid, description), (_, button, _) in zip(queued["creates"], logged, strict=True):
        assert by_id[uuid].description == description
        expected = ActivityStatus.SUBMITTED if button == "Kirim" else ActivityStatus.DRAFT
        assert by_id[uuid].status == expected
    attachment = db.session.scalars(sa.select(Attachment)).one()
    assert attachment.id == queued["photo"]["id"]
    assert attachment.activity_id == queued["photo"]["activityId"]
    assert attachment.sha256 == queued["photo"]["sha256"]
    on_disk = (evidence_folder / attachment.storage_key).read_bytes()
    assert hashlib.sha256(on_disk).hexdigest() == queued["photo"]["sha256"]
    # And it is still a photo of the same size when downloaded.
    assert page.evaluate("""(id) => fetch(`/api/v1/attachments/${id}`).then((r) => r.blob())
        .then(createImageBitmap).then((b) => [b.width, b.height])""", attachment.id) == [240, 160]
    context.close()


def test_a_failed_send_waits_and_is_retried(browser, live_server, world, db):
    """Connected but without internet (navigator.onLine is true, requests fail): the activity
    stays on the phone and the retry timer sends it once the server can be reached."""
    person = world.one.staff_a1
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    senders = []
    context.on("request", lambda request: senders.append(
        "worker" if request.service_worker else "page") if request.url.endswith(
        "/activities/batch") else None)
    context.route("**/api/v1/activities/batch",
                  lambda route: route.abort("internetdisconnected"))

    page.get_by_role("link", name="Catat aktivitas").click()
    form_id = page.locator("#activity-form input[name=id]").input_value()
    page.get_by_label("Uraian kegiatan").fill("Verifikasi data pegawai")
    page.get_by_role("button", name="Simpan", exact=True).click()
    card = page.locator(".activity-card", has_text="Verifikasi data pegawai")
    expect(card.locator(".sync-mark")).to_be_visible()
    expect(page.locator("#outbox-badge")).to_have_text("1 menunggu sinkron")
    assert senders and not server_activities(db, person)

    context.unroute("**/api/v1/activities/batch")
    expect(page.locator("#outbox-badge")).to_be_hidden(timeout=15_000)
    expect(card.locator(".sync-mark")).to_be_hidden()
    assert [a.id for a in server_activities(db, person)] == [form_id]
    assert senders[-1] == "page"  # the page's retry timer (Chromium retries a sync in minutes)
    context.close()


def test_closing_the_page_mid_replay_loses_and_duplicates_nothing(browser, live_server, app,
                                                                   world, db, monkeypatch,
                                                                   evidence_folder):
    person = world.one.staff_a1
    gate = Gate(app.wsgi_app)
    monkeypatch.setattr(app, "wsgi_app", gate)
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)

    context.set_offline(True)
    descriptions = ["Rekap absensi", "Input data SIMPEG", "Arsip surat keluar"]
    photo = png(64, 48)
    ids = queue(page, person, descriptions, submit=[1], photo=photo)
    context.set_offline(False)  # the online event starts the replay
    assert gate.held.wait(timeout=15), "the batch never reached the server"
    page.close()  # the answer never arrives: the tab is gone
    gate.release.set()
    # The server applied the batch; the phone never heard, so all of it still waits there.
    assert sorted(a.id for a in server_activities(db, person)) == sorted(ids)
    assert not db.session.scalars(sa.select(Attachment)).all()

    page = context.new_page()
    page.goto("/")  # app start replays what waits; the server recognises every UUID
    wait_until(page, OUTBOX_EMPTY)
    assert gate.calls == 2
    stored = server_activities(db, person)
    assert [(a.id, a.description) for a in stored] == list(zip(ids, descriptions, strict=True))
    assert [a.status for a in stored] == [ActivityStatus.DRAFT, ActivityStatus.SUBMITTED,
                                          ActivityStatus.DRAFT]
    [attachment] = db.session.scalars(sa.select(Attachment)).all()
    assert attachment.activity_id == ids[2]
    assert (evidence_folder / attachment.storage_key).read_bytes() == photo
    for description in descriptions:
        expect(page.locator(".activity-card", has_text=description)).to_have_count(1)
    context.close()


def test_conflict_is_shown_and_the_person_chooses(browser, live_server, world, db):
    person = world.one.staff_a1
    mine = log_on_server(db, person, "Rapat staf", (8, 0), (9, 0))
    theirs = log_on_server(db, person, "Menyusun SPJ", (9, 0), (10, 0))
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)

    context.set_offline(True)
    page.evaluate("""async ([a, b]) => {
        await Kinerjaku.updateActivity(a, { description: "Rapat staf (dari ponsel)" }, 1);
        await Kinerjaku.updateActivity(b, { description: "Menyusun SPJ (dari ponsel)" }, 1);
    }""", [mine.id, theirs.id])
    # Meanwhile both are changed on the server (on the office computer, say).
    for activity, text in ((mine, "Rapat staf (dari kantor)"), (theirs, "Menyusun SPJ (kantor)")):
        activity_services.update_activity(person, activity.id, version=1, description=text)
    db.session.commit()

    context.set_offline(False)
    panel = page.locator("#outbox-attention")
    expect(panel).to_be_visible(timeout=15_000)
    expect(panel.get_by_role("heading")).to_have_text("Perlu keputusan Anda")
    expect(page.locator("#outbox-badge")).to_have_text("2 menunggu sinkron")
    first = panel.locator("li", has_text="Rapat staf (dari ponsel)")
    second = panel.locator("li", has_text="Menyusun SPJ (dari ponsel)")
    expect(first).to_contain_text("Rapat staf (dari kantor)")
    expect(second.get_by_role("button", name="Pakai versi saya")).to_be_visible()

    # Beranda was drawn before the edits: its cards show what waits on the phone.
    mine_card = page.locator(f'.activity-card[data-activity-id="{mine.id}"]')
    theirs_card = page.locator(f'.activity-card[data-activity-id="{theirs.id}"]')
    expect(mine_card.locator(".activity-description")).to_have_text("Rapat staf (dari ponsel)")

    first.get_by_role("button", name="Pakai versi saya").click()
    second.get_by_role("button", name="Pakai versi server").click()
    expect(panel).to_be_hidden(timeout=15_000)
    wait_until(page, OUTBOX_EMPTY)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    expect(mine_card.locator(".activity-description")).to_have_text("Rapat staf (dari ponsel)")
    expect(theirs_card.locator(".activity-description")).to_have_text("Menyusun SPJ (kantor)")
    expect(page.locator(".activity-card .sync-mark:visible")).to_have_count(0)

    stored = {a.id: a for a in server_activities(db, person)}
    assert (stored[mine.id].description, stored[mine.id].version) == (
        "Rapat staf (dari ponsel)", 3)
    assert (stored[theirs.id].description, stored[theirs.id].version) == (
        "Menyusun SPJ (kantor)", 2)
    local = page.evaluate("""(id) => Kinerjaku.open().then((db) => db.get("activities", id))
        .then((a) => a.description)""", theirs.id)
    assert local == "Menyusun SPJ (kantor)"
    context.close()


def test_background_sync_sends_the_outbox_with_no_page_action(browser, live_server, world, db):
    person = world.one.staff_a1
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    cdp = context.new_cdp_session(page)
    registrations = {}
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.update(
        {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}))
    cdp.send("ServiceWorker.enable")
    for _ in range(100):
        if f"{live_server}/" in registrations:
            break
        page.wait_for_timeout(50)
    senders = []
    context.on("request", lambda request: senders.append(
        "worker" if request.service_worker else "page") if request.url.endswith(
        "/activities/batch") else None)

    # Queued (as offline), with nothing on the page that would send it.
    [activity_id] = queue(page, person, ["Laporan harian"])
    expect(page.locator("#outbox-badge")).to_have_text("1 menunggu sinkron")
    page.wait_for_timeout(300)
    assert not server_activities(db, person)

    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": live_server, "registrationId": registrations[f"{live_server}/"],
        "tag": "outbox", "lastChance": False})
    wait_until(page, OUTBOX_EMPTY)
    assert [a.id for a in server_activities(db, person)] == [activity_id]
    assert senders == ["worker"]
    # The worker tells the page, which updates its badge.
    expect(page.locator("#outbox-badge")).to_be_hidden()
    context.close()


# ---- updates ------------------------------------------------------------------------------

def test_new_version_offers_reload_and_keeps_the_open_form(browser, live_server, app, world, db,
                                                           monkeypatch):
    person = world.one.staff_a1
    context = open_phone(browser, live_server)
    page = context.new_page()
    sign_in(page, person)
    other = context.new_page()  # Beranda in a second tab
    other.goto("/")
    page.get_by_role("link", name="Catat aktivitas").click()
    page.get_by_label("Uraian kegiatan").fill("Menyusun notulen rapat evaluasi")

    # Deploy a new version: /sw.js now serves a worker with another VERSION.
    source = urllib.request.urlopen(f"{live_server}/sw.js").read().decode()
    old = app.extensions["kinerjaku_sw"][0]
    new = "0123456789ab"
    monkeypatch.setitem(app.extensions, "kinerjaku_sw", (
        new, source.replace(f'const VERSION = "{old}";', f'const VERSION = "{new}";', 1)))
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")

    prompt = page.locator("#update-prompt")
    expect(prompt).to_be_visible(timeout=15_000)
    expect(prompt).to_contain_text("Versi baru tersedia")
    # Until the person agrees, the old worker stays in charge (no silent takeover).
    assert f"kinerjaku-shell-{old}" in page.evaluate("() => caches.keys()")
    with page.expect_navigation():
        prompt.get_by_role("button", name="Muat ulang").click()
    wait_until(page, """([old, fresh]) => caches.keys().then((names) =>
        names.includes(`kinerjaku-shell-${fresh}`) && !names.includes(`kinerjaku-shell-${old}`))
        """, [old, new])
    wait_until(page, CONTROLLED)
    # The server drew an empty form; the draft kept as it was typed filled it in again.
    expect(page.get_by_label("Uraian kegiatan")).to_have_value("Menyusun notulen rapat evaluasi")
    expect(page.locator("#activity-form")).to_have_attribute("data-draft-restored", "1")
    expect(prompt).to_be_hidden()

    # The other tab was offered the update too; by now the new worker is in, and its button
    # still brings that tab under it.
    other_prompt = other.locator("#update-prompt")
    expect(other_prompt).to_be_visible()
    with other.expect_navigation():
        other_prompt.get_by_role("button", name="Muat ulang").click()
    expect(other_prompt).to_be_hidden()
    assert other.evaluate("""() => navigator.serviceWorker.getRegistration().then((r) =>
        r.waiting === null && r.active === navigator.serviceWorker.controller)""")
    context.close()
