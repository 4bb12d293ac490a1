"""Rules of the daily log: who may log, change, submit and review an activity, and when.

Services take the acting person explicitly, flush and never commit: the request, command or
job calling them commits once. Every create, edit and state change is appended to the
organisation's audit chain after it is flushed.

Offline replay safety (the outbox of the PWA replays queued writes, possibly twice):

* A create may carry a client-generated UUID. Replaying it answers the stored activity with
  ``created=False`` (HTTP 200) and never a duplicate, also when two identical requests race:
  the row is written with ``INSERT ... ON CONFLICT (id) DO NOTHING``. The same id owned by
  someone else is a 409 ``id_in_use`` that reveals nothing about that activity.
* An edit names the ``version`` it is based on. The version is compared *before* anything else
  (status, lock), so an edit that was applied and is then replayed with the old version gets
  409 ``conflict`` whose ``current`` copy carries exactly the values the client sent: the client
  can compare and treat the entry as done.
* A submit of an activity that is already submitted or approved answers it unchanged.
"""

import functools
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import psycopg
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import g, has_app_context
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.orm.attributes import set_committed_value

from app.activities import deadlines
from app.activities.models import (
    Activity,
    ActivityStatus,
    ActivityTemplate,
    WorkKind,
)
from app.activities.schemas import (
    ActivityBatchEntryIn,
    ActivityCreateIn,
    ActivityOut,
    ActivityUpdateIn,
)
from app.audit import services as audit
from app.core.prepared import Prepared
from app.core.text import shorten
from app.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
    flatten_messages,
)
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import acting_line, line_below, may_supervise
from app.org.models import TIME_ZONES, Person, Role
from app.targets.models import Indicator, Rhk, Skp

logger = logging.getLogger(__name__)

EDITABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.RETURNED})
#: The fields an owner sets; everything else is kept by the server.
CONTENT_FIELDS = ("date", "start_time", "end_time", "description", "quantity", "unit",
                  "target_id", "work_kind")
OVERSEERS = frozenset({Role.ADMIN, Role.PIMPINAN})


class PeriodLocked(AppError):
    """The activity's month is closed by the organisation's deadline rule."""

    status, code = 422, "period_locked"


@dataclass
class Saved:
    """A write's outcome: the activity, whether it is new, soft warnings (overlaps), and
    whether it is committed already (a create that ran alone: nothing is left to commit)."""

    activity: Activity
    created: bool = False
    warnings: list[dict] = field(default_factory=list)
    committed: bool = False


# --- reading ---------------------------------------------------------------------------------

def normalise_id(value) -> str | None:
    """The canonical text of a UUID, or None when ``value`` is not one."""
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


def activities_visible_to(actor: Person) -> sa.Select:
    """Activities ``actor`` may see: their own, their whole line's below them, and today
    the lines of the supervisors they stand in for (Plt/Plh), whose work they review.

    Admins and the head of agency (pimpinan) see their organisation's.
    """
    query = sa.select(Activity).where(Activity.org_id == actor.org_id)
    if actor.roles & OVERSEERS:
        return query
    below = line_below(actor.id)
    return query.where(sa.or_(Activity.person_id == actor.id,
                              Activity.person_id.in_(sa.select(below.c.id)),
                              Activity.person_id.in_(acting_line(actor))))


def may_see_person(actor: Person, person: Person | int) -> bool:
    """Whether ``actor`` may see the activities of ``person`` (same organisation assumed):
    themself, someone in their line, or today someone they review as Plt/Plh."""
    person_id = person if isinstance(person, int) else person.id
    if person_id == actor.id or actor.roles & OVERSEERS:
        return True
    return may_supervise(actor, person_id)


def get_activity(actor: Person, activity_id) -> Activity:
    """:raise NotFound: unless ``actor`` may see the activity."""
    key = normalise_id(activity_id)
    activity = key and db.session.scalar(activities_visible_to(actor).where(Activity.id == key))
    if not activity:
        raise NotFound(_("Activity not found."))
    return activity


def _load_for_change(actor: Person, activity_id) -> Activity:
    """The activity, row-locked on PostgreSQL; 404 unless in ``actor``'s organisation."""
    key = normalise_id(activity_id)
    activity = key and db.session.scalar(
        sa.select(Activity).where(Activity.id == key, Activity.org_id == actor.org_id)
        .with_for_update().execution_options(populate_existing=True))
    if not activity:
        raise NotFound(_("Activity not found."))
    return activity


def get_own_activity(actor: Person, activity_id, *, for_update: bool = True) -> Activity:
    """An activity only its owner may change.

    :raise NotFound: if ``actor`` may not see it; :raise Forbidden: if they may but it is not
        theirs.
    """
    activity = (_load_for_change(actor, activity_id) if for_update
                else get_activity(actor, activity_id))
    if activity.person_id != actor.id:
        if may_see_person(actor, activity.person_id):
            raise Forbidden(_("Only the owner can change this activity."))
        raise NotFound(_("Activity not found."))
    return activity


def current_copy(activity: Activity) -> dict:
    """The activity as the API answers it (the ``current`` of a 409)."""
    return ActivityOut().dump(activity)


def list_activities(actor: Person, *, person_id: int | None = None,
                    date_from: date | None = None, date_to: date | None = None,
                    status: str | None = None) -> sa.Select:
    """A select of one person's activities, newest first, for the caller to paginate.

    :raise NotFound: if ``person_id`` is not the caller and not in their line (or, for
        admins and pimpinan, not in their organisation).
    """
    person_id = actor.id if person_id is None else person_id
    if person_id != actor.id:
        person = db.session.get(Person, person_id)
        if person is None or person.org_id != actor.org_id or not may_see_person(actor, person):
            raise NotFound(_("Person not found."))
    query = sa.select(Activity).where(Activity.org_id == actor.org_id,
                                      Activity.person_id == person_id)
    if date_from is not None:
        query = query.where(Activity.date >= date_from)
    if date_to is not None:
        query = query.where(Activity.date <= date_to)
    if status is not None:
        query = query.where(Activity.status == ActivityStatus(status))
    return query.order_by(Activity.date.desc(), Activity.start_time.desc(), Activity.id)


