"""``make bench``: the dashboards over 10,000 people with a year of logs.

Creates ``kinerjaku_bench_<random>`` on the PostgreSQL at 127.0.0.1:5432, migrates it with
``flask db upgrade``, then loads, on the server side in SQL (``generate_series``), one
organisation of 10,000 people in a tree of 101 units (1 root, 10 bidang, 90 seksi; each seksi
head supervises ~110 staff), an SKP per person, 1-3 activities per person on every working
day of the past year (~4.9 million rows) and 60 citizen survey answers per unit. It serves the
app with gunicorn and measures, one connection at a time, the median and p95 latency of the
supervisor and organisation dashboards (JSON and page), each beside GET /healthz measured the
same way in the same run; prints a table, writes it to bench-results/ and drops the database.
"""

import argparse
import json
import logging
import sys
import tempfile
import time
import urllib.request
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
BIDANG, SEKSI_PER_BIDANG = 10, 9
SEKSI = BIDANG * SEKSI_PER_BIDANG
#: Person ids (fresh database): 1 head (pimpinan), 2 admin kepegawaian, 3-12 bidang heads,
#: 13-102 seksi heads, 103.. staff, each under seksi head 13 + (i - 102) % 90.
HEAD, ADMIN, FIRST_BIDANG_HEAD, FIRST_SEKSI_HEAD, FIRST_STAFF = 1, 2, 3, 13, 103


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="per measurement")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--survey-per-unit", type=int, default=60)
    parser.add_argument("--python-loadgen", action="store_true", help="do not use wrk")
    return parser.parse_args()


