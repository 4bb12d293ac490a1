"""What every write of an activity checks, and what a write answers.

The checks raise :class:`ValidationFailed` (field by field) or :class:`PeriodLocked`; a create
runs them all at once (:func:`check_basics`) so that the form shows every problem together.
"""

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import g, has_app_context
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus, WorkKind
from app.activities.schemas import ActivityOut
from app.audit import services as audit
from app.core.templating import clock
from app.errors import AppError, Conflict, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import TIME_ZONES, Person, Role
from app.targets.models import Aspect, Indicator, Rhk, Skp

EDITABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.RETURNED})
#: The fields an owner sets; everything else is kept by the server.
CONTENT_FIELDS = ("date", "start_time", "end_time", "description", "quantity", "unit",
                  "target_id", "work_kind")
OVERSEERS = frozenset({Role.ADMIN, Role.PIMPINAN})
#: Columns a new activity has empty; set so that reading them needs no query.
UNSET_ON_CREATE = {"return_reason": None, "submitted_at": None, "reviewed_at": None,
                   "reviewed_by_id": None, "quality": None}


class PeriodLocked(AppError):
    """The activity's month is closed by the organisation's deadline rule."""

    status, code = 422, "period_locked"


@dataclass
class Saved:
    """A write's outcome, all a view needs to answer: the activity, whether it is new (201;
    otherwise it was stored already: a replay, 200) and soft warnings (overlaps).

    ``ActivityWithWarnings`` dumps it as the activity with its ``warnings``.
    """

    activity: Activity
    created: bool = False
    warnings: list[dict] = field(default_factory=list)


def current_copy(activity: Activity) -> dict:
    """The activity as the API answers it (the ``current`` of a 409)."""
    return ActivityOut().dump(activity)


def utc(now: datetime | None) -> datetime:
    """Naive UTC, as stored."""
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        return now
    return now.astimezone(UTC).replace(tzinfo=None)


def record(actor: Person, activity: Activity, action: str, changes: dict) -> None:
    """Append ``action`` on ``activity`` to its owner's audit chain."""
    audit.record(activity.org_id, activity.person_id, actor.id, "activity", activity.id, action,
                 changes)


# --- checks ----------------------------------------------------------------------------------

def not_own_target() -> ValidationFailed:
    return ValidationFailed(fields={"target_id": _(
        "Choose one of your own SKP targets for this year.")})


def id_in_use() -> Conflict:
    """A client id that is someone else's activity: the plain ``conflict`` every 409 carries,
    the same words whoever holds it (the same organisation or another), and nothing of it.
    A code of its own would make the create an oracle of which ids exist elsewhere."""
    return Conflict(_("This identifier is already in use; create the activity with a new "
                      "one."))


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
        raise not_own_target()
    return indicator


def resolve_kind(target_id, work_kind) -> WorkKind:
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


def check_quantity(aspect, quantity) -> None:
    """An indicator measured in a quantity ("48 dokumen") adds up its activities' quantities:
    an activity serving it without a quantity above 0 would silently count nothing.

    :raise ValidationFailed: on ``quantity``.
    """
    if aspect == Aspect.KUANTITAS and not (quantity is not None and quantity > 0):
        raise ValidationFailed(fields={"quantity": _(
            "Enter how much this activity produced (more than 0): the target counts it.")})


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
            moment=(f"{format_date(locks_at.date(), 'd MMMM y')} {clock(locks_at)} "
                    f"{TIME_ZONES.get(person.timezone, person.timezone)}")),
            extra={"locked_at": locks_at.isoformat()})


def check_date(person: Person, on_date: date, now: datetime) -> None:
    """A log is for today or earlier (local), in an open period."""
    if on_date > deadlines.local_today(person, now):
        raise ValidationFailed(fields={"date": _("Activities cannot be logged ahead.")})
    check_open(person, on_date, now)