def form_defaults(actor: Person, *, on_date: date | None = None,
                  now: datetime | None = None, recent: int = 10) -> dict:
    """What the activity form starts with: the start time (end of the day's last activity)
    and the person's most recent distinct descriptions."""
    on_date = on_date or deadlines.local_today(actor, now or utcnow())
    return {"date": on_date, "start_time": day_end(actor, on_date),
            "recent_descriptions": recent_descriptions(actor, limit=recent)}


def day_end(person: Person, on_date: date) -> time | None:
    """When the person's last activity of ``on_date`` ended, or None."""
    return db.session.scalar(sa.select(sa.func.max(Activity.end_time)).where(
        Activity.person_id == person.id, Activity.date == on_date))


def recent_descriptions(person: Person, *, limit: int = 10) -> list[str]:
    latest = sa.func.max(Activity.created_at)
    return list(db.session.scalars(
        sa.select(Activity.description).where(Activity.person_id == person.id)
        .group_by(Activity.description).order_by(latest.desc()).limit(limit)))


def history(actor: Person, activity_id) -> list:
    """The activity's audit entries, oldest first. :raise NotFound: unless visible."""
    activity = get_activity(actor, activity_id)
    return audit.history("activity", activity.id)


# --- checks ----------------------------------------------------------------------------------

def indicator_for(person: Person, target_id: int, on_date: date | None = None) -> Indicator:
    """The indicator, if it belongs to ``person``'s SKP (of ``on_date``'s year, when given).

    :raise ValidationFailed: on ``target_id`` otherwise.
    """
    query = (sa.select(Indicator).join(Rhk, Indicator.rhk_id == Rhk.id)
             .join(Skp, Rhk.skp_id == Skp.id)
             .where(Indicator.id == target_id, Skp.person_id == person.id,
                    Skp.org_id == person.org_id))
    if on_date is not None:
        query = query.where(Skp.year == on_date.year)
    cache = g.setdefault("_indicators_checked", {}) if has_app_context() else {}
    cache_key = (person.id, target_id, on_date.year if on_date else None)
    indicator = cache.get(cache_key) or db.session.scalar(query)
    cache[cache_key] = indicator
    if indicator is None:
        raise ValidationFailed(fields={"target_id": _(
            "Choose one of your own SKP targets for this year.")})
    return indicator


def _resolve_kind(target_id, work_kind) -> WorkKind:
    """Check that a target and a work kind go together; returns the kind."""
    if work_kind is None:
        if target_id is None:
            raise ValidationFailed(fields={"target_id": _(
                "Choose a target, or mark the activity as additional or other work.")})
        return WorkKind.SKP
    kind = WorkKind(work_kind)
    if kind is WorkKind.SKP and target_id is None:
        raise ValidationFailed(fields={"target_id": _(
            "Choose a target, or mark the activity as additional or other work.")})
    if kind is not WorkKind.SKP and target_id is not None:
        raise ValidationFailed(fields={"work_kind": _(
            "Additional or other work is not logged against an SKP target.")})
    return kind


def minutes_between(start: time, end: time) -> int:
    """Minutes from ``start`` to ``end``. :raise ValidationFailed: unless end is after start."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        raise ValidationFailed(fields={"end_time": _("The end time must be after the start.")})
    return minutes


def check_open(person: Person, on_date: date, now: datetime) -> None:
    """:raise PeriodLocked: if ``on_date``'s month is closed for ``person``."""
    if deadlines.is_locked(person, on_date, now):
        locks_at = deadlines.lock_moment(person.org_id, on_date, person.timezone)
        raise PeriodLocked(_(
            "The period is locked: activities of %(month)s could be changed until %(moment)s.",
            month=format_date(on_date, "MMMM y"),
            moment=(f"{format_date(locks_at.date(), 'd MMMM y')} {locks_at:%H.%M} "
                    f"{TIME_ZONES.get(person.timezone, person.timezone)}")),
            extra={"locked_at": locks_at.isoformat()})


def check_date(person: Person, on_date: date, now: datetime) -> None:
    """A log is for today or earlier (local), in an open period."""
    if on_date > deadlines.local_today(person, now):
        raise ValidationFailed(fields={"date": _("Activities cannot be logged ahead.")})
    check_open(person, on_date, now)


def _overlap_query(person_id: int, on_date: date, start: time, end: time,
                   exclude_id: str | None = None) -> sa.Select:
    """The first of the person's other activities of the day overlapping start-end, and how
    many there are (``n``)."""
    query = sa.select(Activity.id, Activity.start_time, Activity.end_time,
                      sa.func.count().over().label("n")).where(
        Activity.person_id == person_id, Activity.date == on_date,
        Activity.start_time < end, Activity.end_time > start)
    if exclude_id is not None:
        query = query.where(Activity.id != exclude_id)
    return query.order_by(Activity.start_time, Activity.id).limit(sa.literal_column("1"))


def _overlap_warning(first_id, first_start: time | None, first_end: time | None,
                     count: int | None) -> list[dict]:
    """One warning naming the first overlapping activity and how many overlap in all (the
    message is built once, however many there are)."""
    if first_id is None:
        return []
    start, end = first_start.strftime("%H.%M"), first_end.strftime("%H.%M")
    if count == 1:
        message = _("This overlaps another activity from %(start)s to %(end)s.",
                    start=start, end=end)
    else:
        message = _("This overlaps %(count)d other activities, the first from %(start)s to "
                    "%(end)s.", count=count, start=start, end=end)
    return [{"code": "overlap", "activity_id": first_id, "count": count, "message": message}]


def overlap_warnings(person: Person, on_date: date, start: time | None, end: time | None,
                     exclude_id: str | None = None) -> list[dict]:
    """A warning when the person's other activities of the day overlap these times."""
    if start is None or end is None:
        return []
    row = db.session.execute(_overlap_query(person.id, on_date, start, end,
                                            exclude_id)).first()
    return _overlap_warning(*row) if row else []


