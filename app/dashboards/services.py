"""The numbers behind the dashboards, aggregated by the database.

Each dashboard is a fixed number of grouped queries whatever the size of the team or the
organisation: no activity or person is loaded as an object, and no query runs per person.

*Compliance* (kepatuhan) is the share of working days with at least one activity logged
(any status) or excused by an approved absence (cuti, sakit, dinas luar, tugas belajar:
:func:`app.absences.services.excused_unlogged`): (days logged + days excused) on working
days ÷ working days of the month so far (today included, local time). Working days skip
weekends, public holidays and cuti bersama (:func:`app.activities.deadlines.is_working_day`).
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from app.absences.services import excused_unlogged
from app.activities.deadlines import is_working_day
from app.activities.models import Activity, ActivityStatus
from app.citizen import services as citizen
from app.errors import Forbidden, NotFound
from app.evaluations.rules import Predikat
from app.extensions import db
from app.models import utcnow
from app.org.lines import supervised_ids, supervises_anyone
from app.org.models import Organisation, Person, Role, Unit
from app.reports.realisation import realisation
from app.reports.services import month_bounds

PERCENT_STEP = Decimal("0.1")
#: Who sees the organisation dashboard.
ORGANISATION_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN})


def percent(part, whole) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(PERCENT_STEP,
                                                                      ROUND_HALF_UP)


def local_today(timezone: str, now: datetime) -> date:
    return now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(timezone)).date()


def working_days_so_far(month: date, today: date) -> list[date]:
    """The working days of ``month`` up to ``today`` inclusive (all of them for a past
    month, none for a future one)."""
    first, following = month_bounds(month)
    last = min(following - timedelta(days=1), today)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if is_working_day(first + timedelta(days=n))]


def _sum_if(condition, value=1):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


# --- the supervisor's team ---------------------------------------------------------------

def may_see_team(actor: Person) -> bool:
    """Supervisors (atasan), and anyone with someone to review (acting Plt/Plh)."""
    return actor.has_role(Role.ATASAN) or supervises_anyone(actor)


def _team_people(actor: Person) -> list:
    # The ids first, as a list: PostgreSQL cannot estimate a recursive CTE's size (see
    # app.reports.services.team_monthly_recap).
    ids = list(db.session.scalars(supervised_ids(actor)))
    if not ids:
        return []
    return db.session.execute(
        sa.select(Person.id, Person.name, Person.jabatan, Person.unit_id,
                  Unit.timezone).join(Unit, Person.unit_id == Unit.id)
        .where(Person.org_id == actor.org_id, Person.active, Person.id.in_(ids))
        .order_by(Person.name, Person.id)).all()


def _days_logged(ids: list[int], days: list[date]) -> dict[int, int]:
    """Per person, how many of ``days`` have at least one activity."""
    if not ids or not days:
        return {}
    return dict(db.session.execute(
        sa.select(Activity.person_id, sa.func.count(sa.distinct(Activity.date)))
        .where(Activity.person_id.in_(ids), Activity.date.in_(days))
        .group_by(Activity.person_id)).all())


def _month_counts(ids: list[int], first: date, following: date) -> dict[int, tuple[int, int]]:
    """Per person: (activities of the month, of which submitted late)."""
    rows = db.session.execute(
        sa.select(Activity.person_id, sa.func.count(), _sum_if(Activity.is_late))
        .where(Activity.person_id.in_(ids), Activity.date >= first, Activity.date < following)
        .group_by(Activity.person_id)) if ids else ()
    return {row[0]: (int(row[1]), int(row[2])) for row in rows}


def _waiting(org_id: int, ids: list[int]) -> tuple[dict[int, int], dict | None]:
    """Submitted activities waiting for review: the count per person, and the oldest."""
    if not ids:
        return {}, None
    # ``ids`` are people of ``org_id`` already: no org condition, so that the partial index
    # ix_activities_waiting answers alone (an index-only scan).
    submitted = sa.and_(Activity.person_id.in_(ids),
                        Activity.status == ActivityStatus.SUBMITTED)
    rows = db.session.execute(
        sa.select(Activity.person_id, sa.func.count(), sa.func.min(Activity.submitted_at))
        .where(submitted).group_by(Activity.person_id)).all()
    counts = {row[0]: row[1] for row in rows}
    # The oldest in two steps, both on the index: whose is it, then that one row.
    dated = [row for row in rows if row[2] is not None]
    query = (sa.select(Activity.id, Activity.date, Activity.submitted_at, Activity.description,
                       Person.id.label("person_id"), Person.name)
             .join(Person, Activity.person_id == Person.id).where(submitted)
             .order_by(Activity.submitted_at.asc().nulls_last(), Activity.date, Activity.id)
             .limit(1))
    if dated:
        person_id, _count, first = min(dated, key=lambda row: (row[2], row[0]))
        query = query.where(Activity.person_id == person_id, Activity.submitted_at == first)
    oldest = db.session.execute(query).first() if rows else None
    return counts, None if oldest is None else {
        "activity_id": oldest.id, "date": oldest.date, "submitted_at": oldest.submitted_at,
        "description": oldest.description,
        "person": {"id": oldest.person_id, "name": oldest.name}}


def _realisation(org_id: int, ids: list[int], start: date, end: date) -> dict[int, list]:
    """Per person, every indicator of their SKP of ``start``'s year with its realisation
    between ``start`` and ``end`` (inclusive), by aspect: the one computation of
    :func:`app.reports.realisation.realisation`, so that the dashboard shows what Beranda,
    the Target page and the recaps show (a Kualitas indicator its marks, not a sum)."""
    found = realisation(ids, start, end, org_id=org_id)
    return {person_id: [_indicator_out(row) for row in rows if row["year"] == start.year]
            for person_id, rows in found.items()}


def _indicator_out(row: dict) -> dict:
    """A realisation row in the dashboard's shape: figures in the indicator's measure."""
    approved = row["approved"]
    return {"indicator_id": row["indicator_id"], "description": row["description"],
            "rhk": row["rhk_description"], "unit": row["unit"], "aspect": row["aspect"].value,
            "measure": row["measure"], "value_unit": row["value_unit"],
            "target_quantity": row["target_quantity"], "approved_quantity": approved["quantity"],
            "approved_value": approved["value"], "approved_count": approved["count"],
            "percent": approved["percent"], "status": approved["status"]}


#: People per page of the team dashboard, by default and at most.
TEAM_PAGE_SIZE = 50
TEAM_PAGE_SIZE_MAX = 200


def team_dashboard(actor: Person, month: date | None = None,
                   now: datetime | None = None, *, page: int = 1,
                   per_page: int = TEAM_PAGE_SIZE) -> dict:
    """The supervisor's dashboard: everyone ``actor`` reviews (their line below, and lines
    they act for), with today's logging, the month's compliance and late submissions,
    realisation per indicator (approved output from 1 January to the end of the month) and
    the reviews waiting. :raise Forbidden: for someone who supervises nobody.

    Today's logging and the reviews waiting are the whole team's; the figures per person
    are for one page of ``per_page`` people by name (page 1 first), so that a line of
    thousands answers as fast as a section of ten.
    """
    if not may_see_team(actor):
        raise Forbidden(_("The dashboard is for supervisors."))
    now = now or utcnow()
    actor_today = local_today(actor.timezone, now)
    month = (month or actor_today).replace(day=1)
    first, following = month_bounds(month)
    people = _team_people(actor)
    pages = max(1, -(-len(people) // per_page))
    shown = people[(page - 1) * per_page:page * per_page]
    ids, shown_ids = [row.id for row in people], [row.id for row in shown]
    zones = {row.timezone for row in people}
    todays = {zone: local_today(zone, now) for zone in zones}
    working = {zone: working_days_so_far(month, todays[zone]) for zone in zones}
    logged_today, days_logged, excused = set(), {}, {}
    for zone in zones:
        logged_today |= set(_days_logged(
            [row.id for row in people if row.timezone == zone], [todays[zone]]))
        in_zone = [row.id for row in shown if row.timezone == zone]
        days_logged.update(_days_logged(in_zone, working[zone]))
        excused.update(excused_unlogged(actor.org_id, working[zone], in_zone))
    counts = _month_counts(shown_ids, first, following)
    waiting, oldest = _waiting(actor.org_id, ids)
    realisation = _realisation(actor.org_id, shown_ids, date(month.year, 1, 1),
                               following - timedelta(days=1))
    rows = []
    for row in shown:
        possible = len(working[row.timezone])
        activities, late = counts.get(row.id, (0, 0))
        logged, away = days_logged.get(row.id, 0), excused.get(row.id, 0)
        rows.append({
            "person": _person_ref(row),
            "today": todays[row.timezone], "logged_today": row.id in logged_today,
            "days_logged": logged, "days_excused": away, "working_days": possible,
            "compliance_percent": percent(logged + away, possible),
            "activities": activities, "late": late, "waiting": waiting.get(row.id, 0),
            "indicators": realisation.get(row.id, [])})
    return {
        "month": first, "today": actor_today,
        "working_days": len(working_days_so_far(month, actor_today)),
        "people": rows,
        "pagination": {"page": page, "per_page": per_page, "total": len(people),
                       "pages": pages},
        "logged_today": [_person_ref(row) for row in people if row.id in logged_today],
        "not_logged_today": [_person_ref(row) for row in people
                             if row.id not in logged_today],
        "reviews": {"waiting": sum(waiting.values()), "oldest": oldest},
    }


def _person_ref(row) -> dict:
    return {"id": row.id, "name": row.name, "jabatan": row.jabatan}


# --- the organisation ---------------------------------------------------------------------

def predikat_period(org_id: int):
    """The organisation's latest evaluation period (by end date) in which someone already
    has a predikat kinerja, or None."""
    from app.evaluations.models import Evaluation, EvaluationPeriod

    return db.session.scalar(
        sa.select(EvaluationPeriod)
        .where(EvaluationPeriod.org_id == org_id,
               sa.exists().where(Evaluation.period_id == EvaluationPeriod.id,
                                 Evaluation.org_id == org_id,
                                 Evaluation.predikat.is_not(None)))
        .order_by(EvaluationPeriod.ends_on.desc(), EvaluationPeriod.is_final.desc(),
                  EvaluationPeriod.id.desc())
        .limit(1))


def predikat_distribution(org_id: int, period_id: int | None = None) -> dict[int, dict]:
    """How many people of each unit got each predikat kinerja in an evaluation period.

    Returns ``{unit_id: {predikat: count}}`` with the five :class:`Predikat` values as keys
    (``"sangat_baik"``, ``"baik"``, ``"butuh_perbaikan"``, ``"kurang_misconduct"``,
    ``"sangat_kurang"``), counting each person in the unit they belong to, for the period
    ``period_id`` (None: :func:`predikat_period`). Units without evaluated people are left
    out. One grouped query, scoped to ``org_id``.
    """
    from app.evaluations.models import Evaluation

    if period_id is None:
        period = predikat_period(org_id)
        if period is None:
            return {}
        period_id = period.id
    rows = db.session.execute(
        sa.select(Person.unit_id, Evaluation.predikat, sa.func.count())
        .join(Person, Person.id == Evaluation.person_id)
        .where(Evaluation.org_id == org_id, Person.org_id == org_id,
               Evaluation.period_id == period_id, Evaluation.predikat.is_not(None))
        .group_by(Person.unit_id, Evaluation.predikat))
    found: dict[int, dict] = {}
    for unit_id, predikat, number in rows:
        counts = found.setdefault(unit_id, {p.value: 0 for p in Predikat})
        counts[Predikat(predikat).value] = int(number)
    return found


def may_see_organisation(actor: Person) -> bool:
    return bool(actor.roles & ORGANISATION_ROLES)


def _tree(units: list, root_id: int | None) -> list[tuple]:
    """(unit, depth) depth-first, children by code; only ``root_id``'s subtree if given."""
    children: dict[int | None, list] = {}
    by_id = {unit.id: unit for unit in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent, []).append(unit)
    ordered = []

    def walk(unit, depth):
        ordered.append((unit, depth))
        for child in sorted(children.get(unit.id, []), key=lambda u: (u.code, u.id)):
            walk(child, depth + 1)

    starts = [by_id[root_id]] if root_id is not None else sorted(
        children.get(None, []), key=lambda u: (u.code, u.id))
    for unit in starts:
        walk(unit, 0)
    return ordered


