"""``make bench``: aspect-aware progress of a 50-person team's quarter over 1,000,000
activities.

Creates ``kinerjaku_bench_<random>`` on the PostgreSQL at 127.0.0.1:5432 (as bench/run.py),
migrates it, then loads in SQL: one organisation of 1,021 people (a head, 20 supervisors, and
1,000 staff in teams of 50), an SKP per person whose RHK supports the supervisor's, with a
Kuantitas indicator split over the quarters, a Kualitas indicator (90 %) and a Waktu
indicator with a due date per quarter, and 4 or 5 activities per staff member on each working
day of the year (1,000,000 rows; approved ones carry a 1-4 quality mark). It serves the app with
gunicorn and measures, one connection at a time, the median and p95 of: the progress of one
team member for the current quarter (``/api/v1/progress?period_id=``), the supervisor's
Target page (the roll-up of all 50 over the year, three aspects each), and GET /healthz in
the same run; and, in process, the one realisation query set for the 50 people's quarter.
Prints a table, writes it to bench-results/ and drops the database.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import partitions  # noqa: E402
from bench import loadgen, seed  # noqa: E402
from bench import results as bench_results  # noqa: E402
from bench.run import Server, create_database, drop_database  # noqa: E402

TIMEZONE = "Asia/Jakarta"
SUPERVISORS, TEAM = 20, 50
#: Ids: 1 the head, 2-21 supervisors, 22.. staff (staff i under 2 + (i - 22) // 50).
HEAD, SUPERVISOR, FIRST_STAFF = 1, 2, 22


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per measurement")
    parser.add_argument("--per-day", type=int, default=4, help="activities per person a day")
    parser.add_argument("--days", type=int, default=250, help="working days logged, at most")
    parser.add_argument("--activities", type=int, default=1_000_000, help="about this many")
    parser.add_argument("--python-loadgen", action="store_true", help="do not use wrk")
    return parser.parse_args()


def quarter_of(day: date) -> tuple[int, date, date]:
    number = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * number - 2, 1)
    last = (date(day.year + 1, 1, 1) if number == 4 else date(day.year, 3 * number + 1, 1)
            ) - timedelta(days=1)
    return number, first, last


def extra_per_100000(total: int, staff: int, days: int, per_day: int) -> int:
    """How often (per 100,000 person-days) a day gets one more activity, so that the year
    holds ``total`` activities whatever the number of working days."""
    missing = max(total - staff * days * per_day, 0)
    return round(100_000 * missing / (staff * days))


def load(url: str, today: date, per_day: int, days: int, total: int) -> dict:
    """Everything in SQL on the server; returns counts, the period's id and seconds."""
    from app.activities.deadlines import is_working_day

    year_days = [date(today.year, 1, 1) + timedelta(days=n) for n in range(366)]
    working = [day for day in year_days if day.year == today.year and is_working_day(day)]
    working = working[:days]
    staff = SUPERVISORS * TEAM
    now = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        org = conn.execute(
            "INSERT INTO organisations (slug, name, timezone, created_at, updated_at) "
            "VALUES ('bench', 'Pemerintah Kota Bench', %s, %s, %s) RETURNING id",
            (TIMEZONE, now, now)).fetchone()[0]
        conn.execute("INSERT INTO units (id, org_id, code, name, timezone, created_at, "
                     "updated_at) VALUES (1, %s, 'ROOT', 'Dinas Bench', %s, %s, %s)",
                     (org, TIMEZONE, now, now))
        params = {"org": org, "now": now, "year": today.year, "n": 1 + SUPERVISORS + staff,
                  "team": TEAM, "first": FIRST_STAFF}
        conn.execute("""
            INSERT INTO people (id, org_id, unit_id, supervisor_id, nip, name, jabatan,
                                position_kind, golongan, password_hash, active, created_at,
                                updated_at)
            SELECT i, %(org)s, 1,
                   CASE WHEN i = 1 THEN NULL WHEN i < %(first)s THEN 1
                        ELSE 2 + (i - %(first)s) / %(team)s END,
                   '19800101' || lpad(i::text, 10, '0'), 'Pegawai ' || lpad(i::text, 5, '0'),
                   CASE WHEN i < %(first)s THEN 'Kepala' ELSE 'Analis' END,
                   CASE WHEN i = 1 THEN 'jpt' WHEN i < %(first)s THEN 'pengawas'
                        ELSE 'pelaksana' END,
                   'III/a', '!bench-no-password', true, %(now)s, %(now)s
            FROM generate_series(1, %(n)s) AS i""", params)
        conn.execute("""
            INSERT INTO person_roles (person_id, role)
            SELECT id, 'pegawai' FROM people
            UNION ALL SELECT id, 'atasan' FROM people WHERE id < %(first)s""", params)
        conn.execute("""
            INSERT INTO skps (id, org_id, person_id, appraiser_id, year, approach, is_jpt,
                              status, version, created_at, updated_at)
            SELECT id, org_id, id, supervisor_id, %(year)s, 'kuantitatif', id = 1,
                   'approved', 1, %(now)s, %(now)s FROM people""", params)
        conn.execute("""
            INSERT INTO rhks (id, skp_id, kind, description, parent_rhk_id, position)
            SELECT id, id, 'utama', 'Terselenggaranya layanan administrasi',
                   CASE WHEN id >= %(first)s THEN supervisor_id END, 0 FROM people""", params)
        conn.execute("""
            INSERT INTO indicators (id, rhk_id, aspect, description, target_min, unit,
                                    due_date, position)
            SELECT 3 * id - 2, id, 'kuantitas', 'Dokumen', 240, 'dokumen', NULL::date, 0
            FROM people
            UNION ALL SELECT 3 * id - 1, id, 'kualitas', 'Mutu dokumen', 90, '%%', NULL::date, 1
            FROM people
            UNION ALL SELECT 3 * id, id, 'waktu', 'Tepat waktu', 100, '%%',
                             make_date(%(year)s, 12, 20), 2 FROM people""", params)
        conn.execute("""
            INSERT INTO indicator_period_targets (indicator_id, kind, number, starts_on,
                                                  ends_on, target, due_date)
            SELECT 3 * p.id - q.k, 'quarter', q.n, q.first, q.last,
                   CASE WHEN q.k = 2 THEN 60 ELSE 100 END,
                   CASE WHEN q.k = 0 THEN q.last - 5 END
            FROM people p CROSS JOIN (
                SELECT n, k, make_date(%(year)s, 3 * n - 2, 1) AS first,
                       (make_date(%(year)s, 3 * n - 2, 1) + interval '3 months'
                        - interval '1 day')::date AS last
                FROM generate_series(1, 4) AS n CROSS JOIN (VALUES (2), (0)) AS kinds(k)
            ) AS q""", params)
        for table in ("people", "skps", "rhks", "indicators"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT MAX(id) FROM {table}))")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'activities' "
            "AND indexname <> 'pk_activities'").fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        partitions.prepare_bulk_load(conn, working[0], working[-1])  # PostgreSQL: months
        conn.execute("SET session_replication_role = replica")
        conn.execute("""
            INSERT INTO activities (id, org_id, person_id, date, start_time, end_time,
                duration_minutes, description, quantity, target_id, work_kind, status,
                is_late, submitted_at, quality, version, created_at, updated_at)
            SELECT gen_random_uuid()::text, %(org)s, p.id, d.day,
                   make_time(7 + k, 0, 0), make_time(8 + k, 0, 0), 60, 'Kegiatan harian',
                   1, 3 * p.id - 2, 'skp',
                   CASE WHEN h %% 100 < 75 THEN 'approved' WHEN h %% 100 < 90 THEN 'submitted'
                        ELSE 'draft' END,
                   false, CASE WHEN h %% 100 < 90 THEN d.day + time '10:00' END,
                   CASE WHEN h %% 100 < 75 THEN 1 + h / 100 %% 4 END,
                   1, %(now)s, %(now)s
            FROM people p
            CROSS JOIN unnest(%(days)s::date[]) AS d(day)
            CROSS JOIN generate_series(0, %(per_day)s) AS k
            CROSS JOIN LATERAL (SELECT abs(hashtext(p.id::text || '/' || d.day::text || '/'
                                                    || k::text)) AS h) AS x
            WHERE p.id >= %(first)s
              AND (k < %(per_day)s OR h %% 100000 < %(extra)s)""",
                     {**params, "days": working, "per_day": per_day,
                      "extra": extra_per_100000(total, staff, len(working), per_day)})
        conn.execute("SET session_replication_role = origin")
        partitions.finish_bulk_load(conn)  # the keys the triggers (off) would have claimed
        loaded = time.perf_counter() - started
        for _name, definition in indexes:
            conn.execute(partitions.index_definition(definition))
        number, first, last = quarter_of(today)
        period = conn.execute(
            "INSERT INTO evaluation_periods (org_id, name, kind, year, starts_on, ends_on, "
            "deadline, is_final, created_at, updated_at) VALUES (%s, %s, 'quarterly', %s, %s, "
            "%s, %s, false, %s, %s) RETURNING id",
            (org, f"Triwulan {'I II III IV'.split()[number - 1]} {today.year}", today.year,
             first, last, last + timedelta(days=7), now, now)).fetchone()[0]
        conn.execute("VACUUM ANALYZE")
        count = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    return {"activities": count, "people": 1 + SUPERVISORS + staff, "period_id": period,
            "quarter": (first, last), "load_seconds": round(loaded, 1),
            "seed_seconds": round(time.perf_counter() - started, 1)}


