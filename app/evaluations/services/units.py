"""Unit predicates (predikat kinerja organisasi) and the distribution of the predikat
against the pattern they set (SE MenPANRB 3/2023)."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.audit import services as audit
from app.errors import Forbidden, NotFound
from app.evaluations import rules
from app.evaluations.labels import ORG_PREDIKAT_LABELS, PREDIKAT_LABELS
from app.evaluations.models import Evaluation, EvaluationStatus, UnitPredicate
from app.evaluations.rules import OrgPredikat, Predikat
from app.evaluations.services.common import appraisees, is_admin, oversees_org
from app.evaluations.services.periods import get_period
from app.extensions import db
from app.models import utcnow
from app.org.models import Person, Unit

# --- unit predicates -----------------------------------------------------------------------

def unit_predicate(unit_id: int, period_id: int) -> UnitPredicate | None:
    return db.session.scalar(sa.select(UnitPredicate).where(
        UnitPredicate.unit_id == unit_id, UnitPredicate.period_id == period_id))


def unit_head(unit: Unit) -> Person | None:
    """Who leads the unit: its member whose supervisor is outside it (or who has none)."""
    boss = sa.orm.aliased(Person)
    return db.session.scalar(
        sa.select(Person).outerjoin(boss, Person.supervisor_id == boss.id)
        .where(Person.unit_id == unit.id, Person.active,
               sa.or_(Person.supervisor_id.is_(None), boss.unit_id != unit.id))
        .order_by(Person.supervisor_id.is_not(None), Person.id).limit(1))


def may_set_unit_predicate(actor: Person, unit: Unit) -> bool:
    """An HR administrator, or the next-higher leader: the supervisor of the unit's head."""
    if actor.org_id != unit.org_id:
        return False
    if is_admin(actor):
        return True
    head = unit_head(unit)
    return head is not None and head.supervisor_id == actor.id


def unit_predicates(actor: Person, period_id: int) -> list[dict]:
    """Every unit of the organisation with its predicate for the period (or None)."""
    period = get_period(actor, period_id)
    units = list(db.session.scalars(sa.select(Unit).where(Unit.org_id == actor.org_id)
                                    .order_by(Unit.code)))
    found = {row.unit_id: row for row in db.session.scalars(sa.select(UnitPredicate).where(
        UnitPredicate.period_id == period.id))}
    return [{"unit": unit, "period_id": period.id,
             "predikat": found[unit.id].predikat if unit.id in found else None,
             "can_set": may_set_unit_predicate(actor, unit)} for unit in units]


def set_unit_predicate(actor: Person, period_id: int, unit_id: int, predikat) -> UnitPredicate:
    period = get_period(actor, period_id)
    unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id,
                                                   Unit.org_id == actor.org_id))
    if unit is None:
        raise NotFound(_("Unit not found."))
    if not may_set_unit_predicate(actor, unit):
        raise Forbidden(_("Only the next-higher leader or an HR administrator sets this "
                          "unit's predicate."))
    row = unit_predicate(unit.id, period.id)
    old = row.predikat if row else None
    if row is None:
        row = UnitPredicate(org_id=actor.org_id, unit_id=unit.id, period_id=period.id)
        db.session.add(row)
    row.predikat = OrgPredikat(predikat)
    row.set_by_id = actor.id
    row.set_at = utcnow()
    db.session.flush()
    head = unit_head(unit)
    audit.record(actor.org_id, head.id if head else actor.id, actor.id, "unit_predicate",
                 row.id, "set", {"unit_id": unit.id, "period_id": period.id,
                                 "predikat": [audit.plain(old), row.predikat.value]})
    return row


# --- distribution --------------------------------------------------------------------------

def percent(share: Decimal) -> str:
    return f"{format_decimal(share * 100, format='#,##0.#')}\u00a0%"


