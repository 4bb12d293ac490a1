"""A property of the phone's outbox, in the real browser against the real server.

Hypothesis draws sequences of what happens to a phone: activities created (some submitted at
once), drafts edited, the network going away and coming back, replays, the server failing
before it does anything (503) or after it has committed (the answer is lost: 502), and the
app restarting mid-way. Whatever the sequence, once the phone is back online and the outbox
has drained, the server holds exactly the activities the person intended: each once, under the
phone's UUID, with its last content and status.
"""

import time

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.activities.deadlines import local_today
from app.activities.models import Activity
from app.models import utcnow
from tests.browser.conftest import PHONE, serving
from tests.factories import PASSWORD


class Faults:
    """WSGI middleware failing the next writes to the activity API, as a bad network would."""

    def __init__(self, app):
        self.app = app
        self.before = 0  # answer 503 without doing anything
        self.after = 0  # do the work, commit, then lose the answer (502)

    def __call__(self, environ, start_response):
        is_write = (environ["REQUEST_METHOD"] == "POST"
                    and environ["PATH_INFO"].startswith("/api/v1/activities"))
        if is_write and self.before > 0:
            self.before -= 1
            start_response("503 Service Unavailable", [("Content-Type", "application/json"),
                                                       ("Retry-After", "1")])
            return [b'{"error": {"code": "unavailable", "message": "", "fields": {}}}']
        if is_write and self.after > 0:
            self.after -= 1
            body = self.app(environ, lambda *args, **kwargs: (lambda data: None))
            for _ in body:  # run the request to the end: it commits
                pass
            if hasattr(body, "close"):
                body.close()
            start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
            return [b"lost"]
        return self.app(environ, start_response)


@pytest.fixture
def faulty_server(app, db):
    faults = Faults(app.wsgi_app)
    original = app.wsgi_app
    app.wsgi_app = faults
    with serving(app) as base:
        yield base, faults
    app.wsgi_app = original


@pytest.fixture
def phone_app(browser, faulty_server, world):
    base, faults = faulty_server
    # bypass_csp: the test drives the store through page.evaluate, which the CSP would refuse.
    context = browser.new_context(base_url=base, locale="id-ID", bypass_csp=True, **PHONE)
    page = context.new_page()
    person = world.one.staff_a1
    page.goto("/masuk")
    page.get_by_label("NIP").fill(person.nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    wait_controlled(page)
    wait_ready(page)
    yield context, page, faults, person
    context.close()


def wait_controlled(page):
    """Until the service worker controls the page.

    A page that loaded while the worker was still activating stays uncontrolled until the
    next navigation (clients.claim() ran before it existed), so reload once if needed.
    """
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def wait_ready(page):
    """The page's scripts have run and the store knows the person and their CSRF token."""
    page.wait_for_function("""async () => Boolean(self.Kinerjaku
        && await Kinerjaku.getMeta("csrf_token"))""", polling=100)


FLUSH = """async () => {
  try { const r = await Kinerjaku.flush(); return r.blocked || "ok"; }
  catch (e) { return e instanceof Kinerjaku.RetryLater ? "retry" : String(e); }
}"""

operations = st.lists(st.one_of(
    st.tuples(st.just("create"), st.booleans()),
    st.tuples(st.just("edit"), st.integers(0, 5)),
    st.tuples(st.just("offline"), st.none()),
    st.tuples(st.just("online"), st.none()),
    st.tuples(st.just("flush"), st.none()),
    st.tuples(st.just("fail_before"), st.integers(1, 2)),
    st.tuples(st.just("fail_after"), st.integers(1, 2)),
    st.tuples(st.just("restart"), st.none()),
    st.tuples(st.just("restart_mid_flush"), st.none()),
), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(steps=operations)
def test_server_ends_with_exactly_the_intended_activities(phone_app, db, steps):
    context, page, faults, person = phone_app
    # A fresh start for each example: nothing on the server, nothing on the phone.
    context.set_offline(False)
    faults.before = faults.after = 0
    db.session.rollback()
    db.session.execute(sa.delete(Activity).where(Activity.person_id == person.id))
    db.session.commit()
    page.evaluate("""async () => {
      const db = await Kinerjaku.open();
      await Promise.all(["outbox", "activities"].map((s) => db.clear(s)));
    }""")

    today = local_today(person, utcnow()).isoformat()
    intended = {}  # id -> {"description", "status"}
    order = []
    counter = 0
    for kind, value in steps:
        if kind == "create":
            counter += 1
            text = f"Aktivitas {counter}"
            activity_id = page.evaluate(
                """async ([text, submit, n, day]) => (await Kinerjaku.createActivity({
                     date: day,
                     start_time: `${String(7 + (n % 10)).padStart(2, "0")}:00`,
                     end_time: `${String(7 + (n % 10)).padStart(2, "0")}:30`,
                     description: text, quantity: "1", unit: "dokumen",
                     work_kind: "lainnya"}, { submit })).id""", [text, value, counter, today])
            intended[activity_id] = {"description": text,
                                     "status": "submitted" if value else "draft"}
            order.append(activity_id)
        elif kind == "edit":
            drafts = [i for i in order if intended[i]["status"] == "draft"]
            if not drafts:
                continue
            target = drafts[value % len(drafts)]
            counter += 1
            text = f"{intended[target]['description']} diubah {counter}"
            page.evaluate("""async ([id, text]) => Kinerjaku.updateActivity(
                               id, { description: text })""", [target, text])
            intended[target]["description"] = text
        elif kind == "offline":
            context.set_offline(True)
        elif kind == "online":
            context.set_offline(False)
        elif kind == "flush":
            page.evaluate(FLUSH)
        elif kind == "fail_before":
            faults.before = value
        elif kind == "fail_after":
            faults.after = value
        elif kind == "restart":
            page.reload()
            wait_ready(page)
        elif kind == "restart_mid_flush":
            # Start sending and close the app before any answer can be handled.
            page.evaluate("() => { Kinerjaku.flush().catch(() => null); }")
            page.reload()
            wait_ready(page)

    # Back online with a healthy server: the outbox drains.
    context.set_offline(False)
    faults.before = faults.after = 0
    # A flush finds the outbox busy while the browser's own background sync still sends:
    # keep asking, for wall time rather than a count of tries (a loaded machine is slow).
    deadline = time.monotonic() + 30
    while True:
        page.evaluate(FLUSH)
        waiting = page.evaluate("async () => (await Kinerjaku.entries()).length")
        if waiting == 0 or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    attention = page.evaluate(
        "async () => (await Kinerjaku.entries()).filter((e) => e.state !== 'pending')")
    assert attention == []
    assert waiting == 0

    db.session.rollback()
    stored = db.session.execute(sa.select(Activity.id, Activity.description, Activity.status)
                                .where(Activity.person_id == person.id)).all()
    assert len(stored) == len({row.id for row in stored})  # no duplicates
    assert {row.id: {"description": row.description, "status": row.status.value}
            for row in stored} == intended