def _record(actor: Person, activity: Activity, action: str, changes: dict) -> None:
    audit.record(activity.org_id, activity.person_id, actor.id, "activity", activity.id, action,
                 changes)


# --- create ----------------------------------------------------------------------------------

def _insert(values: dict) -> Activity | None:
    """INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id: None if the id exists already.

    The answer is built from ``values`` (what was written), without reading the row back.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - the two supported
        raise RuntimeError(f"Unsupported database {dialect}")
    if db.session.execute(_insert_statement(dialect), values).first() is None:
        return None
    return _as_loaded(values)


@functools.cache
def _insert_statement(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = Activity.__table__
    return (insert(table).on_conflict_do_nothing(index_elements=["id"])
            .returning(table.c.id))


def _insert_logged(actor: Person, values: dict, changes: dict) -> Activity | None:
    """Insert a new activity and append its "create" entry to the owner's audit chain;
    None if the id exists already (then nothing is written).

    On PostgreSQL, with the chain lock taken by the checks statement, both go in one
    statement (:func:`_logged_insert_statement`); otherwise an insert, then
    :func:`audit.record`.
    """
    params = None
    if not audit.lock_needed(actor.id) and db.session.get_bind().dialect.name == "postgresql":
        params = audit.chained_params(actor.org_id, actor.id, actor.id, "activity",
                                      values["id"], "create", changes)
    if params is None:
        activity = _insert(values)
        if activity is not None:
            _record(actor, activity, "create", changes)
        return activity
    params.update({f"a_{name}": value for name, value in values.items()})
    row = db.session.execute(_logged_insert_statement(tuple(values)), params).first()
    if row is None:
        return None
    activity = _as_loaded(values)
    if row.seq is None:  # pragma: no cover - the chain lock makes this impossible
        _record(actor, activity, "create", changes)
    else:
        audit.appended(actor.id, row.seq, row.hash)
    return activity


@functools.cache
def _logged_insert_statement(names: tuple) -> sa.Select:
    """INSERT the activity ON CONFLICT (id) DO NOTHING and, if it was written, its audit
    entry, in one statement (PostgreSQL): a row (id, seq, hash), or none if the id exists."""
    from sqlalchemy.dialects.postgresql import insert

    table = Activity.__table__
    written = (insert(table)
               .values({name: sa.bindparam(f"a_{name}", type_=table.c[name].type)
                        for name in names})
               .on_conflict_do_nothing(index_elements=["id"])
               .returning(table.c.id).cte("new_activity"))
    entry = audit.chained_insert(written)
    return sa.select(written.c.id, entry.c.seq, entry.c.hash).select_from(
        written.outerjoin(entry, sa.true()))


#: Columns a new activity has empty; set so that reading them needs no query.
_UNSET_ON_CREATE = {"return_reason": None, "submitted_at": None, "reviewed_at": None,
                    "reviewed_by_id": None}


@functools.cache
def _activity_manager():
    return so.attributes.manager_of_class(Activity)


def _as_loaded(values: dict, in_session: bool = True) -> Activity:
    """A persistent Activity holding the row just inserted, as if loaded (no SELECT); when
    the row is committed and only read from now on, an instance outside any session."""
    # As the ORM builds a loaded row: the values go straight into the instance's dict,
    # without the attribute events of Activity(**values).
    activity = _activity_manager().new_instance()
    activity.__dict__.update(values, **_UNSET_ON_CREATE)
    if not in_session:
        activity.__dict__["attachments"] = []
        return activity
    session = db.session()
    so.make_transient_to_detached(activity)
    stale = session.identity_map.get(so.object_mapper(activity).identity_key_from_instance(
        activity))
    if stale is not None:  # left from a savepoint that was rolled back
        session.expunge(stale)
    session.add(activity)
    set_committed_value(activity, "attachments", [])
    return activity


def _existing(actor: Person, key: str) -> Activity | None:
    """The stored activity under a client's id; 409 if it is someone else's."""
    activity = db.session.get(Activity, key, populate_existing=True)
    if activity is not None and activity.person_id != actor.id:
        raise Conflict(_("This identifier is already in use; create the activity with a new "
                         "one."), code="id_in_use")
    return activity


def create_activity(actor: Person, *, date: date, start_time: time, end_time: time,
                    description: str, quantity=None, unit: str | None = None,
                    target_id: int | None = None, work_kind: str | None = None,
                    id=None, status: str | None = None,
                    now: datetime | None = None, alone: bool = False) -> Saved:
    """Log an activity for ``actor`` (only ever for themself).

    ``id`` (a client UUID) makes it idempotent: when it exists already the stored activity is
    answered with ``created=False``. ``status="submitted"`` saves and submits at once.

    ``alone=True``: the create is all the caller will write, so on PostgreSQL, when no
    transaction is under way, its one statement may commit by itself (no BEGIN or COMMIT
    round trip); the caller's commit then has nothing left to do.
    """
    now = now or utcnow()
    key = normalise_id(id) if id is not None else str(uuid.uuid4())
    if key is None:
        raise ValidationFailed(fields={"id": _("Enter a valid identifier (UUID).")})
    fields = {"date": date, "start_time": start_time, "end_time": end_time,
              "description": description, "quantity": quantity, "unit": unit,
              "target_id": target_id, "work_kind": work_kind}
    saved = _create_at_once(actor, key, fields, now,
                            alone=alone and status != ActivityStatus.SUBMITTED)
    if saved is not None:
        logger.info("Activity %s created by %s", key, actor.id)
        if status == ActivityStatus.SUBMITTED:
            _submit(actor, saved.activity, now)
        return saved
    try:
        values = _new_values(actor, key, now=now, **fields)
    except AppError:
        # A replay of a create that was stored must not fail on a rule checked later
        # (the period may have locked meanwhile): answer what is stored.
        existing = _existing(actor, key) if id is not None else None
        if existing is None:
            raise
        return Saved(existing)
    warnings = values.pop("_warnings")
    changes = {name: values[name] for name in CONTENT_FIELDS}
    activity = _insert_logged(actor, values, changes)
    if activity is None:
        existing = _existing(actor, key)
        if existing is None:  # pragma: no cover - deleted between the two statements
            raise Conflict(code="conflict")
        return Saved(existing)
    logger.info("Activity %s created by %s", key, actor.id)
    if status == ActivityStatus.SUBMITTED:
        _submit(actor, activity, now)
    return Saved(activity, created=True, warnings=warnings)


@functools.cache
def _checks_statement(with_target: bool, with_lock: bool) -> sa.Select:
    """Built once per shape; see :func:`_create_checks`."""
    person_id = sa.bindparam("person_id", type_=sa.Integer)
    dual = sa.select(sa.literal_column("1").label("one")).subquery("dual")
    rule, rule_on, rule_columns = deadlines.rule_columns(sa.bindparam("org_id"))
    joined = dual.outerjoin(rule, rule_on)
    columns = [column.label(column.name) for column in rule_columns]
    if with_target:
        indicator = (sa.select(Indicator.id, Indicator.unit)
                     .join(Rhk, Indicator.rhk_id == Rhk.id).join(Skp, Rhk.skp_id == Skp.id)
                     .where(Indicator.id == sa.bindparam("target_id"),
                            Skp.person_id == person_id, Skp.org_id == sa.bindparam("org_id"),
                            Skp.year == sa.bindparam("year"))
                     .subquery("indicator"))
        joined = joined.outerjoin(indicator, sa.true())
        columns += [indicator.c.id.label("indicator_id"),
                    indicator.c.unit.label("indicator_unit")]
    else:
        columns += [sa.null().label("indicator_id"), sa.null().label("indicator_unit")]
    overlap = _overlap_query(person_id, sa.bindparam("on_date"), sa.bindparam("start"),
                             sa.bindparam("end")).subquery("overlap")
    joined = joined.outerjoin(overlap, sa.true())
    columns += [overlap.c.id.label("overlap_id"), overlap.c.start_time.label("overlap_start"),
                overlap.c.end_time.label("overlap_end"), overlap.c.n.label("overlap_count")]
    if with_lock:
        columns.append(audit.lock_column(person_id))
    return sa.select(*columns).select_from(joined)


def create_alone(actor, key: str, fields: dict, now: datetime,
                 language: Callable[[], str]) -> Saved | None:
    """The plainest create, committed by its one statement, or None (nothing was written):
    what :func:`create_activity` does with ``alone=True``, for an ``actor`` that need only
    have ``id``, ``org_id`` and ``timezone`` (see ``activities.lane``); overlap warnings are
    worded in ``language()``. It declines what needs more than that statement: a client id
    already stored, a target that is not the actor's, a changed deadline rule, and a rule
    broken (the message)."""
    fields = {name: fields.get(name) for name in (
        "date", "start_time", "end_time", "description", "quantity", "unit", "target_id",
        "work_kind")}
    saved = _create_at_once(actor, key, fields, now, alone=True, language=language)
    if saved is None or not saved.committed:  # pragma: no cover - a transaction under way
        return None
    logger.info("Activity %s created by %s", key, actor.id)
    return saved


def _create_at_once(actor: Person, key: str, fields: dict, now: datetime,
                    alone: bool = False, language: Callable[[], str] | None = None
                    ) -> Saved | None:
    """A create in one statement (PostgreSQL), or None when it cannot be (then nothing was
    written and :func:`create_activity` takes the general path, which reads everything
    afresh and answers every case: replays, invalid targets, locked periods).

    The statement (:func:`_create_statement`) reads what :func:`_create_checks` reads, and
    inserts the activity and its audit entry only if the organisation's deadline rule is the
    one this process last read (the date and lock checks below were made with it) and the
    target is one of the actor's own. The unit must be known (given, or no target): it is
    part of the hashed audit entry.

    ``alone``: see :func:`create_activity`. The statement then is its own transaction; should
    its snapshot miss the chain head (it waited for the chain lock), it fails whole rather
    than store an activity whose audit entry a second transaction would add, and the general
    path writes both in one transaction. ``language``: the locale for warnings, when not the
    request's.
    """
    target_id, unit = fields["target_id"], fields["unit"]
    if target_id is not None and unit is None:
        return None
    # On a connection of its own (PostgreSQL) nothing is under way; else ask the session.
    if not Prepared.on_own_connection() and (
            not audit.lock_needed(actor.id)
            or db.session.get_bind().dialect.name != "postgresql"):
        return None
    rule = deadlines.assume(actor.org_id)
    if rule is None:
        return None
    try:
        kind = _check_basics(actor, fields["date"], fields["start_time"], fields["end_time"],
                             target_id, fields["work_kind"], now)
    except AppError:
        return None
    stamp = utcnow()
    values = {
        "id": key, "org_id": actor.org_id, "person_id": actor.id, "date": fields["date"],
        "start_time": fields["start_time"], "end_time": fields["end_time"],
        "duration_minutes": minutes_between(fields["start_time"], fields["end_time"]),
        "description": fields["description"], "quantity": fields["quantity"],
        "unit": unit or None, "target_id": target_id, "work_kind": kind,
        "status": ActivityStatus.DRAFT, "version": 1, "is_late": False,
        "created_at": stamp, "updated_at": stamp,
    }
    changes = {name: values[name] for name in CONTENT_FIELDS}
    entry = audit.chained_params(actor.org_id, actor.id, actor.id, "activity", key, "create",
                                 changes, created_at=stamp)
    if entry is None:
        return None
    params = {
        "person_id": actor.id, "org_id": actor.org_id, "target_id": target_id,
        "year": fields["date"].year, "on_date": fields["date"],
        "start": fields["start_time"], "end": fields["end_time"],
        "rule_lock_day": rule[0], "rule_lock_time": rule[1], "rule_late": rule[2],
        "id": key, "stamp": stamp, "duration_minutes": values["duration_minutes"],
        "description": values["description"], "quantity": values["quantity"],
        "unit": values["unit"], "work_kind": kind, "e_changes": entry["e_changes"],
        "e_hash_prefix": entry["e_hash_prefix"], "e_hash_suffix": entry["e_hash_suffix"],
    }
    # The guard of a statement run alone must not abort a transaction under way (a sign-in's
    # last-used time written first): then the statement joins it, without the guard.
    alone = alone and Prepared.can_run_alone()
    try:
        row = _create_prepared(target_id is not None, alone).one(params, standalone=alone)
    except psycopg.errors.InvalidTextRepresentation as error:
        if CHAIN_MOVED not in str(error):
            raise
        # Rolled back whole (it ran alone): the general path writes both in one transaction.
        logger.info("Activity %s waited for the audit chain lock; written afresh", key)
        return None
    deadlines.remember(actor.org_id, row.lock_day, row.lock_time, row.late_after_working_days)
    if row.written is None:
        return None
    if row.overlap_id is not None and language is not None:
        with force_locale(language()):
            warnings = _overlap_warning(row.overlap_id, row.overlap_start, row.overlap_end,
                                        row.overlap_count)
    else:
        warnings = _overlap_warning(row.overlap_id, row.overlap_start, row.overlap_end,
                                    row.overlap_count)
    if alone:  # it ran as its own transaction (see above)
        # The lock and the head it saw ended with the statement's own transaction.
        return Saved(_as_loaded(values, in_session=False), created=True, warnings=warnings,
                     committed=True)
    activity = _as_loaded(values)
    if row.seq is None:  # the head moved while the lock was awaited: append afresh
        audit.locked(actor.id)  # the statement took the chain lock before it wrote
        _record(actor, activity, "create", changes)
    else:
        audit.locked(actor.id)
        audit.appended(actor.id, row.seq, row.hash)
    return Saved(activity, created=True, warnings=warnings)


@functools.cache
def _create_prepared(with_target: bool, alone: bool = False) -> Prepared:
    """:func:`_create_statement`, compiled once, run as a prepared statement on the driver's
    connection (it is the one statement of most creates: SQLAlchemy's own per-execution work
    cost more than the database's)."""
    return Prepared(_create_statement(with_target, alone), db.session.get_bind().dialect)


#: The error a statement run alone raises when it wrote the activity but not its audit entry.
CHAIN_MOVED = "audit chain head moved"


@functools.cache
def _create_statement(with_target: bool, alone: bool = False) -> sa.Select:
    """The checks of :func:`_create_checks`, then, if the rule is the expected one and the
    target the actor's own: the chain lock, the activity (ON CONFLICT (id) DO NOTHING) and its
    audit entry. One row: the checks, ``written`` (the id, or None) and the entry's seq and
    hash.

    ``alone``: the statement is its own transaction, so it must not end with the activity
    written and its entry not (the entry's snapshot predated the head): then it fails, on
    casting :data:`CHAIN_MOVED` to an integer, and everything it wrote is rolled back.

    Values the parts share are one bind parameter, constants are inline: the statement stays
    within psycopg's cache of converted queries (4 kB, 50 parameters).
    """
    from sqlalchemy.dialects.postgresql import insert

    table = Activity.__table__
    c = table.c

    def bind(name, column=None):
        return sa.bindparam(name, type_=c[column or name].type)

    checks = _checks_statement(with_target, False).cte("checks")
    chain_lock = sa.select(audit.lock_column(bind("person_id"))).cte("chain_lock")
    same_rule = sa.and_(*[
        checks.c[column].is_not_distinct_from(sa.bindparam(param, type_=kind))
        for column, param, kind in (
            ("lock_day", "rule_lock_day", sa.Integer()),
            ("lock_time", "rule_lock_time", sa.Time()),
            ("late_after_working_days", "rule_late", sa.Integer()))])
    allowed = sa.and_(same_rule, checks.c.indicator_id.is_not(None)) if with_target \
        else same_rule
    row = {
        "id": bind("id"), "org_id": bind("org_id"), "person_id": bind("person_id"),
        "date": bind("on_date", "date"), "start_time": bind("start", "start_time"),
        "end_time": bind("end", "end_time"), "duration_minutes": bind("duration_minutes"),
        "description": bind("description"), "quantity": bind("quantity"),
        "unit": bind("unit"), "target_id": bind("target_id"), "work_kind": bind("work_kind"),
        "status": sa.literal_column(f"'{ActivityStatus.DRAFT.value}'"),
        "version": sa.literal_column("1"), "is_late": sa.false(),
        "created_at": bind("stamp", "created_at"), "updated_at": bind("stamp", "updated_at"),
    }
    source = (sa.select(*row.values()).select_from(checks.join(chain_lock, sa.true()))
              .where(allowed))
    written = (insert(table).from_select(list(row), source)
               .on_conflict_do_nothing(index_elements=["id"])
               .returning(c.id).cte("new_activity"))
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


def _create_checks(actor: Person, on_date: date, start: time, end: time,
                   target_id: int | None):
    """One statement for what a create needs from the database: the organisation's deadline
    rule, the indicator (if it is one of the actor's own SKP targets of that year), the first
    overlapping activity with the count of overlaps, and (PostgreSQL) the actor's audit chain
    lock, which the insert that follows needs anyway.

    Returns ((indicator id, its unit), overlap warnings).
    """
    with_lock = audit.lock_needed(actor.id)
    row = db.session.execute(_checks_statement(target_id is not None, with_lock), {
        "person_id": actor.id, "org_id": actor.org_id, "target_id": target_id,
        "year": on_date.year, "on_date": on_date, "start": start, "end": end}).one()
    if with_lock:
        audit.locked(actor.id)
    deadlines.remember(actor.org_id, *row[:3])
    return (row[3], row[4]), _overlap_warning(*row[5:9])


def _check_basics(actor: Person, on_date: date, start: time, end: time, target_id,
                  work_kind, now: datetime) -> WorkKind:
    """The date, the times and the kind of work, every problem reported at once; the kind."""
    errors = {}
    for check in (lambda: check_date(actor, on_date, now),
                  lambda: minutes_between(start, end),
                  lambda: _resolve_kind(target_id, work_kind)):
        try:
            check()
        except ValidationFailed as error:
            errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    return _resolve_kind(target_id, work_kind)


def _new_values(actor: Person, key: str, *, date, start_time, end_time, description,
                quantity, unit, target_id, work_kind, now) -> dict:
    """The row of a new activity, after every rule; its overlap warnings under
    ``"_warnings"``."""
    (indicator_id, indicator_unit), warnings = _create_checks(
        actor, date, start_time, end_time, target_id)
    kind = _check_basics(actor, date, start_time, end_time, target_id, work_kind, now)
    if target_id is not None:
        if indicator_id is None:
            raise ValidationFailed(fields={"target_id": _(
                "Choose one of your own SKP targets for this year.")})
        if unit is None:
            unit = indicator_unit
    stamp = utcnow()
    return {
        "id": key, "org_id": actor.org_id, "person_id": actor.id, "date": date,
        "start_time": start_time, "end_time": end_time,
        "duration_minutes": minutes_between(start_time, end_time),
        "description": description, "quantity": quantity, "unit": unit or None,
        "target_id": target_id, "work_kind": kind, "status": ActivityStatus.DRAFT,
        "version": 1, "is_late": False, "created_at": stamp, "updated_at": stamp,
        "_warnings": warnings,
    }


# --- edit ------------------------------------------------------------------------------------

def check_version(activity: Activity, version: int | None) -> None:
    """:raise Conflict: with the server's copy when ``version`` is not the current one."""
    if version is not None and version != activity.version:
        raise Conflict(_("This activity was changed elsewhere; here is the latest version."),
                       extra={"current": current_copy(activity)})


def check_editable(activity: Activity) -> None:
    if activity.status in EDITABLE:
        return
    if activity.status is ActivityStatus.APPROVED:
        message = _("Approved activities cannot be changed.")
    else:
        message = _("This activity is waiting for review; it can be changed if it is returned.")
    raise Conflict(message, code="not_editable", extra={"current": current_copy(activity)})


def update_activity(actor: Person, activity_id, *, version: int,
                    now: datetime | None = None, **changes) -> Saved:
    """Edit a draft or returned activity of ``actor``'s, based on ``version``.

    ``changes`` are any of CONTENT_FIELDS. The version is checked first: see the module
    docstring for why a replayed edit gets a 409 whose ``current`` equals what it sent.
    """
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: _("This field is not expected here.")
                                       for name in unknown})
    now = now or utcnow()
    activity = get_own_activity(actor, activity_id)
    check_version(activity, version)
    check_editable(activity)
    check_open(actor, activity.date, now)
    values = _merged_values(actor, activity, changes, now)
    changed = audit.diff(activity, values)
    if not changed:
        return Saved(activity)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.version += 1
    db.session.flush()
    _record(actor, activity, "update", changed)
    warnings = overlap_warnings(actor, activity.date, activity.start_time, activity.end_time,
                                exclude_id=activity.id)
    return Saved(activity, warnings=warnings)


