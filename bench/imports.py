"""``make bench``: bulk import of a 10,000-person XLSX on PostgreSQL (issue 13).

    .venv/bin/python bench/imports.py [--people 10000] [--database-url URL]

Creates ``kinerjaku_bench_<random>`` on the PostgreSQL at 127.0.0.1:5432 (user postgres),
migrates it, seeds one organisation with 21 units and its HR administrator, writes a
SIASN-shaped XLSX of ``--people`` people (valid NIPs from app.org.nip; a reporting line of
unit heads, section heads and staff, 3 levels) and measures, in process, through the real
code paths:

1. dry run: read the XLSX and plan it against the database (``run_import(dry_run=True)``);
2. apply to the fresh organisation: plan, bulk writes, audit chains, commit;
3. re-import of the same file: everything unchanged (plan, the summary's audit entry, commit);
4. the pages, through the Flask test client (no network): the upload of the file (over
   ``IMPORT_BACKGROUND_ROWS``, so a background job: the answer redirects to the job page),
   the job page's first answer (the progress bar), the job itself as a worker runs it, and
   the page with the first screen of the preview table (100 of the 10,000 rows).

"Time to the first screen of the preview" is defined two ways and both are printed: for a
file already uploaded (its preview job done), the page response time of the preview's first
screen; for a fresh upload, the time until the admin sees the first progress answer (upload
answer plus the job page).

Rows/s = data rows of the file / wall seconds. The database is dropped at the end.
"""

import argparse
import io
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import results as bench_results  # noqa: E402

