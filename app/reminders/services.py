"""Which reminders are due, and sending each exactly once.

Each organisation has one rule per :class:`ReminderKind` (a :class:`ReminderRule` row, or the
defaults in :data:`DEFAULTS`). Every time is *local* to the person's unit (WIB, WITA, WIT):

- ``daily_log``: working days from 15:30, to people with nothing logged today (a day of
  approved absence is excused: :func:`app.absences.services.excused_days`);
- ``deadline``: 3 and 1 days before a month's input deadline (the lock moment of
  :mod:`app.activities.deadlines`), from 09:00, to people with drafts, returned activities or
  working days without logs in that month;
- ``reviews_waiting``: working days from 09:00, to supervisors (and their acting stand-ins)
  with submitted activities waiting more than 2 working days;
- ``self_evaluation``: the last working day of each evaluation period the organisation
  defined (of each month when it defined none), from 09:00, to everyone;
- ``evaluations_due``: the same day, to supervisors;
- ``digest``: working days from 17:00, to supervisors: who of their team still has no log
  after the daily reminder (the escalation).

Working days skip weekends, Indonesia's public holidays and *cuti bersama* (the ``holidays``
package) and the organisation's own :class:`OrgHoliday` days. A person's muted kinds are not
sent; inside their quiet hours a reminder waits until the quiet hours end (the same day).

**Exactly once.** A reminder's key is (person, kind, local date or period). Sending inserts
the key into ``reminders_sent`` with ``ON CONFLICT DO NOTHING`` and raises the notification
only for the keys the insert took, in the same transaction. Two workers, a restart or an
overlapping tick cannot send twice: the second insert of a key finds it (PostgreSQL waits for
the first transaction, SQLite's writers take turns).

**Catch-up once.** A reminder is due from its time until the end of its local day (or its
period day), not just at that minute: a worker that was down at 15:30 sends the day's
reminder at its first tick later that day, once (the key). Yesterday's key is never
considered, so a missed day is not sent the next day.
"""

import calendar
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from app.absences.services import excused_days
from app.activities import deadlines
from app.activities.models import Activity, ActivityStatus
from app.audit import services as audit
from app.core.templating import clock
from app.core.uow import unit_of_work
from app.errors import Forbidden, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import ActingAssignment, Organisation, Person, Role, Unit
from app.reminders.models import (
    OrgHoliday,
    ReminderKind,
    ReminderRule,
    ReminderSent,
    ReminderSettings,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """A kind of reminder as an organisation runs it."""

    kind: ReminderKind
    enabled: bool
    at_time: time
    #: Days before the deadline (deadline), working days of waiting (reviews_waiting).
    days: tuple[int, ...] = ()
    default: bool = True


DEFAULTS = {
    ReminderKind.DAILY_LOG: Rule(ReminderKind.DAILY_LOG, True, time(15, 30)),
    ReminderKind.DEADLINE: Rule(ReminderKind.DEADLINE, True, time(9, 0), (3, 1)),
    ReminderKind.REVIEWS_WAITING: Rule(ReminderKind.REVIEWS_WAITING, True, time(9, 0), (2,)),
    ReminderKind.SELF_EVALUATION: Rule(ReminderKind.SELF_EVALUATION, True, time(9, 0)),
    ReminderKind.EVALUATIONS_DUE: Rule(ReminderKind.EVALUATIONS_DUE, True, time(9, 0)),
    ReminderKind.DIGEST: Rule(ReminderKind.DIGEST, True, time(17, 0)),
    ReminderKind.FOLLOW_UP: Rule(ReminderKind.FOLLOW_UP, True, time(8, 0)),
}


def parse_days(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "").split(",") if part.strip().isdigit())


def rules_for(org_id: int) -> dict[ReminderKind, Rule]:
    """The organisation's rule for every kind: its own rows over the defaults."""
    rules = dict(DEFAULTS)
    for row in db.session.scalars(sa.select(ReminderRule).where(ReminderRule.org_id == org_id)):
        days = parse_days(row.days) if row.days else DEFAULTS[row.kind].days
        rules[row.kind] = Rule(row.kind, row.enabled, row.at_time, days, default=False)
    return rules


# --- working days --------------------------------------------------------------------------

