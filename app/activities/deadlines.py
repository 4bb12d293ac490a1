"""When a month's logs lock, and when a submission counts as late.

Each organisation may have a :class:`DeadlineRule`; without one the defaults apply: a month's
activities lock on the 5th of the next month at 23:59, and a day's activity is late when it is
submitted after the next working day (Friday's by Monday). Both are *local* to the person's
unit (WIB, WITA, WIT). Working days skip Saturdays, Sundays, Indonesia's public holidays and
the *cuti bersama* days (the ``holidays`` package, categories public and government).
"""

import calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa
from flask import g, has_app_context

from app.activities.models import DeadlineRule
from app.extensions import db
from app.org.models import Organisation, Person

DEFAULT_LOCK_DAY = 5
DEFAULT_LOCK_TIME = time(23, 59)
DEFAULT_LATE_AFTER_WORKING_DAYS = 1


@functools.lru_cache(maxsize=32)
def _holidays_of(year: int) -> frozenset[date]:
    days = holidays.country_holidays("ID", years=year, language="id",
                                     categories=("public", "government"))
    return frozenset(days)


def holiday_names(year: int) -> dict[date, str]:
    """Public holidays and cuti bersama of ``year``, named in Bahasa Indonesia."""
    return dict(holidays.country_holidays("ID", years=year, language="id",
                                          categories=("public", "government")))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def working_day_after(day: date, count: int = 1) -> date:
    """The ``count``-th working day after ``day`` (``count`` 0: ``day`` itself if working)."""
    if count <= 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@dataclass(frozen=True)
class Rule:
    """The figures of an organisation's :class:`DeadlineRule` (or the defaults)."""

    org_id: int
    lock_day: int = DEFAULT_LOCK_DAY
    lock_time: time = DEFAULT_LOCK_TIME
    late_after_working_days: int = DEFAULT_LATE_AFTER_WORKING_DAYS


def rule_columns(org_id: int):
    """(table to outer-join, its columns) so another statement can bring the rule along;
    hand the values to :func:`remember`."""
    table = DeadlineRule.__table__
    on = table.c.org_id == org_id
    return table, on, (table.c.lock_day, table.c.lock_time, table.c.late_after_working_days)


#: organisation id -> its rule row (lock_day, lock_time, late_after_working_days), all None
#: without one, as this process last read it. Only a guess: see :func:`assume`.
_last_read: dict[int, tuple] = {}


def assume(org_id: int) -> tuple | None:
    """The rule row this process last read for ``org_id``, also made this request's rule;
    None if it has not read one yet.

    For a write that checks, in its own statement, that the row is still the same, and
    otherwise writes nothing and starts over (see ``activities.services.fastpath``).
    """
    row = _last_read.get(org_id)
    if row is not None:
        remember(org_id, *row)
    return row


def remember(org_id: int, lock_day, lock_time, late_after_working_days) -> Rule:
    """Keep a rule read along with another statement for the rest of the request."""
    if len(_last_read) > 10_000:
        _last_read.clear()
    _last_read[org_id] = (lock_day, lock_time, late_after_working_days)
    rule = Rule(org_id) if lock_day is None else Rule(
        org_id, lock_day, lock_time, late_after_working_days)
    if has_app_context():
        g.setdefault("_deadline_rules", {})[org_id] = rule
    return rule


def rule_for(org_id: int) -> Rule:
    """The organisation's rule, or the defaults (read once per request)."""
    cache = g.setdefault("_deadline_rules", {}) if has_app_context() else {}
    if org_id not in cache:
        table, on, columns = rule_columns(org_id)
        row = db.session.execute(sa.select(*columns).where(on)).first()
        cache[org_id] = remember(org_id, *(row or (None, None, None)))
    return cache[org_id]


def _org_id(org) -> int:
    return org if isinstance(org, int) else org.id


def _aware(moment: datetime) -> datetime:
    """Stored timestamps are naive UTC; make them comparable with aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def lock_moment(org: Organisation | int, activity_date: date,
                timezone: str | None = None) -> datetime:
    """When activities of ``activity_date``'s month lock (aware, in ``timezone``).

    ``timezone`` is the person's unit zone; it defaults to the organisation's own.
    """
    rule = rule_for(_org_id(org))
    if timezone is None:
        timezone = org.timezone if isinstance(org, Organisation) else "Asia/Jakarta"
    year, month = (activity_date.year + activity_date.month // 12,
                   activity_date.month % 12 + 1)
    day = min(rule.lock_day, calendar.monthrange(year, month)[1])
    return datetime.combine(date(year, month, day), rule.lock_time, tzinfo=ZoneInfo(timezone))


def late_after(person: Person, activity_date: date) -> datetime:
    """The moment from which a submission of ``activity_date``'s activity is late (aware).

    The end of the Nth working day after the activity's date, local time: with N = 1 a
    Friday's activity is on time until Monday ends (Tuesday if Monday is a holiday).
    """
    rule = rule_for(person.org_id)
    last_day = working_day_after(activity_date, rule.late_after_working_days)
    return datetime.combine(last_day + timedelta(days=1), time(0),
                            tzinfo=ZoneInfo(person.timezone))


def is_locked(person: Person, activity_date: date, now: datetime) -> bool:
    return _aware(now) > lock_moment(person.org_id, activity_date, person.timezone)


def is_late(person: Person, activity_date: date, submitted_at: datetime) -> bool:
    return _aware(submitted_at) >= late_after(person, activity_date)


def time_left(person: Person, activity_date: date, now: datetime) -> timedelta:
    """Time until ``activity_date``'s period locks; zero once locked."""
    left = lock_moment(person.org_id, activity_date, person.timezone) - _aware(now)
    return max(left, timedelta(0))


def local_today(person: Person, now: datetime) -> date:
    return _aware(now).astimezone(ZoneInfo(person.timezone)).date()


def summary(person: Person, activity_date: date, now: datetime) -> dict:
    """What the form shows: when the day's log turns late, when it locks, and the time left."""
    locks_at = lock_moment(person.org_id, activity_date, person.timezone)
    late_at = late_after(person, activity_date)
    return {
        "date": activity_date,
        "timezone": person.timezone,
        "late_after": late_at,
        "locks_at": locks_at,
        "locked": _aware(now) > locks_at,
        "late_if_submitted_now": _aware(now) >= late_at,
        "seconds_left": int(time_left(person, activity_date, now).total_seconds()),
        "working_day": is_working_day(activity_date),
        "holiday": holiday_names(activity_date.year).get(activity_date),
    }