ADMIN_URL = os.environ.get("KINERJAKU_BENCH_POSTGRES_URL",
                           "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-import-2026"
UNITS = 20


def nips(count: int) -> list[str]:
    """``count`` distinct valid NIPs (birth dates three days apart, sequences 1-999)."""
    from app.org.nip import make_nip, parse_nip

    found = []
    for n in range(count):
        birth = date(1970, 1, 1) + timedelta(days=(n // 999) * 3)
        found.append(make_nip(birth, birth.year + 22, 3, "L" if n % 2 else "P", 1 + n % 999))
    parse_nip(found[-1])
    return found


def people_xlsx(count: int, admin_nip: str) -> bytes:
    """A SIASN-shaped file: 20 unit heads under the admin's head, 10 section heads under each,
    the rest staff under the section heads."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pegawai")
    sheet.append(["NIP", "Nama", "Jabatan", "Jenis Jabatan", "Golongan", "Kode Unit",
                  "NIP Atasan", "Email"])
    numbers = nips(count)
    heads, sections = numbers[:UNITS], numbers[UNITS:UNITS * 11]
    for n, nip in enumerate(numbers):
        unit = f"U{n % UNITS:02d}"
        if n < UNITS:
            row = [nip, f"Kepala {n}", "Kepala Bidang", "Administrator", "IV/a", unit,
                   admin_nip]
        elif n < UNITS * 11:
            row = [nip, f"Kepala Seksi {n}", "Kepala Seksi", "Pengawas", "III/d",
                   f"U{(n - UNITS) % UNITS:02d}", heads[(n - UNITS) % UNITS]]
        else:
            boss = sections[n % len(sections)]
            row = [nip, f"Pegawai {n:05d}", "Analis", "Pelaksana", "III/a",
                   f"U{(n % len(sections)) % UNITS:02d}", boss]
        sheet.append([*row, f"pegawai{n}@example.go.id" if n % 3 == 0 else None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed(db):
    """One organisation, its unit tree and its HR administrator (who imports)."""
    from app.auth.services import hash_password
    from app.org.models import Organisation, Person, PersonRole, PositionKind, Role, Unit

    org = Organisation(slug="bench-impor", name="Pemerintah Kota Bench", timezone="Asia/Jakarta")
    db.session.add(org)
    db.session.flush()
    root = Unit(org_id=org.id, code="ROOT", name="Sekretariat Daerah", timezone="Asia/Jakarta")
    db.session.add(root)
    db.session.flush()
    db.session.add_all([Unit(org_id=org.id, parent_id=root.id, code=f"U{n:02d}",
                             name=f"Bidang {n}", timezone="Asia/Jakarta")
                        for n in range(UNITS)])
    admin = Person(org_id=org.id, unit_id=root.id, nip="196501011990031001",
                   name="Admin Kepegawaian", jabatan="Analis SDM Aparatur",
                   position_kind=PositionKind.FUNGSIONAL, password_hash=hash_password(PASSWORD))
    db.session.add(admin)
    db.session.flush()
    db.session.add_all([PersonRole(person_id=admin.id, role=Role.ADMIN),
                        PersonRole(person_id=admin.id, role=Role.PEGAWAI)])
    db.session.commit()
    return admin.id


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def backend_cpu(db) -> float:
    """CPU seconds the session's PostgreSQL backend has used (it runs on this machine)."""
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall seconds, and CPU seconds of this process and of the database backend: on a
    machine shared with other work the wall clock stretches, the CPU seconds hardly do."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.wall, self.cpu, self.db_cpu = (time.perf_counter(), time.process_time(),
                                            backend_cpu(self.db))
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        self.db_cpu = backend_cpu(self.db) - self.db_cpu


def in_process(db, admin_id: int, content: bytes, rows: int) -> list[tuple]:
    """Dry run, apply (fresh organisation), re-import: each in its own unit of work, with
    reading, planning and writing (with the commit) measured apart."""
    from app.core.uow import unit_of_work
    from app.org.imports import services
    from app.org.imports.reading import read_table
    from app.org.models import ImportKind, Person

    figures = []
    for label, dry_run in (("dry run", True), ("apply, fresh organisation", False),
                           ("re-import, all unchanged", False)):
        phases = []
        with unit_of_work():
            admin = db.session.get(Person, admin_id)
            with Meter(db) as reading:
                table = read_table(ImportKind.PEOPLE, content)
            phases.append(reading)
            with Meter(db) as planning:
                plan = services.PLANNERS[ImportKind.PEOPLE][0](admin, table)
            phases.append(planning)
            writing = Meter(db).__enter__()
            if not dry_run:
                services.apply_plan(admin, ImportKind.PEOPLE, plan, False)
        if not dry_run:
            writing.__exit__()
            phases.append(writing)
        wall = sum(m.wall for m in phases)
        cpu = sum(m.cpu + m.db_cpu for m in phases)
        summary = plan.summary
        figures.append((label, rows, wall, f"{rows / wall:,.0f}", f"{rows / cpu:,.0f}",
                        " / ".join(f"{m.wall:.2f}" for m in phases),
                        f"create {summary['create']}, unchanged {summary['unchanged']}, "
                        f"errors {summary['errors']}"))
        db.session.remove()
    return figures


def pages(app, admin_nip: str, content: bytes, rows: int) -> list[tuple]:
    """The upload, progress and preview pages through the test client."""
    from app.org.imports import jobs

    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"nip": admin_nip, "password": PASSWORD})
    headers = {"X-CSRFToken": login.get_json()["csrf_token"], "Accept-Language": "id"}
    seconds_upload, answer = timed(lambda: client.post(
        "/admin/impor", headers=headers, content_type="multipart/form-data",
        data={"kind": "people", "file": (io.BytesIO(content), "pegawai.xlsx")}))
    assert answer.status_code == 303, answer.status_code
    page = answer.headers["Location"]
    job_id = page.rsplit("/", 1)[1]
    seconds_progress, progress = timed(lambda: client.get(page, headers=headers))
    assert b"import-progress" in progress.data
    seconds_json, _ = timed(lambda: client.get(f"/api/v1/imports/{job_id}"))
    with app.app_context():
        seconds_job, job = timed(lambda: jobs.run_job(job_id))
        assert job.status.value == "done", job.error
    seconds_first, preview = timed(lambda: client.get(page, headers=headers))
    shown = len(re.findall(rb'data-action="', preview.data))
    seconds_errors, _ = timed(lambda: client.get(page + "?kesalahan=1", headers=headers))
    ms = lambda seconds: f"{seconds * 1000:,.0f} ms"  # noqa: E731
    return [
        ("page: upload answered (job queued)", rows, seconds_upload, ms(seconds_upload), "",
         "", "stores the file, counts rows, queues the job"),
        ("page: first progress answer", rows, seconds_progress, ms(seconds_progress), "", "",
         f"upload + this = {ms(seconds_upload + seconds_progress)}: first screen, new file"),
        ("API: GET /api/v1/imports/<id> (poll)", rows, seconds_json, ms(seconds_json), "", "",
         "queued job"),
        ("background preview job (worker)", rows, seconds_job, f"{rows / seconds_job:,.0f}",
         "", "", "rows/s: read + plan + result stored"),
        ("page: first screen of the preview", rows, seconds_first, ms(seconds_first), "", "",
         f"{shown} of {rows} rows shown; file already uploaded"),
        ("page: only errors filter", rows, seconds_errors, ms(seconds_errors), "", "", ""),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--database-url", help="an empty database (default: a throwaway "
                                               "one on the local PostgreSQL)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    name = f"kinerjaku_bench_{secrets.token_hex(5)}"
    url = args.database_url
    if url is None:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    folder = Path(tempfile.mkdtemp(prefix="kinerjaku-bench-imports-"))
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
                          "IMPORT_FOLDER": str(folder / "imports"), "QUEUE_IMMEDIATE": False,
                          "QUEUE_FILE": str(folder / "queue.sqlite3")})
        with app.app_context():
            upgrade()
            admin_id = seed(db)
            admin_nip = "196501011990031001"
            seconds, content = timed(lambda: people_xlsx(args.people, admin_nip))
            print(f"{args.people:,} people, XLSX {len(content) / 1024:,.0f} KiB, written in "
                  f"{seconds:.1f} s; PostgreSQL ({sa.engine.make_url(url).database})")
            figures = in_process(db, admin_id, content, args.people)
            db.session.execute(sa.text("DELETE FROM audit_entries"))
            db.session.execute(sa.text("DELETE FROM person_roles WHERE person_id <> :a"),
                               {"a": admin_id})
            db.session.execute(sa.text("DELETE FROM people WHERE id <> :a"), {"a": admin_id})
            db.session.commit()
        figures += pages(app, admin_nip, content, args.people)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"\n{'figure':<38} {'rows':>6} {'wall s':>7} {'rows/s or time':>14} "
              f"{'rows/CPU s':>10} {'read/plan/write s':>18}  note")
        for label, rows, seconds, rate, per_cpu, split, note in figures:
            print(f"{label:<38} {rows:>6,} {seconds:>7.2f} {rate:>14} {per_cpu:>10} "
                  f"{split:>18}  {note}")
        print("rows/CPU s: rows per CPU second of the app process plus its PostgreSQL "
              "backend, what the rate would be with a core each to spare.")
        by_label = {f[0]: f for f in figures}
        apply, dry = by_label.get("apply, fresh organisation"), by_label.get("dry run")
        if apply and dry:
            bench_results.record(
                "import_10000", f"import {apply[1]:,} people (apply)", unit="rows/s",
                value=round(apply[1] / apply[2], 1), reference=round(dry[1] / dry[2], 1),
                reference_label="dry run of the same file", settings=(
                    f"in process, PostgreSQL; {apply[2]:.1f} s wall"))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if args.database_url is None:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