def explain(warning: rules.DistributionWarning) -> str:
    """A distribution warning in plain words: "Sangat Baik 80 % — paling banyak 70 %"."""
    names = " + ".join(str(PREDIKAT_LABELS[p]) for p in warning.predikat)
    actual, limit = percent(warning.actual), percent(warning.limit)
    if warning.code.startswith("most_"):
        return _("%(names)s should be the largest group (now %(actual)s).", names=names,
                 actual=actual)
    if warning.code == "min_butuh_perbaikan_or_kurang":
        return _("%(names)s: there must be some (now none).", names=names)
    if warning.is_minimum:
        return _("%(names)s %(actual)s — at least %(limit)s.", names=names, actual=actual,
                 limit=limit)
    if warning.limit == 0:
        return _("%(names)s %(actual)s — none allowed.", names=names, actual=actual)
    return _("%(names)s %(actual)s — at most %(limit)s.", names=names, actual=actual,
             limit=limit)


def _pattern(unit: Unit, period_id: int) -> tuple[OrgPredikat | None, Unit | None]:
    """The predicate of ``unit`` for the period, else of its nearest ancestor that has one."""
    for candidate in reversed(unit.path()):
        row = unit_predicate(candidate.id, period_id)
        if row is not None:
            return row.predikat, candidate
    return None, None


def _subtree(unit: Unit) -> list[int]:
    units = list(db.session.scalars(sa.select(Unit).where(Unit.org_id == unit.org_id)))
    return [u.id for u in units if unit in u.path()]


def distribution(actor: Person, period_id: int, unit_id: int | None = None) -> dict:
    """Counts and shares of each predikat among the assessed people against the pattern.

    Without ``unit_id``: the people ``actor`` assesses, against the predicate of ``actor``'s
    unit (or the nearest above). With it: the people of that unit and the units below it, its
    head excepted (admins and the head of agency: any unit; otherwise the unit's head or the
    leader who sets its predicate).
    """
    period = get_period(actor, period_id)
    if unit_id is None:
        unit = actor.unit
        person_ids = [p.id for p in appraisees(actor)]
    else:
        unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id,
                                                       Unit.org_id == actor.org_id))
        if unit is None:
            raise NotFound(_("Unit not found."))
        head = unit_head(unit)
        if not (oversees_org(actor) or (head is not None and head.id == actor.id)
                or may_set_unit_predicate(actor, unit)):
            raise Forbidden(_("You may see the distribution of your own team or unit only."))
        person_ids = list(db.session.scalars(sa.select(Person.id).where(
            Person.unit_id.in_(_subtree(unit)), Person.id != (head.id if head else 0))))
    predicates = list(db.session.scalars(sa.select(Evaluation.predikat).where(
        Evaluation.period_id == period.id, Evaluation.person_id.in_(person_ids),
        Evaluation.status.in_([EvaluationStatus.ASSESSED, EvaluationStatus.ACKNOWLEDGED]),
        Evaluation.predikat.is_not(None)))) if person_ids else []
    pattern, pattern_unit = _pattern(unit, period.id)
    total = len(predicates)
    counts = []
    for kind in Predikat:
        count = sum(1 for p in predicates if p is kind)
        share = (Decimal(count) / total).quantize(Decimal("0.0001")) if total else Decimal(0)
        counts.append({"predikat": kind, "label": str(PREDIKAT_LABELS[kind]), "count": count,
                       "share": share, "percent": percent(share)})
    warnings = [{"code": w.code, "predikat": list(w.predikat), "limit": w.limit,
                 "actual": w.actual, "message": explain(w)}
                for w in (rules.distribution_warnings(pattern, predicates) if pattern else [])]
    return {"period": period, "unit": unit if unit_id is not None else None,
            "scope": "unit" if unit_id is not None else "team",
            "pattern": pattern, "pattern_label": str(ORG_PREDIKAT_LABELS[pattern])
            if pattern else None, "pattern_unit": pattern_unit,
            "people": len(person_ids), "total": total, "counts": counts,
            "warnings": warnings}