def _merged_values(actor: Person, activity: Activity, changes: dict, now: datetime) -> dict:
    merged = {name: getattr(activity, name) for name in CONTENT_FIELDS}
    merged.update(changes)
    if changes.get("target_id") is not None and "work_kind" not in changes:
        merged["work_kind"] = WorkKind.SKP
    if changes.get("work_kind") not in (None, WorkKind.SKP) and "target_id" not in changes:
        merged["target_id"] = None
    for required in ("date", "start_time", "end_time", "description"):
        if merged[required] is None:
            raise ValidationFailed(fields={required: _("This field is required.")})
    errors = {}
    checks = [lambda: minutes_between(merged["start_time"], merged["end_time"]),
              lambda: _resolve_kind(merged["target_id"], merged["work_kind"])]
    if merged["date"] != activity.date:
        checks.insert(0, lambda: check_date(actor, merged["date"], now))
    for check in checks:
        try:
            check()
        except ValidationFailed as error:
            errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    merged["work_kind"] = _resolve_kind(merged["target_id"], merged["work_kind"])
    if merged["target_id"] is not None and (
            merged["target_id"] != activity.target_id or merged["date"] != activity.date):
        indicator = indicator_for(actor, merged["target_id"], merged["date"])
        if merged["unit"] is None:
            merged["unit"] = indicator.unit
    merged["unit"] = merged["unit"] or None
    merged["duration_minutes"] = minutes_between(merged["start_time"], merged["end_time"])
    return merged


