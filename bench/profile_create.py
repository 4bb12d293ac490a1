"""Where one POST /api/v1/activities spends its time, in-process, on PostgreSQL.

``--batch 100`` posts batches of that many creates to /api/v1/activities/batch instead (the
offline outbox); ``--count`` then counts batches.

Creates a throwaway ``kinerjaku_bench_<random>`` database (as bench/run.py does), seeds a
small organisation, then posts ``--count`` activities through the Flask test client with a
bearer token: prints the SQL statements of one create, the mean in-process milliseconds per
create next to GET /healthz, and (``--profile``) a cProfile listing of the creates.

    .venv/bin/python bench/profile_create.py --count 500 --profile
"""

import argparse
import cProfile
import logging
import os
import pstats
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, seed  # noqa: E402
from bench.run import create_database, drop_database  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--batch", type=int, default=0,
                        help="post batches of this many creates instead of single creates")
    parser.add_argument("--phases", action="store_true",
                        help="also time the parts of a create one by one")
    args = parser.parse_args()
    database = create_database()
    url, secret = database.url, database.secret
    try:
        today = datetime.now(ZoneInfo(seed.TIMEZONE)).date()
        world = seed.load(url, people=200, team=20, rows=2000,
                          year_end=today - timedelta(days=today.day))
        from app import create_app
        from app.extensions import db

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
        logging.getLogger("app").setLevel(logging.WARNING)
        poster = world.posters[0]
        # A batch each from a different person (as the outbox of many phones), not one
        # person's day filling up with hundreds of activities.
        batchers = world.posters[:max(1, min(args.count, len(world.posters)))]
        tokens = seed.make_tokens(app, batchers if args.batch else [poster])
        token, target = tokens[poster], world.indicators[poster][0]
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def body(n):
            start = 420 + n % loadgen.SLOTS * 45
            day = today - timedelta(days=n // loadgen.SLOTS % max(1, today.day - 1))
            return {"id": str(seed.uuid.uuid4()), "date": day.isoformat(),
                    "start_time": f"{start // 60:02d}:{start % 60:02d}",
                    "end_time": f"{(start + 30) // 60:02d}:{(start + 30) % 60:02d}",
                    "description": loadgen.DESCRIPTION, "quantity": 1, "unit": "dokumen",
                    "target_id": target}

        for n in range(20):  # warm
            assert client.post("/api/v1/activities", json=body(n), headers=headers
                               ).status_code in (201, 422)
            client.get("/healthz")
        with app.app_context():
            engine = db.engine
        statements = []

        def seen(conn, cursor, text, *rest):
            statements.append(" ".join(text.split())[:110])

        sa.event.listen(engine, "before_cursor_execute", seen)
        if os.environ.get("ECHO"):
            engine.echo = True
        response = client.post("/api/v1/activities", json=body(0), headers=headers)
        engine.echo = False
        sa.event.remove(engine, "before_cursor_execute", seen)
        print(f"One create answered {response.status_code}: {len(statements)} statements")
        for text in statements:
            print("   ", text)

        path = "/api/v1/activities"
        bodies = [body(n) for n in range(args.count)]
        if args.batch:
            path, bodies = path + "/batch", [
                {"entries": [{"op": "create", "id": item.pop("id"), "data": item}
                             for item in (body(n * args.batch + k) for k in range(args.batch))]}
                for n in range(args.count)]
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.count):
            client.get("/healthz")
        health = (time.perf_counter() - started) / args.count * 1000
        health_cpu = (time.process_time() - cpu) / args.count * 1000
        import gc

        # As each gunicorn worker does (deploy/gunicorn_app.py): the app's objects out of the
        # collector's way, and a collection every 50,000 allocations, not every 700.
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        gc_time, gc_runs, gc_started = [0.0], [0, 0, 0], [0.0]

        def gc_watch(phase, info):
            if phase == "start":
                gc_started[0] = time.perf_counter()
            else:
                gc_time[0] += time.perf_counter() - gc_started[0]
                gc_runs[info["generation"]] += 1

        gc.callbacks.append(gc_watch)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        statuses = {}
        started, cpu = time.perf_counter(), time.process_time()
        sampler = None
        if os.environ.get("PYINSTRUMENT"):  # a sampling profiler, when installed
            import pyinstrument

            sampler = pyinstrument.Profiler(interval=0.0002)
            sampler.start()
        if profiler:
            profiler.enable()
        for item in bodies:
            if args.batch:
                who = batchers[len(statuses) and sum(statuses.values()) % len(batchers)]
                headers = {"Authorization": f"Bearer {tokens[who]}"}
                for entry in item["entries"]:
                    entry["data"]["target_id"] = world.indicators[who][0]
            code = client.post(path, json=item, headers=headers).status_code
            statuses[code] = statuses.get(code, 0) + 1
        if profiler:
            profiler.disable()
        if sampler:
            sampler.stop()
            print(sampler.output_text(show_all=bool(os.environ.get("PYINSTRUMENT_ALL")),
                                      color=False, unicode=False))
        create = (time.perf_counter() - started) / args.count * 1000
        create_cpu = (time.process_time() - cpu) / args.count * 1000
        gc.callbacks.remove(gc_watch)
        print(f"Garbage collection during the creates: {gc_time[0] / args.count * 1000:.3f} ms "
              f"per request, collections by generation {gc_runs}")
        print(f"In-process, per request (the test client's own work included): "
              f"GET /healthz {health:.2f} ms ({health_cpu:.2f} ms CPU), "
              f"POST {path} {create:.2f} ms ({create_cpu:.2f} ms CPU of this "
              f"process; the rest is the database) (statuses {statuses})")
        if profiler:
            profiler.dump_stats(os.environ.get("PROFILE_OUT", "/dev/null"))
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
        with app.app_context():  # how PostgreSQL planned the prepared statements
            for plans in db.session.execute(sa.text(
                    "SELECT generic_plans, custom_plans, left(statement, 60) "
                    "FROM pg_prepared_statements ORDER BY custom_plans DESC LIMIT 6")):
                print(f"  generic plans {plans[0]:>5}, custom plans {plans[1]:>5}: "
                      f"{' '.join(plans[2].split())}")
        if args.phases:
            phases(app, token, bodies[0])
        with app.app_context():
            db.engine.dispose()
    finally:
        drop_database(database.name)