def in_process(app, first: date, last: date, rounds: int = 40) -> dict:
    """The one computation for the 50 people's quarter, timed in process (no HTTP)."""
    from app.reports.realisation import realisation

    team = list(range(FIRST_STAFF, FIRST_STAFF + TEAM))
    timings = []
    with app.app_context():
        rows = realisation(team, first, last)
        for _ in range(rounds):
            started = time.perf_counter()
            realisation(team, first, last)
            timings.append((time.perf_counter() - started) * 1000)
        sample = rows[FIRST_STAFF]
    timings.sort()
    return {"p50_ms": statistics.median(timings),
            "p95_ms": timings[int(0.95 * (len(timings) - 1))], "requests": rounds,
            "non2xx": 0, "people": len(rows),
            "sample": {row["measure"]: str(row["approved"]["value"]) for row in sample}}


def main():
    args = options()
    started = time.time()
    wrk = None if args.python_loadgen else loadgen.ensure_wrk()
    results = {"when": datetime.now().isoformat(timespec="seconds"), "figures": {}}
    figures = results["figures"]
    database = create_database()
    try:
        today = datetime.now(ZoneInfo(TIMEZONE)).date()
        results["seed"] = seeded = load(database.url, today, args.per_day, args.days,
                                     args.activities)
        print(f"  seeded {seeded['activities']:,} activities of {seeded['people']:,} people "
              f"in {seeded['seed_seconds']} s")
        from app import create_app

        app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": database.secret})
        figures["realisation(), 50 people, quarter (in process)"] = in_process(
            app, *seeded["quarter"])
        tokens = seed.make_tokens(app, [SUPERVISOR, FIRST_STAFF])
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()
        server = Server(database.env, SimpleNamespace(workers=1, worker_class="sync",
                                                      threads=1))
        results["gunicorn"] = " ".join(server.settings)
        with server, tempfile.TemporaryDirectory() as workdir:
            def measure(label, path, who=None):
                token = f"Bearer {tokens[who]}" if who else ""
                scenario = loadgen.Scenario("get", path, token=token)
                if wrk:
                    def run(seconds):
                        return loadgen.run_wrk(wrk, server.base, scenario, seconds=seconds,
                                               connections=1, threads=1, workdir=Path(workdir))
                else:
                    def run(seconds):
                        return loadgen.run_python("127.0.0.1", server.port, scenario,
                                                  seconds=seconds, connections=1)
                run(2)
                result = run(args.seconds)
                figures[label] = {**result.__dict__, "path": path}
                print(f"  {label:<48} p50 {result.p50_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms")

            period = seeded["period_id"]
            measure("healthz", "/healthz")
            measure("progress, one person, quarter (API)",
                    f"/api/v1/progress?period_id={period}&person_id={FIRST_STAFF}",
                    SUPERVISOR)
            measure("Target page with the roll-up of 50 (year)", "/target", SUPERVISOR)
            measure("healthz (again)", "/healthz")
    finally:
        drop_database(database.name)
    results["seconds_total"] = round(time.time() - started)
    report(results)


