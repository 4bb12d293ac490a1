"""How long documents take: a unit recap job, a monthly PDF and XLSX, an e-Kinerja file.

    .venv/bin/python -m bench.exports --people 1000

Builds a throwaway SQLite database (or ``--database-url``) with one organisation of
``--people`` people in 10 units, each with 3 activities on every working day of November
2026, then times each document as its real code path makes it (``run_job`` for the unit
recap, ``build`` for the rest), several runs, and prints the median.
"""

import argparse
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import sqlalchemy as sa

MONTH = date(2026, 11, 1)


def _seed(db, people: int) -> tuple:
    from app.activities.models import Activity
    from app.org.models import Organisation, Person, PersonRole, Role, Unit
    from app.reminders.services import Calendar

    org = Organisation(slug="bench", name="Pemerintah Kota Bench", timezone="Asia/Jakarta")
    db.session.add(org)
    db.session.flush()
    root = Unit(org_id=org.id, code="ROOT", name="Sekretariat Daerah", timezone="Asia/Jakarta")
    db.session.add(root)
    db.session.flush()
    units = [Unit(org_id=org.id, parent_id=root.id, code=f"U{n}", name=f"Bagian {n}",
                  timezone="Asia/Jakarta") for n in range(10)]
    db.session.add_all(units)
    db.session.flush()
    now = datetime(2026, 11, 1)
    rows = [{"org_id": org.id, "unit_id": units[n % 10].id, "nip": f"{198000000000000000 + n}",
             "name": f"Pegawai {n:05d}", "jabatan": "Analis", "position_kind": "pelaksana",
             "golongan": "III/a", "password_hash": "-", "active": True,
             "created_at": now, "updated_at": now} for n in range(people)]
    db.session.execute(sa.insert(Person), rows)
    ids = list(db.session.scalars(sa.select(Person.id).order_by(Person.id)))
    db.session.add(PersonRole(person_id=ids[0], role=Role.ADMIN))
    days = Calendar(org.id).working_days(MONTH, date(2026, 11, 30))
    batch = []
    for person_id in ids:
        for day in days:
            for hour in (8, 10, 13):
                batch.append({
                    "id": str(uuid.uuid4()), "org_id": org.id, "person_id": person_id,
                    "date": day, "start_time": clock(hour), "end_time": clock(hour + 1),
                    "duration_minutes": 60, "description": f"Kegiatan {hour} pada {day}",
                    "work_kind": "lainnya", "status": "approved", "is_late": False,
                    "version": 1, "created_at": now, "updated_at": now})
        if len(batch) >= 20000:
            db.session.execute(sa.insert(Activity), batch)
            batch.clear()
    if batch:
        db.session.execute(sa.insert(Activity), batch)
    db.session.commit()
    return org, root, ids, len(ids) * len(days) * 3


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from app.documents import jobs
    from app.documents.models import ExportKind
    from app.extensions import db
    from app.org.models import Person

    folder = Path(tempfile.mkdtemp(prefix="kinerjaku-bench-exports-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
                      "EXPORT_FOLDER": str(folder / "exports")})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        _org, root, ids, activities = _seed(db, args.people)
        print(f"seeded {len(ids)} people, {activities} activities "
              f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        admin = db.session.get(Person, ids[0])

        def unit_recap():
            job = jobs.start_export(admin, ExportKind.UNIT_RECAP,
                                    {"unit_id": root.id, "month": "2026-11"})
            db.session.commit()
            return jobs.run_job(job.id)

        seconds, job = _median(unit_recap, args.runs)
        print(f"unit recap XLSX, {len(ids)} people: {seconds:.2f} s median of {args.runs} "
              f"({job.size / 1024:.0f} KiB, status {job.status.value})")
        person = {"person_id": ids[1], "month": "2026-11"}
        for kind in (ExportKind.MONTHLY_PDF, ExportKind.MONTHLY_XLSX):
            seconds, built = _median(lambda kind=kind: jobs.build(admin, kind, person),
                                     args.runs)
            print(f"{kind.value}, one person ({activities // len(ids)} activities): "
                  f"{seconds * 1000:.0f} ms ({len(built[0]) / 1024:.0f} KiB)")
        ekinerja = {"person_id": ids[1], "from": "2026-11-01", "to": "2026-11-30",
                    "base_url": "https://kinerjaku.example.go.id/"}
        for kind in (ExportKind.EKINERJA_XLSX, ExportKind.EKINERJA_CSV):
            seconds, built = _median(lambda kind=kind: jobs.build(admin, kind, ekinerja),
                                     args.runs)
            print(f"{kind.value}, one person-month: {seconds * 1000:.0f} ms "
                  f"({len(built[0]) / 1024:.0f} KiB)")
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