def raw_select(db):
    connection = db.session.connection().connection.driver_connection
    connection.execute("SELECT 1").fetchall()
    db.session.rollback()


def phases(app, token, body, n=300):
    """Mean CPU milliseconds of each part of a create, each repeated ``n`` times."""
    from app.activities import services
    from app.activities.schemas import ActivityCreateIn, ActivityWithWarnings
    from app.activities.services import create as reference
    from app.auth.services import person_for_token
    from app.extensions import db

    def timed(label, work, setup=None):
        with app.test_request_context("/api/v1/activities", method="POST", json=body):
            state = setup() if setup else None
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(n):
                work(state)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            db.session.rollback()
        print(f"  {label:<44} {cpu / n * 1000:6.3f} ms CPU {wall / n * 1000:6.3f} ms wall")

    def auth(_):
        person_for_token(token)
        db.session.rollback()

    schema = ActivityCreateIn()
    timed("person_for_token + rollback", auth)
    if os.environ.get("PROFILE_AUTH"):
        profiler = cProfile.Profile()
        profiler.enable()
        timed("person_for_token + rollback (profiled)", auth)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    timed("ActivityCreateIn() construct + load", lambda _: ActivityCreateIn().load(body))
    timed("ActivityCreateIn load (instance)", lambda _: schema.load(body))
    person = {}

    def setup():
        person["p"] = person_for_token(token)
        return schema.load(body)

    def create(args):
        services.create_activity(person["p"], **{**args, "id": str(seed.uuid.uuid4())})
        db.session.rollback()
        person["p"] = person_for_token(token)

    timed("person_for_token + create + rollback", create, setup)

    import types

    def checks_setup():
        args = setup()
        p = person["p"]
        person["n"] = types.SimpleNamespace(id=p.id, org_id=p.org_id, timezone=p.timezone)
        return args

    def checks(args):
        reference._create_checks(person["n"], {**args, "target_id": args.get("target_id")})
        db.session.rollback()

    timed("checks statement + rollback", checks, checks_setup)
    timed("SELECT 1 (session.execute) + rollback",
          lambda _: (db.session.execute(sa.text("SELECT 1")), db.session.rollback()))
    timed("SELECT 1 (raw psycopg) + rollback", lambda _: raw_select(db))
    saved = {}

    def dump_setup():
        args = setup()
        saved["a"] = services.create_activity(person["p"], **args)
        return None

    out = ActivityWithWarnings()
    timed("ActivityWithWarnings dump", lambda _: out.dump(saved["a"]), dump_setup)
    timed("rollback only", lambda _: db.session.rollback())


if __name__ == "__main__":
    main()
