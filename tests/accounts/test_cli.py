"""flask create-org: an organisation, its root unit and first HR administrator, in one go."""

import json

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.auth.models import ActivationCode
from app.org.models import NO_PASSWORD, Organisation, Person, Role, Unit
from tests.accounts.support import activate
from tests.factories import new_nip


def run(app, *args):
    return app.test_cli_runner().invoke(args=["create-org", *args])


def options(nip, slug="pemkab-contoh", zone="Asia/Makassar", name="Pemerintah Kabupaten Contoh"):
    return ["--name", name, "--slug", slug, "--timezone", zone, "--admin-nip", nip,
            "--admin-name", "Siti Admin"]


def test_creates_the_organisation_root_unit_and_admin_with_a_code(app, db, client, count):
    nip = new_nip()
    result = run(app, *options(nip), "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["organisation"]["slug"] == "pemkab-contoh"
    assert out["admin"]["nip"] == nip
    assert set(out) == {"organisation", "admin", "activation_code", "expires_at"}
    db.session.rollback()
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "pemkab-contoh"))
    assert org.timezone == "Asia/Makassar" and org.name == "Pemerintah Kabupaten Contoh"
    root = db.session.scalar(sa.select(Unit).where(Unit.org_id == org.id))
    assert root.parent_id is None and root.code == "INDUK" and root.timezone == "Asia/Makassar"
    admin = db.session.scalar(sa.select(Person).where(Person.nip == nip))
    assert admin.org_id == org.id and admin.unit_id == root.id
    assert admin.roles == {Role.ADMIN, Role.PEGAWAI}
    assert admin.password_hash == NO_PASSWORD
    code = db.session.scalar(sa.select(ActivationCode).where(ActivationCode.person_id == admin.id))
    assert out["activation_code"] not in code.code_hash  # only the hash is kept
    assert count(AuditEntry, AuditEntry.owner_id == admin.id) == 1

    # The printed code is the one that works, once.
    response = activate(client, nip, out["activation_code"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["person"]["nip"] == nip
    assert activate(client, nip, out["activation_code"]).status_code == 422


def test_plain_output_names_the_code(app, db):
    result = run(app, *options(new_nip()))
    assert result.exit_code == 0, result.stderr
    assert "Activation code: " in result.stdout
    code = result.stdout.split("Activation code: ")[1].split()[0]
    assert len(code.replace("-", "")) == 10


@pytest.mark.parametrize("case", ["bad nip", "nip date", "zone", "slug format", "empty name"])
def test_bad_input_fails_with_a_message_and_writes_nothing(app, db, count, case):
    args = {"bad nip": options("12345"),
            "nip date": options("198513322010011001"),  # the 32nd day of a month
            "zone": options(new_nip(), zone="Europe/Berlin"),
            "slug format": options(new_nip(), slug="Pemkab Contoh!"),
            "empty name": options(new_nip(), name="")}[case]
    result = run(app, *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert result.stdout == ""
    assert count(Organisation) == 0 and count(Person) == 0 and count(Unit) == 0


def test_taken_slug_and_used_nip_fail_and_write_nothing(app, world, count):
    before = (count(Organisation), count(Person), count(Unit), count(ActivationCode))
    taken = run(app, *options(new_nip(), slug=world.one.org.slug))
    assert taken.exit_code == 1 and "slug" in taken.stderr
    used = run(app, *options(world.two.staff_a1.nip, slug="baru"))
    assert used.exit_code == 1 and "nip" in used.stderr
    assert (count(Organisation), count(Person), count(Unit), count(ActivationCode)) == before
