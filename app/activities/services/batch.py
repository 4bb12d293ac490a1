"""The offline outbox's batch: many queued writes applied in order, in one transaction."""

import functools
import logging
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from marshmallow import ValidationError

from app.activities.models import Activity, ActivityStatus
from app.activities.schemas import (
    ActivityBatchEntryIn,
    ActivityCreateIn,
    ActivityUpdateIn,
    row_out,
)
from app.activities.services.create import create_activity
from app.activities.services.edit import update_activity
from app.activities.services.queries import normalise_id
from app.activities.services.review import submit_activity
from app.activities.services.rules import (
    CONTENT_FIELDS,
    Saved,
    check_basics,
    check_quantity,
    current_copy,
    day_checker,
    id_in_use,
    new_row,
    not_own_target,
    overlap_warning,
)
from app.audit import services as audit
from app.audit.models import AuditEntry
from app.core.prepared import insert_columns
from app.core.schemas import quick_load
from app.errors import AppError, ValidationFailed, flatten_messages
from app.extensions import db
from app.models import utcnow
from app.org.models import Person
from app.targets.models import Indicator, Rhk, Skp

logger = logging.getLogger(__name__)

# Built once: a schema's construction copies its fields, which cost more than loading an
# entry (a batch has hundreds). Loading keeps no state on the schema, so threads share them.
# The quick loads answer valid entries without marshmallow's machinery, and hand anything
# else to the schema (its errors are the same as a single request's).
_load_entry, _load_create, _load_update = (
    quick_load(schema()) for schema in (ActivityBatchEntryIn, ActivityCreateIn, ActivityUpdateIn))

BATCH_RESULTS = {
    # error code -> (result, status)
    "conflict": ("conflict", 409),
    "not_editable": ("conflict", 409), "not_submitted": ("conflict", 409),
    "invalid": ("invalid", 422), "period_locked": ("locked", 422),
    "not_found": ("not_found", 404), "forbidden": ("forbidden", 403),
}


def _begin_batch_transaction() -> None:
    """Make the batch one transaction on SQLite too.

    Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE; a SAVEPOINT sent
    first would open one itself, and its RELEASE would then commit. Begin explicitly (and
    take the write lock at once, which also spares SQLite a lock upgrade mid-batch).
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def apply_batch(actor: Person, entries: list, *, now: datetime | None = None) -> list[dict]:
    """Apply queued writes in order, in the caller's transaction.

    Each entry is ``{"op": "create"|"update"|"submit", "id": uuid, "version"?: n,
    "data"?: {...}}``; each answer is ``{"id", "result", "status", "activity", "error"}``.
    A bad entry is answered and leaves nothing behind; the others stand.

    Consecutive plain creates (the bulk of an offline outbox) are applied together: their
    rules are checked in Python against one read of the targets and the day's activities,
    the rows go in with one INSERT and their audit entries with another. Edits and submits
    run one by one, each in its own savepoint.
    """
    now = now or utcnow()
    _begin_batch_transaction()
    results, creates = [], []
    for raw in entries:
        parsed = _parse_batch_entry(raw)
        if isinstance(parsed, dict):  # refused before touching the database
            results.append(parsed)
            continue
        op, key, args, version = parsed
        if op == "create" and args.get("status") in (None, ActivityStatus.DRAFT):
            creates.append((len(results), key, args))
            results.append(None)
            continue
        _flush_creates(actor, creates, results, now)
        results.append(_apply_one(actor, op, key, args, version, now))
    _flush_creates(actor, creates, results, now)
    return results


def _parse_batch_entry(raw):
    """(op, id, arguments, version), or the entry's error result."""
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    try:
        entry = _load_entry(raw)
        key = str(entry["id"])
        data = dict(entry["data"])
        args = None
        if entry["op"] == "create":
            if "id" in data and normalise_id(data["id"]) != key:
                raise ValidationFailed(fields={"data.id": _("The id differs from the "
                                                            "entry's id.")})
            data["id"] = key
            args = _load_create(data)
        elif entry["op"] == "update":
            args = _load_update({**data, "version": entry.get("version")})
    except ValidationError as error:
        return _batch_error(raw_id, ValidationFailed(
            _("Some fields need attention."), fields=flatten_messages(error.messages)))
    except AppError as error:
        return _batch_error(raw_id, error)
    return entry["op"], key, args, entry.get("version")


def _apply_one(actor: Person, op: str, key: str, args, version, now: datetime) -> dict:
    try:
        with db.session.begin_nested():
            if op == "create":
                saved = create_activity(actor, now=now, **args)
                result = ("created", 201) if saved.created else ("existing", 200)
            elif op == "update":
                version = args.pop("version")
                saved = update_activity(actor, key, version=version, now=now, **args)
                result = ("updated", 200)
            else:
                saved = Saved(submit_activity(actor, key, version=version, now=now))
                result = ("submitted", 200)
    except AppError as error:
        return _batch_error(key, error)
    return {"id": saved.activity.id, "result": result[0], "status": result[1],
            "activity": {**current_copy(saved.activity), "warnings": saved.warnings},
            "error": None}


