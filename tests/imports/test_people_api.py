"""POST /api/v1/imports/people: the plan per row, all or nothing, idempotent re-import."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.org.models import NO_PASSWORD, Person, Role
from app.org.nip import make_nip
from tests.factories import new_nip
from tests.imports.support import (
    by_nip,
    csv_file,
    person_row,
    roster,
    upload,
    xlsx_file,
)


def fresh_people(org):
    """Two new people: a supervisor under the head, and their staff member."""
    boss, staff = new_nip(), new_nip("P")
    return boss, staff, [
        person_row(boss, "Dewi Lestari", unit="B", boss=org.head.nip, kind="Pengawas",
                   golongan="III/d", email="dewi@example.go.id"),
        person_row(staff, "Rudi Hartono", unit="B", boss=boss),
    ]


def test_dry_run_plans_and_writes_nothing(api, world, count):
    one = world.one
    boss, staff, rows = fresh_people(one)
    before = count(Person)
    api.login(one.admin)
    response = upload(api, csv_file(roster(one) + rows), dry_run=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["summary"] == {"create": 2, "update": 0, "unchanged": 7, "deactivate": 0,
                               "errors": 0}
    planned = by_nip(body)
    assert planned[boss]["action"] == "create"
    assert planned[boss]["row"] == 9
    assert planned[boss]["changes"]["supervisor_nip"] == [None, one.head.nip]
    assert planned[staff]["changes"]["unit_code"] == [None, "B"]
    assert count(Person) == before


def test_apply_creates_people_awaiting_activation_with_audit(api, world, db, count):
    one = world.one
    boss, staff, rows = fresh_people(one)
    entries = count(AuditEntry)
    api.login(one.admin)
    response = upload(api, csv_file(roster(one) + rows), dry_run=False)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["summary"]["create"] == 2
    created = {p.nip: p for p in db.session.scalars(
        sa.select(Person).where(Person.nip.in_([boss, staff])))}
    assert created[staff].supervisor_id == created[boss].id
    assert created[boss].supervisor_id == one.head.id
    assert created[boss].org_id == one.org.id
    assert created[boss].golongan == "III/d" and created[boss].email == "dewi@example.go.id"
    assert created[boss].position_kind.value == "pengawas"
    assert created[staff].password_hash == NO_PASSWORD
    assert created[staff].roles == {Role.PEGAWAI}
    assert created[boss].roles == {Role.PEGAWAI, Role.ATASAN}
    # one entry per new person in their own chain, and the import's own in the admin's
    assert count(AuditEntry) == entries + 3
    summary = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.owner_id == one.admin.id, AuditEntry.subject_type == "import")).one()
    assert summary.changes["summary"]["create"] == 2
    assert audit.verify_organisation(one.org.id).problems == []


def test_reimporting_the_same_file_changes_nothing(api, world, count):
    one = world.one
    _boss, _staff, rows = fresh_people(one)
    content = csv_file(roster(one) + rows)
    api.login(one.admin)
    assert upload(api, content, dry_run=False).status_code == 200
    people, entries = count(Person), count(AuditEntry)
    again = upload(api, content, dry_run=False)
    assert again.status_code == 200
    body = again.get_json()
    assert body["summary"] == {"create": 0, "update": 0, "unchanged": 9, "deactivate": 0,
                               "errors": 0}
    assert {row["action"] for row in body["rows"]} == {"unchanged"}
    assert count(Person) == people
    assert count(AuditEntry) == entries + 1  # the import's summary only


def test_a_changed_supervisor_moves_only_that_person(api, world, db):
    one = world.one
    rows = roster(one)
    rows[3][6] = one.sup_b.nip  # staff_a2 now reports to sup_b
    api.login(one.admin)
    response = upload(api, csv_file(rows), dry_run=False)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["summary"]["update"] == 1 and body["summary"]["unchanged"] == 6
    assert by_nip(body)[one.staff_a2.nip]["changes"] == {
        "supervisor_nip": [one.sup_a.nip, one.sup_b.nip]}
    db.session.expire_all()
    assert db.session.get(Person, one.staff_a2.id).supervisor_id == one.sup_b.id
    assert db.session.get(Person, one.staff_a1.id).supervisor_id == one.sup_a.id
    history = audit.history("person", one.staff_a2.id)
    assert history[-1].action == "import_update"
    assert audit.verify_organisation(one.org.id).problems == []


def test_a_changed_unit_updates_only_that_person(api, world, db):
    one = world.one
    rows = roster(one)
    rows[2][5] = "B"
    api.login(one.admin)
    body = upload(api, csv_file(rows), dry_run=False).get_json()
    assert body["summary"]["update"] == 1
    assert by_nip(body)[one.staff_a1.nip]["changes"] == {"unit_code": ["A1", "B"]}
    db.session.expire_all()
    assert db.session.get(Person, one.staff_a1.id).unit.code == "B"


def test_missing_people_are_listed_and_deactivated_only_when_asked(api, world, db):
    one = world.one
    rows = [row for row in roster(one) if row[0] not in (one.staff_b1.nip, one.admin.nip)]
    api.login(one.admin)
    body = upload(api, csv_file(rows), dry_run=False).get_json()
    missing = [row for row in body["rows"] if row["action"] == "deactivate"]
    assert [row["nip"] for row in missing] == [one.staff_b1.nip]  # never the caller
    db.session.expire_all()
    assert db.session.get(Person, one.staff_b1.id).active
    response = upload(api, csv_file(rows), dry_run=False, deactivate_missing=True)
    assert response.status_code == 200
    db.session.expire_all()
    assert not db.session.get(Person, one.staff_b1.id).active
    assert db.session.get(Person, one.admin.id).active
    assert db.session.get(Person, one.staff_b1.id).password_hash != NO_PASSWORD
    assert audit.history("person", one.staff_b1.id)[-1].action == "deactivate"


def test_a_deactivated_person_in_the_file_is_reactivated(api, world, db):
    one = world.one
    rows = [row for row in roster(one) if row[0] != one.staff_b1.nip]
    api.login(one.admin)
    upload(api, csv_file(rows), dry_run=False, deactivate_missing=True)
    body = upload(api, csv_file(roster(one)), dry_run=False).get_json()
    assert by_nip(body)[one.staff_b1.nip]["changes"] == {"active": [False, True]}
    db.session.expire_all()
    assert db.session.get(Person, one.staff_b1.id).active


def bad_rows(world):
    """(name, rows, the NIP of the row that must fail, words its message must hold)."""
    two = world.two
    nip = new_nip()
    future = make_nip(date(2000, 1, 1), date.today().year + 1, 1, "L", 1)
    return [
        ("nip format", [person_row("12345", "Salah")], "12345", "18"),
        ("nip dates", [person_row(future, "Masa Depan")], future, "future"),
        ("unknown unit", [person_row(nip, "Tanpa Unit", unit="ZZZ")], nip, "ZZZ"),
        ("unknown supervisor", [person_row(nip, "Yatim", boss="199001012015011001")], nip,
         "199001012015011001"),
        ("other organisation", [person_row(two.staff_a1.nip, "Pindahan")], two.staff_a1.nip,
         "another organisation"),
        ("golongan", [person_row(nip, "Golongan", golongan="V/z")], nip, "golongan"),
        ("jenis jabatan", [person_row(nip, "Jabatan", kind="Kepala Suku")], nip,
         "jenis jabatan"),
        ("email", [person_row(nip, "Surel", email="bukan-surel")], nip, "e-mail"),
        ("exponent nip", [person_row("1.97001E+17", "Eksponen")], "1.97001E+17", "exponent"),
    ]


@pytest.mark.parametrize("case", range(9))
def test_each_kind_of_bad_row_is_reported_on_its_row(api, world, case):
    name, rows, nip, words = bad_rows(world)[case]
    api.login(world.one.admin)
    response = upload(api, csv_file(roster(world.one) + rows), dry_run=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    row = by_nip(body)[nip]
    assert row["action"] == "error", name
    assert any(words.lower() in message.lower() for message in row["errors"]), row
    assert body["summary"]["errors"] == 1
    assert world.two.org.slug not in str(row["errors"])  # never names the other org


def test_a_nip_twice_in_the_file_fails_both_rows(api, world):
    nip = new_nip()
    rows = roster(world.one) + [person_row(nip, "Satu"), person_row(nip, "Dua")]
    api.login(world.one.admin)
    body = upload(api, csv_file(rows), dry_run=True).get_json()
    twice = [row for row in body["rows"] if row["nip"] == nip]
    assert [row["action"] for row in twice] == ["error", "error"]
    assert all("9, 10" in row["errors"][0] for row in twice)


def test_a_supervisor_loop_across_file_and_database_is_named(api, world):
    one = world.one
    rows = roster(one)
    rows[0][6] = one.staff_a1.nip  # the head now under staff_a1, who is under sup_a, ...
    api.login(one.admin)
    body = upload(api, csv_file(rows), dry_run=True).get_json()
    head = by_nip(body)[one.head.nip]
    assert head["action"] == "error"
    assert one.staff_a1.nip in head["errors"][0] and one.sup_a.nip in head["errors"][0]
    assert by_nip(body)[one.staff_a2.nip]["action"] == "unchanged"  # leads in, not a loop


def test_a_supervisor_loop_with_the_database_alone_is_found(api, world):
    """Only the head in the file, made staff_a1's report: the rest of the loop is stored."""
    one = world.one
    rows = [row for row in roster(one) if row[0] == one.head.nip]
    rows[0][6] = one.staff_a1.nip
    api.login(one.admin)
    body = upload(api, csv_file(rows), dry_run=True).get_json()
    assert "loop" in by_nip(body)[one.head.nip]["errors"][0].lower()


