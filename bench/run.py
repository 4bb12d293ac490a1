"""``make bench``: the figures of issue 3, each against GET /healthz in the same run.

1. POST /api/v1/activities on PostgreSQL under gunicorn: requests/s and the ratio to /healthz.
2. POST /api/v1/activities/batch (100 entries a request): activities/s.
3. GET /api/v1/recaps/monthly/team for a 50-person team over 1,000,000 activities: median
   and p95 ms, with /healthz measured the same way as the reference.

It creates ``kinerjaku_bench_<random>`` on the PostgreSQL at 127.0.0.1:5432 (user postgres),
migrates it with ``flask db upgrade``, bulk-loads it, serves the app with gunicorn on a free
local port, drives it with wrk (or a Python generator when wrk cannot be had), prints a table,
writes it to bench-results/, and drops the database. Next to requests/s it reports the CPU
milliseconds per request of the app (gunicorn and its workers) and of the database backends:
unlike throughput, that hardly moves when other work shares the machine. Each measurement
starts from a CHECKPOINT and reports how many checkpoints began during it: a checkpoint that
an earlier measurement's writes made due would otherwise land in a random one.

gunicorn: 4 sync workers for every figure (2 cores here). Each request is short and CPU-bound
once its few round trips are done, so a process per core or two keeps the cores busy; gthread
workers measured slower for writes here (the GIL serialises a worker's threads), and gevent
is for the long-lived stream only (deploy/gunicorn_stream.py). Production (README.md) runs
the same app with threads for the live stream's sake; ``--worker-class``/``--threads`` try it.

Iterating on the create path: ``--only post --rows 5000 --seconds 5 --rounds 3`` (about a
minute; ``--rounds`` alternates /healthz and POST and reports the median ratio), and
``bench/profile_create.py`` for where one create spends its time in-process.
"""

import argparse
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, seed  # noqa: E402
from bench import results as bench_results  # noqa: E402

ADMIN_URL = os.environ.get("KINERJAKU_BENCH_POSTGRES_URL",
                           "postgresql://postgres@127.0.0.1:5432/postgres")
BIN = Path(sys.executable).parent
#: The peer benchmark (see its README): it builds its own virtualenv, outside the repository.
PEER = ROOT.parent / "shared" / "peer-timetagger" / "run.sh"


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="per measurement")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--team", type=int, default=50)
    parser.add_argument("--batch", type=int, default=100, help="entries per batch request")
    parser.add_argument("--posters", type=int, default=300,
                        help="people posting activities, each with their own token")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="for --worker-class gthread")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--python-loadgen", action="store_true", help="do not use wrk")
    parser.add_argument("--rounds", type=int, default=3,
                        help="measure /healthz and POST /activities alternately this many "
                             "times and report each pair's ratio and their median: on a "
                             "machine shared with other work a single pair can mislead")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=None,
                        help="also run the peer benchmark (Timetagger) and print the ratios; "
                             f"default: when {PEER.relative_to(ROOT.parent)} exists beside "
                             "the project")
    parser.add_argument("--lane", action=argparse.BooleanOptionalAction, default=True,
                        help="--no-lane serves the creates without the WSGI create lane "
                             "(app/activities/lane.py), to measure what it is worth")
    parser.add_argument("--only", choices=("post", "batch", "recap"), action="append",
                        help="measure only these figures (repeatable; /healthz always); "
                             "e.g. --only post --rows 10000 to iterate on the create path")
    return parser.parse_args()


@dataclass
class Database:
    """A throwaway benchmark database: its name, URL, the app's secret and the environment
    for the app's commands and servers."""

    name: str
    url: str
    secret: str
    env: dict


