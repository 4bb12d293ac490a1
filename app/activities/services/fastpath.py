"""The PostgreSQL fast path of a create: the plainest create as one prepared statement.

Most creates are a new draft with nothing unusual about them. For those, one statement reads
what the reference path (:mod:`.create`) reads, and inserts the activity and its audit entry
only if the organisation's deadline rule is the one this process last read (the date and lock
checks were made with it) and the target is one of the actor's own. It runs as a prepared
statement on the driver's connection (:mod:`app.core.prepared`): SQLAlchemy's own
per-execution work cost more than the database's.

:func:`create` is the one way in, for :func:`.create.create_activity` and for the WSGI lane
(:mod:`app.activities.lane`). tests/activities/test_create_paths.py holds its answers equal
to the reference path's.
"""

import functools
import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime

import psycopg
import sqlalchemy as sa
from flask_babel import force_locale

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.activities.services.rules import (
    CONTENT_FIELDS,
    Saved,
    as_loaded,
    check_basics,
    checks_statement,
    new_row,
    overlap_warning,
    record,
)
from app.audit import services as audit
from app.core.prepared import Prepared
from app.errors import AppError
from app.extensions import db

logger = logging.getLogger(__name__)

#: The error a statement run alone raises when it wrote the activity but not its audit entry.
CHAIN_MOVED = "audit chain head moved"


def create(actor, key: str, fields: dict, now: datetime, *, alone: bool,
           language: Callable[[], str] | None = None) -> Saved | None:
    """Create ``actor``'s activity ``key`` from ``fields`` (all of ``CONTENT_FIELDS``) in one
    statement; or decline: None, and nothing was written (the reference path then answers).

    When it commits: with ``alone`` (the create is all the caller's unit of work writes) and
    nothing under way on the connection (always so inside ``own_connection``), the statement
    is a transaction of its own, committed when this returns; the activity is then outside
    any session, to be read only. Otherwise the statement joins the transaction under way,
    like any flush, and the caller commits it.

    It declines what needs more than that statement: SQLite; a transaction that holds the
    actor's audit chain lock already; a target without a unit (the unit is part of the hashed
    audit entry) or without a quantity (a quantity indicator needs one); a deadline rule this
    process has not read yet, or that changed; a rule
    broken (the reference path words the error); an id that exists (a replay, or someone
    else's); a target that is not the actor's; and, run alone, a statement that waited for
    the chain lock and so missed the chain's head (it fails whole, see
    :func:`_create_statement`).

    ``actor`` need only have ``id``, ``org_id`` and ``timezone``; overlap warnings are worded
    in ``language()`` when given (the lane has no request), else in the request's locale.
    """
    if not (Prepared.on_own_connection() or audit.lock_needed(actor.id)):
        return None
    target_id, unit = fields["target_id"], fields["unit"]
    if target_id is not None and (unit is None or not fields.get("quantity")):
        return None  # without a quantity, the reference path checks the indicator's aspect
    rule = deadlines.assume(actor.org_id)
    if rule is None:
        return None
    try:
        kind = check_basics(actor, fields, now)
    except AppError:
        return None
    row = new_row(actor, key, fields, kind, unit)
    changes = {name: row[name] for name in CONTENT_FIELDS}
    entry = audit.chained_params(actor.org_id, actor.id, actor.id, "activity", key, "create",
                                 changes, created_at=row["created_at"])
    if entry is None:
        return None
    # The guard of a statement run alone must not abort a transaction under way (a sign-in's
    # last-used time written first): then the statement joins it, without the guard.
    alone = alone and Prepared.can_run_alone()
    params = {**row, **entry, "year": row["date"].year, "rule_lock_day": rule[0],
              "rule_lock_time": rule[1], "rule_late": rule[2]}
    try:
        result = _create_prepared(target_id is not None, alone).one(params, standalone=alone)
    except psycopg.errors.InvalidTextRepresentation as error:
        if CHAIN_MOVED not in str(error):
            raise
        # Rolled back whole (it ran alone): the reference path writes both in one transaction.
        logger.info("Activity %s waited for the audit chain lock; written afresh", key)
        return None
    deadlines.remember(actor.org_id, result.lock_day, result.lock_time,
                       result.late_after_working_days)
    if result.written is None:
        return None
    wording = (force_locale(language())
               if language is not None and result.overlap_id is not None else nullcontext())
    with wording:
        warnings = overlap_warning(result.overlap_id, result.overlap_start, result.overlap_end,
                                   result.overlap_count)
    logger.info("Activity %s created by %s", key, actor.id)
    if alone:
        # Committed: the lock and the head it saw ended with the statement's own transaction.
        return Saved(as_loaded(row, in_session=False), created=True, warnings=warnings)
    activity = as_loaded(row)
    audit.locked(actor.id)  # the statement took the chain lock before it wrote
    if result.seq is None:  # the head moved while the lock was awaited: append afresh
        record(actor, activity, "create", changes)
    else:
        audit.appended(actor.id, result.seq, result.hash)
    return Saved(activity, created=True, warnings=warnings)


