"""``make load``: the deadline day. 10,000 people each sync 4 activities within 10 minutes.

Against the scale-out stack on this machine (tests/scale_out/stack.py): a PostgreSQL primary
and its streaming replica, PgBouncer (transaction pooling), Redis, two app instances
(gunicorn), the task worker and nginx in front, all on loopback in a private folder.

Each person syncs as the PWA does: two activities logged online (two POST /api/v1/activities)
and two queued offline and flushed by the outbox in one POST /api/v1/activities/batch. Every
write carries its client UUID and is sent again with the same UUID after a pause when the
answer is a network error, 408, 429 or 5xx (static/pwa/js/store.js ``isRetryable``), until
acknowledged. Then the database is counted against what the clients were acknowledged:
errors (any answer but an acknowledgement), lost (acknowledged, not stored), doubled (stored
more than once) and unasked (stored, never acknowledged); and p50/p95/p99 per request.

    .venv/bin/python bench/deadline.py [--people 10000] [--clients 48] [--bound 600]

The whole run is bounded: the load stops at ``--bound`` seconds whatever is left (and the
run fails). Figures are printed and recorded in bench/results/latest.json.
"""

import argparse
import http.client
import json
import os
import queue
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, results, seed  # noqa: E402

#: A pause before sending a write again (the outbox waits longer; this keeps the run short).
RETRY_PAUSE = 0.5


def options(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=48,
                        help="concurrent client connections to nginx")
    parser.add_argument("--bound", type=float, default=600, help="seconds the load may take")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--pool-mode", default="transaction", choices=("transaction", "session"))
    return parser.parse_args(argv)


class Person:
    def __init__(self, person_id: int, token: str, target_id: int, day: str):
        self.id, self.token, self.target_id, self.day = person_id, token, target_id, day
        self.ids = [str(uuid.uuid4()) for _ in range(4)]

    def activity(self, n: int) -> dict:
        start = 7 * 60 + n * 45  # 07:00, 07:45, 08:30, 09:15, 30 minutes each
        return {"date": self.day, "start_time": f"{start // 60:02d}:{start % 60:02d}",
                "end_time": f"{(start + 30) // 60:02d}:{(start + 30) % 60:02d}",
                "description": loadgen.DESCRIPTION, "quantity": 1, "unit": "dokumen",
                "target_id": self.target_id}


