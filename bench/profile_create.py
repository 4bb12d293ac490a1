"""Where one POST /api/v1/activities spends its time, in-process, on PostgreSQL.

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
import secrets
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, seed  # noqa: E402
from bench.run import ADMIN_URL  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    name = f"kinerjaku_bench_{secrets.token_hex(5)}"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    secret = secrets.token_hex(32)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "FLASK_APP": "app"}
    env.pop("REDIS_URL", None)
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        import subprocess

        subprocess.run([str(Path(sys.executable).parent / "flask"), "db", "upgrade"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        today = datetime.now(ZoneInfo(seed.TIMEZONE)).date()
        world = seed.load(url, people=200, team=20, rows=2000,
                          year_end=today - timedelta(days=today.day))
        from app import create_app
        from app.extensions import db

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
        logging.getLogger("app").setLevel(logging.WARNING)
        poster = world.posters[0]
        token = seed.make_tokens(app, [poster])[poster]
        target = world.indicators[poster][0]
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
        response = client.post("/api/v1/activities", json=body(0), headers=headers)
        sa.event.remove(engine, "before_cursor_execute", seen)
        print(f"One create answered {response.status_code}: {len(statements)} statements")
        for text in statements:
            print("   ", text)

        bodies = [body(n) for n in range(args.count)]
        started = time.perf_counter()
        for _ in range(args.count):
            client.get("/healthz")
        health = (time.perf_counter() - started) / args.count * 1000
        profiler = cProfile.Profile() if args.profile else None
        statuses = {}
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for item in bodies:
            code = client.post("/api/v1/activities", json=item, headers=headers).status_code
            statuses[code] = statuses.get(code, 0) + 1
        if profiler:
            profiler.disable()
        create = (time.perf_counter() - started) / args.count * 1000
        print(f"GET /healthz {health:.2f} ms, POST /api/v1/activities {create:.2f} ms "
              f"in-process (statuses {statuses})")
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
        with app.app_context():
            db.engine.dispose()
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