# --- states ----------------------------------------------------------------------------------

def submit_activity(actor: Person, activity_id, *, version: int | None = None,
                    now: datetime | None = None) -> Activity:
    """Send a draft or returned activity to the supervisor; computes whether it is late.

    Submitting one that is already submitted or approved answers it unchanged (a replay).
    """
    activity = get_own_activity(actor, activity_id)
    if activity.status in (ActivityStatus.SUBMITTED, ActivityStatus.APPROVED):
        return activity
    check_version(activity, version)
    _submit(actor, activity, now or utcnow())
    return activity


def _submit(actor: Person, activity: Activity, now: datetime) -> None:
    check_editable(activity)
    check_open(actor, activity.date, now)
    old = activity.status
    activity.status = ActivityStatus.SUBMITTED
    if old is ActivityStatus.DRAFT:
        # Lateness is judged on the first submission; a resubmission after a return keeps it.
        activity.is_late = deadlines.is_late(actor, activity.date, now)
    activity.submitted_at = _utc(now)
    activity.version += 1
    db.session.flush()
    _record(actor, activity, "submit", {"status": [old.value, activity.status.value],
                                        "is_late": activity.is_late})


def _load_for_review(actor: Person, activity_id) -> Activity:
    """An activity ``actor`` may review: someone's below them in the reporting line, or in
    the line of a supervisor ``actor`` acts for (Plt/Plh) today."""
    activity = _load_for_change(actor, activity_id)
    if activity.person_id == actor.id:
        raise Forbidden(_("You cannot review your own activity."))
    if not may_supervise(actor, activity.person_id):
        if actor.roles & OVERSEERS:
            raise Forbidden(_("Only a supervisor in the person's reporting line can review."))
        raise NotFound(_("Activity not found."))
    return activity


