"""Logging a new activity: :func:`create_activity`, the reference for every create path.

A create reads top to bottom:

1. the id: a client UUID makes the create idempotent (a replay answers what is stored);
2. the fast path (:mod:`.fastpath`, PostgreSQL): the plainest creates as one statement, which
   writes everything or nothing and answers as the reference path would
   (tests/activities/test_create_paths.py holds them equal);
3. the reference path: one statement reads what the rules need (:func:`checks_statement`),
   the rules are checked, and the row and its audit entry are inserted, in one statement on
   PostgreSQL. Nothing is read back: the answer is built from what was written.
"""

import functools
import logging
import uuid
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services import fastpath
from app.activities.services.queries import normalise_id
from app.activities.services.review import mark_submitted
from app.activities.services.rules import (
    CONTENT_FIELDS,
    Saved,
    as_loaded,
    check_basics,
    check_quantity,
    checks_statement,
    id_in_use,
    new_row,
    not_own_target,
    overlap_warning,
    record,
)
from app.audit import services as audit
from app.core.prepared import Prepared
from app.errors import AppError, Conflict, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import Person

logger = logging.getLogger(__name__)


def create_activity(actor: Person, *, date: date, start_time: time, end_time: time,
                    description: str, quantity=None, unit: str | None = None,
                    target_id: int | None = None, work_kind: str | None = None,
                    id=None, status: str | None = None,
                    now: datetime | None = None, alone: bool = False) -> Saved:
    """Log an activity for ``actor`` (only ever for themself).

    ``id`` (a client UUID) makes it idempotent: when it exists already the stored activity is
    answered with ``created=False``. ``status="submitted"`` saves and submits at once.

    ``alone=True``: the create is all the caller's unit of work writes, so on PostgreSQL it
    may commit by itself (see :func:`fastpath.create`); the caller commits as always, which
    then has nothing left to do.
    """
    now = now or utcnow()
    key = normalise_id(id) if id is not None else str(uuid.uuid4())
    if key is None:
        raise ValidationFailed(fields={"id": _("Enter a valid identifier (UUID).")})
    fields = {"date": date, "start_time": start_time, "end_time": end_time,
              "description": description, "quantity": quantity, "unit": unit,
              "target_id": target_id, "work_kind": work_kind}
    submit = status == ActivityStatus.SUBMITTED
    saved = (fastpath.create(actor, key, fields, now, alone=alone and not submit)
             or _create(actor, key, fields, now, replay=id is not None))
    if saved.created and submit:
        mark_submitted(actor, saved.activity, now)
    return saved


def _create(actor: Person, key: str, fields: dict, now: datetime, replay: bool) -> Saved:
    """The reference path of :func:`create_activity`: every case, in the caller's
    transaction."""
    try:
        row, warnings = _checked_row(actor, key, fields, now)
    except AppError:
        # A replay of a create that was stored must not fail on a rule checked later
        # (the period may have locked meanwhile): answer what is stored.
        existing = _existing(actor, key) if replay else None
        if existing is None:
            raise
        return Saved(existing)
    activity = _insert_logged(actor, row)
    if activity is None:
        existing = _existing(actor, key)
        if existing is None:  # pragma: no cover - deleted between the two statements
            raise Conflict(code="conflict")
        return Saved(existing)
    logger.info("Activity %s created by %s", key, actor.id)
    return Saved(activity, created=True, warnings=warnings)


def _checked_row(actor: Person, key: str, fields: dict, now: datetime
                 ) -> tuple[dict, list[dict]]:
    """The row of a new activity after every rule, and its overlap warnings."""
    checks = _create_checks(actor, fields)
    kind = check_basics(actor, fields, now)
    unit = fields["unit"]
    if fields["target_id"] is not None:
        if checks.indicator_id is None:
            raise not_own_target()
        check_quantity(checks.indicator_aspect, fields.get("quantity"))
        if unit is None:
            unit = checks.indicator_unit
    warnings = overlap_warning(checks.overlap_id, checks.overlap_start, checks.overlap_end,
                               checks.overlap_count)
    return new_row(actor, key, fields, kind, unit), warnings


