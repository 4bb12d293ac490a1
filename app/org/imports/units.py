"""The plan of a units import and its application, as :mod:`app.org.imports.people` does for
people: rows keyed by unit code, parents by code, zones by IANA name or WIB/WITA/WIT."""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.org.imports import bulk, values
from app.org.imports.chains import append_many
from app.org.imports.plan import Plan, chunks, mark_loops, repeated
from app.org.imports.reading import Table
from app.org.models import Organisation, Person, Unit

FIELDS = ("name", "parent_code", "timezone")
OPTIONAL = {"parent_code", "timezone"}


def _existing(org_id: int) -> dict[str, dict]:
    parent = sa.orm.aliased(Unit)
    rows = db.session.execute(
        sa.select(Unit.id, Unit.code, Unit.name, Unit.timezone, Unit.active,
                  parent.code.label("parent_code"))
        .outerjoin(parent, parent.id == Unit.parent_id).where(Unit.org_id == org_id))
    return {row.code: row._asdict() for row in rows}


def _parse(number: int, cells: dict, columns: set[str]) -> dict:
    parsed, errors = {"row": number}, []
    checks = {"code": values.unit_code, "name": lambda v: values.required_text(v, 200),
              "parent_code": lambda v: values.unit_code(v) if v is not None else None,
              "timezone": values.timezone}
    for field, check in checks.items():
        if field in columns:
            try:
                parsed[field] = check(cells.get(field))
            except values.BadValue as error:
                parsed[field] = None
                errors.append(str(error))
    parsed["key"] = parsed["code"] or values.plain_text(cells.get("code"))
    parsed["errors"] = errors
    return parsed


def plan_units(actor: Person, table: Table) -> Plan:
    """What importing ``table`` would do to ``actor``'s unit tree; writes nothing."""
    existing = _existing(actor.org_id)
    rows = [_parse(number, cells, table.columns) for number, cells in table.rows]
    keys, twice = {row["key"] for row in rows if row["key"]}, repeated(rows)
    for row in rows:
        if row["key"] in twice:
            row["errors"].append(_("This code appears more than once in the file (rows "
                                   "%(rows)s).", rows=", ".join(map(str, twice[row["key"]]))))
        parent = row.get("parent_code")
        if parent and parent not in keys and parent not in existing:
            row["errors"].append(_("Unknown parent unit code %(code)s.", code=parent))
    mark_loops(rows, {code: unit["parent_code"] for code, unit in existing.items()},
               "parent_code", table.columns,
               lambda loop: _("Parent unit loop: %(loop)s.", loop=loop))
    default_zone = db.session.get(Organisation, actor.org_id).timezone
    plan = Plan(kind="units")
    zones = _zones(rows, existing, default_zone)
    for row in rows:
        plan.add(_decide(row, table.columns, existing.get(row["code"] or ""), zones))
    for code, unit in existing.items():
        if code not in keys and unit["active"]:
            plan.add({"row": None, "code": code, "action": "deactivate",
                      "changes": {"active": [True, False]}, "errors": [], "id": unit["id"]})
    return plan


def _zones(rows, existing, default_zone) -> dict[str, str]:
    """The zone of each new unit without one: its parent's (from the file or the database),
    else the organisation's."""
    given = {row["key"]: row.get("timezone") for row in rows if row["key"]}
    parents = {row["key"]: row.get("parent_code") for row in rows if row["key"]}

    def zone_of(code, depth=0):
        if given.get(code):
            return given[code]
        if code in existing and code not in given:
            return existing[code]["timezone"]
        parent = parents.get(code)
        if parent and depth < 100:
            return zone_of(parent, depth + 1)
        return existing[code]["timezone"] if code in existing else default_zone
    return {code: zone_of(code) for code in given}


def _decide(row: dict, columns: set[str], unit: dict | None, zones) -> dict:
    out = {"row": row["row"], "code": row["key"], "changes": {}, "errors": row["errors"]}
    if row["errors"]:
        out["action"] = "error"
        return out
    new = {field: row.get(field) for field in FIELDS if field not in OPTIONAL or field in columns}
    if unit is None:
        new["timezone"] = new.get("timezone") or zones[row["key"]]
        out.update(action="create", values=new,
                   changes={field: [None, value] for field, value in new.items()
                            if value is not None})
        return out
    if new.get("timezone") is None:
        new.pop("timezone", None)  # a blank zone keeps the unit's own
    changes = {field: [unit[field], value] for field, value in new.items()
               if unit[field] != value}
    if not unit["active"]:
        changes["active"] = [False, True]
    out.update(action="update" if changes else "unchanged", changes=changes, id=unit["id"],
               values={**{field: unit[field] for field in FIELDS}, **new})
    return out


def apply_units(actor: Person, plan: Plan, deactivate_missing: bool) -> None:
    """Write a plan without errors: parents inserted before their children, then the
    changed units in one executemany; every change audited in the actor's chain."""
    ids = {code: unit["id"] for code, unit in _existing(actor.org_id).items()}
    table = Unit.__table__
    bulk.insert_in_levels(
        table, [row for row in plan.rows if row["action"] == "create"],
        key=lambda row: row["code"], parent=lambda row: row["values"].get("parent_code"),
        params=lambda row: {"org_id": actor.org_id, "code": row["code"],
                            "name": row["values"]["name"],
                            "timezone": row["values"]["timezone"], "active": True,
                            "parent_id": ids.get(row["values"].get("parent_code"))},
        ids=ids)
    updates = [{"b_id": row["id"], "name": row["values"]["name"],
                "timezone": row["values"]["timezone"], "active": True,
                "parent_id": ids.get(row["values"].get("parent_code"))}
               for row in plan.rows if row["action"] == "update"]
    if updates:
        db.session.execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")), updates)
    gone = [row for row in plan.rows if row["action"] == "deactivate"] \
        if deactivate_missing else []
    for chunk in chunks([row["id"] for row in gone]):
        db.session.execute(sa.update(table).where(table.c.id.in_(chunk)).values(active=False))
    items = [(actor.id, "unit", ids[row["code"]], "import_" + row["action"], row["changes"])
             for row in plan.rows if row["action"] in ("create", "update")]
    items += [(actor.id, "unit", row["id"], "deactivate", row["changes"]) for row in gone]
    append_many(actor.org_id, actor.id, items)
