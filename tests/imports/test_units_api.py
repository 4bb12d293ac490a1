"""POST /api/v1/imports/units: unit trees by code, parents, zones."""

import pytest
import sqlalchemy as sa

from app.audit import services as audit
from app.org.models import Unit
from tests.imports.support import UNIT_HEADERS, csv_file, upload


@pytest.fixture
def existing(world):
    """The units of world.one as a file would list them (zones left blank: kept)."""
    root = world.one.head.unit.name
    return [["ROOT", root, None, "Asia/Jakarta"], ["A", "Bidang A", "ROOT", None],
            ["A1", "Seksi A1", "A", None], ["B", "Bidang B", "ROOT", None]]


def units_csv(rows, headers=UNIT_HEADERS):
    return csv_file(rows, headers=headers)


def by_code(body):
    return {row["code"]: row for row in body["rows"]}


def test_new_units_take_their_parents_and_zones(api, world, existing, db):
    api.login(world.one.admin)
    rows = [*existing, ["C", "Bidang C", "ROOT", "WITA"], ["C1", "Seksi C1", "C", ""]]
    response = upload(api, units_csv(rows), kind="units", name="unit.csv", dry_run=False)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["summary"] == {"create": 2, "update": 0, "unchanged": 4,
                                              "deactivate": 0, "errors": 0}
    units = {u.code: u for u in db.session.scalars(
        sa.select(Unit).where(Unit.org_id == world.one.org.id))}
    assert units["C1"].parent_id == units["C"].id and units["C"].parent_id == units["ROOT"].id
    assert units["C"].timezone == units["C1"].timezone == "Asia/Makassar"
    assert audit.verify_organisation(world.one.org.id).problems == []
    again = upload(api, units_csv(rows), kind="units", name="unit.csv", dry_run=False)
    assert again.get_json()["summary"]["create"] == 0
    assert {row["action"] for row in again.get_json()["rows"]} == {"unchanged"}


def test_a_renamed_and_moved_unit_is_one_update(api, world, existing, db):
    api.login(world.one.admin)
    rows = [list(row) for row in existing]
    rows[2] = ["A1", "Seksi A Satu", "B", "WIT"]
    body = upload(api, units_csv(rows), kind="units", dry_run=False).get_json()
    assert by_code(body)["A1"]["changes"] == {"name": ["Seksi A1", "Seksi A Satu"],
                                              "parent_code": ["A", "B"],
                                              "timezone": ["Asia/Jakarta", "Asia/Jayapura"]}
    assert body["summary"]["update"] == 1
    db.session.expire_all()
    unit = db.session.scalars(sa.select(Unit).where(Unit.org_id == world.one.org.id,
                                                    Unit.code == "A1")).one()
    assert unit.parent.code == "B" and unit.timezone == "Asia/Jayapura"


@pytest.mark.parametrize(("rows", "code", "words"), [
    ([["X Y", "Spasi", "ROOT", None]], "X Y", "letters"),
    ([["D", "Tanpa induk", "NOPE", None]], "D", "NOPE"),
    ([["D", "Zona", "ROOT", "GMT+7"]], "D", "zone"),
    ([["D", "", "ROOT", None]], "D", "required"),
])
def test_each_kind_of_bad_unit_row(api, world, existing, rows, code, words):
    api.login(world.one.admin)
    body = upload(api, units_csv(existing + rows), kind="units", dry_run=True).get_json()
    row = by_code(body)[code]
    assert row["action"] == "error"
    assert words.lower() in " ".join(row["errors"]).lower()


def test_duplicate_codes_and_parent_loops(api, world, existing):
    api.login(world.one.admin)
    rows = [list(row) for row in existing] + [["D", "Satu", "ROOT", None],
                                               ["D", "Dua", "ROOT", None]]
    rows[0][2] = "A1"  # ROOT under A1, which is under A, under ROOT
    body = upload(api, units_csv(rows), kind="units", dry_run=True).get_json()
    assert [row["action"] for row in body["rows"] if row["code"] == "D"] == ["error", "error"]
    assert "ROOT → A1 → A → ROOT" in " ".join(by_code(body)["ROOT"]["errors"]) or \
        "A1 → A → ROOT → A1" in " ".join(by_code(body)["ROOT"]["errors"])
    response = upload(api, units_csv(rows), kind="units", dry_run=False)
    assert response.status_code == 422


def test_missing_units_are_deactivated_only_when_asked(api, world, existing, db):
    api.login(world.one.admin)
    rows = [row for row in existing if row[0] != "B"]
    body = upload(api, units_csv(rows), kind="units", dry_run=False).get_json()
    assert [row["code"] for row in body["rows"] if row["action"] == "deactivate"] == ["B"]
    upload(api, units_csv(rows), kind="units", dry_run=False, deactivate_missing=True)
    db.session.expire_all()
    unit = db.session.scalars(sa.select(Unit).where(Unit.org_id == world.one.org.id,
                                                    Unit.code == "B")).one()
    assert not unit.active


def test_units_headers_in_english(api, world, existing):
    api.login(world.one.admin)
    body = upload(api, units_csv([["E", "Bidang E", "ROOT", "WIB"]],
                                 headers=["Code", "Name", "Parent Code", "Time Zone"]),
                  kind="units", dry_run=True).get_json()
    assert body["summary"]["create"] == 1


def test_pimpinan_may_not_import_units(api, world, existing):
    api.login(world.one.head)
    response = upload(api, units_csv(existing), kind="units", dry_run=True)
    assert response.status_code == 403