def create_database() -> Database:
    """Create and migrate ``kinerjaku_bench_<random>`` on the server at ``ADMIN_URL``; drop
    it with :func:`drop_database`, also when what follows fails."""
    name = f"kinerjaku_bench_{secrets.token_hex(5)}"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    secret = secrets.token_hex(32)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "FLASK_APP": "app"}
    env.pop("REDIS_URL", None)
    print(f"Benchmark database {name}")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except BaseException:
        drop_database(name)
        raise
    return Database(name, url, secret, env)


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"Dropped {name}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the app; the same settings for every endpoint measured."""

    def __init__(self, env: dict, args):
        self.port = free_port()
        self.settings = [f"--workers={args.workers}", f"--worker-class={args.worker_class}"]
        if args.worker_class == "gthread":
            self.settings.append(f"--threads={args.threads}")
        # The production settings file (garbage collector tuning), for every endpoint.
        self.settings.append("--config=deploy/gunicorn_app.py")
        self.command = [str(BIN / "gunicorn"), *self.settings, "--bind",
                        f"127.0.0.1:{self.port}", "--log-level", "warning",
                        "--graceful-timeout", "5", "app:create_app()"]
        lane = getattr(args, "lane", True)  # the other benches pass only what they set
        self.env = env if lane else {**env, "KINERJAKU_CREATE_LANE": "off"}
        if not lane:
            self.settings.append("(create lane off)")
        self.process = None

    def __enter__(self):
        # The app logs each write at INFO; keep that out of the figures' table.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.seek(0)
        errors = [line for line in self.log.read().decode(errors="replace").splitlines()
                  if " ERROR " in line or "Traceback" in line]
        self.log.close()
        if errors:
            print(f"  gunicorn logged {len(errors)} errors, the first: {errors[0]}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_pid: int, database: str) -> dict:
    """CPU seconds used so far by gunicorn and its workers ("app") and by the PostgreSQL
    backends serving ``database`` ("database"): unlike requests per second, CPU per request
    hardly moves when other work shares the machine. Linux only (zeros elsewhere)."""
    if not Path("/proc").is_dir():
        return {"app": 0.0, "database": 0.0}
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    workers = [int(p) for p in children.read_text().split()] if children.exists() else []
    app = sum(_process_cpu(pid) for pid in [server_pid, *workers])
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        backends = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,))]
    return {"app": app, "database": sum(_process_cpu(pid) for pid in backends)}


def checkpoint() -> None:
    """Write out every page dirtied so far. Each measurement starts from one, so none of them
    shares the machine with a checkpoint that an earlier one's writes made due; each still
    pays for its own first change to every page after it (the whole page goes to the WAL)."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


def checkpoints_so_far() -> int:
    """Checkpoints the server has begun (timed or requested) since its statistics reset."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        try:
            row = conn.execute("SELECT num_timed + num_requested FROM pg_stat_checkpointer")
        except psycopg.errors.UndefinedTable:  # before PostgreSQL 17
            row = conn.execute("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")
        return row.fetchone()[0]


