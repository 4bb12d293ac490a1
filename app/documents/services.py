"""What the documents show, gathered from the database, scoped to who asks.

Each builder returns plain data (dicts and lists) that the PDF and XLSX writers print; the
writers never query. Access follows the reports: a person, their supervisor line, admins and
the head of agency of the same organisation (:func:`app.reports.services.reportable_person`).
"""

from datetime import date, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _

from app.activities.models import Activity, ActivityStatus
from app.errors import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.org.models import Person, Role, Unit
from app.reminders.services import Calendar
from app.reports import services as reports
from app.reports.services import month_bounds
from app.targets.models import Indicator

#: Longest date range of one e-Kinerja export.
MAX_RANGE_DAYS = 366


def _last_day(month: date) -> date:
    return month_bounds(month)[1] - timedelta(days=1)


def signing_date(person: Person, month: date) -> date:
    """The date under the signatures: the month's last day, or today while it runs."""
    return min(_last_day(month), reports.local_today(person))


def late_counts(person_ids: list[int], start: date, end: date) -> dict[int, int]:
    """Late submissions (``Activity.is_late``) per person in [start, end)."""
    if not person_ids:
        return {}
    rows = db.session.execute(
        sa.select(Activity.person_id, sa.func.count(Activity.id))
        .where(Activity.person_id.in_(person_ids), Activity.date >= start,
               Activity.date < end, Activity.is_late.is_(True))
        .group_by(Activity.person_id))
    return {person_id: count for person_id, count in rows.all()}


# --- one person's month ----------------------------------------------------------------------

def month_activities(person: Person, start: date, end: date) -> list[Activity]:
    return list(db.session.scalars(
        sa.select(Activity)
        .where(Activity.org_id == person.org_id, Activity.person_id == person.id,
               Activity.date >= start, Activity.date < end)
        .options(so.selectinload(Activity.target).selectinload(Indicator.rhk))
        .order_by(Activity.date, Activity.start_time, Activity.created_at, Activity.id)))


def rhk_label(activity: Activity) -> str:
    if activity.target is None:
        return ""
    return f"{activity.target.rhk.description} / {activity.target.description}"


def monthly_report(actor: Person, person_id: int | None, month: date) -> dict:
    """Everything the monthly report prints: header, activities, summary, signatures.

    :raise NotFound: when ``actor`` may not see the person's reports.
    """
    person = reportable_person(actor, person_id)
    start, end = month_bounds(month)
    calendar = Calendar(person.org_id)
    return {
        "organisation": person.organisation.name,
        "person": person,
        "supervisor": person.supervisor,
        "month": start,
        "timezone": person.timezone,
        "activities": month_activities(person, start, end),
        "recap": reports.monthly_recap(person, start),
        "progress": reports.progress_for(person, start, _last_day(start)),
        "working_days": len(calendar.working_days(start, _last_day(start))),
        "late": late_counts([person.id], start, end).get(person.id, 0),
        "signed_on": signing_date(person, start),
    }


def reportable_person(actor: Person, person_id: int | None) -> Person:
    return reports.reportable_person(actor, person_id)


def outputs_by_rhk(outputs: list[dict]) -> list[dict]:
    """The recap's outputs per RHK: quantities summed per unit; a Kualitas or Waktu
    percentage is never added to anything, it stays on a line of its own."""
    grouped: dict[tuple, dict] = {}
    for row in outputs:
        quantity = row["measure"] == "quantity"
        key = (row["rhk_id"], row["unit"]) if quantity else (row["rhk_id"], row["indicator_id"])
        entry = grouped.get(key)
        if entry is None:
            grouped[key] = {name: row[name] for name in (
                "rhk_id", "rhk_kind", "rhk_description", "unit", "value_unit", "measure",
                "count", "quantity", "approved_quantity")}
            continue
        for name in ("count", "quantity", "approved_quantity"):
            entry[name] += row[name]
    return list(grouped.values())


# --- a supervisor's team, a unit -------------------------------------------------------------

def team_recap(actor: Person, month: date) -> dict:
    """Everyone below ``actor`` in their line: the month's recap, working days, late ones."""
    start, end = month_bounds(month)
    people = reports.team_monthly_recap(actor, start)
    late = late_counts([row["person"]["id"] for row in people], start, end)
    for row in people:
        row["late"] = late.get(row["person"]["id"], 0)
    return {"organisation": actor.organisation.name, "supervisor": actor, "month": start,
            "working_days": len(Calendar(actor.org_id).working_days(start, _last_day(start))),
            "people": people}


def require_unit_recap_role(actor: Person) -> None:
    """:raise Forbidden: unless ``actor`` may export unit recaps at all."""
    if not actor.roles & {Role.ADMIN, Role.PIMPINAN}:
        raise Forbidden(_("Only HR administrators and the head of agency export unit "
                          "recaps."))


