"""Failed sign-ins slow guessing down without locking the owner out (docs/security.md,
"Sign-in throttling"): counters per address, per (account, address), per account from
unknown devices, and per (account, known device)."""

import time

import pytest

from app.auth import throttle
from tests.factories import PASSWORD
from tests.security.support import api_login, client_at, csrf_from, page_login, set_cookies

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def pauses(monkeypatch):
    """The pauses a known device was made to wait (not waited, to keep the tests fast)."""
    waited = []
    monkeypatch.setattr(throttle, "pause", waited.append)
    return waited


def known_device(app, person, address=OWNER):
    """A client that signed in as ``person`` once (so holds the device cookie), then out."""
    client = client_at(app, address)
    assert api_login(client, person.nip).status_code == 200
    client.delete_cookie("kinerjaku_session")
    return client


def test_owner_signs_in_from_a_known_device_while_an_attacker_hammers(app, world, pauses):
    owner = world.one.staff_a1
    phone = known_device(app, owner)
    attacker = client_at(app, ATTACKER)
    for _ in range(5):
        assert api_login(attacker, owner.nip, "tebakan-salah").status_code == 401
    refused = api_login(attacker, owner.nip, "tebakan-salah")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    # Even the right password is refused at that address: it is not guessed there.
    assert api_login(attacker, owner.nip).status_code == 429
    # The owner's phone is not locked out, and is not even slowed down.
    signed_in = api_login(phone, owner.nip)
    assert signed_in.status_code == 200
    assert signed_in.get_json()["person"]["nip"] == owner.nip
    assert pauses == []


def test_another_address_is_not_locked_out_by_one_attackers_failures(app, world):
    owner = world.one.staff_a1
    attacker = client_at(app, ATTACKER)
    for _ in range(6):
        api_login(attacker, owner.nip, "tebakan-salah")
    # A new device elsewhere (no device cookie yet) still signs in.
    assert api_login(client_at(app, OWNER), owner.nip).status_code == 200


