"""Absences straight into the table, for tests that need one to exist."""

from datetime import date

from app.absences.models import Absence, AbsenceKind, AbsenceStatus
from app.extensions import db


def add_absence(person, start: date, end: date, *, kind=AbsenceKind.CUTI_TAHUNAN,
                status=AbsenceStatus.APPROVED) -> Absence:
    absence = Absence(org_id=person.org_id, person_id=person.id, kind=kind, starts_on=start,
                      ends_on=end, status=status, note="", decision_note="")
    db.session.add(absence)
    db.session.commit()
    return absence


def other_org_ids(world) -> dict:
    """An absence of the second organisation, for the cross-organisation checks."""
    return {"absence_id": add_absence(world.two.staff_a1, date(2026, 11, 2),
                                      date(2026, 11, 6)).id}