class Calendar:
    """An organisation's working days: national calendar minus its own holidays."""

    def __init__(self, org_id: int):
        self.org_id = org_id
        self.days_off = set(db.session.scalars(
            sa.select(OrgHoliday.day).where(OrgHoliday.org_id == org_id)))

    def is_working(self, day: date) -> bool:
        return deadlines.is_working_day(day) and day not in self.days_off

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day``."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                count -= 1
        return day

    def working_days(self, first: date, last: date) -> list[date]:
        days, day = [], first
        while day <= last:
            if self.is_working(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def last_working_day(self, year: int, month: int) -> date | None:
        day = date(year, month, calendar.monthrange(year, month)[1])
        while day.month == month:
            if self.is_working(day):
                return day
            day -= timedelta(days=1)
        return None


# --- who, and what is due ------------------------------------------------------------------

@dataclass
class Member:
    """A person of the organisation as the reminder clock sees them, at ``local`` time."""

    id: int
    name: str
    supervisor_id: int | None
    locale: str | None
    timezone: str
    muted: frozenset
    quiet_from: time | None
    quiet_until: time | None
    local: datetime

    @property
    def today(self) -> date:
        return self.local.date()

    def quiet(self, moment: time) -> bool:
        start, end = self.quiet_from, self.quiet_until
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end  # over midnight

    def ready(self, rule: Rule) -> bool:
        """The rule's time has come today, the person wants it and is not in quiet hours."""
        moment = self.local.time()
        return (rule.enabled and rule.kind.value not in self.muted and moment >= rule.at_time
                and not self.quiet(moment))


@dataclass(frozen=True)
class Due:
    """One reminder to send: the key that makes it once, and what to say."""

    org_id: int
    person_id: int
    kind: ReminderKind
    key: str
    locale: str | None = field(compare=False, default=None)
    name: str = field(compare=False, default="")
    #: Figures for the message (counts, dates, names).
    facts: dict = field(compare=False, default_factory=dict, hash=False)


def parse_muted(text: str | None) -> frozenset:
    return frozenset(part for part in (text or "").split(",") if part)


def members_of(org_id: int, now: datetime) -> list[Member]:
    rows = db.session.execute(
        sa.select(Person.id, Person.name, Person.supervisor_id, Person.locale, Unit.timezone,
                  ReminderSettings.muted, ReminderSettings.quiet_from,
                  ReminderSettings.quiet_until)
        .join(Unit, Unit.id == Person.unit_id)
        .outerjoin(ReminderSettings, ReminderSettings.person_id == Person.id)
        .where(Person.org_id == org_id, Person.active.is_(True))
        .order_by(Person.id))
    return [Member(id=r.id, name=r.name, supervisor_id=r.supervisor_id, locale=r.locale,
                   timezone=r.timezone, muted=parse_muted(r.muted), quiet_from=r.quiet_from,
                   quiet_until=r.quiet_until, local=now.astimezone(ZoneInfo(r.timezone)))
            for r in rows]


def _aware(now: datetime | None) -> datetime:
    now = now or datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now


def _month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _acting(org_id: int, days: set[date]) -> list[ActingAssignment]:
    if not days:
        return []
    return list(db.session.scalars(sa.select(ActingAssignment).where(
        ActingAssignment.org_id == org_id, ActingAssignment.starts_on <= max(days),
        ActingAssignment.ends_on >= min(days))))


def _stand_ins(assignments, supervisor_id: int, day: date) -> set[int]:
    return {a.acting_person_id for a in assignments
            if a.for_person_id == supervisor_id and a.starts_on <= day <= a.ends_on}


def _logged(org_id: int, person_days: set[tuple[int, date]]) -> set[tuple[int, date]]:
    """Which (person, local date) pairs have at least one activity (any status), or are
    excused by an approved absence (cuti, sakit, dinas luar...): no one is chased for those."""
    if not person_days:
        return set()
    days = {day for _, day in person_days}
    people = {person for person, _ in person_days}
    rows = db.session.execute(
        sa.select(Activity.person_id, Activity.date).where(
            Activity.org_id == org_id, Activity.date.in_(days),
            Activity.person_id.in_(people)).distinct())
    excused = excused_days(org_id, min(days), max(days), people)
    return ({(row.person_id, row.date) for row in rows}
            | {(pid, day) for pid, by_day in excused.items() for day in by_day}) & person_days


def _daily(org_id, members, rules, cal) -> list[Due]:
    rule = rules[ReminderKind.DAILY_LOG]
    waiting = {(m.id, m.today): m for m in members if cal.is_working(m.today) and m.ready(rule)}
    logged = _logged(org_id, set(waiting))
    return [Due(org_id, m.id, rule.kind, m.today.isoformat(), m.locale, m.name)
            for pair, m in waiting.items() if pair not in logged]


def _digest(org_id, members, rules, cal) -> list[Due]:
    """Supervisors: their people who got today's daily reminder and still logged nothing."""
    rule = rules[ReminderKind.DIGEST]
    by_id = {m.id: m for m in members}
    supervisors = {m.supervisor_id for m in members if m.supervisor_id in by_id}
    ready = {sid for sid in supervisors
             if cal.is_working(by_id[sid].today) and by_id[sid].ready(rule)}
    if not ready:
        return []
    team = [m for m in members if m.supervisor_id in ready]
    reminded = {(row.person_id, row.key) for row in db.session.execute(
        sa.select(ReminderSent.person_id, ReminderSent.key).where(
            ReminderSent.org_id == org_id, ReminderSent.kind == ReminderKind.DAILY_LOG,
            ReminderSent.key.in_({m.today.isoformat() for m in team})))}
    candidates = {(m.id, m.today) for m in team if (m.id, m.today.isoformat()) in reminded}
    silent = candidates - _logged(org_id, candidates)
    late: dict[int, list[Member]] = {}
    for m in team:
        if (m.id, m.today) in silent:
            late.setdefault(m.supervisor_id, []).append(m)
    return [Due(org_id, sid, rule.kind, by_id[sid].today.isoformat(), by_id[sid].locale,
                by_id[sid].name, {"people": [{"id": m.id, "name": m.name} for m in people]})
            for sid, people in sorted(late.items())]


def _deadline(org_id, members, rules, cal, now) -> list[Due]:
    """3 and 1 days before a month's lock moment, to those with something left to do."""
    rule = rules[ReminderKind.DEADLINE]
    if not rule.enabled:
        return []
    wanted: dict[tuple[date, int], list[tuple[Member, datetime]]] = {}
    for m in members:
        if not m.ready(rule):
            continue
        for month in {_previous_month(m.today), m.today.replace(day=1)}:
            lock = deadlines.lock_moment(org_id, month, m.timezone)
            for days in rule.days:
                if lock.date() - timedelta(days=days) == m.today and now < lock:
                    wanted.setdefault((month, days), []).append((m, lock))
    dues = []
    for (month, days), people in sorted(wanted.items(), key=lambda item: item[0]):
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        ids = [m.id for m, _lock in people]
        open_work = dict(db.session.execute(
            sa.select(Activity.person_id, sa.func.count()).where(
                Activity.org_id == org_id, Activity.person_id.in_(ids),
                Activity.date >= month, Activity.date <= last,
                Activity.status.in_((ActivityStatus.DRAFT, ActivityStatus.RETURNED)))
            .group_by(Activity.person_id)).all())
        for m, lock in people:
            working = cal.working_days(month, min(last, m.today))
            logged_days = set(db.session.scalars(
                sa.select(Activity.date).where(
                    Activity.org_id == org_id, Activity.person_id == m.id,
                    Activity.date >= month, Activity.date <= last).distinct()))
            logged_days |= set(excused_days(org_id, month, last, [m.id]).get(m.id, ()))
            missing = len([d for d in working if d not in logged_days])
            unfinished = open_work.get(m.id, 0)
            if not missing and not unfinished:
                continue
            dues.append(Due(org_id, m.id, rule.kind, f"{_month_key(month)}:d{days}", m.locale,
                            m.name, {"month": month, "lock": lock, "days": days,
                                     "unfinished": unfinished, "missing": missing}))
    return dues


def _reviews_waiting(org_id, members, rules, cal, now) -> list[Due]:
    rule = rules[ReminderKind.REVIEWS_WAITING]
    if not rule.enabled:
        return []
    limit = rule.days[0] if rule.days else 2
    by_id = {m.id: m for m in members}
    rows = db.session.execute(
        sa.select(Activity.person_id, Activity.submitted_at).where(
            Activity.org_id == org_id, Activity.status == ActivityStatus.SUBMITTED,
            Activity.submitted_at.is_not(None),
            Activity.submitted_at <= (now - timedelta(days=limit)).astimezone(UTC)
            .replace(tzinfo=None))).all()
    if not rows:
        return []
    assignments = _acting(org_id, {m.today for m in members})
    waiting: dict[int, int] = {}
    for person_id, submitted_at in rows:
        owner = by_id.get(person_id)
        if owner is None or owner.supervisor_id not in by_id:
            continue
        submitted_on = submitted_at.replace(tzinfo=UTC).astimezone(
            ZoneInfo(owner.timezone)).date()
        reviewers = {owner.supervisor_id} | _stand_ins(
            assignments, owner.supervisor_id, by_id[owner.supervisor_id].today)
        for reviewer_id in reviewers:
            reviewer = by_id.get(reviewer_id)
            if reviewer and cal.add_working_days(submitted_on, limit) < reviewer.today:
                waiting[reviewer_id] = waiting.get(reviewer_id, 0) + 1
    return [Due(org_id, rid, rule.kind, by_id[rid].today.isoformat(), by_id[rid].locale,
                by_id[rid].name, {"count": count, "days": limit})
            for rid, count in sorted(waiting.items())
            if cal.is_working(by_id[rid].today) and by_id[rid].ready(rule)]


def _last_working_day_until(cal, day: date, floor: date) -> date | None:
    while day >= floor:
        if cal.is_working(day):
            return day
        day -= timedelta(days=1)
    return None


def _periods_ending(org_id, cal, days: set[date]) -> dict[date, list] | None:
    """The organisation's evaluation periods whose last working day is one of ``days``.

    ``None`` when the organisation has defined no periods: months stand in for them.
    """
    from app.evaluations.models import EvaluationPeriod

    years = {day.year for day in days}
    periods = db.session.scalars(
        sa.select(EvaluationPeriod).where(EvaluationPeriod.org_id == org_id,
                                          EvaluationPeriod.year.in_(years | {y - 1 for y in years}))
        .order_by(EvaluationPeriod.ends_on, EvaluationPeriod.starts_on.desc())).all()
    if not periods:
        return None
    ending: dict[date, list] = {}
    for period in periods:
        last = _last_working_day_until(cal, period.ends_on, period.starts_on)
        if last in days:
            ending.setdefault(last, []).append(period)
    return ending


def _period_end(org_id, members, rules, cal) -> list[Due]:
    """A period's last working day: everyone's self-evaluation, supervisors' turn.

    The periods are the organisation's evaluation periods (monthly, quarterly, semester,
    annual); an organisation that has defined none is reminded at the end of each month.
    Periods ending on the same day (Triwulan IV and the annual one) make one reminder.
    """
    dues = []
    own = rules[ReminderKind.SELF_EVALUATION]
    team = rules[ReminderKind.EVALUATIONS_DUE]
    supervisors = {m.supervisor_id for m in members if m.supervisor_id}
    assignments = None
    periods = _periods_ending(org_id, cal, {m.today for m in members})
    for m in members:
        if periods is None:
            if m.today != cal.last_working_day(m.today.year, m.today.month):
                continue
            key, facts = _month_key(m.today), {"month": m.today}
        else:
            ending = periods.get(m.today)
            if not ending:
                continue
            key = "period:" + ",".join(str(period.id) for period in ending)
            facts = {"periods": [period.name for period in ending]}
        if m.ready(own):
            dues.append(Due(org_id, m.id, own.kind, key, m.locale, m.name, facts))
        if m.ready(team):
            if m.id not in supervisors:
                if assignments is None:
                    assignments = _acting(org_id, {x.today for x in members})
                if not any(a.acting_person_id == m.id and a.starts_on <= m.today <= a.ends_on
                           for a in assignments):
                    continue
            dues.append(Due(org_id, m.id, team.kind, key, m.locale, m.name, facts))
    return dues


def _follow_up(org_id, members, rules) -> list[Due]:
    """Dialogue actions, coaching sessions and reviews due today (app.followup.reminders)."""
    from app.followup import reminders as follow_up

    rule = rules[ReminderKind.FOLLOW_UP]
    return follow_up.due(org_id, members, rule, lambda m, key, facts: Due(
        org_id, m.id, rule.kind, key, m.locale, m.name, facts)) if rule.enabled else []


def due_reminders(now: datetime | None = None, *, org_id: int | None = None) -> list[Due]:
    """Every reminder due at ``now`` that was not sent yet (nothing is written)."""
    now = _aware(now)
    query = sa.select(Organisation.id).order_by(Organisation.id)
    if org_id is not None:
        query = query.where(Organisation.id == org_id)
    dues: list[Due] = []
    for oid in db.session.scalars(query).all():
        members = members_of(oid, now)
        if not members:
            continue
        rules = rules_for(oid)
        cal = Calendar(oid)
        found = (_daily(oid, members, rules, cal) + _deadline(oid, members, rules, cal, now)
                 + _reviews_waiting(oid, members, rules, cal, now)
                 + _period_end(oid, members, rules, cal)
                 + _digest(oid, members, rules, cal) + _follow_up(oid, members, rules))
        dues.extend(_not_sent(oid, found))
    return dues


def _not_sent(org_id: int, dues: list[Due]) -> list[Due]:
    if not dues:
        return []
    sent = {(row.person_id, row.kind, row.key) for row in db.session.execute(
        sa.select(ReminderSent.person_id, ReminderSent.kind, ReminderSent.key).where(
            ReminderSent.org_id == org_id, ReminderSent.key.in_({d.key for d in dues})))}
    return [d for d in dues if (d.person_id, d.kind, d.key) not in sent]


# --- what it says --------------------------------------------------------------------------

def _when(moment: datetime) -> str:
    return f"{format_date(moment.date(), 'd MMMM y')} {clock(moment)}"


def message(due: Due) -> dict:
    """Title, body and link of a reminder, in the recipient's language."""
    facts = due.facts
    with force_locale(due.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        if due.kind is ReminderKind.DAILY_LOG:
            return {"title": _("You have not logged any activity today"),
                    "body": _("Take a minute to log what you did today."), "url": "/aktivitas"}
        if due.kind is ReminderKind.DEADLINE:
            parts = []
            if facts["unfinished"]:
                parts.append(ngettext("%(num)d activity is a draft or was returned.",
                                        "%(num)d activities are drafts or were returned.",
                                        facts["unfinished"]))
            if facts["missing"]:
                parts.append(ngettext("%(num)d working day has no log.",
                                        "%(num)d working days have no log.", facts["missing"]))
            return {"title": ngettext("The logs of %(month)s lock in %(num)d day",
                                      "The logs of %(month)s lock in %(num)d days",
                                      facts["days"], month=format_date(facts["month"], "MMMM y")),
                    "body": " ".join([*parts, _("They lock on %(moment)s.",
                                                moment=_when(facts["lock"]))]),
                    "url": "/aktivitas"}
        if due.kind is ReminderKind.REVIEWS_WAITING:
            return {"title": ngettext("%(num)d activity waits for your review",
                                      "%(num)d activities wait for your review", facts["count"]),
                    "body": ngettext("Submitted more than %(num)d working day ago.",
                                     "Submitted more than %(num)d working days ago.",
                                     facts["days"]),
                    "url": "/tim"}
        if due.kind in (ReminderKind.SELF_EVALUATION, ReminderKind.EVALUATIONS_DUE):
            period = (", ".join(facts["periods"]) if "periods" in facts
                      else format_date(facts["month"], "MMMM y"))
            if due.kind is ReminderKind.SELF_EVALUATION:
                return {"title": _("Time for your self-evaluation"),
                        "body": _("%(month)s ends today: fill in your self-evaluation.",
                                  month=period),
                        "url": "/evaluasi"}
            return {"title": _("Your team's evaluations are due"),
                    "body": _("%(month)s ends today: evaluate your team.", month=period),
                    "url": "/evaluasi/tim"}
        if due.kind is ReminderKind.FOLLOW_UP:
            from app.followup.reminders import message as follow_up_message
            return follow_up_message(facts)
        names = ", ".join(p["name"] for p in facts["people"])
        return {"title": ngettext("%(num)d person has not logged today",
                                  "%(num)d people have not logged today", len(facts["people"])),
                "body": names, "url": "/tim"}


# --- sending, exactly once -----------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    person_id: int
    kind: ReminderKind
    key: str
    notification_id: int


def _insert_statement(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the two supported databases
        raise RuntimeError(f"Unsupported database {dialect}")
    table = ReminderSent.__table__
    return (insert(table).on_conflict_do_nothing(
        index_elements=[table.c.person_id, table.c.kind, table.c.key])
        .returning(table.c.id, table.c.person_id, table.c.kind, table.c.key))


def _begin_write() -> str:
    """Start the write transaction; on SQLite take the write lock at once (writers queue
    on busy_timeout instead of failing a lock upgrade)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    return connection.dialect.name


def deliver(dues: list[Due], *, chunk: int = 200) -> list[Sent]:
    """Claim each due reminder's key and notify only for the keys this call claimed.

    A unit of work per chunk: the ledger rows and their notifications go in together, and a
    chunk already claimed stays sent (and is never sent twice) should a later one fail.
    """
    sent: list[Sent] = []
    ordered = sorted(set(dues), key=lambda d: (d.person_id, d.kind.value, d.key))
    for start in range(0, len(ordered), chunk):
        part = {(d.person_id, d.kind, d.key): d for d in ordered[start:start + chunk]}
        with unit_of_work():
            sent.extend(_claim_and_notify(part))
    return sent


def _claim_and_notify(part: dict[tuple, Due]) -> list[Sent]:
    """Claim the keys of one chunk and notify for those this call won."""
    statement = _insert_statement(_begin_write())
    stamp = utcnow()
    rows = [{"org_id": d.org_id, "person_id": d.person_id, "kind": d.kind, "key": d.key,
             "sent_at": stamp} for d in part.values()]
    claimed = db.session.execute(statement.values(rows)).all()
    sent, links = [], []
    for row in claimed:
        due = part[(row.person_id, ReminderKind(row.kind), row.key)]
        text = message(due)
        kind = (NotificationKind.DIGEST if due.kind is ReminderKind.DIGEST
                else NotificationKind.REMINDER)
        recipient = SimpleNamespace(id=due.person_id, org_id=due.org_id)
        notification = notify(recipient, kind, title=text["title"], body=text["body"],
                              url=text["url"], data={"reminder": due.kind.value,
                                                     "key": due.key})
        links.append({"id": row.id, "notification_id": notification.id})
        sent.append(Sent(due.person_id, due.kind, due.key, notification.id))
    if links:
        db.session.execute(sa.update(ReminderSent), links)
    return sent


def send_due(now: datetime | None = None) -> list[Sent]:
    """Send every reminder due at ``now`` (default: the clock), each exactly once."""
    with unit_of_work():  # ends the reading transaction before claiming keys
        dues = due_reminders(now)
    sent = deliver(dues)
    if sent:
        logger.info("Sent %s reminders", len(sent))
    return sent


# --- people's preferences, admins' rules and holidays ----------------------------------------

def settings_of(person: Person) -> ReminderSettings | None:
    return db.session.scalar(sa.select(ReminderSettings).where(
        ReminderSettings.person_id == person.id))


def preferences(person: Person) -> dict:
    row = settings_of(person)
    return {"muted": sorted(parse_muted(row.muted)) if row else [],
            "quiet_from": row.quiet_from if row else None,
            "quiet_until": row.quiet_until if row else None}


def save_preferences(person: Person, *, muted, quiet_from: time | None,
                     quiet_until: time | None) -> dict:
    if (quiet_from is None) != (quiet_until is None):
        field_name = "quiet_until" if quiet_until is None else "quiet_from"
        raise ValidationFailed(fields={field_name: _(
            "Give both the start and the end of the quiet hours, or neither.")})
    row = settings_of(person)
    if row is None:
        row = ReminderSettings(person_id=person.id)
        db.session.add(row)
    row.muted = ",".join(sorted({ReminderKind(kind).value for kind in muted}))
    row.quiet_from, row.quiet_until = quiet_from, quiet_until
    db.session.flush()
    return preferences(person)


def require_admin(actor: Person) -> None:
    if Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only an HR administrator can change reminders and holidays."))


def rules_of(actor: Person) -> list[Rule]:
    require_admin(actor)
    rules = rules_for(actor.org_id)
    return [rules[kind] for kind in ReminderKind]


def save_rules(actor: Person, changes: list[dict]) -> list[Rule]:
    """Change some kinds' rules (each entry: kind and any of enabled, at_time, days); each
    kind whose rule changed is audited with its old and new values."""
    require_admin(actor)
    current = rules_for(actor.org_id)
    rows = {row.kind: row for row in db.session.scalars(
        sa.select(ReminderRule).where(ReminderRule.org_id == actor.org_id))}
    changed = {}
    for change in changes:
        kind = ReminderKind(change["kind"])
        base = current[kind]
        row = rows.get(kind)
        if row is None:
            row = ReminderRule(org_id=actor.org_id, kind=kind, enabled=base.enabled,
                               at_time=base.at_time, days=",".join(map(str, base.days)))
            db.session.add(row)
            rows[kind] = row
        values = {key: change[key] for key in ("enabled", "at_time") if key in change}
        if "days" in change:
            values["days"] = ",".join(str(d) for d in sorted(set(change["days"]), reverse=True))
        changed[kind] = audit.diff(row, values)
        for key, value in values.items():
            setattr(row, key, value)
    db.session.flush()
    for kind, diff in changed.items():
        if diff:
            audit.record(actor.org_id, actor.id, actor.id, "reminder_rule", rows[kind].id,
                         "update", {"kind": kind.value, **diff})
    return rules_of(actor)
