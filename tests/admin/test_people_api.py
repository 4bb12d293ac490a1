"""People through the API: the paginated search, create, edit, move, supervisor (no loops),
roles, deactivate and reactivate; HR administrators of the organisation only."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from app.activities.models import Activity
from app.audit.models import AuditEntry
from app.org.models import NO_PASSWORD, Person
from app.org.nip import make_nip
from tests.activities.support import make_activity
from tests.factories import PASSWORD, new_nip
from tests.support import ApiClient


def fields(response) -> dict:
    return response.get_json()["error"]["fields"]


@pytest.fixture
def admin(app, world):
    return ApiClient(app).login(world.one.admin)


def new_person(world, **overrides) -> dict:
    return {"nip": new_nip(), "name": "Siti Rahma", "jabatan": "Analis Kepegawaian",
            "position_kind": "fungsional", "golongan": "III/b",
            "unit_id": world.one.staff_a1.unit_id, "supervisor_id": world.one.sup_a.id,
            "roles": ["pegawai"], "email": "siti@example.go.id", **overrides}


def audit_of(db, person_id) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "person", AuditEntry.subject_id == str(person_id))
        .order_by(AuditEntry.seq)))


# --- the list --------------------------------------------------------------------------------

def test_the_list_is_paginated_with_totals(admin, world):
    first = admin.get("/api/v1/people?per_page=5").get_json()
    assert first["pagination"] == {"page": 1, "per_page": 5, "total": 7, "pages": 2}
    second = admin.get("/api/v1/people?per_page=5&page=2").get_json()
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 7
    names = [p["name"] for p in first["items"]]
    assert names == sorted(names)
    assert {"id", "nip"} <= set(first["items"][0])


def test_search_by_name_any_case_or_by_nip_prefix(admin, world):
    by_name = admin.get("/api/v1/people?q=STAF a").get_json()["items"]
    assert {p["id"] for p in by_name} == {world.one.staff_a1.id, world.one.staff_a2.id}
    nip = world.one.sup_b.nip
    by_nip = admin.get(f"/api/v1/people?q={nip[:14]}").get_json()["items"]
    assert world.one.sup_b.id in {p["id"] for p in by_nip}
    assert admin.get(f"/api/v1/people?q={nip[2:]}").get_json()["items"] == []
    assert admin.get("/api/v1/people?q=%25").get_json()["items"] == []


def test_filter_by_unit_and_status(admin, world):
    unit = world.one.staff_a1.unit_id
    in_unit = admin.get(f"/api/v1/people?unit_id={unit}").get_json()["items"]
    assert {p["id"] for p in in_unit} == {world.one.staff_a1.id, world.one.staff_a2.id}
    admin.patch(f"/api/v1/people/{world.one.staff_a2.id}", json={"active": False})
    active = admin.get(f"/api/v1/people?unit_id={unit}&active=true").get_json()["items"]
    inactive = admin.get(f"/api/v1/people?unit_id={unit}&active=false").get_json()["items"]
    assert [p["id"] for p in active] == [world.one.staff_a1.id]
    assert [p["id"] for p in inactive] == [world.one.staff_a2.id]
    assert inactive[0]["active"] is False


def test_another_organisations_unit_as_a_filter_is_not_found(admin, world):
    response = admin.get(f"/api/v1/people?unit_id={world.two.staff_a1.unit_id}")
    assert response.status_code == 404


def test_a_pegawai_still_sees_only_their_line(app, world):
    staff = ApiClient(app).login(world.one.staff_a1)
    seen = staff.get("/api/v1/people?q=a").get_json()
    assert {p["id"] for p in seen["items"]} == {world.one.staff_a1.id, world.one.sup_a.id}
    assert seen["pagination"]["total"] == 2


def test_pimpinan_sees_the_whole_organisation(app, world):
    head = ApiClient(app).login(world.one.head)
    assert head.get("/api/v1/people").get_json()["pagination"]["total"] == 7


@pytest.mark.parametrize("query", ["page=0", "per_page=201", "active=maybe", "unit_id=x",
                                   "q=" + "x" * 201])
def test_a_bad_query_is_422(admin, world, query):
    response = admin.get(f"/api/v1/people?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


# --- creating --------------------------------------------------------------------------------

def test_admin_creates_a_person_who_must_activate(admin, world, db):
    response = admin.post("/api/v1/people", json=new_person(world))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["supervisor"]["id"] == world.one.sup_a.id
    assert body["pangkat"] == "Penata Muda Tingkat I" and body["email"] == "siti@example.go.id"
    db.session.rollback()
    person = db.session.get(Person, body["id"])
    assert person.password_hash == NO_PASSWORD and person.org_id == world.one.org.id
    [entry] = audit_of(db, person.id)
    assert entry.action == "create" and entry.actor_id == world.one.admin.id
    assert entry.changes["name"] == [None, "Siti Rahma"]
    signin = admin.app.test_client().post("/api/v1/auth/login",
                                          json={"nip": person.nip, "password": ""})
    assert signin.status_code in (401, 422)


def test_the_nip_is_checked_for_format_and_dates(admin, world):
    future_birth = make_nip(date(2090, 1, 1), 2110, 1, "L", 1)
    for nip in ("12345", "19850312201001100X", future_birth, "19851332201001100"):
        response = admin.post("/api/v1/people", json=new_person(world, nip=nip))
        assert response.status_code == 422, nip
        assert "nip" in fields(response)


def test_a_nip_of_another_organisation_is_409_without_naming_it(admin, world):
    response = admin.post("/api/v1/people", json=new_person(world, nip=world.two.sup_a.nip))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "kota-dua" not in text and "Dua" not in text
    assert "nip" in fields(response)


@pytest.mark.parametrize(("override", "field"), [
    ({"golongan": "III/f"}, "golongan"),
    ({"golongan": "XVIII"}, "golongan"),
    ({"position_kind": "direktur"}, "position_kind"),
    ({"roles": ["superuser"]}, "roles.0"),
    ({"roles": []}, "roles"),
    ({"email": "bukan-email"}, "email"),
    ({"name": ""}, "name"),
    ({"unit_id": 999999}, "unit_id"),
    ({"supervisor_id": 999999}, "supervisor_id"),
])
def test_invalid_person_input_is_422(admin, world, override, field):
    response = admin.post("/api/v1/people", json=new_person(world, **override))
    assert response.status_code == 422
    assert field in fields(response)


def test_a_pppk_grade_is_a_valid_golongan(admin, world):
    response = admin.post("/api/v1/people", json=new_person(world, golongan="IX"))
    assert response.status_code == 201


def test_references_to_another_organisation_are_unknown(admin, world, count):
    before = count(Person)
    unit = admin.post("/api/v1/people", json=new_person(world, unit_id=world.two.staff_a1.unit_id))
    boss = admin.post("/api/v1/people", json=new_person(world, supervisor_id=world.two.sup_a.id))
    assert unit.status_code == boss.status_code == 422
    assert fields(unit)["unit_id"] == fields(admin.post(
        "/api/v1/people", json=new_person(world, unit_id=999999)))["unit_id"]
    assert "supervisor_id" in fields(boss)
    assert count(Person) == before


# --- editing ---------------------------------------------------------------------------------

def test_edit_move_and_change_supervisor_audited_field_by_field(admin, world, db):
    person = world.one.staff_a1
    old_unit = person.unit_id
    response = admin.patch(f"/api/v1/people/{person.id}", json={
        "jabatan": "Pranata Komputer", "unit_id": world.one.sup_b.unit_id,
        "supervisor_id": world.one.sup_b.id, "golongan": "III/c"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["unit"]["code"] == "B" and body["supervisor"]["id"] == world.one.sup_b.id
    [entry] = audit_of(db, person.id)
    assert entry.action == "update"
    assert entry.changes == {"jabatan": ["Jabatan Staf A1 kota-satu", "Pranata Komputer"],
                             "unit_id": [old_unit, world.one.sup_b.unit_id],
                             "supervisor_id": [world.one.sup_a.id, world.one.sup_b.id],
                             "golongan": ["III/a", "III/c"]}
    # The new supervisor's line now holds them; the old one's does not.
    sup_b = ApiClient(admin.app).login(world.one.sup_b)
    assert sup_b.get(f"/api/v1/people/{person.id}").status_code == 200


def test_a_supervisor_loop_is_refused_naming_it(admin, world, db):
    head = world.one.head
    response = admin.patch(f"/api/v1/people/{head.id}",
                           json={"supervisor_id": world.one.staff_a1.id})
    assert response.status_code == 422
    message = fields(response)["supervisor_id"]
    for person in (head, world.one.staff_a1, world.one.sup_a):
        assert person.name in message
    assert admin.patch(f"/api/v1/people/{head.id}",
                       json={"supervisor_id": head.id}).status_code == 422
    db.session.rollback()
    assert db.session.get(Person, head.id).supervisor_id is None
    assert audit_of(db, head.id) == []


def test_a_supervisor_of_another_organisation_is_unknown(admin, world):
    response = admin.patch(f"/api/v1/people/{world.one.staff_a1.id}",
                           json={"supervisor_id": world.two.sup_a.id})
    assert response.status_code == 422
    assert "supervisor_id" in fields(response)


def test_roles_change_but_the_last_admin_keeps_theirs(admin, world, db):
    me = world.one.admin
    refused = admin.patch(f"/api/v1/people/{me.id}", json={"roles": ["pegawai"]})
    assert refused.status_code == 422 and "roles" in fields(refused)
    assert admin.patch(f"/api/v1/people/{me.id}", json={"active": False}).status_code == 422
    appointed = admin.patch(f"/api/v1/people/{world.one.sup_b.id}",
                            json={"roles": ["pegawai", "atasan", "admin_kepegawaian"]})
    assert appointed.status_code == 200
    assert appointed.get_json()["roles"] == ["admin_kepegawaian", "atasan", "pegawai"]
    assert audit_of(db, world.one.sup_b.id)[0].changes == {
        "roles": [["atasan", "pegawai"], ["admin_kepegawaian", "atasan", "pegawai"]]}
    stepped_down = admin.patch(f"/api/v1/people/{me.id}", json={"roles": ["pegawai"]})
    assert stepped_down.status_code == 200


def test_a_nip_change_is_checked_like_a_new_one(admin, world):
    person = world.one.staff_a1
    taken = admin.patch(f"/api/v1/people/{person.id}", json={"nip": world.one.sup_a.nip})
    assert taken.status_code == 409
    assert admin.patch(f"/api/v1/people/{person.id}", json={"nip": "1"}).status_code == 422
    same = admin.patch(f"/api/v1/people/{person.id}", json={"nip": person.nip})
    assert same.status_code == 200


def test_deactivation_stops_sessions_and_tokens_and_keeps_history(app, admin, world, db):
    person = world.one.staff_a2
    own = ApiClient(app).login(person)
    token = own.post("/api/v1/auth/tokens", json={"name": "skrip"}).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    logged = make_activity(person, on=date.today(), start=time(0), end=time(0, 30))
    assert own.get("/api/v1/me").status_code == 200
    response = admin.patch(f"/api/v1/people/{person.id}", json={"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert own.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    signin = app.test_client().post("/api/v1/auth/login",
                                    json={"nip": person.nip, "password": PASSWORD})
    assert signin.status_code in (401, 403)
    [entry] = audit_of(db, person.id)[-1:]
    assert entry.action == "deactivate" and entry.changes == {"active": [True, False]}
    # History stays: the person and what they logged.
    assert db.session.get(Person, person.id).active is False
    assert db.session.get(Activity, logged.id).person_id == person.id
    back = admin.patch(f"/api/v1/people/{person.id}", json={"active": True})
    assert back.status_code == 200 and audit_of(db, person.id)[-1].action == "reactivate"
    assert ApiClient(app).login(person).get("/api/v1/me").status_code == 200
    # A revoked token stays revoked after reactivation.
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401


def test_another_organisations_people_are_not_found(admin, world, count):
    theirs = world.two.staff_a1
    assert admin.get(f"/api/v1/people/{theirs.id}").status_code == 404
    assert admin.patch(f"/api/v1/people/{theirs.id}", json={"name": "X"}).status_code == 404
    assert admin.patch(f"/api/v1/people/{theirs.id}", json={"active": False}).status_code == 404
    listed = admin.get("/api/v1/people?per_page=200&q=kota-dua").get_json()
    assert listed["items"] == [] and listed["pagination"]["total"] == 0


@pytest.mark.parametrize("who", ["staff_a1", "sup_a", "head"])
def test_only_hr_administrators_change_people(app, world, who, count):
    client = ApiClient(app).login(getattr(world.one, who))
    before = count(Person)
    assert client.post("/api/v1/people", json=new_person(world)).status_code == 403
    assert client.patch(f"/api/v1/people/{world.one.staff_a2.id}",
                        json={"name": "X"}).status_code == 403
    assert count(Person) == before


def test_the_openapi_document_describes_the_new_endpoints(admin, world):
    spec = admin.get("/api/v1/openapi.json").get_json()
    people = spec["paths"]["/api/v1/people"]
    assert {"200", "422", "404"} <= set(people["get"]["responses"])
    assert {"201", "403", "409", "422"} <= set(people["post"]["responses"])
    assert {"200", "403", "404", "409", "422"} <= set(
        spec["paths"]["/api/v1/people/{person_id}"]["patch"]["responses"])
    assert {"201", "403", "422"} <= set(spec["paths"]["/api/v1/units"]["post"]["responses"])
    assert {"PersonIn", "PersonPageOut", "UnitIn"} <= set(spec["components"]["schemas"])