def check_basics(actor: Person, fields: dict, now: datetime, check_day=None) -> WorkKind:
    """The date, the times and the kind of work of a new activity's ``fields``, every problem
    reported at once; the kind. ``check_day(date)`` stands in for :func:`check_date` (the
    batch checks each of its few dates once: see :func:`day_checker`)."""
    target_id, work_kind = fields.get("target_id"), fields.get("work_kind")
    check_day = check_day or functools.partial(check_date, actor, now=now)
    try:  # the common case, every check passing, without collecting
        check_day(fields["date"])
        minutes_between(fields["start_time"], fields["end_time"])
        return resolve_kind(target_id, work_kind)
    except ValidationFailed:
        pass
    check_all([lambda: check_day(fields["date"]),
               lambda: minutes_between(fields["start_time"], fields["end_time"]),
               lambda: resolve_kind(target_id, work_kind)])
    return resolve_kind(target_id, work_kind)


def day_checker(actor: Person, now: datetime):
    """:func:`check_date` for ``actor`` at ``now``, each date checked once: the same answer
    (or the same refusal) for every activity of that date."""
    answers = {}

    def check_day(on_date):
        if on_date not in answers:
            try:
                check_date(actor, on_date, now)
                answers[on_date] = None
            except AppError as error:  # invalid, or a locked period
                answers[on_date] = error
        if answers[on_date] is not None:
            raise answers[on_date]
    return check_day


def check_all(checks: list) -> None:
    """Run every check. :raise ValidationFailed: with the fields of all those that failed."""
    errors = {}
    for check in checks:
        try:
            check()
        except ValidationFailed as error:
            errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)


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


# --- a new row -------------------------------------------------------------------------------

def new_row(actor: Person, key: str, fields: dict, kind: WorkKind, unit: str | None,
            stamp: datetime | None = None) -> dict:
    """The row of ``actor``'s new draft ``key`` from their checked ``fields``, created at
    ``stamp`` (default: now; a batch stamps its rows with one moment)."""
    stamp = stamp or utcnow()
    return {
        "id": key, "org_id": actor.org_id, "person_id": actor.id, "date": fields["date"],
        "start_time": fields["start_time"], "end_time": fields["end_time"],
        "duration_minutes": minutes_between(fields["start_time"], fields["end_time"]),
        "description": fields["description"], "quantity": fields.get("quantity"),
        "unit": unit or None, "target_id": fields.get("target_id"), "work_kind": kind,
        "status": ActivityStatus.DRAFT, "version": 1, "is_late": False,
        "created_at": stamp, "updated_at": stamp,
    }


@functools.cache
def _activity_manager():
    return so.attributes.manager_of_class(Activity)


def as_loaded(row: dict, in_session: bool = True) -> Activity:
    """A persistent Activity holding ``row``, just inserted, as if loaded (no SELECT); with
    ``in_session=False`` (the row is committed and only read from now on) an instance outside
    any session."""
    # As the ORM builds a loaded row: the values go straight into the instance's dict,
    # without the attribute events of Activity(**row).
    activity = _activity_manager().new_instance()
    activity.__dict__.update(row, **UNSET_ON_CREATE)
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


# --- overlaps --------------------------------------------------------------------------------