def _create_checks(actor: Person, fields: dict):
    """The row of :func:`checks_statement` for ``fields``, taking the actor's audit chain lock
    when this transaction has not yet (PostgreSQL); the deadline rule is remembered."""
    with_lock = audit.lock_needed(actor.id)
    checks = _checks_prepared(fields["target_id"] is not None, with_lock).one({
        "person_id": actor.id, "org_id": actor.org_id, "target_id": fields["target_id"],
        "year": fields["date"].year, "date": fields["date"],
        "start_time": fields["start_time"], "end_time": fields["end_time"]})
    if with_lock:
        audit.locked(actor.id)
    deadlines.remember(actor.org_id, checks.lock_day, checks.lock_time,
                       checks.late_after_working_days)
    return checks


def _checks_prepared(with_target: bool, with_lock: bool) -> Prepared:
    dialect = db.session.get_bind().dialect
    return _checks_prepared_for(with_target, with_lock, dialect)


@functools.cache
def _checks_prepared_for(with_target: bool, with_lock: bool, dialect) -> Prepared:
    return Prepared(checks_statement(with_target, with_lock), dialect)


def _existing(actor: Person, key: str) -> Activity | None:
    """The stored activity under a client's id; 409 if it is someone else's."""
    activity = db.session.get(Activity, key, populate_existing=True)
    if activity is not None and activity.person_id != actor.id:
        raise id_in_use()
    return activity


# --- the insert ------------------------------------------------------------------------------

def _insert_logged(actor: Person, row: dict) -> Activity | None:
    """Insert a new activity and append its "create" entry to the owner's audit chain;
    None if the id exists already (then nothing is written).

    On PostgreSQL, with the chain lock taken by the checks statement, both go in one
    statement (:func:`_logged_insert_statement`); otherwise an insert, then
    :func:`audit.record`.
    """
    changes = {name: row[name] for name in CONTENT_FIELDS}
    params = None
    if not audit.lock_needed(actor.id) and db.session.get_bind().dialect.name == "postgresql":
        params = audit.chained_params(actor.org_id, actor.id, actor.id, "activity",
                                      row["id"], "create", changes)
    if params is None:
        activity = _insert(row)
        if activity is not None:
            record(actor, activity, "create", changes)
        return activity
    params.update({f"a_{name}": value for name, value in row.items()})
    written = db.session.execute(_logged_insert_statement(tuple(row)), params).first()
    if written is None:
        return None
    activity = as_loaded(row)
    if written.seq is None:  # pragma: no cover - the chain lock makes this impossible
        record(actor, activity, "create", changes)
    else:
        audit.appended(actor.id, written.seq, written.hash)
    return activity


def _insert(row: dict) -> Activity | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: None if the id exists already."""
    dialect = db.session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - the two supported
        raise RuntimeError(f"Unsupported database {dialect}")
    if db.session.execute(_insert_statement(dialect), row).first() is None:
        return None
    return as_loaded(row)


@functools.cache
def _insert_statement(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = Activity.__table__
    return (insert(table).on_conflict_do_nothing()
            .returning(table.c.id))


@functools.cache
def _logged_insert_statement(names: tuple) -> sa.Select:
    """INSERT the activity ON CONFLICT DO NOTHING and, if it was written, its audit
    entry, in one statement (PostgreSQL): a row (id, seq, hash), or none if the id exists."""
    from sqlalchemy.dialects.postgresql import insert

    table = Activity.__table__
    written = (insert(table)
               .values({name: sa.bindparam(f"a_{name}", type_=table.c[name].type)
                        for name in names})
               .on_conflict_do_nothing()
               .returning(table.c.id).cte("new_activity"))
    entry = audit.chained_insert(written)
    return sa.select(written.c.id, entry.c.seq, entry.c.hash).select_from(
        written.outerjoin(entry, sa.true()))