def _flush_creates(actor: Person, creates: list, results: list, now: datetime) -> None:
    """Apply the pending plain creates together; fill their places in ``results``."""
    if not creates:
        return
    pending = list(creates)
    creates.clear()
    targets = {args["target_id"] for _, _, args in pending if args.get("target_id") is not None}
    units = _own_indicator_units(actor, targets)
    rows, refused, check_day = [], {}, day_checker(actor, now)
    for position, key, args in pending:
        try:
            rows.append((position, _checked_row(actor, key, args, units, now, check_day)))
        except AppError as error:
            refused[position] = (key, error)
    # A replayed create answers what is stored, even if a rule now refuses it.
    stored = _stored(actor, [key for key, _ in refused.values()])
    for position, (key, error) in refused.items():
        results[position] = (_existing_result(actor, stored[key]) if key in stored
                             else _batch_error(key, error))
    if not rows:
        return
    days = _day_activities(actor, {row["date"] for _, row in rows})
    first = {}
    for position, row in rows:
        first.setdefault(row["id"], position)
    fresh = [row for position, row in rows if first[row["id"]] == position]
    audit.lock(actor.id)
    inserted = _insert_many(fresh)
    stored = _stored(actor, [row["id"] for position, row in rows
                             if row["id"] not in inserted or first[row["id"]] != position])
    _insert_audit(audit.entries(actor.org_id, actor.id, actor.id, [
        ("activity", row["id"], "create", {name: row[name] for name in CONTENT_FIELDS})
        for row in fresh if row["id"] in inserted]))
    for position, row in rows:
        key = row["id"]
        if key not in inserted or first[key] != position:
            results[position] = _existing_result(actor, stored[key])
            continue
        day = days.setdefault(row["date"], [])
        overlapping = sorted((start, other, end) for other, start, end in day
                             if start < row["end_time"] and end > row["start_time"])
        warnings = (overlap_warning(overlapping[0][1], overlapping[0][0], overlapping[0][2],
                                    len(overlapping)) if overlapping else [])
        day.append((key, row["start_time"], row["end_time"]))
        results[position] = {"id": key, "result": "created", "status": 201, "error": None,
                             "activity": row_out(row, warnings)}
    logger.info("%s activities created by %s in a batch", len(inserted), actor.id)


def _checked_row(actor: Person, key: str, args: dict, units: dict, now: datetime,
                 check_day) -> dict:
    """The row of a create, checked as :func:`create_activity` checks it, in Python."""
    kind = check_basics(actor, args, now, check_day)
    target_id, unit = args.get("target_id"), args.get("unit")
    if target_id is not None:
        year = args["date"].year
        if (target_id, year) not in units:
            raise not_own_target()
        own_unit, aspect = units[(target_id, year)]
        check_quantity(aspect, args.get("quantity"))
        if unit is None:
            unit = own_unit
    return new_row(actor, key, args, kind, unit)


def _own_indicator_units(actor: Person, target_ids: set) -> dict:
    """{(indicator id, SKP year): (unit, aspect)} for those of ``target_ids`` on the actor's
    SKPs."""
    if not target_ids:
        return {}
    rows = db.session.execute(
        sa.select(Indicator.id, Skp.year, Indicator.unit, Indicator.aspect)
        .join(Rhk, Indicator.rhk_id == Rhk.id).join(Skp, Rhk.skp_id == Skp.id)
        .where(Indicator.id.in_(target_ids), Skp.person_id == actor.id,
               Skp.org_id == actor.org_id))
    return {(row.id, row.year): (row.unit, row.aspect) for row in rows}


def _day_activities(actor: Person, days: set) -> dict:
    """{date: [(id, start, end)]} of the actor's stored activities on those days."""
    found = {}
    for row in db.session.execute(
            sa.select(Activity.id, Activity.date, Activity.start_time, Activity.end_time)
            .where(Activity.person_id == actor.id, Activity.date.in_(days),
                   Activity.start_time.is_not(None), Activity.end_time.is_not(None))):
        found.setdefault(row.date, []).append((row.id, row.start_time, row.end_time))
    return found


def _insert_many(rows: list[dict]) -> set:
    """Insert rows, skipping ids that exist; the ids inserted.

    One statement for the batch: on PostgreSQL the columns as arrays
    (:func:`insert_columns`), elsewhere SQLAlchemy's executemany of one cached INSERT.
    Rendering a fresh hundred-row VALUES statement per batch (and the driver parsing it) cost
    more than the database's work, and a statement per row cost the database a hundred."""
    if not rows:
        return set()
    if _on_postgresql():
        return set(insert_columns(Activity.__table__, rows, returning="id",
                                  skip_conflicts=True))
    return set(db.session.scalars(_insert_statement(tuple(rows[0])), rows))


def _insert_audit(rows: list[dict]) -> None:
    """The batch's audit entries (made by ``audit.entries``), in one statement."""
    if _on_postgresql():
        insert_columns(AuditEntry.__table__, rows)
    else:
        audit.insert(rows)


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


@functools.cache
def _insert_statement(names: tuple):
    """INSERT of the columns ``names`` ON CONFLICT (id) DO NOTHING RETURNING id (SQLite)."""
    from sqlalchemy.dialects.sqlite import insert

    table = Activity.__table__
    return (insert(table)
            .values({name: sa.bindparam(name, type_=table.c[name].type) for name in names})
            .on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id))


def _stored(actor: Person, keys: list) -> dict:
    """{id: Activity} of those ids that exist (whoever's they are)."""
    if not keys:
        return {}
    return {activity.id: activity for activity in db.session.scalars(
        sa.select(Activity).where(Activity.id.in_(set(keys)))
        .execution_options(populate_existing=True))}


def _existing_result(actor: Person, activity: Activity) -> dict:
    if activity.person_id != actor.id:
        return _batch_error(activity.id, id_in_use())
    return {"id": activity.id, "result": "existing", "status": 200, "error": None,
            "activity": {**current_copy(activity), "warnings": []}}


def _batch_error(entry_id, error: AppError) -> dict:
    result, status = BATCH_RESULTS.get(error.code, ("invalid", error.status))
    body = {"code": error.code, "message": str(error.message or _("Some fields need "
                                                                  "attention.")),
            "fields": error.fields, **error.extra}
    return {"id": entry_id, "result": result, "status": status, "activity": None,
            "error": body}