class Load:
    """Client threads, each on one keep-alive connection to nginx, taking people from a queue."""

    def __init__(self, port: int, people: list[Person], clients: int, bound: float):
        self.port, self.clients = port, clients
        self.todo: queue.Queue = queue.Queue()
        for person in people:
            self.todo.put(person)
        self.deadline = time.monotonic() + bound
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"single": [], "batch": []}
        self.errors: list[str] = []  # every answer that was not an acknowledgement
        self.acknowledged: dict[str, str] = {}  # id -> "created" / "existing"
        self.unfinished: list[str] = []

    def run(self) -> float:
        started = time.perf_counter()
        threads = [threading.Thread(target=self._client, daemon=True)
                   for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    def _client(self) -> None:
        conn = None
        while time.monotonic() < self.deadline:
            try:
                person = self.todo.get_nowait()
            except queue.Empty:
                break
            for n in (0, 1):
                body = {"id": person.ids[n], **person.activity(n)}
                conn = self._until_acknowledged(conn, person, "single", "/api/v1/activities",
                                                body, [person.ids[n]])
            entries = [{"op": "create", "id": person.ids[n], "data": person.activity(n)}
                       for n in (2, 3)]
            conn = self._until_acknowledged(conn, person, "batch", "/api/v1/activities/batch",
                                            {"entries": entries}, person.ids[2:])
        if conn is not None:
            conn.close()
        with self.lock:  # whoever the bound cut off
            while not self.todo.empty():
                self.unfinished.extend(self.todo.get_nowait().ids)

    def _until_acknowledged(self, conn, person, kind, path, body, ids):
        payload = json.dumps(body)
        headers = {"Authorization": f"Bearer {person.token}",
                   "Content-Type": "application/json", "Accept": "application/json"}
        while time.monotonic() < self.deadline:
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("POST", path, body=payload, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                if conn is not None:
                    conn.close()
                conn = None
                with self.lock:
                    self.errors.append(f"{kind}: {type(error).__name__}: {error}")
                time.sleep(RETRY_PAUSE)
                continue
            elapsed = time.perf_counter() - started
            acknowledged = self._acknowledged(kind, status, raw, ids)
            with self.lock:
                self.latency[kind].append(elapsed)
                if acknowledged is not None:
                    for activity_id, result in zip(ids, acknowledged, strict=True):
                        self.acknowledged[activity_id] = result
                    return conn
                self.errors.append(f"{kind}: HTTP {status}: {raw[:200]!r}")
            if not (status in (408, 429) or status >= 500):
                break  # the outbox keeps it for the person's attention: never acknowledged
            time.sleep(RETRY_PAUSE)
        with self.lock:
            self.unfinished.extend(ids)
        return conn

    @staticmethod
    def _acknowledged(kind, status, raw, ids):
        """Per id: "created"/"existing" when all were acknowledged, else None."""
        if kind == "single":
            return [{201: "created", 200: "existing"}[status]] if status in (200, 201) else None
        if status != 200:
            return None
        outcome = [r.get("result") for r in json.loads(raw)["results"]]
        if len(outcome) == len(ids) and all(r in ("created", "existing") for r in outcome):
            return outcome
        return None


def count(stack, acknowledged: dict[str, str]) -> dict:
    """The database against what the clients were told."""
    with stack.primary.connect() as conn:
        rows = conn.execute("SELECT id, count(*) FROM activities WHERE description = %s "
                            "GROUP BY id", (loadgen.DESCRIPTION,)).fetchall()
        per_person = conn.execute(
            "SELECT count(*) FROM (SELECT person_id FROM activities WHERE description = %s "
            "GROUP BY person_id HAVING count(*) <> 4) wrong", (loadgen.DESCRIPTION,)
        ).fetchone()[0]
    stored = {row[0]: row[1] for row in rows}
    return {"stored": sum(stored.values()),
            "lost": len(set(acknowledged) - set(stored)),
            "doubled": sum(1 for n in stored.values() if n > 1),
            "unasked": len(set(stored) - set(acknowledged)),
            "people_without_exactly_4": per_person}


def percentiles(seconds: list[float]) -> dict:
    ms = sorted(x * 1000 for x in seconds) or [0.0]
    return {f"p{p}": loadgen.percentile(ms, p) for p in (50, 95, 99)}


def prepare(stack, people: int) -> list[Person]:
    """``people`` posting people (bulk COPY, bench/seed.py) and a token each (the service)."""
    from flask import current_app

    day = datetime.now(ZoneInfo(seed.TIMEZONE)).date()
    started = time.perf_counter()
    with stack.app_context():  # migrates the primary
        app = current_app._get_current_object()
        world = seed.load(stack.primary.url, people=people + 12, team=10, rows=0,
                          year_end=day, posters=people)
        tokens = seed.make_tokens(app, world.posters)
    print(f"  seeded {len(world.posters):,} people with a token each in "
          f"{time.perf_counter() - started:.0f} s")
    return [Person(pid, tokens[pid], world.indicators[pid][0], day.isoformat())
            for pid in world.posters]


def main(argv=None) -> int:
    args = options(argv if argv is not None else sys.argv[1:])
    from tests.scale_out.stack import scale_out_stack

    print(f"Deadline day: {args.people:,} people x 4 activities through nginx, 2 app "
          f"instances (gunicorn gthread -w {args.workers} -t {args.threads}), PgBouncer "
          f"({args.pool_mode} pooling), PostgreSQL primary + streaming replica, Redis")
    with scale_out_stack(args.pool_mode) as stack:
        people = prepare(stack, args.people)
        stack.start_apps(args.workers, args.threads)
        load = Load(stack.nginx.port, people, args.clients, args.bound)
        seconds = load.run()
        stack.wait_until(stack.replica.replay_caught_up, 60, "the replica")
        counted = count(stack, load.acknowledged)
        proxy_log = (stack.nginx.folder / "error.log").read_text(errors="replace")
        with stack.replica.connect() as conn:
            on_replica = conn.execute("SELECT count(*) FROM activities WHERE description = %s",
                                      (loadgen.DESCRIPTION,)).fetchone()[0]
    requests = len(load.latency["single"]) + len(load.latency["batch"])
    figures = {
        "people": args.people, "activities_expected": 4 * args.people,
        "acknowledged": len(load.acknowledged), "seconds": round(seconds, 1),
        "bound_seconds": args.bound, "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "activities_per_second": round(len(load.acknowledged) / seconds, 1),
        "errors": len(load.errors), "unfinished": len(load.unfinished), **counted,
        "on_replica": on_replica,
        "all_ms": percentiles(load.latency["single"] + load.latency["batch"]),
        "single_ms": percentiles(load.latency["single"]),
        "batch_ms": percentiles(load.latency["batch"]),
        "clients": args.clients, "cores": os.cpu_count(),
    }
    ok = (figures["errors"] == 0 and figures["lost"] == 0 and figures["doubled"] == 0
          and figures["unasked"] == 0 and figures["unfinished"] == 0
          and figures["acknowledged"] == 4 * args.people and seconds <= args.bound
          and counted["people_without_exactly_4"] == 0)
    figures["passed"] = ok
    print(report(figures, args))
    settings = (f"{args.people:,} people x 4, {args.clients} clients; 2 instances gunicorn "
                f"gthread -w {args.workers} -t {args.threads}; PgBouncer {args.pool_mode}; "
                f"{os.cpu_count()} cores")
    results.record("deadline_day", "deadline day: activities synced", unit="act/s",
                   value=figures["activities_per_second"],
                   reference=round(4 * args.people / 600, 1),
                   reference_label="needed: 40,000 in 10 min", settings=settings,
                   extra={"figures": figures})
    for line in load.errors[:5]:
        print("  error:", line[:160])
    if load.errors and proxy_log:
        print("  nginx's error log ends:\n" + proxy_log[-1500:])
    return 0 if ok else 1


def report(f: dict, args) -> str:
    def row(name, value):
        return f"  {name:<44}{value}"
    lines = [
        row("people x activities", f"{f['people']:,} x 4 = {f['activities_expected']:,}"),
        row("acknowledged to the clients", f"{f['acknowledged']:,}"),
        row("stored (primary) / on the replica", f"{f['stored']:,} / {f['on_replica']:,}"),
        row("errors / lost / doubled / unasked",
            f"{f['errors']} / {f['lost']} / {f['doubled']} / {f['unasked']}"),
        row("unfinished at the bound", f"{f['unfinished']}"),
        row("wall time (bound)", f"{f['seconds']:.0f} s ({args.bound:.0f} s)"),
        row("requests (2 single + 1 batch of 2 each)",
            f"{f['requests']:,} ({f['requests_per_second']:.0f}/s, "
            f"{f['activities_per_second']:.0f} activities/s)"),
    ]
    for kind in ("all", "single", "batch"):
        p = f[f"{kind}_ms"]
        lines.append(row(f"latency {kind} p50 / p95 / p99 (ms)",
                         f"{p['p50']:.0f} / {p['p95']:.0f} / {p['p99']:.0f}"))
    lines.append(row("result", "PASSED" if f["passed"] else "FAILED"))
    return "\n".join(lines)


if __name__ == "__main__":
    import pytest

    try:
        sys.exit(main())
    except pytest.skip.Exception as missing:  # a server program is not installed
        sys.exit(f"make load: {missing}")