def overlap_query(person_id: int, on_date: date, start: time, end: time,
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


def overlap_warning(first_id, first_start: time | None, first_end: time | None,
                    count: int | None, words: "OverlapWords | None" = None) -> list[dict]:
    """One warning naming the first overlapping activity and how many overlap in all (the
    message is built once, however many there are). ``words``: the memo of a request that
    warns many times (the batch)."""
    if first_id is None:
        return []
    message = (words or OverlapWords()).message(first_start, first_end, count)
    return [{"code": "overlap", "activity_id": first_id, "count": count, "message": message}]


class OverlapWords:
    """The words of overlap warnings, each translated, each time and each message put into
    words once: a batch warns a hundred times in one language."""

    def __init__(self):
        self._templates, self._locale, self._messages = None, None, {}

    def message(self, first_start: time | None, first_end: time | None,
                count: int | None) -> str:
        key = (first_start, first_end, count)
        message = self._messages.get(key)
        if message is None:
            if self._templates is None:  # the message ids, translated without their values
                self._templates = (
                    _("This overlaps another activity from %(start)s to %(end)s."),
                    _("This overlaps %(count)d other activities, the first from %(start)s to "
                      "%(end)s."))
            values = {"start": self._clock(first_start), "end": self._clock(first_end),
                      "count": count}
            message = self._messages[key] = self._templates[count != 1] % values
        return message

    def _clock(self, value: time | None) -> str:
        if self._locale is None:
            self._locale = str(get_locale())
        return _clock_in(self._locale, value)


@functools.lru_cache(maxsize=4096)
def _clock_in(locale: str, value: time | None) -> str:
    """:func:`clock` of ``value`` in ``locale``, the request's (a time of day reads the same in
    every zone); Babel's formatting costs more than the rest of a warning."""
    return clock(value)


def overlap_warnings(person: Person, on_date: date, start: time | None, end: time | None,
                     exclude_id: str | None = None) -> list[dict]:
    """A warning when the person's other activities of the day overlap these times."""
    if start is None or end is None:
        return []
    row = db.session.execute(overlap_query(person.id, on_date, start, end,
                                           exclude_id)).first()
    return overlap_warning(*row) if row else []


# --- what a create reads ---------------------------------------------------------------------

@functools.cache
def checks_statement(with_target: bool, with_lock: bool) -> sa.Select:
    """One row of what a create needs from the database: the organisation's deadline rule
    (``lock_day``, ``lock_time``, ``late_after_working_days``), the indicator if it is one of
    the actor's own SKP targets of that year (``indicator_id``, ``indicator_unit``,
    ``indicator_aspect``), the first
    overlapping activity and the count of overlaps (``overlap_*``), and with ``with_lock``
    the actor's audit chain lock (PostgreSQL), which the insert that follows needs anyway.

    Bind parameters: ``person_id``, ``org_id``, ``date``, ``start_time``, ``end_time`` and,
    with a target, ``target_id`` and ``year``. Built once per shape.
    """
    person_id = sa.bindparam("person_id", type_=sa.Integer)
    dual = sa.select(sa.literal_column("1").label("one")).subquery("dual")
    rule, rule_on, rule_columns = deadlines.rule_columns(sa.bindparam("org_id"))
    joined = dual.outerjoin(rule, rule_on)
    columns = [column.label(column.name) for column in rule_columns]
    if with_target:
        indicator = (sa.select(Indicator.id, Indicator.unit, Indicator.aspect)
                     .join(Rhk, Indicator.rhk_id == Rhk.id).join(Skp, Rhk.skp_id == Skp.id)
                     .where(Indicator.id == sa.bindparam("target_id"),
                            Skp.person_id == person_id, Skp.org_id == sa.bindparam("org_id"),
                            Skp.year == sa.bindparam("year"))
                     .subquery("indicator"))
        joined = joined.outerjoin(indicator, sa.true())
        columns += [indicator.c.id.label("indicator_id"),
                    indicator.c.unit.label("indicator_unit"),
                    indicator.c.aspect.label("indicator_aspect")]
    else:
        columns += [sa.null().label("indicator_id"), sa.null().label("indicator_unit"),
                    sa.null().label("indicator_aspect")]
    overlap = overlap_query(person_id, sa.bindparam("date"), sa.bindparam("start_time"),
                            sa.bindparam("end_time")).subquery("overlap")
    joined = joined.outerjoin(overlap, sa.true())
    columns += [overlap.c.id.label("overlap_id"), overlap.c.start_time.label("overlap_start"),
                overlap.c.end_time.label("overlap_end"), overlap.c.n.label("overlap_count")]
    if with_lock:
        columns.append(audit.lock_column(person_id))
    return sa.select(*columns).select_from(joined)