def test_an_excel_float_nip_is_refused_clearly(api, world):
    rows = [[1.97001011992011e17, "Float", "Staf", "Pelaksana", "III/a", "A1", None, None]]
    api.login(world.one.admin)
    body = upload(api, xlsx_file(rows), name="pegawai.xlsx", dry_run=True).get_json()
    assert body["rows"][0]["action"] == "error"
    assert "text" in body["rows"][0]["errors"][0]


def test_apply_with_an_error_row_writes_nothing(api, world, count):
    one = world.one
    _boss, _staff, rows = fresh_people(one)
    rows.append(person_row(new_nip(), "Salah Unit", unit="NOPE"))
    people, entries = count(Person), count(AuditEntry)
    api.login(one.admin)
    response = upload(api, csv_file(rows), dry_run=False)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["summary"]["errors"] == 1 and error["summary"]["create"] == 2
    assert len(error["rows"]) == 3 + 6  # the file's rows and who it lacks (not the caller)
    assert count(Person) == people
    assert count(AuditEntry) == entries


@pytest.mark.parametrize("headers", [
    ["NIP", "Nama", "Jabatan", "Jenis Jabatan", "Golongan", "Kode Unit", "NIP Atasan",
     "Email"],
    ["nip", "name", "position", "position_kind", "grade", "unit_code", "supervisor_nip",
     "email"],
    ["  nip ", "NAME", "Position", "POSITION KIND", "grade ", "Unit Code", "Supervisor NIP",
     "E-mail"],
])
def test_headers_in_indonesian_or_english_any_case(api, world, headers):
    api.login(world.one.admin)
    _boss, _staff, rows = fresh_people(world.one)
    body = upload(api, csv_file(rows, headers=headers), dry_run=True).get_json()
    assert body["summary"]["create"] == 2 and body["summary"]["errors"] == 0