def report(results: dict) -> None:
    figures, seeded = results["figures"], results["seed"]
    health = figures["healthz"]["p50_ms"]
    sample = figures["realisation(), 50 people, quarter (in process)"]["sample"]
    lines = ["", f"Kinerjaku progress bench, {results['when']}: PostgreSQL, gunicorn "
             f"{results['gunicorn']}, one connection",
             f"{seeded['people']:,} people, {seeded['activities']:,} activities; quarter "
             f"{seeded['quarter'][0]} to {seeded['quarter'][1]}; three aspects per RHK.", "",
             f"{'measure':<50}{'median':>10}{'p95':>10}{'median vs /healthz':>22}", "-" * 92]
    for label, figure in figures.items():
        ratio = figure["p50_ms"] / health if health else 0
        lines.append(f"{label:<50}{figure['p50_ms']:>7.1f} ms{figure['p95_ms']:>7.1f} ms"
                     f"{ratio:>20.1f} x" + (f"  non-2xx {figure['non2xx']}"
                                             if figure.get("non2xx") else ""))
    lines += ["", f"Check: the first team member's quarter: {sample}.",
              f"Whole run: {results['seconds_total']} s."]
    text = "\n".join(lines)
    print(text)
    page = figures.get("Target page with the roll-up of 50 (year)")
    if page:
        bench_results.record(
            "progress_1m", f"Target page, roll-up of 50 over {seeded['activities']:,}, p50",
            unit="ms", value=round(page["p50_ms"], 1), reference=round(health, 2),
            reference_label="GET /healthz p50, 1 connection", higher_is_better=False,
            settings=f"gunicorn {results['gunicorn']}, one connection")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = results["when"].replace(":", "")
    (out / f"progress-{stamp}.txt").write_text(text + "\n")
    (out / f"progress-{stamp}.json").write_text(json.dumps(results, default=str, indent=1))


if __name__ == "__main__":
    main()