def load(url: str, people: int, survey_per_unit: int, today) -> dict:
    """Everything in SQL on the server; returns counts and seconds."""
    from app.activities.deadlines import is_working_day

    days = [today - timedelta(days=n) for n in range(365)]
    working = sorted(day for day in days if is_working_day(day) and day != today)
    now = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        org = conn.execute(
            "INSERT INTO organisations (slug, name, timezone, created_at, updated_at) "
            "VALUES ('bench', 'Pemerintah Kota Bench', %s, %s, %s) RETURNING id",
            (TIMEZONE, now, now)).fetchone()[0]
        units = [(1, None, "ROOT", "Dinas Bench")]
        units += [(2 + k, 1, f"B{k:02d}", f"Bidang {k + 1}") for k in range(BIDANG)]
        units += [(12 + j, 2 + j // SEKSI_PER_BIDANG, f"S{j:02d}", f"Seksi {j + 1}")
                  for j in range(SEKSI)]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO units (id, org_id, parent_id, code, name, timezone, created_at, "
                "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [(uid, org, parent, code, name, TIMEZONE, now, now)
                 for uid, parent, code, name in units])
        params = {"org": org, "now": now, "n": people, "year": today.year,
                  "seksi": SEKSI, "per": SEKSI_PER_BIDANG}
        conn.execute("""
            INSERT INTO people (id, org_id, unit_id, supervisor_id, nip, name, jabatan,
                                position_kind, golongan, password_hash, active, created_at,
                                updated_at)
            SELECT i + 1, %(org)s,
                   CASE WHEN i < 2 THEN 1 WHEN i < 12 THEN i WHEN i < 102 THEN i
                        ELSE 12 + (i - 102) %% %(seksi)s END,
                   CASE WHEN i = 0 THEN NULL WHEN i < 12 THEN 1
                        WHEN i < 102 THEN 3 + (i - 12) / %(per)s
                        ELSE 13 + (i - 102) %% %(seksi)s END,
                   '19800101' || lpad((i + 1)::text, 10, '0'),
                   'Pegawai ' || lpad((i + 1)::text, 5, '0'),
                   CASE WHEN i < 102 THEN 'Kepala' ELSE 'Analis' END,
                   CASE WHEN i = 0 THEN 'jpt' WHEN i = 1 THEN 'fungsional'
                        WHEN i < 12 THEN 'administrator' WHEN i < 102 THEN 'pengawas'
                        ELSE 'pelaksana' END,
                   'III/a', '!bench-no-password', true, %(now)s, %(now)s
            FROM generate_series(0, %(n)s - 1) AS i""", params)
        conn.execute("""
            INSERT INTO person_roles (person_id, role)
            SELECT id, 'pegawai' FROM people WHERE org_id = %(org)s
            UNION ALL SELECT id, 'atasan' FROM people WHERE org_id = %(org)s
                AND (id = 1 OR id BETWEEN 3 AND 102)
            UNION ALL SELECT 1, 'pimpinan' UNION ALL SELECT 2, 'admin_kepegawaian'""", params)
        conn.execute("""
            INSERT INTO skps (id, org_id, person_id, appraiser_id, year, approach, is_jpt,
                              status, version, created_at, updated_at)
            SELECT id, org_id, id, supervisor_id, %(year)s, 'kuantitatif', false, 'approved', 1,
                   %(now)s, %(now)s FROM people WHERE org_id = %(org)s""", params)
        conn.execute("""
            INSERT INTO rhks (id, skp_id, kind, description, position)
            SELECT id, id, 'utama', 'Terselenggaranya layanan administrasi', 0
            FROM people WHERE org_id = %(org)s""", params)
        conn.execute("""
            INSERT INTO indicators (id, rhk_id, aspect, description, target_min, unit, position)
            SELECT 2 * id - 1, id, 'kuantitas', 'Dokumen', 240, 'dokumen', 0
            FROM people WHERE org_id = %(org)s
            UNION ALL SELECT 2 * id, id, 'kuantitas', 'Laporan', 120, 'laporan', 1
            FROM people WHERE org_id = %(org)s""", params)
        for table in ("units", "people", "skps", "rhks", "indicators"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT MAX(id) FROM {table}))")
        # Activities: without secondary indexes and foreign-key triggers while loading; the
        # indexes are rebuilt after (the primary key stays: other tables refer to it).
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'activities' "
            "AND indexname <> 'pk_activities'").fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        partitions.prepare_bulk_load(conn, working[0], today)  # PostgreSQL: the months
        conn.execute("SET session_replication_role = replica")
        activity_sql = """
            INSERT INTO activities (id, org_id, person_id, date, start_time, end_time,
                duration_minutes, description, quantity, target_id, work_kind, status,
                is_late, submitted_at, version, created_at, updated_at)
            SELECT gen_random_uuid()::text, %(org)s, p.id, d.day,
                   make_time(7 + k, 0, 0), make_time(8 + k, 0, 0), 60, 'Kegiatan harian',
                   CASE WHEN h %% 100 < 80 THEN 1 + h %% 3 END,
                   CASE WHEN h %% 100 < 80 THEN 2 * p.id - (k %% 2) END,
                   CASE WHEN h %% 100 < 80 THEN 'skp' ELSE 'lainnya' END,
                   CASE WHEN h / 100 %% 100 < 70 THEN 'approved'
                        WHEN h / 100 %% 100 < 85 THEN 'submitted'
                        WHEN h / 100 %% 100 < 95 THEN 'draft' ELSE 'returned' END,
                   h / 10000 %% 100 < 5,
                   CASE WHEN h / 100 %% 100 < 85 OR h / 100 %% 100 >= 95
                        THEN d.day + time '10:00' END,
                   1, %(now)s, %(now)s
            FROM people p
            CROSS JOIN unnest(%(days)s::date[]) AS d(day)
            CROSS JOIN LATERAL generate_series(
                0, abs(hashtext(p.id::text || d.day::text)) %% 3) AS k
            CROSS JOIN LATERAL (SELECT abs(hashtext(p.id::text || '/' || d.day::text || '/'
                                                    || k::text)) AS h) AS x
            WHERE p.org_id = %(org)s"""
        conn.execute(activity_sql, {**params, "days": working})
        # Today: three people in four have logged something already.
        conn.execute(activity_sql + " AND abs(hashtext(p.id::text)) %% 4 <> 0",
                     {**params, "days": [today]})
        conn.execute("SET session_replication_role = origin")
        partitions.finish_bulk_load(conn)  # the keys the triggers (off) would have claimed
        loaded = time.perf_counter() - started
        for _name, definition in indexes:
            conn.execute(partitions.index_definition(definition))
        conn.execute("""
            INSERT INTO survey_responses (org_id, unit_id, submitted_at, u1, u2, u3, u4, u5,
                                          u6, u7, u8, u9, service_name)
            SELECT %(org)s, u.id, %(now)s - (r * interval '5 days'),
                   a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], 'Layanan umum'
            FROM units u CROSS JOIN generate_series(1, %(per_unit)s) AS r
            CROSS JOIN LATERAL (SELECT array_agg(CASE
                    WHEN abs(hashtext(u.id || '/' || r || '/' || q)) %% 20 < 1 THEN 2
                    WHEN abs(hashtext(u.id || '/' || r || '/' || q)) %% 20 < 6 + u.id %% 6 THEN 3
                    ELSE 4 END ORDER BY q) AS a
                FROM generate_series(1, 9) AS q) AS answers
            WHERE u.org_id = %(org)s""", {**params, "per_unit": survey_per_unit})
        # The last closed quarter, everyone assessed: the predikat panel has a whole
        # organisation to count. Ratings spread by a hash; the predikat follows the matrix.
        quarter = (today.month - 1) // 3
        year, quarter = (today.year, quarter) if quarter else (today.year - 1, 4)
        starts = date(year, 3 * quarter - 2, 1)
        ends = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
                ) - timedelta(days=1)
        period = conn.execute(
            "INSERT INTO evaluation_periods (org_id, name, kind, year, starts_on, ends_on, "
            "deadline, is_final, created_at, updated_at) VALUES (%s, %s, 'quarterly', %s, %s, "
            "%s, %s, false, %s, %s) RETURNING id",
            (org, f"Triwulan {'I II III IV'.split()[quarter - 1]} {year}", year, starts, ends,
             ends + timedelta(days=7), now, now)).fetchone()[0]
        conn.execute("""
            INSERT INTO evaluations (org_id, person_id, period_id, skp_id, appraiser_id, status,
                is_jpt, reopened, hasil_kerja, perilaku_kerja, predikat, submitted_at,
                assessed_at, version, created_at, updated_at)
            SELECT %(org)s, p.id, %(period)s, p.id, p.supervisor_id, 'assessed', false, false,
                   r.hasil, r.perilaku,
                   CASE WHEN r.perilaku = 'di_bawah' THEN
                            CASE WHEN r.hasil = 'di_bawah' THEN 'sangat_kurang'
                                 ELSE 'kurang_misconduct' END
                        WHEN r.hasil = 'di_bawah' THEN 'butuh_perbaikan'
                        WHEN r.hasil = 'di_atas' AND r.perilaku = 'di_atas' THEN 'sangat_baik'
                        ELSE 'baik' END,
                   %(now)s, %(now)s, 2, %(now)s, %(now)s
            FROM people p CROSS JOIN LATERAL (SELECT
                CASE WHEN abs(hashtext(p.id || '/h')) %% 10 < 2 THEN 'di_atas'
                     WHEN abs(hashtext(p.id || '/h')) %% 10 < 9 THEN 'sesuai'
                     ELSE 'di_bawah' END AS hasil,
                CASE WHEN abs(hashtext(p.id || '/p')) %% 20 < 5 THEN 'di_atas'
                     WHEN abs(hashtext(p.id || '/p')) %% 20 < 19 THEN 'sesuai'
                     ELSE 'di_bawah' END AS perilaku) AS r
            WHERE p.org_id = %(org)s AND p.supervisor_id IS NOT NULL""",
                     {**params, "period": period})
        conn.execute("VACUUM ANALYZE")
        count = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    return {"activities": count, "working_days": len(working) + 1,
            "load_seconds": round(loaded, 1),
            "seed_seconds": round(time.perf_counter() - started, 1)}


