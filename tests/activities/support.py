"""Targets and activities for the activity tests, made straight from the models or services."""

from datetime import date, time
from decimal import Decimal

from app.activities import services
from app.extensions import db
from app.targets.models import Approach, Aspect, Indicator, Rhk, RhkKind, Skp

YEAR = 2026


def make_indicator(person, year=YEAR, unit="dokumen", target=12) -> Indicator:
    """An indicator on ``person``'s SKP of ``year`` (the SKP is made when missing)."""
    skp = db.session.scalar(db.select(Skp).where(Skp.person_id == person.id, Skp.year == year))
    if skp is None:
        skp = Skp(org_id=person.org_id, person_id=person.id, year=year,
                  approach=Approach.KUANTITATIF)
        db.session.add(skp)
    rhk = Rhk(skp=skp, kind=RhkKind.UTAMA, description="Tersusunnya laporan")
    indicator = Indicator(rhk=rhk, aspect=Aspect.KUANTITAS, description="Jumlah laporan",
                          target_min=Decimal(target), unit=unit)
    db.session.add_all([rhk, indicator])
    db.session.commit()
    return indicator


def make_activity(person, on=date(2026, 3, 9), start=time(8), end=time(9), commit=True,
                  **values):
    values.setdefault("description", "Menyusun laporan")
    if "target_id" not in values:
        values.setdefault("work_kind", "lainnya")
    saved = services.create_activity(person, date=on, start_time=start, end_time=end,
                                     **values)
    if commit:
        db.session.commit()
    return saved.activity


def other_org_ids(world) -> dict:
    """Ids of an activity and its evidence link in the second organisation."""
    from app.activities import evidence
    from app.activities.deadlines import local_today
    from app.models import utcnow

    person = world.two.staff_a1
    activity = make_activity(person, on=local_today(person, utcnow()), commit=False)
    link = evidence.add_link(person, activity.id, url="https://example.org/bukti")
    db.session.commit()
    return {"activity_id": activity.id, "attachment_id": link.id}
