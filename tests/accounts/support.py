"""People awaiting activation, and codes issued the way an HR administrator issues them."""

from app.extensions import db
from app.org.models import NO_PASSWORD
from tests.factories import add_person


def pending_person(org, name="Pegawai Baru", unit=None, supervisor=None):
    """A person of ``org`` (a tests.factories.Org) who has not activated yet, committed."""
    person = add_person(org.org, unit or org.staff_a1.unit, f"{name} {org.org.slug}",
                        supervisor or org.sup_a)
    person.password_hash = NO_PASSWORD  # (add_person takes an empty hash for "the default")
    db.session.commit()
    return person


def issue(api, person, **body):
    """Issue a code through the API as the signed-in ``api`` client; the answer's JSON."""
    response = api.post(f"/api/v1/people/{person.id}/activation-code", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def activate(client, nip, code, password="kata-sandi-baru-1"):
    return client.post("/api/v1/auth/activate",
                       json={"nip": nip, "code": code, "password": password})