def _unit_figures(org_id: int, first: date, following: date, working: list[date]) -> dict:
    """Per unit: active people, days logged on working days, activities and late ones.

    Three levels, one statement: the month's activities grouped by (date, person) as the
    index ``ix_activities_org_date_person`` is ordered, then per person, then per unit.
    """
    per_day = (
        sa.select(Activity.person_id.label("person_id"), Activity.date.label("date"),
                  sa.func.count().label("n"), _sum_if(Activity.is_late).label("late"))
        .where(Activity.org_id == org_id, Activity.date >= first, Activity.date < following)
        .group_by(Activity.date, Activity.person_id).subquery("per_day"))
    working_day = per_day.c.date.in_(working) if working else sa.false()
    per_person = (
        sa.select(per_day.c.person_id, _sum_if(working_day).label("days"),
                  sa.func.sum(per_day.c.n).label("n"), sa.func.sum(per_day.c.late).label("late"))
        .group_by(per_day.c.person_id).subquery("per_person"))
    query = (
        sa.select(Person.unit_id, sa.func.count(Person.id).label("people"),
                  sa.func.coalesce(sa.func.sum(per_person.c.days), 0).label("days"),
                  sa.func.coalesce(sa.func.sum(per_person.c.n), 0).label("n"),
                  sa.func.coalesce(sa.func.sum(per_person.c.late), 0).label("late"))
        .select_from(Person).outerjoin(per_person, per_person.c.person_id == Person.id)
        .where(Person.org_id == org_id, Person.active).group_by(Person.unit_id))
    return {row.unit_id: row for row in db.session.execute(query)}