def check_unit_access(actor: Person, unit_id: int) -> Unit:
    """The unit, for admins and the head of agency of its organisation.

    :raise Forbidden: for anyone else; :raise NotFound: for another organisation's unit.
    """
    require_unit_recap_role(actor)
    unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id,
                                                   Unit.org_id == actor.org_id))
    if unit is None:
        raise NotFound(_("Unit not found."))
    return unit


def recaps_for(org_id: int, ids: list[int], month: date) -> list[dict]:
    """:func:`app.reports.services.monthly_recap` for many people: two grouped queries."""
    return reports._recaps(org_id, Person.id.in_(ids), month)


def unit_ids_below(unit: Unit) -> list[int]:
    """The unit and all its sub-units."""
    tree = (sa.select(Unit.id.label("id")).where(Unit.id == unit.id)
            .cte("unit_tree", recursive=True))
    tree = tree.union_all(sa.select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
    return list(db.session.scalars(sa.select(tree.c.id)))


def unit_recap(actor: Person, unit_id: int, month: date, progress=None) -> dict:
    """Every active person of a unit and its sub-units: the month's recap and, per day,
    who logged anything. ``progress(percent)`` is told how far it got."""
    progress = progress or (lambda percent: None)
    unit = check_unit_access(actor, unit_id)
    start, end = month_bounds(month)
    units = unit_ids_below(unit)
    ids = list(db.session.scalars(sa.select(Person.id).where(
        Person.org_id == actor.org_id, Person.unit_id.in_(units), Person.active)))
    progress(10)
    people = recaps_for(actor.org_id, ids, start) if ids else []
    progress(40)
    late = late_counts(ids, start, end)
    unit_names = dict(db.session.execute(
        sa.select(Person.id, Unit.name).join(Unit, Person.unit_id == Unit.id)
        .where(Person.id.in_(ids))).all()) if ids else {}
    for row in people:
        row["late"] = late.get(row["person"]["id"], 0)
        row["unit"] = unit_names.get(row["person"]["id"], "")
    logged = {(person_id, day) for person_id, day in db.session.execute(
        sa.select(Activity.person_id, Activity.date)
        .where(Activity.person_id.in_(ids), Activity.date >= start, Activity.date < end)
        .distinct())} if ids else set()
    progress(60)
    calendar = Calendar(actor.org_id)
    days = [start + timedelta(days=n) for n in range((end - start).days)]
    return {"organisation": actor.organisation.name, "unit": unit, "month": start,
            "days": days, "working": {day for day in days if calendar.is_working(day)},
            "working_days": len([day for day in days if calendar.is_working(day)]),
            "people": people, "logged": logged}


# --- e-Kinerja daily progress ---------------------------------------------------------------

def check_range(start: date, end: date) -> None:
    if start > end:
        raise ValidationFailed(fields={"to": _("The end date must not be before the start "
                                               "date.")})
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(fields={"to": _("Export at most one year at a time.")})


def ekinerja_activities(person: Person, start: date, end: date,
                        include_submitted: bool) -> sa.Select:
    statuses = [ActivityStatus.APPROVED]
    if include_submitted:
        statuses.append(ActivityStatus.SUBMITTED)
    return (sa.select(Activity)
            .where(Activity.org_id == person.org_id, Activity.person_id == person.id,
                   Activity.date >= start, Activity.date <= end,
                   Activity.status.in_(statuses))
            .options(so.selectinload(Activity.target).selectinload(Indicator.rhk))
            .order_by(Activity.date, Activity.start_time, Activity.created_at, Activity.id))


def count_rows(query: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        query.options().order_by(None).subquery()))


class Links:
    """Absolute URLs to an activity's page and its evidence, outside a request too."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.adapter = current_app.url_map.bind(
            parts.netloc or "localhost", script_name=parts.path.rstrip("/") or "/",
            url_scheme=parts.scheme or "http")

    def build(self, endpoint: str, **values) -> str:
        return self.adapter.build(endpoint, values, force_external=True)

    def evidence(self, activity: Activity) -> str:
        """The first evidence's link or file URL; the activity's page when there is none."""
        for attachment in activity.attachments:
            if attachment.url:
                return attachment.url
            if attachment.storage_key:
                return self.build("activities_api.download_attachment",
                                  attachment_id=attachment.id)
        return self.build("activities.detail", activity_id=activity.id)


def ekinerja_rows(actor: Person, person_id: int | None, start: date, end: date,
                  include_submitted: bool, base_url: str) -> dict:
    """One row per activity: date, description, evidence link, RHK, status."""
    person = reportable_person(actor, person_id)
    check_range(start, end)
    links = Links(base_url)
    rows = [{"date": activity.date, "description": activity.description,
             "evidence": links.evidence(activity), "rhk": rhk_label(activity),
             "status": activity.status}
            for activity in db.session.scalars(
                ekinerja_activities(person, start, end, include_submitted))]
    return {"person": person, "from": start, "to": end, "rows": rows}