@functools.cache
def _create_prepared(with_target: bool, alone: bool) -> Prepared:
    """:func:`_create_statement`, compiled once, run as a prepared statement on the driver's
    connection."""
    return Prepared(_create_statement(with_target, alone), db.session.get_bind().dialect)


@functools.cache
def _create_statement(with_target: bool, alone: bool = False) -> sa.Select:
    """The checks of :func:`checks_statement`, then, if the rule is the expected one
    (``rule_*``) and the target the actor's own: the chain lock, the activity (ON CONFLICT
    (id) DO NOTHING) and its audit entry. One row: the checks, ``written`` (the id, or None)
    and the entry's seq and hash.

    The activity's bind parameters are named after its columns (the row of :func:`new_row`),
    the entry's ``e_*`` (:func:`audit.chained_params`). Values the parts share are one bind
    parameter, constants are inline: the statement stays within psycopg's cache of converted
    queries (4 kB, 50 parameters).

    ``alone``: the statement is its own transaction, so it must not end with the activity
    written and its entry not (the entry's snapshot predated the head): then it fails, on
    casting :data:`CHAIN_MOVED` to an integer, and everything it wrote is rolled back.
    """
    from sqlalchemy.dialects.postgresql import insert

    table = Activity.__table__
    c = table.c

    def bind(name, column=None):
        return sa.bindparam(name, type_=c[column or name].type)

    # Short names ("ck", "ins") keep the statement within psycopg's query cache (4,096 bytes).
    checks = checks_statement(with_target, False).cte("ck")
    chain_lock = sa.select(audit.lock_column(bind("person_id"))).cte("chain_lock")
    same_rule = sa.and_(*[
        checks.c[column].is_not_distinct_from(sa.bindparam(param, type_=kind))
        for column, param, kind in (
            ("lock_day", "rule_lock_day", sa.Integer()),
            ("lock_time", "rule_lock_time", sa.Time()),
            ("late_after_working_days", "rule_late", sa.Integer()))])
    allowed = sa.and_(same_rule, checks.c.indicator_id.is_not(None)) if with_target \
        else same_rule
    row = {name: bind(name) for name in (
        "id", "org_id", "person_id", "date", "start_time", "end_time", "duration_minutes",
        "description", "quantity", "unit", "target_id", "work_kind", "created_at")}
    row.update({
        "status": sa.literal_column(f"'{ActivityStatus.DRAFT.value}'"),
        "version": sa.literal_column("1"), "is_late": sa.false(),
        "updated_at": bind("created_at", "updated_at"),
    })
    source = (sa.select(*row.values()).select_from(checks.join(chain_lock, sa.true()))
              .where(allowed))
    written = (insert(table).from_select(list(row), source)
               .on_conflict_do_nothing()
               .returning(c.id).cte("ins"))
    entry = audit.chained_insert(
        written, org_id=row["org_id"], owner_id=row["person_id"], actor_id=row["person_id"],
        subject_type=sa.literal_column("'activity'"), subject_id=row["id"],
        action=sa.literal_column("'create'"), created_at=row["created_at"])
    columns = [checks, written.c.id.label("written"), entry.c.seq, entry.c.hash]
    if alone:
        moved = sa.and_(written.c.id.is_not(None), entry.c.seq.is_(None))
        columns.append(sa.cast(sa.case((moved, sa.literal_column(f"'{CHAIN_MOVED}'"))),
                               sa.Integer).label("chain_guard"))
    return (sa.select(*columns)
            .select_from(checks.outerjoin(written, sa.true()).outerjoin(entry, sa.true())))
