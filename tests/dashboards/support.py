"""Activities, targets and survey answers with known numbers, straight into the tables."""

from datetime import date, datetime, time
from decimal import Decimal

from app.activities.models import Activity, ActivityStatus, WorkKind
from app.citizen.models import SurveyResponse
from app.extensions import db
from app.targets.models import Approach, Aspect, Indicator, Rhk, RhkKind, Skp


def log(person, day: date, *, status=ActivityStatus.DRAFT, late=False, target=None,
        quantity=None, submitted_at: datetime | None = None) -> Activity:
    activity = Activity(
        org_id=person.org_id, person_id=person.id, date=day, start_time=time(8),
        end_time=time(9), duration_minutes=60, description=f"Kegiatan {day.isoformat()}",
        quantity=None if quantity is None else Decimal(str(quantity)),
        target_id=target.id if target is not None else None,
        work_kind=WorkKind.SKP if target is not None else WorkKind.LAINNYA,
        status=status, is_late=late, submitted_at=submitted_at)
    db.session.add(activity)
    db.session.flush()
    return activity


def indicator(person, year: int, target, unit="dokumen", description="Dokumen") -> Indicator:
    skp = db.session.scalar(db.select(Skp).where(Skp.person_id == person.id, Skp.year == year))
    if skp is None:
        skp = Skp(org_id=person.org_id, person_id=person.id, year=year,
                  approach=Approach.KUANTITATIF)
        db.session.add(skp)
    rhk = Rhk(skp=skp, kind=RhkKind.UTAMA, description="Tersusunnya dokumen")
    item = Indicator(rhk=rhk, aspect=Aspect.KUANTITAS, description=description,
                     target_min=None if target is None else Decimal(target), unit=unit,
                     target_text=None if target is not None else "Sesuai standar")
    db.session.add_all([rhk, item])
    db.session.flush()
    return item


def survey(person, answers, when: datetime) -> SurveyResponse:
    row = SurveyResponse(org_id=person.org_id, unit_id=person.unit_id, submitted_at=when,
                         **{f"u{n}": a for n, a in enumerate(answers, start=1)})
    db.session.add(row)
    return row