def _review(actor: Person, activity: Activity, status: ActivityStatus, now: datetime,
            reason: str | None = None) -> None:
    if activity.status is not ActivityStatus.SUBMITTED:
        raise Conflict(_("Only submitted activities can be approved or returned."),
                       code="not_submitted", extra={"current": current_copy(activity)})
    old = activity.status
    activity.status = status
    activity.reviewed_at = _utc(now)
    activity.reviewed_by_id = actor.id
    changes = {"status": [old.value, status.value]}
    if reason is not None:
        changes["return_reason"] = [activity.return_reason, reason]
        activity.return_reason = reason
    activity.version += 1
    db.session.flush()
    _record(actor, activity, "approve" if status is ActivityStatus.APPROVED else "return",
            changes)


def approve_activity(actor: Person, activity_id, *, version: int | None = None,
                     now: datetime | None = None, notify_owner: bool = True) -> Activity:
    """Approve a submitted activity of someone in ``actor``'s line; approving twice is a no-op.

    The owner is notified in the same transaction, unless ``notify_owner`` is false (the
    caller tells them once for many).
    """
    activity = _load_for_review(actor, activity_id)
    if activity.status is ActivityStatus.APPROVED:
        return activity
    check_version(activity, version)
    _review(actor, activity, ActivityStatus.APPROVED, _utc(now))
    if notify_owner:
        activity_reviewed(actor, activity)
    return activity


