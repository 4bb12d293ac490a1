"""POST /api/v1/people/{id}/activation-code: HR administrators of the person's organisation."""

import json

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import ActivationCode, LoginSession, PersonalAccessToken
from app.org.models import NO_PASSWORD, Person
from app.org.services import deactivate
from tests.accounts.support import activate, issue, pending_person
from tests.factories import PASSWORD


def test_the_answer_has_the_code_once_and_only_its_hash_is_kept(api, world, db):
    person = pending_person(world.one)
    api.login(world.one.admin)
    body = issue(api, person)
    assert set(body) == {"code", "expires_at", "purpose", "emailed"}
    stored = db.session.scalars(sa.select(ActivationCode).where(
        ActivationCode.person_id == person.id)).one()
    assert stored.code_hash.startswith("$argon2")
    assert body["code"] not in stored.code_hash
    assert stored.created_by_id == world.one.admin.id and stored.org_id == world.one.org.id
    assert (stored.expires_at - stored.created_at).days == 14


def test_the_issue_is_audited_without_the_code(api, world, db):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issue(api, person)["code"]
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.owner_id == person.id)).one()
    assert entry.action == "issue_activation_code" and entry.actor_id == world.one.admin.id
    assert code not in json.dumps(entry.changes)
    assert code.replace("-", "") not in json.dumps(entry.changes)


@pytest.mark.parametrize("who", ["head", "sup_a", "staff_a1"])
def test_only_hr_administrators_issue_codes(api, world, count, who):
    person = pending_person(world.one)
    api.login(getattr(world.one, who))
    response = api.post(f"/api/v1/people/{person.id}/activation-code", json={})
    assert response.status_code == 403
    assert count(ActivationCode) == 0


def test_another_organisations_person_is_not_found(api, world, count):
    api.login(world.one.admin)
    for person_id in (world.two.staff_a1.id, 999_999):
        response = api.post(f"/api/v1/people/{person_id}/activation-code", json={})
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert count(ActivationCode) == 0


def test_a_reset_ends_the_password_sessions_and_tokens_at_once(api, app, world, db):
    person = world.one.staff_a1
    phone = app.test_client()
    csrf = phone.post("/api/v1/auth/login", json={"nip": person.nip, "password": PASSWORD}
                      ).get_json()["csrf_token"]
    token = phone.post("/api/v1/auth/tokens", json={"name": "skrip"},
                       headers={"X-CSRFToken": csrf}).get_json()["token"]
    assert app.test_client().get("/api/v1/me", headers={
        "Authorization": f"Bearer {token}"}).status_code == 200

    api.login(world.one.admin)
    body = issue(api, person)
    assert body["purpose"] == "reset"
    assert phone.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers={
        "Authorization": f"Bearer {token}"}).status_code == 401
    assert app.test_client().post("/api/v1/auth/login", json={
        "nip": person.nip, "password": PASSWORD}).status_code == 401
    db.session.rollback()
    assert db.session.get(Person, person.id).password_hash == NO_PASSWORD
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession).where(
        LoginSession.person_id == person.id, LoginSession.revoked_at.is_(None))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonalAccessToken).where(
        PersonalAccessToken.person_id == person.id,
        PersonalAccessToken.revoked_at.is_(None))) == 0
    # The person sets a new password with the code.
    assert activate(app.test_client(), person.nip, body["code"]).status_code == 200


def test_a_deactivated_person_gets_no_code(api, world, db, count):
    person = db.session.get(Person, pending_person(world.one).id)
    deactivate(person)
    db.session.commit()
    api.login(world.one.admin)
    response = api.post(f"/api/v1/people/{person.id}/activation-code", json={})
    assert response.status_code == 422
    assert count(ActivationCode) == 0


def test_e_mail_without_smtp_is_refused_and_nothing_issued(api, world, count):
    person = pending_person(world.one)
    api.login(world.one.admin)
    response = api.post(f"/api/v1/people/{person.id}/activation-code",
                        json={"send_email": True})
    assert response.status_code == 422
    assert "send_email" in response.get_json()["error"]["fields"]
    assert count(ActivationCode) == 0


def test_bad_body_is_422(api, world):
    api.login(world.one.admin)
    response = api.post(f"/api/v1/people/{world.one.staff_a1.id}/activation-code",
                        json={"send_email": "kadang"})
    assert response.status_code == 422
