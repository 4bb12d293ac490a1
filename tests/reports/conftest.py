"""An SKP with known targets, and a way to log activities straight into the table."""

import contextlib
import threading
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.activities.models import Activity, ActivityStatus, WorkKind
from app.targets.models import Approach, Aspect, Indicator, Rhk, RhkKind, Skp


@dataclass
class Targets:
    skp: Skp
    dokumen: Indicator  # 12 dokumen
    laporan: Indicator  # range 10-20 laporan: the target is 20
    kualitas: Indicator  # kualitatif: no numeric target
    tambahan: Indicator  # RHK tambahan, 4 kegiatan


def make_skp(db, person, year=2026) -> Targets:
    skp = Skp(org_id=person.org_id, person_id=person.id, appraiser_id=person.supervisor_id,
              year=year, approach=Approach.KUANTITATIF)
    # Added first, listed last: RHK utama come before tambahan.
    tambahan = Rhk(skp=skp, kind=RhkKind.TAMBAHAN, description="Membantu kegiatan dinas")
    utama = Rhk(skp=skp, kind=RhkKind.UTAMA, description="Tersusunnya dokumen perencanaan")
    extra = Indicator(rhk=tambahan, aspect=Aspect.KUANTITAS, description="Kegiatan",
                      target_min=Decimal(4), unit="kegiatan")
    dokumen = Indicator(rhk=utama, aspect=Aspect.KUANTITAS, description="Dokumen",
                        target_min=Decimal(12), unit="dokumen", position=0)
    laporan = Indicator(rhk=utama, aspect=Aspect.KUANTITAS, description="Laporan",
                        target_min=Decimal(10), target_max=Decimal(20), unit="laporan",
                        position=1)
    kualitas = Indicator(rhk=utama, aspect=Aspect.KUALITAS, description="Kualitas",
                         unit="%", target_text="Sesuai standar", position=2)
    db.session.add_all([skp, tambahan, utama, extra, dokumen, laporan, kualitas])
    db.session.commit()
    return Targets(skp, dokumen, laporan, kualitas, extra)


def log(db, person, day: date, *, target=None, quantity=None, minutes=60,
        status=ActivityStatus.APPROVED, work_kind=None) -> Activity:
    """One activity with known numbers, inserted directly (no service rules)."""
    activity = Activity(
        org_id=person.org_id, person_id=person.id, date=day,
        start_time=time(8, 0), end_time=time(8 + minutes // 60, minutes % 60),
        duration_minutes=minutes, description="Kegiatan uji",
        quantity=None if quantity is None else Decimal(str(quantity)),
        unit=target.unit if target is not None else None,
        target_id=target.id if target is not None else None,
        work_kind=work_kind or (WorkKind.SKP if target is not None else WorkKind.LAINNYA),
        status=status)
    db.session.add(activity)
    db.session.commit()
    return activity


@pytest.fixture
def targets(db, world):
    return make_skp(db, world.one.staff_a1)


@pytest.fixture
def statements(db):
    """Count the SQL statements run inside ``with statements() as seen``: ``len(seen)``.

    Only this thread's: a live server an earlier test left in the process (its streams poll
    the database on SQLite) must not add to the count."""
    @contextlib.contextmanager
    def capture():
        seen = []
        mine = threading.get_ident()

        def record(conn, cursor, statement, *args):
            if threading.get_ident() == mine:
                seen.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    return capture