def test_many_addresses_are_limited_per_account_and_a_known_device_is_only_slowed(
        app, world, pauses, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_NIP", "6 per hour")
    owner = world.one.staff_a1
    phone = known_device(app, owner)
    for n in range(3):  # a botnet: two guesses from each of three addresses
        bot = client_at(app, f"203.0.113.{n + 1}")
        assert [api_login(bot, owner.nip, "salah").status_code for _ in range(2)] == [401, 401]
    fresh_bot = api_login(client_at(app, "203.0.113.99"), owner.nip, "salah")
    assert fresh_bot.status_code == 429
    assert int(fresh_bot.headers["Retry-After"]) >= 1
    # A device that never signed in to this account waits too, even with the right password.
    assert api_login(client_at(app, "192.0.2.50"), owner.nip).status_code == 429
    # The owner's phone gets in, after the pause that slows it down while under attack.
    assert api_login(phone, owner.nip).status_code == 200
    assert pauses == [app.config["LOGIN_KNOWN_DEVICE_DELAY"]]


def test_the_pause_of_a_known_device_under_attack_is_real(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_NIP", "2 per hour")
    monkeypatch.setitem(app.config, "LOGIN_KNOWN_DEVICE_DELAY", 0.5)
    owner = world.one.staff_a1
    phone = known_device(app, owner)
    for n in range(2):
        api_login(client_at(app, f"203.0.113.{n + 1}"), owner.nip, "salah")
    started = time.monotonic()
    assert api_login(phone, owner.nip).status_code == 200
    assert time.monotonic() - started >= 0.5


def test_a_known_device_has_its_own_limit(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_DEVICE", "3 per 15 minutes")
    owner = world.one.staff_a1
    phone = known_device(app, owner)
    for _ in range(3):
        assert api_login(phone, owner.nip, "salah").status_code == 401
    refused = api_login(phone, owner.nip)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    # Its failures are not the account's: another new device still signs in.
    assert api_login(client_at(app, ATTACKER), owner.nip).status_code == 200


def test_a_device_is_known_only_for_the_accounts_that_signed_in_on_it(app, world):
    phone = known_device(app, world.one.staff_a1)
    other = world.one.staff_a2
    for _ in range(5):
        assert api_login(phone, other.nip, "salah").status_code == 401
    assert api_login(phone, other.nip).status_code == 429


def test_a_forged_device_cookie_counts_as_an_unknown_device(app, world):
    owner = world.one.staff_a1
    phone = known_device(app, owner)
    genuine = phone.get_cookie("kinerjaku_device").value
    payload, _, _ = genuine.partition(".")
    phone.set_cookie("kinerjaku_device", payload + ".AAAA.BBBBBBBB")
    for _ in range(5):
        api_login(phone, owner.nip, "salah")
    assert api_login(phone, owner.nip).status_code == 429


def test_the_device_cookie_is_httponly_strict_and_says_no_nip(app, world):
    owner = world.one.staff_a1
    response = api_login(client_at(app, OWNER), owner.nip)
    cookie = set_cookies(response)["kinerjaku_device"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie
    assert owner.nip not in cookie
    assert "Secure" in set_cookies(api_login(client_at(app, OWNER), owner.nip,
                                             base_url="https://localhost"))["kinerjaku_device"]


def test_every_attempt_counts_per_address_for_unknown_devices(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "4 per minute")
    scanner = client_at(app, ATTACKER)
    people = [world.one.staff_a1, world.one.staff_a2, world.one.sup_a, world.one.sup_b]
    assert [api_login(scanner, person.nip, "salah").status_code for person in people] == \
        [401] * 4
    assert api_login(scanner, world.one.staff_b1.nip).status_code == 429
    # The address limit is the scanner's alone.
    assert api_login(client_at(app, OWNER), world.one.staff_b1.nip).status_code == 200


def test_sign_in_page_shows_the_form_and_the_time_left(app, world):
    owner = world.one.staff_a1
    attacker = client_at(app, ATTACKER)
    for _ in range(5):
        assert page_login(attacker, owner.nip, "salah").status_code == 401
    page = page_login(attacker, owner.nip, "salah")
    assert page.status_code == 429
    assert 1 <= int(page.headers["Retry-After"]) <= 15 * 60
    html = page.get_data(as_text=True)
    assert '<form method="post"' in html and 'name="password"' in html
    assert f'value="{owner.nip}"' in html  # what was typed stays, but never the password
    assert 'value="salah"' not in html
    assert 'role="alert"' in html
    assert "Mohon tunggu 15 menit" in html


def test_sign_in_page_says_the_time_left_in_english(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_NIP_IP", "1 per 30 seconds")
    owner = world.one.staff_a1
    attacker = client_at(app, ATTACKER)
    attacker.set_cookie("lang", "en")
    page_login(attacker, owner.nip, "salah")
    html = page_login(attacker, owner.nip, "salah").get_data(as_text=True)
    assert "Please wait" in html and "second" in html
    assert '<form method="post"' in html


def test_page_and_api_share_the_counters(app, world):
    owner = world.one.staff_a1
    attacker = client_at(app, ATTACKER)
    for _ in range(3):
        page_login(attacker, owner.nip, "salah")
    for _ in range(2):
        api_login(attacker, owner.nip, "salah")
    assert api_login(attacker, owner.nip, "salah").status_code == 429
    assert page_login(attacker, owner.nip, PASSWORD).status_code == 429


def test_activation_page_refused_shows_its_form_and_the_time_left(app, world):
    attacker = client_at(app, ATTACKER)
    nip = world.one.staff_a1.nip
    token = csrf_from(attacker.get("/aktivasi").get_data(as_text=True))
    data = {"nip": nip, "code": "AAAA-AAAA-AA", "password": "kata-sandi-baru",
            "confirm_password": "kata-sandi-baru", "csrf_token": token}
    for _ in range(5):
        assert attacker.post("/aktivasi", data=data).status_code == 422
    page = attacker.post("/aktivasi", data=data)
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert 'value="AAAA-AAAA-AA"' in html and f'value="{nip}"' in html
    assert "Mohon tunggu" in html and 'name="confirm_password"' in html
