"""The plan of a people import, checked against the database in a few bulk queries, and its
application in bulk statements.

A plan row is ``{"row", "nip", "action", "changes", "errors"}`` with ``action`` one of
create, update, unchanged, deactivate or error; ``changes`` maps a field to ``[old, new]``,
units by code and supervisors by NIP, as the file names them.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.org.imports import bulk, values
from app.org.imports.chains import append_many
from app.org.imports.plan import Plan, chunks, mark_loops, repeated
from app.org.imports.reading import Table
from app.org.models import NO_PASSWORD, Person, PersonRole, Role, Unit

#: Fields compared for an existing person (our name -> the column of ``people``).
FIELDS = ("name", "jabatan", "position_kind", "golongan", "unit_code", "supervisor_nip",
          "email")
#: Fields that a file may leave out; then they stay as they are.
OPTIONAL = {"golongan", "supervisor_nip", "email"}


def _existing(org_id: int) -> dict[str, dict]:
    """The organisation's people by NIP, as plain dicts (one query)."""
    supervisor = sa.orm.aliased(Person)
    rows = db.session.execute(
        sa.select(Person.id, Person.nip, Person.name, Person.jabatan, Person.position_kind,
                  Person.golongan, Person.email, Person.active, Unit.code.label("unit_code"),
                  supervisor.nip.label("supervisor_nip"))
        .join(Unit, Unit.id == Person.unit_id)
        .outerjoin(supervisor, supervisor.id == Person.supervisor_id)
        .where(Person.org_id == org_id))
    return {row.nip: {**row._asdict(), "position_kind": row.position_kind.value}
            for row in rows}


def _units(org_id: int) -> dict[str, tuple[int, bool]]:
    rows = db.session.execute(sa.select(Unit.code, Unit.id, Unit.active)
                              .where(Unit.org_id == org_id))
    return {row.code: (row.id, row.active) for row in rows}


def _elsewhere(org_id: int, nips: list[str]) -> set[str]:
    """The NIPs of ``nips`` registered in another organisation."""
    found = set()
    for chunk in chunks(nips):
        found.update(db.session.scalars(sa.select(Person.nip).where(
            Person.nip.in_(chunk), Person.org_id != org_id)))
    return found


def _parse(number: int, cells: dict, columns: set[str]) -> dict:
    """The row's values (None where unusable) and its messages."""
    parsed, errors = {"row": number}, []
    checks = {
        "nip": values.nip,
        "name": lambda v: values.required_text(v, 200),
        "jabatan": lambda v: values.required_text(v, 200),
        "position_kind": lambda v: values.position_kind(v).value,
        "golongan": values.golongan,
        "unit_code": values.unit_code,
        "supervisor_nip": values.nip_text,
        "email": values.email,
    }
    for field, check in checks.items():
        if field not in columns:
            continue
        try:
            parsed[field] = check(cells.get(field))
        except values.BadValue as error:
            parsed[field] = None
            errors.append(str(error))
    parsed["key"] = parsed["nip"] or _loose_key(cells.get("nip"))
    parsed["errors"] = errors
    return parsed


def _loose_key(cell: str | None) -> str | None:
    """A NIP that failed its checks, as typed, so duplicates and lookups still see it."""
    try:
        return values.nip_text(cell)
    except values.BadValue:
        return values.plain_text(cell)


def plan_people(actor: Person, table: Table) -> Plan:
    """What importing ``table`` would do in ``actor``'s organisation; writes nothing."""
    existing = _existing(actor.org_id)
    units = _units(actor.org_id)
    rows = [_parse(number, cells, table.columns) for number, cells in table.rows]
    in_file = {row["key"] for row in rows if row["key"]}
    elsewhere = _elsewhere(actor.org_id, [key for key in in_file if key not in existing])
    _check_references(rows, table.columns, existing, units, in_file, elsewhere)
    mark_loops(rows, {nip: person["supervisor_nip"] for nip, person in existing.items()},
               "supervisor_nip", table.columns,
               lambda loop: _("Supervisor loop: %(loop)s.", loop=loop))
    plan = Plan(kind="people")
    for row in rows:
        plan.add(_decide(row, table.columns, existing.get(row["nip"] or ""), units))
    for nip, person in existing.items():
        if nip not in in_file and person["active"] and person["id"] != actor.id:
            plan.add({"row": None, "nip": nip, "action": "deactivate",
                      "changes": {"active": [True, False]}, "errors": [],
                      "id": person["id"]})
    return plan


def _check_references(rows, columns, existing, units, in_file, elsewhere):
    twice = repeated(rows)
    for row in rows:
        key, errors = row["key"], row["errors"]
        if key in twice:
            errors.append(_("This NIP appears more than once in the file (rows %(rows)s).",
                            rows=", ".join(str(n) for n in twice[key])))
        if key in elsewhere:
            errors.append(_("This NIP is registered in another organisation."))
        code = row.get("unit_code")
        if code and code not in units:
            errors.append(_("Unknown unit code %(code)s.", code=code))
        elif code and not units[code][1] and (
                key not in existing or existing[key]["unit_code"] != code):
            errors.append(_("The unit %(code)s is deactivated.", code=code))
        boss = row.get("supervisor_nip")
        if "supervisor_nip" in columns and boss and boss not in in_file \
                and boss not in existing:
            errors.append(_("Unknown supervisor NIP %(nip)s: neither in the file nor in the "
                            "organisation.", nip=boss))


