"""An indicator's yearly target split over the four quarters (triwulan I-IV) or the months.

BKN e-Kinerja evaluates per triwulan: a quarter's progress must be compared with what was
planned for that quarter, not with the whole year. The split is part of the SKP: it changes
only while the SKP can be edited, raises its version and is audited like the rest.
"""

import calendar
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from app.errors import ValidationFailed
from app.org.models import Person
from app.targets import services
from app.targets.models import Aspect, Indicator, PeriodKind, PeriodTarget

#: How many parts each kind has, and how many months each part spans.
PARTS = {PeriodKind.QUARTER: (4, 3), PeriodKind.MONTH: (12, 1)}


def span(year: int, kind: PeriodKind, number: int) -> tuple[date, date]:
    """First and last day of quarter or month ``number`` of ``year``."""
    months = PARTS[kind][1]
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return (date(year, first_month, 1),
            date(year, last_month, calendar.monthrange(year, last_month)[1]))


def _check(indicator: Indicator, kind: PeriodKind, parts: list[dict]) -> None:
    """Every part once, in range; a Kuantitas split adds up to the yearly target's lower end
    (a split that does not add up would quietly change the SKP's target)."""
    count = PARTS[kind][0]
    numbers = [part["number"] for part in parts]
    errors = {}
    if sorted(numbers) != list(range(1, count + 1)):
        errors["parts"] = (_("Give a target for each of the four quarters.")
                           if kind is PeriodKind.QUARTER else
                           _("Give a target for each of the twelve months."))
    elif indicator.aspect in (Aspect.KUANTITAS, Aspect.BIAYA) \
            and indicator.target_min is not None:
        total = sum((Decimal(part["target"]) for part in parts), Decimal(0))
        if total != Decimal(indicator.target_min):
            errors["parts"] = _("The parts add up to %(total)s; the yearly target is "
                                "%(target)s.", total=total, target=indicator.target_min)
    if errors:
        raise ValidationFailed(fields=errors)


def set_split(actor: Person, indicator: Indicator, version: int, kind: str | None,
              parts: list[dict]) -> Indicator:
    """Replace the indicator's split (``kind`` None or no parts: one yearly target again)."""
    skp = indicator.rhk.skp
    services.require_editable(actor, skp, version)
    old = [[part.number, str(part.target), part.due_date and part.due_date.isoformat()]
           for part in indicator.period_targets]
    new_parts = []
    if kind and parts:
        kind = PeriodKind(kind)
        _check(indicator, kind, parts)
        for part in sorted(parts, key=lambda item: item["number"]):
            starts_on, ends_on = span(skp.year, kind, part["number"])
            new_parts.append(PeriodTarget(kind=kind, number=part["number"],
                                          starts_on=starts_on, ends_on=ends_on,
                                          target=part["target"],
                                          due_date=part.get("due_date")))
    new = [[part.number, str(part.target), part.due_date and part.due_date.isoformat()]
           for part in new_parts]
    if new == old:
        return indicator
    changes = {"version": services.bump(skp), "indicator_id": indicator.id,
               "split": [old, new]}
    indicator.period_targets.clear()
    services.flush()
    indicator.period_targets.extend(new_parts)
    services.record(actor, skp, "indicator_split", changes)
    return indicator
