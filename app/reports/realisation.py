"""Realisation per indicator, by aspect: the one computation every page and document uses.

PermenPANRB 6/2022 measures an RHK on up to three aspects, each with its own indicator (IKI):

- *Kuantitas* (and *Biaya*): the sum of the quantities logged against the indicator, in its
  unit, against its target (a value, or a range whose lower end must be reached).
- *Kualitas*: the supervisor's quality mark (1-4) on each approved activity that serves the
  RHK, averaged and converted to a percentage (mark x 25, as the SKM converts its 1-4 scale),
  against the target percentage.
- *Waktu*: the share of the RHK's approved outputs finished by their due date (the period
  target's due date, else the indicator's), against the target percentage.

An indicator whose yearly target is split over quarters or months is compared, for any
period, with the share of the split that falls in it. docs/realisation.md says why.

Four queries whatever the number of people, indicators or activities: the indicators, their
period targets, the activities summed per indicator, the outputs counted against due dates.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.activities.models import Activity, ActivityStatus
from app.extensions import db
from app.targets.models import Aspect, Indicator, PeriodTarget, Rhk, RhkKind, Skp

PERCENT_STEP = Decimal("0.1")
CENT = Decimal("0.01")
QUANTITY = sa.Numeric(14, 2)
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
#: The quality mark's scale: 1 (below standard) to 4 (fully to standard); 4 is 100 %.
MARK_MIN, MARK_MAX = 1, 4
MARK_PERCENT = HUNDRED / MARK_MAX
#: Units that say a Kualitas or Waktu target is already a percentage.
PERCENT_UNITS = {"%", "persen", "percent", "prosentase", "persentase"}

#: What each aspect measures: a quantity, a mark average, or a share on time.
MEASURES = {Aspect.KUANTITAS: "quantity", Aspect.BIAYA: "quantity",
            Aspect.KUALITAS: "quality", Aspect.WAKTU: "timeliness"}

#: RHK utama before tambahan (alphabetical order would put tambahan first).
RHK_ORDER = sa.case((Rhk.kind == RhkKind.UTAMA, 0), else_=1)


def decimal(value) -> Decimal:
    """SQL sums as Decimal with two places (SQLite sums NUMERIC as float)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def percent_of(value: Decimal, target: Decimal | None) -> Decimal | None:
    """``value`` as a percentage of ``target``, one decimal, not capped; None without target."""
    if target is None or target <= 0:
        return None
    return (value * 100 / target).quantize(PERCENT_STEP, ROUND_HALF_UP)


def _sum_if(condition, value):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


# --- the targets of a period -------------------------------------------------------------

def _days(first: date, last: date) -> int:
    return max((last - first).days + 1, 0)


def period_target(indicator, parts: list, start: date, end: date) -> tuple:
    """The (low, high) target of ``indicator`` for ``start``..``end``.

    Without a split: the yearly target. With one, each part counts for the share of its days
    inside the period: quantities are summed (a quarter's part is the quarter's target, half
    of it is half), percentages are averaged over the days covered.
    """
    covered = [(part, _days(max(part.starts_on, start), min(part.ends_on, end)))
               for part in parts]
    covered = [(part, days) for part, days in covered if days > 0]
    if not covered:
        return indicator.target_min, indicator.target_max
    if MEASURES[indicator.aspect] == "quantity":
        value = sum((Decimal(part.target) * days / _days(part.starts_on, part.ends_on)
                     for part, days in covered), ZERO)
    else:
        value = (sum((Decimal(part.target) * days for part, days in covered), ZERO)
                 / sum(days for _part, days in covered))
    return value.quantize(CENT, ROUND_HALF_UP), None


def _percentage_target(indicator, low, high) -> tuple:
    """Kualitas and Waktu compare percentages: the target as written when its unit is a
    percentage, else full quality / everything on time (100 %)."""
    if low is not None and (indicator.unit or "").strip().lower() in PERCENT_UNITS:
        return low, high
    return HUNDRED, None


def judge(value: Decimal | None, low, high) -> dict:
    """Percent of the target (of a range's upper end, as the recaps always printed it) and
    below / meets / above: inside a range meets it."""
    if value is None:
        return {"value": None, "percent": None, "status": None, "above_target": False}
    low = None if low is None else Decimal(low)
    high = None if high is None else Decimal(high)
    ceiling = high if high is not None else low
    if low is None or low <= 0:
        status = None
    elif ceiling is not None and value > ceiling:
        status = "above"
    elif value >= low:
        status = "meets"
    else:
        status = "below"
    return {"value": value, "percent": percent_of(value, ceiling), "status": status,
            "above_target": status == "above"}


# --- the queries -------------------------------------------------------------------------

