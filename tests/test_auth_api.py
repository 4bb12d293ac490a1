"""Sign-in through the API: sessions, throttling, CSRF, logout, passwords, access tokens."""

from datetime import datetime

import sqlalchemy as sa

from app.auth.models import LoginSession, PersonalAccessToken
from app.org.services import deactivate
from tests.factories import PASSWORD


def login(client, nip, password=PASSWORD, **kwargs):
    return client.post("/api/v1/auth/login", json={"nip": nip, "password": password}, **kwargs)


def session_cookie(response) -> str:
    """The Set-Cookie header of the session cookie (the device cookie comes along too)."""
    return next(header for header in response.headers.getlist("Set-Cookie")
                if header.startswith("kinerjaku_session="))


def test_login_answers_csrf_token_and_person(client, world):
    person = world.one.staff_a1
    response = login(client, person.nip)
    assert response.status_code == 200
    body = response.get_json()
    assert body["csrf_token"]
    assert body["person"]["nip"] == person.nip
    assert body["person"]["supervisor"]["name"] == world.one.sup_a.name


def test_login_sets_httponly_lax_cookie(client, world):
    response = login(client, world.one.staff_a1.nip)
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_login_over_https_sets_secure_cookie(client, world):
    response = login(client, world.one.staff_a1.nip, base_url="https://localhost")
    assert "Secure" in session_cookie(response)


def test_login_accepts_nip_typed_with_spaces(client, world):
    nip = world.one.staff_a1.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert login(client, spaced).status_code == 200


def test_wrong_password_is_401_json(client, world):
    response = login(client, world.one.staff_a1.nip, "salah")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert "wrong" in response.get_json()["error"]["message"].lower() or \
        "salah" in response.get_json()["error"]["message"].lower()


def test_unknown_nip_gets_the_same_answer_as_a_wrong_password(client, world):
    unknown = login(client, "198001012005011999", "salah").get_json()
    wrong = login(client, world.one.staff_a1.nip, "salah").get_json()
    assert unknown == wrong


def test_missing_fields_are_422_with_field_messages(client, world):
    response = client.post("/api/v1/auth/login", json={"nip": ""})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"nip", "password"}


def test_login_refuses_form_encoded_body(client, world):
    """A cross-site form can only send simple content types; those never sign in."""
    response = client.post("/api/v1/auth/login", data={"nip": world.one.staff_a1.nip,
                                                      "password": PASSWORD})
    assert response.status_code == 422
    assert "Set-Cookie" not in response.headers


def test_repeated_failures_are_throttled_with_retry_after(client, world):
    nip = world.one.staff_a1.nip
    for _ in range(5):
        assert login(client, nip, "salah").status_code == 401
    response = login(client, nip, "salah")
    assert response.status_code == 429
    retry = int(response.headers["Retry-After"])
    assert 1 <= retry <= 15 * 60
    assert response.get_json()["error"]["code"] == "too_many_requests"
    # The right password does not get through either while the NIP is throttled.
    assert login(client, nip).status_code == 429
    # Another person is not affected.
    assert login(client, world.one.staff_a2.nip).status_code == 200


def test_successful_logins_do_not_count_against_the_nip(client, world):
    for _ in range(8):
        assert login(client, world.one.staff_a1.nip).status_code == 200


def test_session_is_renewed_at_login(api, world, db):
    api.login(world.one.staff_a1)
    first_token = api.csrf_token
    first_cookie = api.client.get_cookie("kinerjaku_session").value
    api.login(world.one.staff_a1)
    assert api.client.get_cookie("kinerjaku_session").value != first_cookie
    assert api.csrf_token != first_token
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 2


