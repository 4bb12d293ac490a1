"""A deactivated person cannot sign in in any way: password, existing session, access token."""

from app.org.models import Person
from app.org.services import deactivate
from tests.factories import PASSWORD


def test_deactivation_stops_password_session_and_token(app, world, db):
    person = world.one.staff_a1
    phone = app.test_client()
    signed_in = phone.post("/api/v1/auth/login", json={"nip": person.nip, "password": PASSWORD})
    csrf = signed_in.get_json()["csrf_token"]
    token = phone.post("/api/v1/auth/tokens", json={"name": "skrip"},
                       headers={"X-CSRFToken": csrf}).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert phone.get("/api/v1/me").status_code == 200
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200

    deactivate(db.session.get(Person, person.id))
    db.session.commit()

    assert phone.get("/api/v1/me").status_code == 401
    assert phone.get("/").status_code == 302  # the page sends them to sign in
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    assert app.test_client().post("/api/v1/auth/login", json={
        "nip": person.nip, "password": PASSWORD}).status_code == 401