def _indicators(person_ids: list[int], start: date, end: date, org_id: int | None):
    query = (
        sa.select(Indicator, Rhk.kind.label("rhk_kind"), Rhk.description.label("rhk_text"),
                  Rhk.parent_rhk_id, Skp.person_id, Skp.year, Skp.id.label("skp_id"))
        .join(Rhk, Indicator.rhk_id == Rhk.id)
        .join(Skp, Rhk.skp_id == Skp.id)
        .where(Skp.person_id.in_(person_ids), Skp.year.between(start.year, end.year))
        .order_by(Skp.person_id, Skp.year, RHK_ORDER, Rhk.position, Rhk.id,
                  Indicator.position, Indicator.id))
    if org_id is not None:
        query = query.where(Skp.org_id == org_id)
    return db.session.execute(query).all()


def _parts(indicator_ids: list[int], start: date, end: date) -> dict[int, list]:
    if not indicator_ids:
        return {}
    parts: dict[int, list] = {}
    for part in db.session.scalars(sa.select(PeriodTarget).where(
            PeriodTarget.indicator_id.in_(indicator_ids),
            PeriodTarget.starts_on <= end, PeriodTarget.ends_on >= start)):
        parts.setdefault(part.indicator_id, []).append(part)
    return parts


def _in_period(person_ids: list[int], start: date, end: date) -> list:
    return [Activity.person_id.in_(person_ids), Activity.date >= start,
            Activity.date <= end, Activity.target_id.is_not(None)]


def _sums(person_ids: list[int], start: date, end: date) -> dict[int, sa.Row]:
    """Per indicator served: quantities and counts by status, and the approved marks."""
    approved = Activity.status == ActivityStatus.APPROVED
    submitted = Activity.status == ActivityStatus.SUBMITTED
    quantity = sa.func.coalesce(Activity.quantity, 0)
    marked = sa.and_(approved, Activity.quality.is_not(None))
    query = (
        sa.select(
            Activity.target_id,
            sa.type_coerce(_sum_if(approved, quantity), QUANTITY).label("approved_quantity"),
            _sum_if(approved, 1).label("approved_count"),
            sa.type_coerce(_sum_if(submitted, quantity), QUANTITY).label("submitted_quantity"),
            _sum_if(submitted, 1).label("submitted_count"),
            _sum_if(marked, Activity.quality).label("mark_total"),
            _sum_if(marked, 1).label("marked"))
        .where(*_in_period(person_ids, start, end),
               Activity.status.in_([ActivityStatus.APPROVED, ActivityStatus.SUBMITTED]))
        .group_by(Activity.target_id))
    return {row.target_id: row for row in db.session.execute(query)}


def _timeliness(person_ids: list[int], start: date, end: date) -> dict[int, sa.Row]:
    """Per Waktu indicator: the RHK's approved outputs with a due date, and those on time.

    An output's due date is the one of the period part its date falls in, else the
    indicator's; outputs with neither are not judged.
    """
    served, waktu = so.aliased(Indicator), so.aliased(Indicator)
    part = so.aliased(PeriodTarget)
    due = sa.func.coalesce(part.due_date, waktu.due_date)
    query = (
        sa.select(waktu.id, sa.func.count().label("outputs"),
                  _sum_if(Activity.date <= due, 1).label("on_time"))
        .select_from(Activity)
        .join(served, served.id == Activity.target_id)
        .join(waktu, sa.and_(waktu.rhk_id == served.rhk_id, waktu.aspect == Aspect.WAKTU))
        .outerjoin(part, sa.and_(part.indicator_id == waktu.id,
                                 Activity.date.between(part.starts_on, part.ends_on)))
        .where(*_in_period(person_ids, start, end),
               Activity.status == ActivityStatus.APPROVED, due.is_not(None))
        .group_by(waktu.id))
    return {row.id: row for row in db.session.execute(query)}


# --- putting it together -----------------------------------------------------------------

def _rhk_marks(rows, sums) -> dict[int, tuple[int, int, int, int]]:
    """Per RHK: approved activities, their mark total and count, submitted activities."""
    totals: dict[int, list[int]] = {}
    for row in rows:
        found = sums.get(row.Indicator.id)
        entry = totals.setdefault(row.Indicator.rhk_id, [0, 0, 0, 0])
        if found is not None:
            entry[0] += int(found.approved_count)
            entry[1] += int(found.mark_total)
            entry[2] += int(found.marked)
            entry[3] += int(found.submitted_count)
    return {key: tuple(value) for key, value in totals.items()}


def _quantity_block(found, status: str, low, high) -> dict:
    quantity = decimal(getattr(found, f"{status}_quantity", None))
    count = int(getattr(found, f"{status}_count", 0) or 0)
    return {"quantity": quantity, "count": count, **judge(quantity, low, high)}