def worker_memory(server_pid: int) -> dict | None:
    """Memory of each gunicorn worker now (after the load), in MiB, from
    /proc/PID/smaps_rollup: resident, private (clean + dirty: what the worker alone holds,
    not shared with the master or its siblings) and proportional (PSS). Linux only."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    if not children.exists():
        return None
    workers = {}
    for pid in children.read_text().split():
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kib = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:]
               if line.endswith("kB")}
        workers[pid] = {"rss": kib["Rss"] / 1024, "pss": kib["Pss"] / 1024,
                        "private": (kib["Private_Clean"] + kib["Private_Dirty"]) / 1024}
    return {"workers": workers,
            "max_private": max((w["private"] for w in workers.values()), default=0)}


def run_peer() -> dict:
    """The peer's figures (its last output line, JSON), measured now on this machine; its
    servers are stopped before this returns. ``{"error": ...}`` when it could not run."""
    print(f"Peer benchmark: {PEER} (about 2.5 minutes)")
    try:
        done = subprocess.run(["bash", str(PEER)], capture_output=True, text=True,
                              timeout=900)
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    lines = done.stdout.strip().splitlines()
    try:
        figures = json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"error": (done.stderr or done.stdout).strip()[-300:] or f"exit {done.returncode}"}
    return figures


def route_exists(route: str) -> bool:
    """Whether the activities API defines ``route`` (it is being built alongside)."""
    source = (ROOT / "app" / "activities" / "api.py").read_text()
    return f'"{route}"' in source


def round_trips_per_post(app, token: str, target_id: int, day: str) -> dict:
    """SQL statements and transactions of one POST /api/v1/activities, counted in-process."""
    from app.extensions import db

    seen = {"statements": [], "transactions": 0}
    with app.app_context():
        engine = db.engine

    def statement(conn, cursor, text, *rest):
        seen["statements"].append(" ".join(text.split())[:90])

    def begin(conn):
        seen["transactions"] += 1

    client = app.test_client()
    body = {"date": day, "start_time": "16:00", "end_time": "16:30", "unit": "dokumen",
            "description": loadgen.DESCRIPTION, "quantity": 1, "target_id": target_id}
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/activities", json={**body, "id": seed.uuid.uuid4().hex},
                headers=headers)  # warm: first-request imports and caches
    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(engine, "begin", begin)
    try:
        response = client.post("/api/v1/activities",
                               json={**body, "id": str(seed.uuid.uuid4())}, headers=headers)
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(engine, "begin", begin)
    return {"status": response.status_code, "statements": seen["statements"],
            "transactions": seen["transactions"]}


def main():
    args = options()
    started = time.time()
    wrk = None if args.python_loadgen else loadgen.ensure_wrk()
    results = {"database": "PostgreSQL", "rows": args.rows, "team": args.team,
               "when": datetime.now().isoformat(timespec="seconds"), "figures": {}}
    figures = results["figures"]
    database = create_database()
    name, url, secret, env = database.name, database.url, database.secret, database.env
    try:
        today = datetime.now(ZoneInfo(seed.TIMEZONE)).date()
        recap_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        world = seed.load(url, people=args.people, team=args.team, rows=args.rows,
                          posters=args.posters,
                          year_end=today - timedelta(days=today.day))
        from app import create_app

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
        logging.getLogger("app").setLevel(logging.WARNING)  # not a line per token
        people = world.posters[:args.posters]
        tokens = seed.make_tokens(app, [world.supervisor_id, *people])
        posters = tuple((tokens[pid], world.indicators[pid][0]) for pid in people)
        # The working days of the current (open) month so far.
        from app.activities.deadlines import is_working_day

        month = [today.replace(day=1) + timedelta(days=n) for n in range(today.day)]
        days = tuple(day.isoformat() for day in month if is_working_day(day)) or (
            today.isoformat(),)
        results["posters"], results["days"] = len(posters), len(days)
        has_post, has_batch = route_exists("/activities"), route_exists("/activities/batch")
        wanted = set(args.only or ("post", "batch", "recap"))
        has_post, has_batch = has_post and "post" in wanted, has_batch and "batch" in wanted
        if has_post:
            results["post_round_trips"] = round_trips_per_post(
                app, posters[0][0], posters[0][1], today.isoformat())
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()

        server = Server(env, args)
        results["gunicorn"] = " ".join(server.settings)
        with server, tempfile.TemporaryDirectory() as workdir:
            def measure(label, scenario, seconds=args.seconds, connections=args.connections,
                        warm=3, rows=False):
                run = (lambda s, c: loadgen.run_wrk(
                    wrk, server.base, scenario, seconds=s, connections=c,
                    threads=min(2, c), workdir=Path(workdir))) if wrk else (
                    lambda s, c: loadgen.run_python("127.0.0.1", server.port, scenario,
                                                    seconds=s, connections=c))
                checkpoint()
                if warm:
                    run(warm, min(4, connections))
                stored = seed.count_activities(url) if rows else 0
                before, began = cpu_seconds(server.process.pid, name), checkpoints_so_far()
                result = run(seconds, connections)
                after = cpu_seconds(server.process.pid, name)
                figures[label] = {**result.__dict__, "rps": round(result.rps, 1),
                                  "checkpoints_during": checkpoints_so_far() - began}
                if rows:  # written in the timed window only, not in the warm-up
                    figures[label]["rows_added"] = seed.count_activities(url) - stored
                if result.requests:
                    figures[label]["cpu_ms_per_request"] = {
                        part: round((after[part] - before[part]) * 1000 / result.requests, 3)
                        for part in after}
                cpu = figures[label].get("cpu_ms_per_request", {})
                print(f"  {label:<34} {result.rps:>9,.1f} req/s  p50 {result.p50_ms:7.1f} ms"
                      f"  p95 {result.p95_ms:7.1f} ms  non-2xx {result.non2xx}"
                      f"  socket errors {result.socket_errors}  CPU/request: app "
                      f"{cpu.get('app', 0):.2f} ms, database {cpu.get('database', 0):.2f} ms"
                      f"  checkpoints during: {figures[label]['checkpoints_during']}")
                return result

            health = loadgen.Scenario("get", "/healthz")
            hello = measure("healthz", health)
            if has_post:
                single = loadgen.Scenario("single", "/api/v1/activities", posters=posters,
                                          days=days)
                post = measure("post_activity", single, rows=True)
                figures["post_activity"]["ratio_to_healthz"] = round(post.rps / hello.rps, 3)
                pairs = [(hello.rps, post.rps)]
                for n in range(2, args.rounds + 1):
                    again = measure(f"healthz_round_{n}", health, warm=1).rps
                    pairs.append((again, measure(f"post_activity_round_{n}", single,
                                                 warm=1).rps))
                if args.rounds > 1:
                    ratios = sorted(p / h for h, p in pairs)
                    results["post_rounds"] = {
                        "pairs": [[round(h, 1), round(p, 1)] for h, p in pairs],
                        "ratios": [round(p / h, 3) for h, p in pairs],
                        "median_ratio": round(ratios[len(ratios) // 2], 3)
                        if len(ratios) % 2 else round(
                            (ratios[len(ratios) // 2 - 1] + ratios[len(ratios) // 2]) / 2, 3)}
            if has_batch:
                batch = measure("batch_100", loadgen.Scenario(
                    "batch", "/api/v1/activities/batch", posters=posters, days=days,
                    batch=args.batch, made=single.made if has_post else [0]),
                    connections=max(2, args.connections // 2), rows=True)
                added = figures["batch_100"]["rows_added"]
                figures["batch_100"].update(
                    activities_per_s=round(added / batch.seconds, 1),
                    ratio_to_healthz=round(added / batch.seconds / hello.rps, 3))
                if has_post:
                    figures["batch_100"]["times_single_post"] = round(
                        added / batch.seconds / post.rps, 1)
            if "recap" in wanted:
                recap_figures(measure, server, tokens[world.supervisor_id], recap_month,
                              health, hello, results)
            results["memory"] = worker_memory(server.process.pid)
        if has_post:
            # Thousands of concurrent creates later, every person's audit chain must verify.
            check = subprocess.run([str(BIN / "flask"), "audit-verify"], cwd=ROOT, env=env,
                                   capture_output=True, text=True)
            results["audit_verify"] = {"exit": check.returncode,
                                       "output": check.stdout.strip().splitlines()[:5]}
        results["load_generator"] = figures["healthz"]["generator"]
        results["pending"] = [route for route, there in (
            ("POST /api/v1/activities", route_exists("/activities")),
            ("POST /api/v1/activities/batch", route_exists("/activities/batch"))) if not there]
    finally:
        drop_database(name)
    if args.peer or (args.peer is None and PEER.exists()):
        results["peer"] = run_peer()
    results["seconds_total"] = round(time.time() - started)
    report(results)


def recap_figures(measure, server, token, recap_month, health, hello, results) -> None:
    """The team recap over the bulk-loaded month, against /healthz with 1 connection too."""
    figures = results["figures"]
    team_url = f"/api/v1/recaps/monthly/team?month={recap_month:%Y-%m}"
    bearer = f"Bearer {token}"
    check = urllib.request.Request(server.base + team_url,
                                   headers={"Authorization": bearer})
    with urllib.request.urlopen(check, timeout=30) as response:
        people = json.load(response)["people"]
    results["team_recap_check"] = {
        "people": len(people),
        "activities": sum(p["activity_count"] for p in people)}
    hello1 = measure("healthz_1conn", health, seconds=10, connections=1)
    recap1 = measure("team_recap_1conn", loadgen.Scenario("get", team_url,
                                                          token=bearer),
                     seconds=10, connections=1)
    recap = measure("team_recap", loadgen.Scenario("get", team_url, token=bearer),
                    seconds=10)
    figures["team_recap_1conn"]["median_ratio_to_healthz"] = round(
        recap1.p50_ms / hello1.p50_ms, 1) if hello1.p50_ms else None
    figures["team_recap"]["ratio_to_healthz"] = round(recap.rps / hello.rps, 3)


def report(results: dict) -> None:
    f = results["figures"]
    lines = [
        "",
        f"Kinerjaku bench, {results['when']}: PostgreSQL, gunicorn {results['gunicorn']} "
        f"(the same for every figure), load from {results['load_generator']}",
        f"Writes: {results['posters']} people, each with their own token, over "
        f"{results['days']} working days of the open month.",
        "",
        f"{'figure':<46}{'value':>14}{'vs /healthz':>14}",
        "-" * 74,
        f"{'GET /healthz (hello world)':<46}{f['healthz']['rps']:>10,.0f} r/s{'100 %':>14}",
    ]
    if "post_activity" in f:
        p = f["post_activity"]
        lines.append(f"{'POST /api/v1/activities':<46}{p['rps']:>10,.0f} r/s"
                     f"{p['ratio_to_healthz']:>13.1%}")
        h_cpu, p_cpu = f["healthz"].get("cpu_ms_per_request"), p.get("cpu_ms_per_request")
        if h_cpu and p_cpu:
            lines.append(f"{'  CPU per request, app + database (ms)':<46}"
                         f"{p_cpu['app']:>6.2f} +{p_cpu['database']:>5.2f}"
                         f"{h_cpu['app']:>8.2f} +{h_cpu['database']:>4.2f}")
    else:
        lines.append(f"{'POST /api/v1/activities':<46}{'pending':>14}")
    rounds = results.get("post_rounds")
    if rounds:
        lines.append(f"{'  rounds (healthz, POST r/s -> ratio):':<46}")
        lines += [f"{'':<6}{h:>10,.0f} {p:>8,.0f} -> {r:.1%}"
                  for (h, p), r in zip(rounds["pairs"], rounds["ratios"], strict=True)]
        lines.append(f"{'  median ratio over ' + str(len(rounds['pairs'])) + ' rounds':<46}"
                     f"{'':>14}{rounds['median_ratio']:>13.1%}")
    if "batch_100" in f:
        b = f["batch_100"]
        lines.append(f"{'POST /activities/batch (activities/s)':<46}"
                     f"{b['activities_per_s']:>10,.0f} a/s{b['ratio_to_healthz']:>13.1%}")
        if "times_single_post" in b:
            lines.append(f"{'  per activity vs single POSTs':<46}"
                         f"{b['times_single_post']:>12.1f} x")
    else:
        lines.append(f"{'POST /api/v1/activities/batch':<46}{'pending':>14}")
    if "team_recap" in f:
        lines += recap_lines(results)
    lines += memory_lines(results.get("memory")) + peer_lines(results)
    trips = results.get("post_round_trips")
    if trips:
        lines.append(f"One POST /api/v1/activities (status {trips['status']}): "
                     f"{len(trips['statements'])} SQL statements, "
                     f"{trips['transactions']} BEGIN ... COMMIT block(s) "
                     "(a statement outside one commits on its own):")
        lines += [f"    {s}" for s in trips["statements"]]
    verify = results.get("audit_verify")
    if verify:
        lines.append("flask audit-verify after the writes: "
                     + ("; ".join(verify["output"]) or f"exit {verify['exit']}"))
    if results["pending"]:
        lines.append("Pending (route not built yet): " + ", ".join(results["pending"]))
    lines.append(f"Whole run: {results['seconds_total']} s.")
    text = "\n".join(lines)
    print(text)
    record(results)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"bench-{stamp}.txt").write_text(text + "\n")
    (out / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"Written to bench-results/bench-{stamp}.txt and .json")


def record(results: dict) -> None:
    """This run's figures into bench/results/latest.json (the table ``make bench`` ends on)."""
    f = results["figures"]
    health = f["healthz"]["rps"]
    settings = f"PostgreSQL, gunicorn {results['gunicorn']}, {results['load_generator']}"
    if "post_activity" in f:
        bench_results.record("activity_post_postgresql", "activity POST, PostgreSQL",
                             unit="req/s", value=round(f["post_activity"]["rps"], 1),
                             reference=round(health, 1), reference_label="GET /healthz",
                             settings=settings)
    if "batch_100" in f:
        single = f.get("post_activity", {}).get("rps")
        bench_results.record("batch_sync", "batch sync (100 a request)", unit="act/s",
                             value=round(f["batch_100"]["activities_per_s"], 1),
                             reference=round(single, 1) if single else None,
                             reference_label="single POSTs, activities/s", settings=settings)
    if "team_recap_1conn" in f:
        bench_results.record(
            "recap_1m", f"team recap over {results['rows']:,} rows, p50", unit="ms",
            value=round(f["team_recap_1conn"]["p50_ms"], 2),
            reference=round(f["healthz_1conn"]["p50_ms"], 2),
            reference_label="GET /healthz p50, 1 connection", higher_is_better=False,
            settings=f"{results['team']}-person team, 1 connection")


