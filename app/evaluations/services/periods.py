"""Evaluation periods: the HR administrator's calendar of periods and their deadlines."""

import logging
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities import deadlines
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.evaluations.labels import MONTHS
from app.evaluations.models import Evaluation, EvaluationPeriod, PeriodKind, UnitPredicate
from app.extensions import db
from app.models import utcnow
from app.org.models import Person, Role

logger = logging.getLogger(__name__)

#: Working days after a period's end until its default batas pengisian.
DEFAULT_DEADLINE_WORKING_DAYS = 5
ROMAN = ("I", "II", "III", "IV")


def _require_admin(actor: Person) -> None:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(_("Only an HR administrator can manage evaluation periods."))


def list_periods(actor: Person, year: int | None = None) -> list[EvaluationPeriod]:
    """The organisation's periods (of ``year``), by start date; the final period last."""
    query = sa.select(EvaluationPeriod).where(EvaluationPeriod.org_id == actor.org_id)
    if year is not None:
        query = query.where(EvaluationPeriod.year == year)
    return list(db.session.scalars(query.order_by(
        EvaluationPeriod.year, EvaluationPeriod.is_final, EvaluationPeriod.starts_on,
        EvaluationPeriod.ends_on.desc(), EvaluationPeriod.id)))


def get_period(actor: Person, period_id: int) -> EvaluationPeriod:
    """:raise NotFound: unless the period is of ``actor``'s organisation."""
    period = db.session.scalar(sa.select(EvaluationPeriod).where(
        EvaluationPeriod.id == period_id, EvaluationPeriod.org_id == actor.org_id))
    if period is None:
        raise NotFound(_("Period not found."))
    return period


def _check_period(org_id: int, values: dict, exclude_id: int | None = None) -> None:
    """start <= end <= deadline; no overlap with another period of the same kind."""
    if values["starts_on"] > values["ends_on"]:
        raise ValidationFailed(fields={"ends_on": _(
            "The end date must not be before the start date.")})
    if values["ends_on"] > values["deadline"]:
        raise ValidationFailed(fields={"deadline": _(
            "The input deadline must not be before the end of the period.")})
    overlap = db.session.scalar(sa.select(EvaluationPeriod).where(
        EvaluationPeriod.org_id == org_id, EvaluationPeriod.kind == values["kind"],
        EvaluationPeriod.id != (exclude_id or 0),
        EvaluationPeriod.starts_on <= values["ends_on"],
        EvaluationPeriod.ends_on >= values["starts_on"]).limit(1))
    if overlap is not None:
        raise ValidationFailed(fields={"starts_on": _(
            "These dates overlap the period %(name)s of the same kind.", name=overlap.name)})


def create_period(actor: Person, *, name: str, kind, starts_on: date, ends_on: date,
                  deadline: date | None = None, year: int | None = None,
                  is_final: bool = False) -> EvaluationPeriod:
    _require_admin(actor)
    values = {"name": name, "kind": PeriodKind(kind), "starts_on": starts_on,
              "ends_on": ends_on, "year": year or starts_on.year, "is_final": is_final,
              "deadline": deadline or deadlines.working_day_after(
                  ends_on, DEFAULT_DEADLINE_WORKING_DAYS)}
    _check_period(actor.org_id, values)
    period = EvaluationPeriod(org_id=actor.org_id, **values)
    db.session.add(period)
    db.session.flush()
    logger.info("Period %s (%s) created by %s", period.id, period.name, actor.id)
    return period


def update_period(actor: Person, period_id: int, **changes) -> EvaluationPeriod:
    period = get_period(actor, period_id)
    _require_admin(actor)
    values = {key: getattr(period, key) for key in
              ("name", "kind", "starts_on", "ends_on", "deadline", "year", "is_final")}
    values.update({key: value for key, value in changes.items() if value is not None})
    values["kind"] = PeriodKind(values["kind"])
    _check_period(actor.org_id, values, exclude_id=period.id)
    for key, value in values.items():
        setattr(period, key, value)
    db.session.flush()
    return period


def delete_period(actor: Person, period_id: int) -> None:
    """:raise Conflict: once evaluations exist for the period."""
    period = get_period(actor, period_id)
    _require_admin(actor)
    used = db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)
                             .where(Evaluation.period_id == period.id))
    if used:
        raise Conflict(_("This period already has evaluations and cannot be deleted."),
                       code="period_in_use")
    db.session.execute(sa.delete(UnitPredicate).where(UnitPredicate.period_id == period.id))
    db.session.delete(period)
    db.session.flush()


def standard_periods(year: int, kind) -> list[dict]:
    """The standard set of ``kind`` for ``year`` plus the annual final period."""
    kind = PeriodKind(kind)

    def span(first_month: int, months: int) -> tuple[date, date]:
        start = date(year, first_month, 1)
        last = first_month + months
        end = (date(year + 1, 1, 1) if last > 12 else date(year, last, 1)) - timedelta(days=1)
        return start, end

    rows = []
    if kind is PeriodKind.MONTHLY:
        rows = [(f"{MONTHS[m - 1]} {year}", *span(m, 1)) for m in range(1, 13)]
    elif kind is PeriodKind.QUARTERLY:
        rows = [(f"Triwulan {ROMAN[q]} {year}", *span(1 + 3 * q, 3)) for q in range(4)]
    elif kind is PeriodKind.SEMESTER:
        rows = [(f"Semester {ROMAN[s]} {year}", *span(1 + 6 * s, 6)) for s in range(2)]
    periods = [{"name": name, "kind": kind, "starts_on": start, "ends_on": end,
                "is_final": False} for name, start, end in rows]
    periods.append({"name": f"Tahunan {year}", "kind": PeriodKind.ANNUAL,
                    "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31),
                    "is_final": True})
    for period in periods:
        period["year"] = year
        period["deadline"] = deadlines.working_day_after(period["ends_on"],
                                                         DEFAULT_DEADLINE_WORKING_DAYS)
    return periods


def generate_periods(actor: Person, year: int, kind) -> list[EvaluationPeriod]:
    """Create the standard periods of ``year``; those overlapping an existing period of the
    same kind are skipped, so generating twice creates nothing more."""
    _require_admin(actor)
    created = []
    for values in standard_periods(year, kind):
        try:
            _check_period(actor.org_id, values)
        except ValidationFailed:
            continue
        period = EvaluationPeriod(org_id=actor.org_id, **values)
        db.session.add(period)
        db.session.flush()
        created.append(period)
    logger.info("%s periods of %s generated by %s", len(created), year, actor.id)
    return created


def deadline_passed(person: Person, period: EvaluationPeriod, now: datetime | None = None
                    ) -> bool:
    """Input is allowed until 23:59 of the deadline, local to the person's unit."""
    return deadlines.local_today(person, now or utcnow()) > period.deadline