def activity_reviewed(actor: Person | None, activity: Activity) -> None:
    """Tell the owner their activity was approved or returned (same transaction)."""
    approved = activity.status is ActivityStatus.APPROVED
    data = {"activity_id": activity.id, "status": activity.status.value,
            "version": activity.version}
    if approved:
        title = _("Activity approved: %(activity)s", activity=shorten(activity.description))
        body = ""
    else:
        title = _("Activity returned: %(activity)s", activity=shorten(activity.description))
        body = activity.return_reason or ""
        data["return_reason"] = activity.return_reason
    if actor is None:
        data["auto"] = True
    notify(activity.person, NotificationKind.APPROVED if approved else NotificationKind.RETURNED,
           title=title, body=body, url=f"/aktivitas/{activity.id}", data=data)


def return_activity(actor: Person, activity_id, *, reason: str, version: int | None = None,
                    now: datetime | None = None) -> Activity:
    """Return a submitted activity for revision, with a reason the owner sees."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": _("Say why the activity is returned.")})
    activity = _load_for_review(actor, activity_id)
    if activity.status is ActivityStatus.RETURNED and activity.return_reason == reason:
        return activity
    check_version(activity, version)
    _review(actor, activity, ActivityStatus.RETURNED, _utc(now), reason=reason.strip())
    activity_reviewed(actor, activity)
    return activity


def _utc(now: datetime | None) -> datetime:
    """Naive UTC, as stored."""
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        return now
    return now.astimezone(UTC).replace(tzinfo=None)


# --- repeat and templates --------------------------------------------------------------------

def repeat_activity(actor: Person, activity_id, *, on_date: date | None = None,
                    start_time: time | None = None, end_time: time | None = None,
                    new_id=None, now: datetime | None = None) -> Saved:
    """A new draft copying an earlier activity of ``actor``'s (description, target, quantity,
    unit) on ``on_date`` (default: today, local).

    The start defaults to the end of that day's last activity (else the original start), the
    end to the start plus the original duration.
    """
    now = now or utcnow()
    source = get_own_activity(actor, activity_id, for_update=False)
    on_date = on_date or deadlines.local_today(actor, now)
    start_time = start_time or day_end(actor, on_date) or source.start_time or time(8, 0)
    if end_time is None:
        minutes = start_time.hour * 60 + start_time.minute + (source.duration_minutes or 60)
        end_time = time(23, 59) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)
    return create_activity(
        actor, id=new_id, date=on_date, start_time=start_time, end_time=end_time,
        description=source.description, quantity=source.quantity, unit=source.unit,
        target_id=source.target_id, work_kind=source.work_kind.value, now=now)


def list_templates(actor: Person) -> list[ActivityTemplate]:
    return list(db.session.scalars(
        sa.select(ActivityTemplate).where(ActivityTemplate.person_id == actor.id)
        .order_by(ActivityTemplate.name, ActivityTemplate.id)))


def create_template(actor: Person, *, name: str, description: str,
                    target_id: int | None = None, work_kind: str | None = None,
                    quantity=None, unit: str | None = None,
                    duration_minutes: int | None = None) -> ActivityTemplate:
    """Save a frequent activity of ``actor``'s; the target must be one of their own."""
    if work_kind is None and target_id is None:
        work_kind = WorkKind.LAINNYA
    kind = _resolve_kind(target_id, work_kind)
    if target_id is not None:
        indicator = indicator_for(actor, target_id)
        unit = unit or indicator.unit
    template = ActivityTemplate(person_id=actor.id, name=name, description=description,
                                target_id=target_id, work_kind=kind, quantity=quantity,
                                unit=unit or None, duration_minutes=duration_minutes)
    db.session.add(template)
    db.session.flush()
    return template


def delete_template(actor: Person, template_id: int) -> None:
    """:raise NotFound: unless the template is ``actor``'s."""
    template = db.session.scalar(sa.select(ActivityTemplate).where(
        ActivityTemplate.id == template_id, ActivityTemplate.person_id == actor.id))
    if template is None:
        raise NotFound(_("Template not found."))
    db.session.delete(template)
    db.session.flush()


