"""The citizen satisfaction index (SKM/IKM) as PermenPANRB 14/2017 computes it.

For each of the nine unsur: NRR (nilai rata-rata) = the sum of its answers ÷ the number of
completed questionnaires. Each NRR is weighted by 1/9 (printed "0,111" in the regulation; the
exact ninth is used so that a unit where everyone answered 4 scores 100, the top of the
table). SKM = Σ weighted NRR, on the 1-4 scale; the unit's value = SKM × 25 (25-100).

The grade (mutu) and the unit's performance follow the interval table on the converted value,
rounded half up to two decimals as it is published:

    ===================  ===============  ====  ============
    SKM (1-4)            value (25-100)   mutu  kinerja
    ===================  ===============  ====  ============
    1,00 - 2,5996        25,00 - 64,99    D     Tidak Baik
    2,60 - 3,064         65,00 - 76,60    C     Kurang Baik
    3,0644 - 3,532       76,61 - 88,30    B     Baik
    3,5324 - 4,00        88,31 - 100,00   A     Sangat Baik
    ===================  ===============  ====  ============

The sums are taken by the database (one grouped query per call, whatever the number of units
or responses); only the nine totals and the count per unit reach Python.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.citizen.models import (
    UNSUR_COLUMNS,
    CitizenMessage,
    MessageKind,
    OfficerMention,
    ServingOfficer,
    SurveyResponse,
)
from app.errors import ValidationFailed
from app.extensions import db
from app.org.models import Person

#: Equal weights, 1/9 each (the regulation allows other weights summing to 1).
WEIGHTS = (Fraction(1, 9),) * 9

#: Lower bound of the converted value (25-100) -> mutu; checked from the top.
GRADES = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"),
          (Decimal("0"), "D"))

#: The unit's performance for each mutu, in the words of the regulation's table.
PERFORMANCE = {"A": _l("Very good"), "B": _l("Good"), "C": _l("Less than good"),
               "D": _l("Not good")}

#: The nine unsur, in order (short names for tables and charts).
UNSUR_NAMES = (
    _l("Requirements"), _l("Systems, mechanisms and procedures"), _l("Completion time"),
    _l("Cost or fee"), _l("Service products"), _l("Staff competence"),
    _l("Staff behaviour"), _l("Handling of complaints and suggestions"),
    _l("Facilities"),
)


@dataclass(frozen=True)
class Skm:
    """The index of one unit over one period."""

    responses: int
    #: NRR of each unsur, four decimals.
    nrr: tuple[Decimal, ...]
    #: Σ weighted NRR on the 1-4 scale, four decimals.
    skm: Decimal
    #: SKM × 25, two decimals (rounded half up).
    value: Decimal
    grade: str

    @property
    def performance(self) -> str:
        return str(PERFORMANCE[self.grade])


def _round(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), ROUND_HALF_UP)


def grade_of(value: Decimal) -> str:
    """The mutu of a converted value (25-100, two decimals)."""
    for bound, grade in GRADES:
        if value >= bound:
            return grade
    return "D"


def compute(responses: int, totals, weights=WEIGHTS) -> Skm | None:
    """The index from the number of completed questionnaires and the nine answer totals.

    None when there is no questionnaire (the index is undefined, not zero).
    """
    if not responses:
        return None
    if len(totals) != 9 or len(weights) != 9 or sum(weights) != 1:
        raise ValueError("nine totals and nine weights summing to 1 are needed")
    nrr = [Fraction(int(total), int(responses)) for total in totals]
    skm = sum((n * w for n, w in zip(nrr, weights, strict=True)), Fraction(0))
    value = _round(skm * 25, "0.01")
    return Skm(responses=int(responses), nrr=tuple(_round(n, "0.0001") for n in nrr),
               skm=_round(skm, "0.0001"), value=value, grade=grade_of(value))


def period_bounds(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """``start``..``end`` inclusive, local days, as naive UTC bounds [from, to)."""
    zone = ZoneInfo(timezone)
    first = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return first.replace(tzinfo=None), after.replace(tzinfo=None)


def index_by_unit(org_id: int, start: date, end: date, timezone: str,
                  unit_ids=None) -> dict[int, Skm]:
    """The index of every unit of the organisation with responses between ``start`` and
    ``end`` (inclusive, local days in ``timezone``): one grouped query."""
    first, after = period_bounds(start, end, timezone)
    columns = [sa.func.sum(getattr(SurveyResponse, name)) for name in UNSUR_COLUMNS]
    query = (sa.select(SurveyResponse.unit_id, sa.func.count(), *columns)
             .where(SurveyResponse.org_id == org_id, SurveyResponse.submitted_at >= first,
                    SurveyResponse.submitted_at < after)
             .group_by(SurveyResponse.unit_id))
    if unit_ids is not None:
        query = query.where(SurveyResponse.unit_id.in_(list(unit_ids)))
    return {row[0]: compute(row[1], row[2:]) for row in db.session.execute(query)}


def index_of_unit(org_id: int, unit_id: int, start: date, end: date,
                  timezone: str) -> Skm | None:
    return index_by_unit(org_id, start, end, timezone, [unit_id]).get(unit_id)


def record(unit, answers: dict) -> SurveyResponse:
    """Store one completed questionnaire for ``unit`` (flushes, does not commit).

    A comment or complaint also goes to the unit's inbox (:mod:`app.citizen.inbox`); a named
    officer is kept apart from the answers (:class:`OfficerMention`): the index never reads it.
    """
    officer_id = answers.get("officer_id")
    if officer_id is not None and officer_id not in {
            person.id for person in serving_officers(unit)}:
        raise ValidationFailed(fields={"officer_id": _("Choose an officer from the list.")})
    comment = (answers.get("comment") or "").strip() or None
    response = SurveyResponse(org_id=unit.org_id, unit_id=unit.id,
                              **{name: answers[name] for name in UNSUR_COLUMNS},
                              service_name=answers.get("service_name") or None,
                              comment=comment)
    db.session.add(response)
    db.session.flush()
    if comment:
        db.session.add(CitizenMessage(
            org_id=unit.org_id, unit_id=unit.id, response_id=response.id, body=comment,
            kind=MessageKind(answers.get("kind") or MessageKind.COMMENT),
            received_at=response.submitted_at))
    if officer_id is not None:
        db.session.add(OfficerMention(response_id=response.id, org_id=unit.org_id,
                                      person_id=officer_id))
    db.session.flush()
    return response


def serving_officers(unit) -> list[Person]:
    """The unit's active staff who agreed to be named by citizens, by name."""
    return list(db.session.scalars(
        sa.select(Person).join(ServingOfficer, ServingOfficer.person_id == Person.id)
        .where(Person.org_id == unit.org_id, Person.unit_id == unit.id, Person.active)
        .order_by(Person.name)))
