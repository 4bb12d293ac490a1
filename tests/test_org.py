"""The organisation: reporting lines, who sees whom, GET /me."""

import pytest

from app.errors import ValidationFailed
from app.org import services
from app.org.models import Person
from tests.factories import add_person


def visible_ids(db, actor) -> set[int]:
    return {p.id for p in db.session.scalars(services.people_visible_to(actor))}


def test_supervisor_sees_whole_line_below(db, world):
    one = world.one
    assert visible_ids(db, one.head) >= {one.sup_a.id, one.staff_a1.id, one.staff_b1.id}
    assert visible_ids(db, one.sup_a) == {one.sup_a.id, one.head.id, one.staff_a1.id,
                                          one.staff_a2.id}


def test_line_reaches_every_level(db, world):
    one = world.one
    deeper = add_person(one.org, one.staff_a1.unit, "Magang", supervisor=one.staff_a1)
    db.session.commit()
    assert deeper.id in visible_ids(db, one.head)
    assert deeper.id in visible_ids(db, one.sup_a)
    assert deeper.id not in visible_ids(db, one.sup_b)


def test_staff_sees_self_and_supervisor_only(db, world):
    one = world.one
    assert visible_ids(db, one.staff_a1) == {one.staff_a1.id, one.sup_a.id}


def test_admin_sees_own_organisation_only(db, world):
    ids = visible_ids(db, world.one.admin)
    assert len(ids) == 7
    assert not ids & visible_ids(db, world.two.admin)


def test_reporting_line_cannot_loop(db, world):
    one = world.one
    with pytest.raises(ValidationFailed) as error:
        services.assign_supervisor(one.head, one.staff_a1)
    assert "supervisor_id" in error.value.fields
    with pytest.raises(ValidationFailed):
        services.assign_supervisor(one.sup_a, one.sup_a)


def test_supervisor_must_be_in_same_organisation(db, world):
    with pytest.raises(ValidationFailed):
        services.assign_supervisor(world.one.staff_a1, world.two.sup_a)


def test_create_person_checks_nip(db, world):
    one = world.one
    with pytest.raises(ValidationFailed) as error:
        services.create_person(one.org, one.staff_a1.unit, nip="123", name="X", jabatan="Y",
                               position_kind="pelaksana", password_hash="x")
    assert "nip" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        services.create_person(one.org, one.staff_a1.unit, nip=one.staff_a2.nip, name="X",
                               jabatan="Y", position_kind="pelaksana", password_hash="x")
    assert error.value.fields["nip"] == "NIP ini sudah terdaftar."


def test_create_person_refuses_unit_of_other_org_and_bad_golongan(db, world):
    with pytest.raises(ValidationFailed):
        add_person(world.one.org, world.two.staff_a1.unit, "Salah Unit")
    with pytest.raises(ValidationFailed):
        services.check_golongan("V/a")
    services.check_golongan("IX")  # PPPK grades are valid


def test_unit_path_and_time_zone(db, world):
    unit = world.two.staff_a1.unit
    assert [u.code for u in unit.path()] == ["ROOT", "A", "A1"]
    assert unit.timezone == "Asia/Makassar"
    assert unit.zone_abbreviation == "WITA"


def test_unit_time_zone_must_be_indonesian(db, world):
    with pytest.raises(ValidationFailed):
        services.create_unit(world.one.org, "X", "Unit X", timezone="Europe/Berlin")
    unit = services.create_unit(world.one.org, "PPU", "Kantor Jayapura",
                                timezone="Asia/Jayapura")
    assert unit.zone_abbreviation == "WIT"


def test_deactivated_people_are_kept(db, world, count):
    services.deactivate(world.one.staff_b1)
    db.session.commit()
    assert count(Person) == 14
    assert db.session.get(Person, world.one.staff_b1.id).active is False


def test_me_answers_person_unit_supervisor_roles_and_zone(api, world):
    api.login(world.two.staff_a1)
    me = api.get("/api/v1/me").get_json()
    assert me["nip"] == world.two.staff_a1.nip
    assert me["unit"]["name"] == "Seksi A1"
    assert [u["code"] for u in me["unit_path"]] == ["ROOT", "A", "A1"]
    assert me["supervisor"]["id"] == world.two.sup_a.id
    assert me["roles"] == ["pegawai"]
    assert me["timezone"] == "Asia/Makassar"
    assert me["organisation"]["slug"] == "kota-dua"
    assert "password_hash" not in me


def test_people_list_is_the_callers_line(api, world):
    api.login(world.one.sup_a)
    names = {p["id"] for p in api.get("/api/v1/people").get_json()["items"]}
    assert names == {world.one.sup_a.id, world.one.head.id, world.one.staff_a1.id,
                     world.one.staff_a2.id}


def test_people_list_is_paginated_and_validates_query(api, world):
    api.login(world.one.admin)
    page = api.get("/api/v1/people?per_page=3&page=2").get_json()
    assert len(page["items"]) == 3
    assert page["pagination"] == {"page": 2, "per_page": 3, "total": 7, "pages": 3}
    bad = api.get("/api/v1/people?per_page=1000")
    assert bad.status_code == 422
    assert "per_page" in bad.get_json()["error"]["fields"]


def test_peer_cannot_see_peer(api, world):
    api.login(world.one.staff_a1)
    assert api.get(f"/api/v1/people/{world.one.staff_a2.id}").status_code == 404
    assert api.get(f"/api/v1/people/{world.one.sup_a.id}").status_code == 200


def test_other_supervisor_cannot_see_line(api, world):
    api.login(world.one.sup_b)
    assert api.get(f"/api/v1/people/{world.one.staff_a1.id}").status_code == 404


def test_preference_is_validated(api, world):
    api.login(world.one.staff_a1)
    response = api.patch("/api/v1/me", json={"locale": "fr"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"locale"}
    unknown = api.patch("/api/v1/me", json={"locale": "en", "nip": "1"})
    assert unknown.status_code == 422
    assert "nip" in unknown.get_json()["error"]["fields"]


def test_supervisor_loop_names_the_loop_from_the_start():
    from app.org.lines import supervisor_loop

    assert supervisor_loop({"a": "b", "b": "c", "c": None}, "a") is None
    assert supervisor_loop({"a": "b", "b": "c", "c": "a"}, "a") == ["a", "b", "c", "a"]
    # d is not on the loop, but its chain runs into it.
    assert supervisor_loop({"d": "a", "a": "b", "b": "a"}, "d") == ["a", "b", "a"]
    assert supervisor_loop({1: 1}, 1) == [1, 1]
    assert supervisor_loop({}, 7) is None