# --- batch -----------------------------------------------------------------------------------

BATCH_RESULTS = {
    # error code -> (result, status)
    "conflict": ("conflict", 409), "id_in_use": ("conflict", 409),
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
        entry = ActivityBatchEntryIn().load(raw)
        key = str(entry["id"])
        data = dict(entry["data"])
        args = None
        if entry["op"] == "create":
            if "id" in data and normalise_id(data["id"]) != key:
                raise ValidationFailed(fields={"data.id": _("The id differs from the "
                                                            "entry's id.")})
            data["id"] = key
            args = ActivityCreateIn().load(data)
        elif entry["op"] == "update":
            args = ActivityUpdateIn().load({**data, "version": entry.get("version")})
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
    rows, refused = [], {}
    for position, key, args in pending:
        try:
            rows.append((position, _checked_values(actor, key, args, units, now)))
        except AppError as error:
            refused[position] = (key, error)
    # A replayed create answers what is stored, even if a rule now refuses it.
    stored = _stored(actor, [key for key, _ in refused.values()])
    for position, (key, error) in refused.items():
        results[position] = (_existing_result(actor, stored[key]) if key in stored
                             else _batch_error(key, error))
    if not rows:
        return
    days = _day_activities(actor, {values["date"] for _, values in rows})
    first = {}
    for position, values in rows:
        first.setdefault(values["id"], position)
    fresh = [values for position, values in rows if first[values["id"]] == position]
    audit.lock(actor.id)
    inserted = _insert_many(fresh)
    stored = _stored(actor, [values["id"] for position, values in rows
                             if values["id"] not in inserted
                             or first[values["id"]] != position])
    audit.insert(audit.entries(actor.org_id, actor.id, actor.id, [
        ("activity", values["id"], "create", {name: values[name] for name in CONTENT_FIELDS})
        for values in fresh if values["id"] in inserted]))
    for position, values in rows:
        key = values["id"]
        if key not in inserted or first[key] != position:
            results[position] = _existing_result(actor, stored[key])
            continue
        day = days.setdefault(values["date"], [])
        overlapping = sorted((start, other, end) for other, start, end in day
                             if start < values["end_time"] and end > values["start_time"])
        warnings = (_overlap_warning(overlapping[0][1], overlapping[0][0], overlapping[0][2],
                                     len(overlapping)) if overlapping else [])
        day.append((key, values["start_time"], values["end_time"]))
        results[position] = {"id": key, "result": "created", "status": 201, "error": None,
                             "activity": {**ActivityOut().dump(
                                 {**values, **_UNSET_ON_CREATE, "attachments": []}),
                                 "warnings": warnings}}
    logger.info("%s activities created by %s in a batch", len(inserted), actor.id)


def _checked_values(actor: Person, key: str, args: dict, units: dict, now: datetime) -> dict:
    """The row of a create, checked as :func:`create_activity` checks it, in Python."""
    values = dict(args)
    values.pop("status", None)
    values.pop("id", None)
    on_date, start, end = values["date"], values["start_time"], values["end_time"]
    target_id, work_kind = values.get("target_id"), values.get("work_kind")
    kind = _check_basics(actor, on_date, start, end, target_id, work_kind, now)
    unit = values.get("unit")
    if target_id is not None:
        if (target_id, on_date.year) not in units:
            raise ValidationFailed(fields={"target_id": _(
                "Choose one of your own SKP targets for this year.")})
        if unit is None:
            unit = units[(target_id, on_date.year)]
    stamp = utcnow()
    return {
        "id": key, "org_id": actor.org_id, "person_id": actor.id, "date": on_date,
        "start_time": start, "end_time": end, "duration_minutes": minutes_between(start, end),
        "description": values["description"], "quantity": values.get("quantity"),
        "unit": unit or None, "target_id": target_id, "work_kind": kind,
        "status": ActivityStatus.DRAFT, "version": 1, "is_late": False,
        "created_at": stamp, "updated_at": stamp,
    }


def _own_indicator_units(actor: Person, target_ids: set) -> dict:
    """{(indicator id, SKP year): unit} for those of ``target_ids`` on the actor's SKPs."""
    if not target_ids:
        return {}
    rows = db.session.execute(
        sa.select(Indicator.id, Skp.year, Indicator.unit)
        .join(Rhk, Indicator.rhk_id == Rhk.id).join(Skp, Rhk.skp_id == Skp.id)
        .where(Indicator.id.in_(target_ids), Skp.person_id == actor.id,
               Skp.org_id == actor.org_id))
    return {(row.id, row.year): row.unit for row in rows}


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
    """Insert rows, skipping ids that exist; the ids inserted."""
    if not rows:
        return set()
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = Activity.__table__
    statement = (insert(table).values(rows).on_conflict_do_nothing(index_elements=["id"])
                 .returning(table.c.id))
    return set(db.session.scalars(statement))


def _stored(actor: Person, keys: list) -> dict:
    """{id: Activity} of those ids that exist (whoever's they are)."""
    if not keys:
        return {}
    return {activity.id: activity for activity in db.session.scalars(
        sa.select(Activity).where(Activity.id.in_(set(keys)))
        .execution_options(populate_existing=True))}


def _existing_result(actor: Person, activity: Activity) -> dict:
    if activity.person_id != actor.id:
        return _batch_error(activity.id, Conflict(_(
            "This identifier is already in use; create the activity with a new one."),
            code="id_in_use"))
    return {"id": activity.id, "result": "existing", "status": 200, "error": None,
            "activity": {**current_copy(activity), "warnings": []}}


def _batch_error(entry_id, error: AppError) -> dict:
    result, status = BATCH_RESULTS.get(error.code, ("invalid", error.status))
    body = {"code": error.code, "message": str(error.message or _("Some fields need "
                                                                  "attention.")),
            "fields": error.fields, **error.extra}
    return {"id": entry_id, "result": result, "status": status, "activity": None,
            "error": body}
