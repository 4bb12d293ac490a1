"""The OWASP ASVS 5.0 level 2 requirements that no other test proved (docs/security.md):
cookies and headers behind a proxy, session renewal and sign-out on the pages, the password
policy's bounds, CORS and TRACE."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import LoginSession
from app.auth.services import MAX_PASSWORD_LENGTH
from app.models import utcnow
from app.org.models import Person
from tests.factories import PASSWORD
from tests.security.support import api_login, client_at, csrf_from, page_login, set_cookies

HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kinerjaku.example.go.id"}


def test_session_cookie_is_secure_behind_a_trusted_proxy(proxied_app, world):
    """ASVS 3.3.1, 3.4.1, 12.2.1: TLS ends at the proxy, and the app still knows it."""
    client = proxied_app.test_client()
    response = api_login(client, world.one.staff_a1.nip,
                         headers={**HTTPS_PROXY, "X-Forwarded-For": "198.51.100.20"})
    assert response.status_code == 200
    cookies = set_cookies(response)
    assert "; Secure" in cookies["kinerjaku_session"]
    assert "; HttpOnly" in cookies["kinerjaku_session"]
    assert "; Secure" in cookies["kinerjaku_device"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(response.headers["Strict-Transport-Security"].split("=")[1]) >= 31536000


def test_forwarded_headers_are_not_trusted_without_a_proxy(app, client, world):
    """ASVS 4.1.3, 15.3.4: without PROXY_FIX a client cannot claim HTTPS or an address."""
    response = api_login(client, world.one.staff_a1.nip, headers=HTTPS_PROXY)
    assert "Secure" not in set_cookies(response)["kinerjaku_session"]
    assert "Strict-Transport-Security" not in response.headers
    # A made-up X-Forwarded-For does not give an attacker a fresh address counter.
    nip = world.one.staff_a2.nip
    for n in range(5):
        api_login(client, nip, "salah", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert api_login(client, nip, headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_behind_a_proxy_each_client_has_its_own_address(proxied_app, world):
    """ASVS 15.3.4, 6.3.1: the client's address comes from the trusted proxy's header, so
    one attacker behind the proxy does not lock out everyone else behind it."""
    client = proxied_app.test_client()
    nip = world.one.staff_a1.nip
    attacker = {"X-Forwarded-For": "203.0.113.5"}
    for _ in range(5):
        assert api_login(client, nip, "salah", headers=attacker).status_code == 401
    assert api_login(client, nip, headers=attacker).status_code == 429
    colleague = proxied_app.test_client()
    assert api_login(colleague, nip, headers={"X-Forwarded-For": "203.0.113.6"}
                     ).status_code == 200


def test_hsts_over_https_only(client, db):
    """ASVS 3.4.1: HSTS on HTTPS answers; none over plain HTTP (a browser would ignore it)."""
    assert "Strict-Transport-Security" in client.get("/masuk", base_url="https://localhost"
                                                     ).headers
    assert "Strict-Transport-Security" not in client.get("/masuk").headers


@pytest.mark.parametrize("path", ["/masuk", "/api/v1/me", "/static/pwa/js/app.js"])
def test_csp_forbids_framing_and_inline_code(client, db, path):
    """ASVS 3.4.3, 3.4.6, 3.4.4, 3.4.5, 3.2.1: one strict policy on pages, API and files."""
    with client.get(path) as response:
        headers = response.headers
    policy = dict(part.strip().split(" ", 1) for part in
                  headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in \
        policy["script-src"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_cross_origin_access_is_granted(api, world):
    """ASVS 3.4.2, 3.5.1: no CORS header, whatever Origin asks; writes need the CSRF token."""
    api.login(world.one.staff_a1)
    response = api.get("/api/v1/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = api.client.options("/api/v1/me", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "PATCH"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


@pytest.mark.parametrize("path", ["/masuk", "/api/v1/me"])
def test_trace_is_not_supported(client, db, path):
    """ASVS 13.4.4."""
    assert client.open(path, method="TRACE").status_code == 405


def test_page_sign_in_renews_the_session(app, world):
    """ASVS 7.2.4 (session fixation): the cookie a visitor had before signing in does not
    become a signed-in session, and the CSRF token changes."""
    client = client_at(app, "198.51.100.30")
    before_token = csrf_from(client.get("/masuk").get_data(as_text=True))
    before = client.get_cookie("kinerjaku_session").value
    assert page_login(client, world.one.staff_a1.nip).status_code == 303
    assert client.get_cookie("kinerjaku_session").value != before
    assert csrf_from(client.get("/profil").get_data(as_text=True)) != before_token
    fixated = client_at(app, "198.51.100.30")
    fixated.set_cookie("kinerjaku_session", before)
    assert fixated.get("/profil").status_code == 302


def test_page_sign_out_ends_the_session_on_the_server(app, world):
    """ASVS 7.4.1: after /keluar, a copy of the old cookie is worth nothing."""
    client = client_at(app, "198.51.100.31")
    page_login(client, world.one.staff_a1.nip)
    copied = client.get_cookie("kinerjaku_session").value
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    assert client.post("/keluar", data={"csrf_token": token}).status_code == 303
    replay = client_at(app, "198.51.100.32")
    replay.set_cookie("kinerjaku_session", copied)
    response = replay.get("/profil")
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")


def test_every_signed_in_page_offers_sign_out(api, world):
    """ASVS 7.4.4."""
    api.login(world.one.staff_a1)
    html = api.get("/profil").get_data(as_text=True)
    assert 'data-sign-out' in html and 'action="/keluar"' in html


def test_passwords_up_to_the_maximum_are_accepted_and_checked_exactly(api, world, client):
    """ASVS 6.2.1, 6.2.8, 6.2.9: at least 8 characters, 64 and more allowed, any
    characters, never truncated or case-folded."""
    person = world.one.staff_a1
    api.login(person)
    long_password = ("Kata sandi panjang sekali 🔐 " * 5)[:MAX_PASSWORD_LENGTH]
    assert len(long_password) >= 64
    assert api.post("/api/v1/auth/password", json={
        "current_password": PASSWORD, "new_password": long_password}).status_code == 204
    assert api_login(client, person.nip, long_password).status_code == 200
    assert api_login(client, person.nip, long_password[:-1]).status_code == 401
    assert api_login(client, person.nip, long_password.upper()).status_code == 401
    short = api.post("/api/v1/auth/password", json={
        "current_password": long_password, "new_password": "pendek7"})
    assert "new_password" in short.get_json()["error"]["fields"]


def test_password_fields_are_masked_and_allow_password_managers(client, db):
    """ASVS 6.2.6, 6.2.7: type=password with an autocomplete hint; never autocomplete=off."""
    html = client.get("/masuk").get_data(as_text=True)
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert 'autocomplete="off"' not in html and "onpaste" not in html


def test_failed_and_refused_sign_ins_are_logged_without_the_nip(app, world, caplog):
    """ASVS 16.3.1, 16.3.3, 16.2.5: who tried which account from where; the NIP and the
    password never reach the log."""
    caplog.set_level("INFO", logger="app.auth")
    attacker = client_at(app, "203.0.113.40")
    nip = world.one.staff_a1.nip
    for _ in range(6):
        api_login(attacker, nip, "rahasia-salah")
    failed = [r for r in caplog.records if r.getMessage().startswith("Failed login")]
    refused = [r for r in caplog.records if r.getMessage().startswith("Refused login")]
    assert len(failed) == 5 and len(refused) == 1
    assert "203.0.113.40" in failed[0].getMessage()
    assert api_login(client_at(app, "198.51.100.41"), nip).status_code == 200
    assert any("signed in" in r.getMessage() for r in caplog.records)
    assert not any(nip in r.getMessage() or "rahasia-salah" in r.getMessage()
                   for r in caplog.records)


@pytest.mark.parametrize(("column", "days"), [("last_seen_at", 15), ("created_at", 31)])
def test_idle_and_old_sessions_are_refused(api, world, db, column, days):
    """ASVS 7.3.1, 7.3.2: 14 days idle or 30 days old, and the session is over."""
    api.login(world.one.staff_a1)
    assert api.get("/api/v1/me").status_code == 200
    db.session.execute(sa.update(LoginSession).values(
        {column: utcnow() - timedelta(days=days)}))
    db.session.commit()
    assert api.get("/api/v1/me").status_code == 401


def test_passwords_are_stored_with_argon2id(api, world, db):
    """ASVS 11.4.2."""
    api.login(world.one.staff_a1)
    assert db.session.get(Person, world.one.staff_a1.id).password_hash.startswith("$argon2id$")


def test_fields_the_schema_does_not_name_are_refused(api, world):
    """ASVS 15.3.3 (mass assignment), 2.2.1: unknown fields are 422, never stored."""
    api.login(world.one.staff_a1)
    response = api.patch("/api/v1/me", json={"locale": "en", "roles": ["admin"]})
    assert response.status_code == 422
    assert "roles" in response.get_json()["error"]["fields"]


def test_user_text_is_escaped_in_pages(api, world, db):
    """ASVS 1.2.1, 3.2.2: a name with markup is shown as text."""
    db.session.get(Person, world.one.staff_a1.id).name = '<script>alert("x")</script>'
    db.session.commit()
    api.login(world.one.staff_a1)
    html = api.get("/profil").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(" in html