def test_csv_with_semicolons_and_a_bom_and_xlsx_read_alike(api, world):
    api.login(world.one.admin)
    _boss, _staff, rows = fresh_people(world.one)
    answers = [upload(api, content, name=name, dry_run=True).get_json()
               for content, name in ((csv_file(rows), "a.csv"),
                                     (csv_file(rows, delimiter=";", bom=True), "b.csv"),
                                     (xlsx_file(rows), "c.xlsx"))]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["summary"]["create"] == 2


def test_values_are_trimmed_and_labels_accepted(api, world, db):
    nip = new_nip()
    rows = [[f" {nip} ", "  Siti  ", " Analis ", "Jabatan Pimpinan Tinggi", " iv/a ", " A1 ",
             "", ""]]
    api.login(world.one.admin)
    assert upload(api, csv_file(rows), dry_run=False).status_code == 200
    person = db.session.scalars(sa.select(Person).where(Person.nip == nip)).one()
    assert (person.name, person.jabatan, person.golongan) == ("Siti", "Analis", "IV/a")
    assert person.position_kind.value == "jpt" and person.supervisor_id is None


def test_a_missing_required_column_is_named(api, world):
    api.login(world.one.admin)
    content = csv_file([[new_nip(), "Tanpa"]], headers=["nip", "nama"])
    response = upload(api, content, dry_run=True)
    assert response.status_code == 422
    message = response.get_json()["error"]["message"]
    assert "kode_unit" in message and "jabatan" in message


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken", "nip,nama\n".encode("utf-16")])
def test_an_unreadable_file_is_422(api, world, content):
    api.login(world.one.admin)
    response = upload(api, content, dry_run=True)
    assert response.status_code == 422


def test_no_file_is_422(api, world):
    api.login(world.one.admin)
    assert api.post("/api/v1/imports/people", data={}).status_code == 422


@pytest.mark.parametrize("who", ["staff_a1", "head", "sup_a"])
def test_only_hr_administrators_import(api, world, who, count):
    api.login(getattr(world.one, who))
    _boss, _staff, rows = fresh_people(world.one)
    people = count(Person)
    response = upload(api, csv_file(rows), dry_run=False)
    assert response.status_code == 403
    assert count(Person) == people


def test_row_messages_are_in_indonesian_by_default(api, world):
    api.login(world.one.admin)
    body = upload(api, csv_file([person_row(new_nip(), "Tanpa Unit", unit="ZZZ")]),
                  lang="id", dry_run=True).get_json()
    assert body["rows"][0]["errors"] == ["Kode unit ZZZ tidak dikenal."]
