"""Playwright driving Debian's Chromium against the app served on 127.0.0.1."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

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


@pytest.fixture
def live_server(app, db):
    """The app on a random local port, one thread per request like a real server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


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
