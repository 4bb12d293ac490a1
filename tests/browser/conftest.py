"""Playwright driving Debian's Chromium against the app served on 127.0.0.1."""

import contextlib
import os
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import unavailable
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("KINERJAKU_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: A mid-range Android phone.
PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=FLAGS)
        yield browser
        browser.close()


#: Where `_closing` leaves each response's body for `_Handler`.
_BODY = "kinerjaku.tests.body"


def _closing(app):
    """Leave each response's body in its environ, so a dropped connection can close it."""
    def wsgi(environ, start_response):
        body = environ[_BODY] = app(environ, start_response)
        return body
    return wsgi


class _Handler(WSGIRequestHandler):
    """Werkzeug's handler, closing the body when the browser drops the connection.

    When a client resets the connection while the server drains the request, werkzeug's
    cleanup raises before it closes the body, leaving e.g. a static file open until the
    garbage collector warns about it in some later test.
    """

    def connection_dropped(self, error, environ=None):
        body = environ.pop(_BODY, None) if environ else None
        if hasattr(body, "close"):
            body.close()


@contextlib.contextmanager
def serving(app):
    """Serve `app` on a random local port, one thread per request like a real server."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True, request_handler=_Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app, db):
    with serving(app) as base:
        yield base


def sign_in(page, person, password=PASSWORD):
    """Sign in through the real form and wait for Beranda."""
    from playwright.sync_api import expect

    page.goto("/masuk")
    page.get_by_label("NIP").fill(person.nip)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.name)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(db):
    """The demo a new user meets after `make run`: a month of work in every state; returns
    its first organisation."""
    from app.demo.seed import seed_demo
    from app.org.models import Organisation

    seed_demo()
    return db.session.scalars(db.select(Organisation).order_by(Organisation.id)).first()