def test_writes_need_the_csrf_header(api, world):
    api.login(world.one.staff_a1)
    response = api.client.patch("/api/v1/me", json={"locale": "en"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert api.patch("/api/v1/me", json={"locale": "en"}).status_code == 200


def test_logout_revokes_the_session_on_the_server(api, world):
    api.login(world.one.staff_a1)
    stolen = api.client.get_cookie("kinerjaku_session").value
    assert api.post("/api/v1/auth/logout").status_code == 204
    assert api.get("/api/v1/me").status_code == 401
    # Replaying the old cookie does not bring the session back.
    api.client.set_cookie("kinerjaku_session", stolen)
    assert api.get("/api/v1/me").status_code == 401


def test_deactivated_person_cannot_sign_in_and_loses_sessions(api, world, db, client):
    api.login(world.one.staff_a1)
    deactivate(world.one.staff_a1)
    db.session.commit()
    assert api.get("/api/v1/me").status_code == 401
    assert login(client, world.one.staff_a1.nip).status_code == 401


def test_change_password_ends_other_sessions(app, api, world):
    other = type(api)(app).login(world.one.staff_a1)
    api.login(world.one.staff_a1)
    response = api.post("/api/v1/auth/password",
                        json={"current_password": PASSWORD, "new_password": "kopi-tubruk-pagi"})
    assert response.status_code == 204
    assert api.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    assert login(api.client, world.one.staff_a1.nip, "kopi-tubruk-pagi").status_code == 200


def test_change_password_checks_current_and_new(api, world):
    api.login(world.one.staff_a1)
    wrong = api.post("/api/v1/auth/password",
                     json={"current_password": "salah", "new_password": "kopi-tubruk-pagi"})
    assert wrong.status_code == 422
    assert "current_password" in wrong.get_json()["error"]["fields"]
    short = api.post("/api/v1/auth/password",
                     json={"current_password": PASSWORD, "new_password": "pendek"})
    assert short.status_code == 422
    assert "new_password" in short.get_json()["error"]["fields"]


def test_access_token_is_shown_once_stored_hashed_and_works_without_csrf(api, world, db):
    api.login(world.one.staff_a1)
    created = api.post("/api/v1/auth/tokens", json={"name": "skrip rekap"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    assert token.startswith("kjk_")
    stored = db.session.scalar(sa.select(PersonalAccessToken))
    assert token not in (stored.token_hash, stored.prefix)
    listed = api.get("/api/v1/auth/tokens").get_json()
    assert [t["name"] for t in listed] == ["skrip rekap"]
    assert "token" not in listed[0]

    bearer = api.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert bearer.get("/api/v1/me", headers=headers).get_json()["nip"] == world.one.staff_a1.nip
    # No CSRF token needed with a bearer token.
    assert bearer.patch("/api/v1/me", json={"locale": "en"}, headers=headers).status_code == 200


def test_revoked_or_unknown_token_is_401(api, world):
    api.login(world.one.staff_a1)
    created = api.post("/api/v1/auth/tokens", json={"name": "sementara"}).get_json()
    assert api.delete(f"/api/v1/auth/tokens/{created['id']}").status_code == 204
    bearer = api.app.test_client()
    for token in (created["token"], "kjk_tidak-ada", "bukan-token"):
        response = bearer.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


def test_cannot_revoke_someone_elses_token(app, api, world):
    owner = type(api)(app).login(world.one.staff_a2)
    token_id = owner.post("/api/v1/auth/tokens", json={"name": "milik a2"}).get_json()["id"]
    api.login(world.one.staff_a1)
    assert api.delete(f"/api/v1/auth/tokens/{token_id}").status_code == 404
    assert [t["id"] for t in owner.get("/api/v1/auth/tokens").get_json()] == [token_id]


def test_expired_token_is_refused(api, world, db):
    api.login(world.one.staff_a1)
    token = api.post("/api/v1/auth/tokens",
                     json={"name": "sebentar", "expires_in_days": 1}).get_json()["token"]
    db.session.execute(sa.update(PersonalAccessToken).values(expires_at=datetime(2000, 1, 1)))
    db.session.commit()
    response = api.app.test_client().get("/api/v1/me",
                                         headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_bearer_auth_is_one_statement_and_records_last_use(app, api, world, db):
    """Token, person, roles and unit come in one SELECT; the last-used time is written at
    most once a minute and needs no commit of its own on a read."""
    api.login(world.one.sup_a)
    token = api.post("/api/v1/auth/tokens", json={"name": "hemat"}).get_json()["token"]
    bearer = api.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    statements = []

    def count(conn, cursor, text, *rest):
        statements.append(text)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        first = bearer.get("/api/v1/me", headers=headers)
        touched = len(statements)
        statements.clear()
        second = bearer.get("/api/v1/me", headers=headers)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert first.status_code == second.status_code == 200
    assert set(first.get_json()["roles"]) == set(second.get_json()["roles"]) >= {"atasan"}
    auth = [s for s in statements if "personal_access_tokens" in s]
    assert len(auth) == 1 and "people" in auth[0] and "person_roles" in auth[0]
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in statements)
    assert touched > len(statements)  # the first request wrote the last-used time
    db.session.rollback()
    stored = db.session.scalar(sa.select(PersonalAccessToken))
    assert stored.last_used_at is not None
