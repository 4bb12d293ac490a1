"""Units through the API: create, rename, move (no loops), time zone, deactivate; HR
administrators of the organisation only."""

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.org.models import Unit
from tests.support import ApiClient


def fields(response) -> dict:
    return response.get_json()["error"]["fields"]


@pytest.fixture
def admin(app, world):
    return ApiClient(app).login(world.one.admin)


def unit_id(world, code, org="one"):
    org = getattr(world, org).org
    return next(u.id for u in [world.one.staff_a1.unit, world.one.sup_a.unit,
                               world.one.sup_b.unit, world.one.head.unit,
                               world.two.staff_a1.unit, world.two.head.unit]
                if u.code == code and u.org_id == org.id)


def test_admin_creates_a_unit_under_a_parent_with_its_zone(admin, world, db):
    root = unit_id(world, "ROOT")
    response = admin.post("/api/v1/units", json={"code": "C", "name": "Bidang C",
                                                 "parent_id": root})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["parent_id"] == root
    assert body["timezone"] == "Asia/Jakarta" and body["zone_abbreviation"] == "WIB"
    assert body["active"] is True
    other = admin.post("/api/v1/units", json={"code": "D", "name": "UPT D", "parent_id": root,
                                              "timezone": "Asia/Jayapura"}).get_json()
    assert other["zone_abbreviation"] == "WIT"
    listed = {u["code"] for u in admin.get("/api/v1/units").get_json()}
    assert {"C", "D"} <= listed
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "unit", AuditEntry.subject_id == str(body["id"])))
    assert entry.action == "create" and entry.actor_id == world.one.admin.id
    assert entry.changes["code"] == [None, "C"]


def test_codes_are_unique_within_the_organisation_only(admin, world):
    taken = admin.post("/api/v1/units", json={"code": "a1", "name": "Dup"})
    assert taken.status_code == 422
    assert "code" in fields(taken)
    # The other organisation has a unit "A1" as well: that is no conflict.
    assert admin.post("/api/v1/units", json={"code": "Z9", "name": "Z"}).status_code == 201
    rename = admin.patch(f"/api/v1/units/{unit_id(world, 'B')}", json={"code": "A"})
    assert rename.status_code == 422 and "code" in fields(rename)


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "Tanpa kode"}, "code"),
    ({"code": "", "name": "Kosong"}, "code"),
    ({"code": "X", "name": "X", "timezone": "Europe/Paris"}, "timezone"),
    ({"code": "X", "name": "X", "parent_id": "1"}, "parent_id"),
    ({"code": "X", "name": "X", "parent_id": 2**40}, "parent_id"),
    ({"code": "X" * 33, "name": "X"}, "code"),
    ({"code": "X", "name": "X", "extra": 1}, "extra"),
])
def test_invalid_unit_input_is_422_with_the_field(admin, world, body, field):
    response = admin.post("/api/v1/units", json=body)
    assert response.status_code == 422
    assert field in fields(response)


def test_rename_move_and_zone_are_audited(admin, world, db):
    a1 = unit_id(world, "A1")
    response = admin.patch(f"/api/v1/units/{a1}", json={
        "name": "Seksi Baru", "parent_id": unit_id(world, "B"), "timezone": "Asia/Makassar"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["parent_id"] == unit_id(world, "B")
    assert response.get_json()["zone_abbreviation"] == "WITA"
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "unit", AuditEntry.subject_id == str(a1))).one()
    assert entry.action == "update"
    assert entry.changes == {"name": ["Seksi A1", "Seksi Baru"],
                             "parent_id": [unit_id(world, "A"), unit_id(world, "B")],
                             "timezone": ["Asia/Jakarta", "Asia/Makassar"]}
    # The time zone of the unit is its people's.
    assert admin.get(f"/api/v1/people/{world.one.staff_a1.id}").get_json()[
        "unit"]["timezone"] == "Asia/Makassar"


def test_a_move_under_itself_or_its_own_child_is_refused_naming_the_loop(admin, world, db):
    root, a, a1 = unit_id(world, "ROOT"), unit_id(world, "A"), unit_id(world, "A1")
    loop = admin.patch(f"/api/v1/units/{root}", json={"parent_id": a1})
    assert loop.status_code == 422
    message = fields(loop)["parent_id"]
    assert "Seksi A1" in message and "Bidang A" in message and "Dinas kota-satu" in message
    assert admin.patch(f"/api/v1/units/{a}", json={"parent_id": a}).status_code == 422
    db.session.rollback()
    assert db.session.get(Unit, root).parent_id is None


def test_deactivating_a_unit_with_active_people_below_is_refused(admin, world, db):
    a = unit_id(world, "A")
    refused = admin.patch(f"/api/v1/units/{a}", json={"active": False})
    assert refused.status_code == 422
    # Two active people in Seksi A1 under it, one in Bidang A itself.
    assert "3" in fields(refused)["active"]
    for person in (world.one.staff_a1, world.one.staff_a2, world.one.sup_a):
        assert admin.patch(f"/api/v1/people/{person.id}",
                           json={"active": False}).status_code == 200
    done = admin.patch(f"/api/v1/units/{a}", json={"active": False})
    assert done.status_code == 200 and done.get_json()["active"] is False
    # An inactive unit takes no new children and no people.
    child = admin.post("/api/v1/units", json={"code": "A2", "name": "X", "parent_id": a})
    assert child.status_code == 422 and "parent_id" in fields(child)
    moved = admin.patch(f"/api/v1/people/{world.one.staff_b1.id}", json={"unit_id": a})
    assert moved.status_code == 422 and "unit_id" in fields(moved)
    assert admin.patch(f"/api/v1/units/{a}", json={"active": True}).status_code == 200


def test_the_message_says_why_in_indonesian(admin, world):
    refused = admin.patch(f"/api/v1/units/{unit_id(world, 'B')}", json={"active": False})
    assert "masih" in fields(refused)["active"]


def test_another_organisations_units_are_not_found(admin, world):
    theirs = unit_id(world, "A1", "two")
    assert admin.get(f"/api/v1/units/{theirs}").status_code == 404
    assert admin.patch(f"/api/v1/units/{theirs}", json={"name": "X"}).status_code == 404
    as_parent = admin.post("/api/v1/units", json={"code": "X", "name": "X",
                                                  "parent_id": theirs})
    assert as_parent.status_code == 422
    assert fields(as_parent)["parent_id"] == fields(admin.post(
        "/api/v1/units", json={"code": "X", "name": "X", "parent_id": 999999}))["parent_id"]
    move = admin.patch(f"/api/v1/units/{unit_id(world, 'A1')}", json={"parent_id": theirs})
    assert move.status_code == 422


@pytest.mark.parametrize("who", ["staff_a1", "sup_a", "head"])
def test_only_hr_administrators_change_units(app, world, who, count):
    client = ApiClient(app).login(getattr(world.one, who))
    before = count(Unit)
    assert client.post("/api/v1/units", json={"code": "X", "name": "X"}).status_code == 403
    assert client.patch(f"/api/v1/units/{unit_id(world, 'A1')}",
                        json={"name": "X"}).status_code == 403
    assert count(Unit) == before