def memory_lines(memory: dict | None) -> list[str]:
    if not memory or not memory["workers"]:
        return []
    workers = memory["workers"].values()
    private = " ".join(f"{w['private']:.0f}" for w in workers)
    return [f"{'memory per worker after the load: private MiB':<46}{private:>28}",
            f"{'  (resident / proportional, largest)':<46}"
            f"{max(w['rss'] for w in workers):>12.0f} /{max(w['pss'] for w in workers):>4.0f}"]


def peer_lines(results: dict) -> list[str]:
    """The peer's figures and Kinerjaku's as ratios to them (the same run, the same machine)."""
    peer, f = results.get("peer"), results["figures"]
    if not peer:
        return []
    if "error" in peer or not peer.get("batch_put_records_per_s"):
        return ["", f"Peer (Timetagger): not measured: {peer.get('error', peer)}"]
    versions = peer.get("versions", {})
    lines = ["", f"Peer: Timetagger {versions.get('timetagger', '?')} on its own server "
                 f"({versions.get('uvicorn_stack', '?')}, one process), measured after the "
                 "figures above" + ("" if peer.get("ok") else " (its own checks FAILED)"),
             f"{'  hello world (its own reference)':<46}{peer['hello_rps']:>10,.0f} r/s",
             f"{'  single PUT, 16 clients':<46}{peer['single_put_records_per_s']:>10,.0f} r/s"
             f"{peer['single_to_hello_ratio']:>13.1%}",
             f"{'  batch PUT of 100 (records/s)':<46}{peer['batch_put_records_per_s']:>10,.0f}"
             " r/s"]
    if "batch_100" in f:
        times = f["batch_100"]["activities_per_s"] / peer["batch_put_records_per_s"]
        lines.append(f"{'Kinerjaku batch / Timetagger batch':<46}{times:>12.2f} x")
        # Rates measured minutes apart on a shared machine move with its load; the CPU each
        # record costs (server and database together) hardly does.
        ours = f["batch_100"].get("cpu_ms_per_request")
        cpu = peer.get("server_cpu_pct", {}).get("batch")
        if ours and cpu:
            theirs = cpu * 10 / peer["batch_put_records_per_s"] * 100
            lines.append(f"{'  CPU ms per 100 records: Kinerjaku / peer':<46}"
                         f"{ours['app'] + ours['database']:>7.1f} /{theirs:>5.1f}")
    if "post_activity" in f and peer.get("single_to_hello_ratio"):
        ours = results.get("post_rounds", {}).get("median_ratio",
                                                   f["post_activity"]["ratio_to_healthz"])
        lines.append(f"{'single create vs own hello: Kinerjaku / peer':<46}"
                     f"{ours:>7.1%} /{peer['single_to_hello_ratio']:>6.1%}")
    return lines


def recap_lines(results: dict) -> list[str]:
    f = results["figures"]
    h1, r1, r = f["healthz_1conn"], f["team_recap_1conn"], f["team_recap"]
    return [
        f"{'team recap, 1 connection: median':<46}{r1['p50_ms']:>11.1f} ms"
        f"{h1['p50_ms']:>11.2f} ms",
        f"{'team recap, 1 connection: p95':<46}{r1['p95_ms']:>11.1f} ms"
        f"{h1['p95_ms']:>11.2f} ms",
        f"{'team recap, ' + r['generator'].split(' -t')[0] + ' load: throughput':<46}"
        f"{r['rps']:>10,.0f} r/s{r['ratio_to_healthz']:>13.1%}",
        f"{'team recap, loaded: median / p95':<46}"
        f"{r['p50_ms']:>6.0f} /{r['p95_ms']:>4.0f} ms",
        "",
        f"Team recap: {results['team']} people, "
        f"{results['team_recap_check']['activities']:,} activities in the month, over "
        f"{results['rows']:,} rows.",
    ]


if __name__ == "__main__":
    main()