def _figures(people: int, days: int, activities: int, late: int, excused: int,
             working: int) -> dict:
    return {"people": people, "days_logged": days, "days_excused": excused,
            "possible_days": people * working,
            "compliance_percent": percent(days + excused, people * working),
            "activities": activities, "late": late, "late_percent": percent(late, activities)}


def _excused_by_unit(org_id: int, working: list[date]) -> dict[int, int]:
    """Per unit, the working days its active people are excused (absent, nothing logged)."""
    excused = excused_unlogged(org_id, working)
    if not excused:
        return {}
    units: dict[int, int] = {}
    for person_id, unit_id in db.session.execute(
            sa.select(Person.id, Person.unit_id).where(Person.id.in_(list(excused)),
                                                       Person.active)):
        units[unit_id] = units.get(unit_id, 0) + excused[person_id]
    return units


def _survey(skm) -> dict | None:
    if skm is None:
        return None
    return {"responses": skm.responses, "nrr": list(skm.nrr), "skm": skm.skm,
            "value": skm.value, "grade": skm.grade, "performance": skm.performance}


def organisation_dashboard(actor: Person, month: date | None = None,
                           unit_id: int | None = None, now: datetime | None = None) -> dict:
    """Per unit of ``actor``'s organisation (as a tree; ``unit_id``: that unit's subtree):
    the month's compliance and late submissions, each unit alone and with the units below
    it; the citizen survey index (1 January to the end of the month); the predikat
    distribution when evaluations exist.

    Working days so far are counted in the organisation's time zone.
    :raise Forbidden: unless ``actor`` is an admin kepegawaian or pimpinan.
    :raise NotFound: for a unit of another organisation.
    """
    if not may_see_organisation(actor):
        raise Forbidden(_("The organisation dashboard is for HR administrators and the "
                          "head of agency."))
    now = now or utcnow()
    org = db.session.get(Organisation, actor.org_id)
    today = local_today(org.timezone, now)
    month = (month or today).replace(day=1)
    first, following = month_bounds(month)
    units = db.session.execute(
        sa.select(Unit.id, Unit.parent_id, Unit.code, Unit.name)
        .where(Unit.org_id == org.id)).all()
    if unit_id is not None and unit_id not in {unit.id for unit in units}:
        raise NotFound(_("Unit not found."))
    tree = _tree(units, unit_id)
    working = working_days_so_far(month, today)
    figures = _unit_figures(org.id, first, following, working)
    excused = _excused_by_unit(org.id, working)
    last = following - timedelta(days=1)
    survey = citizen.index_by_unit(org.id, date(month.year, 1, 1), last, org.timezone)
    period = predikat_period(org.id)
    predikat = predikat_distribution(org.id, period.id) if period else {}
    own = {}
    for unit, _depth in tree:
        row = figures.get(unit.id)
        own[unit.id] = (row.people, int(row.days), int(row.n), int(row.late),
                        excused.get(unit.id, 0)) if row else (0, 0, 0, 0, 0)
    # Roll each unit's own figures up to its ancestors within the tree shown.
    parent = {unit.id: unit.parent_id for unit, _depth in tree}
    totals = {key: list(value) for key, value in own.items()}
    for unit, _depth in reversed(tree):
        up = parent.get(unit.id)
        if up in totals and unit.id != unit_id:
            totals[up] = [a + b for a, b in zip(totals[up], totals[unit.id], strict=True)]
    rows = [{
        "id": unit.id, "code": unit.code, "name": unit.name, "parent_id": unit.parent_id,
        "depth": depth, **_figures(*own[unit.id], len(working)),
        "with_subunits": _figures(*totals[unit.id], len(working)),
        "survey": _survey(survey.get(unit.id)),
        "predikat": ({p.value: int(predikat[unit.id].get(p.value, 0)) for p in Predikat}
                     if unit.id in predikat else None),
    } for unit, depth in tree]
    everyone = [sum(own[u.id][i] for u, _d in tree) for i in range(5)]
    return {"month": first, "today": today, "working_days": len(working),
            "unit_id": unit_id, "survey_from": date(month.year, 1, 1), "survey_to": last,
            "units": rows, "totals": _figures(*everyone, len(working)),
            "predikat_available": bool(predikat),
            "predikat_period": period.name if period and predikat else None}