def main():
    args = options()
    started = time.time()
    wrk = None if args.python_loadgen else loadgen.ensure_wrk()
    results = {"database": "PostgreSQL", "people": args.people,
               "when": datetime.now().isoformat(timespec="seconds"), "figures": {}}
    figures = results["figures"]
    database = create_database()
    name, url, secret, env = database.name, database.url, database.secret, database.env
    try:
        today = datetime.now(ZoneInfo(TIMEZONE)).date()
        results["seed"] = load(url, args.people, args.survey_per_unit, today)
        print(f"  seeded {results['seed']['activities']:,} activities of {args.people:,} "
              f"people in {results['seed']['seed_seconds']} s")
        from app import create_app

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
        logging.getLogger("app").setLevel(logging.WARNING)  # not a line per token
        callers = {"seksi head": FIRST_SEKSI_HEAD, "bidang head": FIRST_BIDANG_HEAD,
                   "head": HEAD, "admin": ADMIN}
        tokens = seed.make_tokens(app, list(callers.values()))
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()
        bearer = {who: f"Bearer {tokens[pid]}" for who, pid in callers.items()}
        server = Server(env, SimpleNamespace(workers=args.workers, worker_class="sync",
                                             threads=1))
        results["gunicorn"] = " ".join(server.settings)
        with server, tempfile.TemporaryDirectory() as workdir:
            def get_json(path, who):
                request = urllib.request.Request(server.base + path,
                                                 headers={"Authorization": bearer[who]})
                with urllib.request.urlopen(request, timeout=60) as response:
                    return json.load(response)

            team = get_json("/api/v1/dashboards/team", "seksi head")
            organisation = get_json("/api/v1/dashboards/organisation", "admin")
            results["check"] = {
                "team_people": team["pagination"]["total"],
                "team_logged_today": len(team["logged_today"]),
                "team_waiting": team["reviews"]["waiting"],
                "units": len(organisation["units"]),
                "organisation_people": organisation["totals"]["people"],
                "organisation_activities_month": organisation["totals"]["activities"],
                "organisation_compliance": organisation["totals"]["compliance_percent"],
                "units_with_survey": sum(1 for u in organisation["units"] if u["survey"]),
                "predikat_period": organisation["predikat_period"],
                "people_with_predikat": sum(sum(u["predikat"].values())
                                            for u in organisation["units"] if u["predikat"])}

            def measure(label, path, who=None):
                scenario = loadgen.Scenario("get", path, token=bearer[who] if who else "")
                if wrk:
                    def run(seconds):
                        return loadgen.run_wrk(wrk, server.base, scenario, seconds=seconds,
                                               connections=1, threads=1, workdir=Path(workdir))
                else:
                    def run(seconds):
                        return loadgen.run_python("127.0.0.1", server.port, scenario,
                                                  seconds=seconds, connections=1)
                run(2)  # warm
                result = run(args.seconds)
                figures[label] = {**result.__dict__, "path": path, "caller": who}
                print(f"  {label:<40} p50 {result.p50_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms"
                      f"  ({result.requests} requests, non-2xx {result.non2xx})")

            measure("healthz", "/healthz")
            # The team dashboard shows 50 people a page (the reviews and today's logging
            # are always the whole team's); the seksi head's ~110 fit on one page of 200.
            measure("team JSON (seksi head, all ~110)", "/api/v1/dashboards/team?per_page=200",
                    "seksi head")
            measure("team page (seksi head, 50 a page)", "/dasbor", "seksi head")
            measure("team JSON (bidang head, ~1,100, 50 a page)", "/api/v1/dashboards/team",
                    "bidang head")
            measure("team JSON (head, ~10,000, 50 a page)", "/api/v1/dashboards/team", "head")
            measure("organisation JSON (admin, 101 units)", "/api/v1/dashboards/organisation",
                    "admin")
            measure("organisation page (admin)", "/dasbor/organisasi", "admin")
            measure("healthz (again)", "/healthz")
        results["load_generator"] = figures["healthz"]["generator"]
    finally:
        drop_database(name)
    results["seconds_total"] = round(time.time() - started)
    report(results)