def _new_values(row: dict, columns: set[str]) -> dict:
    return {field: row.get(field) for field in FIELDS
            if field not in OPTIONAL or field in columns}


def _decide(row: dict, columns: set[str], person: dict | None, units) -> dict:
    out = {"row": row["row"], "nip": row["key"], "changes": {}, "errors": row["errors"]}
    if row["errors"]:
        out["action"] = "error"
        return out
    new = _new_values(row, columns)
    if person is None:
        out["action"] = "create"
        out["changes"] = {field: [None, value] for field, value in new.items()
                          if value is not None}
        out["values"] = new
        return out
    changes = {field: [person[field], value] for field, value in new.items()
               if person[field] != value}
    if not person["active"]:
        changes["active"] = [False, True]
    out["action"] = "update" if changes else "unchanged"
    out["changes"] = changes
    out["id"] = person["id"]
    out["values"] = {**{field: person[field] for field in FIELDS}, **new}
    return out


# --- applying -------------------------------------------------------------------------------

def apply_people(actor: Person, plan: Plan, deactivate_missing: bool) -> None:
    """Write a plan without errors in bulk statements (flushes nothing through the ORM)."""
    units = {code: unit_id for code, (unit_id, _active) in _units(actor.org_id).items()}
    ids = {row["nip"]: row["id"] for row in plan.rows if row.get("id")}
    ids.update(_ids_of_supervisors(actor.org_id, plan, ids))
    created = _insert_new(actor, plan, units, ids)
    _update_changed(plan, units, ids)
    deactivated = []
    if deactivate_missing:
        deactivated = [row["id"] for row in plan.rows if row["action"] == "deactivate"]
        for chunk in chunks(deactivated):
            db.session.execute(sa.update(Person.__table__).where(Person.id.in_(chunk))
                               .values(active=False))
    items = [(ids[row["nip"]], "person", ids[row["nip"]], "import_" + row["action"],
              row["changes"]) for row in plan.rows if row["action"] in ("create", "update")]
    items += [(person_id, "person", person_id, "deactivate", {"active": [True, False]})
              for person_id in deactivated]
    append_many(actor.org_id, actor.id, items, new_owners=set(created))


def _ids_of_supervisors(org_id: int, plan: Plan, known: dict) -> dict[str, int]:
    """Ids of supervisors named by the file who are in the organisation but not the file."""
    wanted = {row["values"].get("supervisor_nip") for row in plan.rows if row.get("values")}
    wanted = [nip for nip in wanted if nip and nip not in known]
    found = {}
    for chunk in chunks(wanted):
        found.update((row.nip, row.id) for row in db.session.execute(
            sa.select(Person.nip, Person.id).where(Person.org_id == org_id,
                                                   Person.nip.in_(chunk))))
    return found


def _insert_new(actor, plan: Plan, units: dict, ids: dict) -> list[int]:
    """Insert new people, supervisors before the people they supervise, so every row is
    written once with its supervisor's id (one bulk insert per level of the line)."""
    supervisors = {row["values"].get("supervisor_nip") for row in plan.rows
                   if row.get("values")}
    created = bulk.insert_in_levels(
        Person.__table__, [row for row in plan.rows if row["action"] == "create"],
        key=lambda row: row["nip"], parent=lambda row: row["values"].get("supervisor_nip"),
        params=lambda row: _person_params(actor.org_id, row["nip"], row["values"], units,
                                          ids), ids=ids)
    new = [row["nip"] for row in plan.rows if row["action"] == "create"]
    roles = [{"person_id": ids[nip], "role": Role.PEGAWAI.value} for nip in new]
    roles += [{"person_id": ids[nip], "role": Role.ATASAN.value} for nip in new
              if nip in supervisors]
    bulk.insert(PersonRole.__table__, roles)
    return created


def _person_params(org_id, nip, new: dict, units, ids) -> dict:
    boss = new.get("supervisor_nip")
    return {"org_id": org_id, "nip": nip, "name": new["name"], "jabatan": new["jabatan"],
            "position_kind": new["position_kind"], "golongan": new.get("golongan"),
            "unit_id": units[new["unit_code"]], "supervisor_id": ids[boss] if boss else None,
            "email": new.get("email"), "password_hash": NO_PASSWORD, "active": True}


def _update_changed(plan: Plan, units: dict, ids: dict) -> None:
    """Rewrite each changed person's importable fields in one executemany."""
    params = []
    for row in plan.rows:
        if row["action"] != "update":
            continue
        new, boss = row["values"], row["values"].get("supervisor_nip")
        params.append({"b_id": row["id"], "name": new["name"], "jabatan": new["jabatan"],
                       "position_kind": new["position_kind"], "golongan": new["golongan"],
                       "unit_id": units[new["unit_code"]],
                       "supervisor_id": ids[boss] if boss else None, "email": new["email"],
                       "active": True})
    if not params:
        return
    table = Person.__table__
    statement = sa.update(table).where(table.c.id == sa.bindparam("b_id"))
    for chunk in chunks(params, 2000):
        db.session.execute(statement, chunk)