def _aspect_blocks(indicator, found, marks, timely, low, high) -> dict:
    """The approved and submitted realisation in the indicator's own measure."""
    measure = MEASURES[indicator.aspect]
    if measure == "quantity":
        return {"approved": _quantity_block(found, "approved", low, high),
                "submitted": _quantity_block(found, "submitted", low, high),
                "quality": None, "timeliness": None}
    low, high = _percentage_target(indicator, low, high)
    approved_count, mark_total, marked, submitted_count = marks
    if measure == "quality":
        average = (Decimal(mark_total) / marked).quantize(CENT, ROUND_HALF_UP) if marked \
            else None
        value = (Decimal(mark_total) * MARK_PERCENT / marked).quantize(
            PERCENT_STEP, ROUND_HALF_UP) if marked else None
        details = {"quality": {"marked": marked, "average_mark": average},
                   "timeliness": None}
    else:
        outputs = int(timely.outputs) if timely is not None else 0
        on_time = int(timely.on_time) if timely is not None else 0
        value = percent_of(Decimal(on_time), Decimal(outputs)) if outputs else None
        details = {"quality": None, "timeliness": {
            "outputs": outputs, "on_time": on_time, "late": outputs - on_time,
            "due_date": indicator.due_date}}
    unjudged = judge(None, low, high)
    return {"approved": {"quantity": value if value is not None else ZERO,
                         "count": approved_count, **judge(value, low, high)},
            "submitted": {"quantity": ZERO, "count": submitted_count, **unjudged},
            "target_min": low, "target_max": high, **details}


def realisation(person_ids: list[int], start: date, end: date, *,
                org_id: int | None = None) -> dict[int, list[dict]]:
    """Per person, every indicator of their SKP(s) of the period with its realisation
    between ``start`` and ``end`` inclusive. Drafts and returned activities never count.

    Each row::

        {"indicator_id", "skp_id", "year", "rhk_id", "rhk_kind", "rhk_description",
         "parent_rhk_id", "aspect", "measure": "quantity" | "quality" | "timeliness",
         "description", "unit", "value_unit", "target_min", "target_max", "target_quantity",
         "split": "quarter" | "month" | None,
         "approved":  {"quantity", "count", "value", "percent", "status", "above_target"},
         "submitted": {... the same; Kualitas and Waktu judge approved work only},
         "quality": {"marked", "average_mark"} | None,
         "timeliness": {"outputs", "on_time", "late", "due_date"} | None}

    ``target_*`` are the period's target (a split prorated, see :func:`period_target`);
    ``value`` is the realisation in the measure (quantity, quality %, on-time %), None when
    nothing can be judged yet; ``percent`` is value against the target (a range's upper
    end), not capped; ``status`` is below, meets or above (above the upper end of a range).
    """
    person_ids = list(person_ids)
    if not person_ids:
        return {}
    rows = _indicators(person_ids, start, end, org_id)
    parts = _parts([row.Indicator.id for row in rows], start, end)
    sums = _sums(person_ids, start, end)
    marks = _rhk_marks(rows, sums)
    timely = _timeliness(person_ids, start, end) if any(
        row.Indicator.aspect == Aspect.WAKTU for row in rows) else {}
    result: dict[int, list[dict]] = {}
    for row in rows:
        indicator = row.Indicator
        own_parts = parts.get(indicator.id, [])
        low, high = period_target(indicator, own_parts, start, end)
        entry = {
            "indicator_id": indicator.id, "skp_id": row.skp_id, "year": row.year,
            "rhk_id": indicator.rhk_id, "rhk_kind": row.rhk_kind,
            "rhk_description": row.rhk_text, "parent_rhk_id": row.parent_rhk_id,
            "aspect": indicator.aspect, "measure": MEASURES[indicator.aspect],
            "description": indicator.description, "unit": indicator.unit,
            "target_min": low, "target_max": high,
            "split": own_parts[0].kind.value if own_parts else None,
            # What the figures are in: the indicator's unit, or % for quality and time.
            "value_unit": indicator.unit if MEASURES[indicator.aspect] == "quantity" else "%",
        }
        entry.update(_aspect_blocks(indicator, sums.get(indicator.id),
                                    marks.get(indicator.rhk_id, (0, 0, 0, 0)),
                                    timely.get(indicator.id), low, high))
        entry["target_quantity"] = (entry["target_max"] if entry["target_max"] is not None
                                    else entry["target_min"])
        result.setdefault(row.person_id, []).append(entry)
    return result


def expected_share(start: date, end: date, today: date) -> Decimal:
    """How much of a period's quantity should be done by ``today`` (0-100), pro rata."""
    if today >= end:
        return HUNDRED
    if today < start:
        return ZERO
    return (HUNDRED * _days(start, today) / _days(start, end)).quantize(PERCENT_STEP)


def on_track(row: dict, share: Decimal) -> bool | None:
    """Whether an indicator is on track: a quantity at least ``share`` % of its target, a
    quality or timeliness meeting its target. None when nothing can be judged yet."""
    approved = row["approved"]
    if approved["percent"] is None:
        return None
    if row["measure"] == "quantity":
        return approved["value"] >= Decimal(row["target_min"]) * share / HUNDRED
    return approved["status"] in ("meets", "above")
