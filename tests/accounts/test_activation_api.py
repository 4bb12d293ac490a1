"""POST /api/v1/auth/activate: a one-time code sets the password and signs in."""

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from app.auth.activation import ALPHABET, canonical, new_code
from app.auth.models import ActivationCode, LoginSession
from app.models import utcnow
from tests.accounts.support import activate, issue, pending_person

NEW_PASSWORD = "kata-sandi-baru-1"


def test_codes_are_short_readable_and_grouped():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 12 and code[4] == code[9] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)
    assert canonical(" abcd-efgh jk ") == "ABCDEFGHJK"


def test_a_code_activates_signs_in_and_works_once(api, client, world, count):
    person = pending_person(world.one)
    api.login(world.one.admin)
    issued = issue(api, person)
    assert issued["purpose"] == "activate"
    response = activate(client, person.nip, issued["code"].lower().replace("-", ""))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["csrf_token"] and body["person"]["id"] == person.id
    assert client.get("/api/v1/me").get_json()["nip"] == person.nip  # signed in
    assert count(LoginSession, LoginSession.person_id == person.id) == 1
    # The new password signs in; the code does not work again.
    again = api.app.test_client()
    assert again.post("/api/v1/auth/login", json={"nip": person.nip,
                                                  "password": NEW_PASSWORD}).status_code == 200
    assert activate(again, person.nip, issued["code"], "lain-lagi-22").status_code == 422


def test_wrong_unknown_used_and_expired_get_one_message(api, client, world):
    person = pending_person(world.one)
    other = pending_person(world.one, "Pegawai Lain")
    api.login(world.one.admin)
    code = issue(api, person)["code"]
    other_code = issue(api, other)["code"]
    answers = [activate(client, person.nip, "ABCD-EFGH-JK"),
               activate(client, person.nip, other_code),  # someone else's code
               activate(client, "198001012005011999", code)]  # unknown NIP
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        answers.append(activate(client, person.nip, code))  # expired (14 days)
    assert {response.status_code for response in answers} == {422}
    assert len({str(response.get_json()) for response in answers}) == 1
    assert answers[0].get_json()["error"]["fields"] == {}


def test_a_newer_code_revokes_the_older(api, client, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    old, new = issue(api, person)["code"], issue(api, person)["code"]
    assert activate(client, person.nip, old).status_code == 422
    assert activate(client, person.nip, new).status_code == 200


def test_the_password_policy_applies_and_keeps_the_code(api, client, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issue(api, person)["code"]
    short = activate(client, person.nip, code, "pendek")
    assert short.status_code == 422
    assert "password" in short.get_json()["error"]["fields"]
    nip_as_password = activate(client, person.nip, code, person.nip)
    assert "password" in nip_as_password.get_json()["error"]["fields"]
    assert activate(client, person.nip, code).status_code == 200


def test_missing_fields_are_422(client, db):
    response = client.post("/api/v1/auth/activate", json={"nip": ""})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"nip", "code", "password"}


def test_wrong_codes_are_throttled_per_nip(api, client, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issue(api, person)["code"]
    for _ in range(5):
        assert activate(client, person.nip, "AAAA-AAAA-AA").status_code == 422
    blocked = activate(client, person.nip, code)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    # Another NIP is not blocked by these failures.
    other = pending_person(world.one, "Pegawai Lain")
    assert activate(client, other.nip, issue(api, other)["code"]).status_code == 200


def test_attempts_are_throttled_per_address(app, api, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "3 per minute")
    for _ in range(3):
        assert activate(client, "198001012005011999", "AAAA-AAAA-AA").status_code == 422
    assert activate(client, "198001012005011999", "AAAA-AAAA-AA").status_code == 429


def test_a_deactivated_person_cannot_activate(api, client, world, db):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issue(api, person)["code"]
    person = db.session.get(type(person), person.id)
    person.active = False
    db.session.commit()
    assert activate(client, person.nip, code).status_code == 422
    assert db.session.scalar(sa.select(ActivationCode.used_at).where(
        ActivationCode.person_id == person.id, ActivationCode.revoked_at.is_(None))) is None