def report(results: dict) -> None:
    f = results["figures"]
    health = f["healthz"]
    seeded, check = results["seed"], results["check"]
    lines = [
        "",
        f"Kinerjaku dashboards bench, {results['when']}: PostgreSQL, gunicorn "
        f"{results['gunicorn']}, one connection, load from {results['load_generator']}",
        f"{results['people']:,} people in 101 units; {seeded['activities']:,} activities over "
        f"{seeded['working_days']} working days (seeded in {seeded['seed_seconds']} s).",
        "",
        f"{'request':<42}{'median':>10}{'p95':>10}{'median vs /healthz':>22}",
        "-" * 84,
    ]
    for label, figure in f.items():
        ratio = figure["p50_ms"] / health["p50_ms"] if health["p50_ms"] else 0
        lines.append(f"{label:<42}{figure['p50_ms']:>7.1f} ms{figure['p95_ms']:>7.1f} ms"
                     f"{ratio:>20.1f} x" + (f"  non-2xx {figure['non2xx']}"
                                             if figure["non2xx"] else ""))
    lines += [
        "",
        f"Check: the seksi head's team has {check['team_people']} people "
        f"({check['team_logged_today']} logged today, {check['team_waiting']:,} activities "
        f"waiting for review); the organisation dashboard shows {check['units']} units, "
        f"{check['organisation_people']:,} people, {check['organisation_activities_month']:,} "
        f"activities this month, compliance {check['organisation_compliance']} %, "
        f"{check['units_with_survey']} units with a survey index, and the predikat of "
        f"{check['people_with_predikat']:,} people in {check['predikat_period']}.",
        f"Whole run: {results['seconds_total']} s.",
    ]
    text = "\n".join(lines)
    print(text)
    head = f.get("team JSON (head, ~10,000, 50 a page)")
    if head:
        bench_results.record(
            "dashboards_10000", f"team dashboard, {results['people']:,} people, p50",
            unit="ms", value=round(head["p50_ms"], 1), reference=round(health["p50_ms"], 2),
            reference_label="GET /healthz p50, 1 connection", higher_is_better=False,
            settings=f"gunicorn {results['gunicorn']}, one connection; organisation JSON "
                     f"p50 {f['organisation JSON (admin, 101 units)']['p50_ms']:.0f} ms")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"dashboards-{stamp}.txt").write_text(text + "\n")
    (out / f"dashboards-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"Written to bench-results/dashboards-{stamp}.txt and .json")


if __name__ == "__main__":
    main()
