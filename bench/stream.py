"""Live-event latency: comment POST to SSE receipt with 1,000 open streams (issue 5).

gunicorn (deploy/gunicorn_stream.py: gevent, --workers 2, 1,000 connections each) against a
throwaway PostgreSQL database and the real Redis. The streams are held by one asyncio process
on raw sockets; a supervisor then posts comments one by one and we time each until the
owner's streams receive it. About a minute.

    .venv/bin/python bench/stream.py [--streams 1000] [--comments 60] [--workers 2]
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import time as time_
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import results as bench_results  # noqa: E402
from bench.run import free_port  # noqa: E402
from bench.seed import make_tokens  # noqa: E402

REDIS_URL = os.environ.get("KINERJAKU_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--owner-streams", type=int, default=10,
                        help="of the streams, how many belong to the comment's recipient")
    parser.add_argument("--comments", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=1000,
                        help="gevent worker_connections per worker")
    return parser.parse_args()


def raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def prepare(url: str):
    """Schema, two organisations with reporting lines, a submitted activity, tokens."""
    from flask_migrate import upgrade

    from app import create_app
    from app.activities import deadlines
    from app.activities import services as activities
    from app.extensions import db
    from app.models import utcnow
    from tests.factories import build_world

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        world = build_world(db)
        owner, supervisor = world.one.staff_a1, world.one.sup_a
        saved = activities.create_activity(
            owner, date=deadlines.local_today(owner, utcnow()), start_time=time_(8),
            end_time=time_(9), description="Bench", work_kind="lainnya")
        activities.submit_activity(owner, saved.activity.id)
        db.session.commit()
        others = [p.id for org in (world.one, world.two) for p in vars(org).values()
                  if hasattr(p, "nip") and p.id not in (owner.id, supervisor.id)]
        ids = {"activity": saved.activity.id, "owner": owner.id, "supervisor": supervisor.id,
               "others": others}
        db.session.remove()
    tokens = make_tokens(app, [ids["owner"], ids["supervisor"], *ids["others"]])
    with app.app_context():
        db.engine.dispose()
    return ids, tokens


async def open_stream(port: int, token: str):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2 ** 20)
    writer.write((f"GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"stream refused: {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    return reader, writer


async def drain(reader) -> None:
    """A background stream: read and forget (nothing is addressed to it)."""
    while await reader.read(65536):
        pass


async def watch(reader, received: dict) -> None:
    """The recipient's stream: note when each comment's event arrives (chunked encoding)."""
    buffer = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        now = time.perf_counter()
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            for line in block.split(b"\n"):
                if line.startswith(b"data: "):
                    data = json.loads(line[6:])
                    comment = (data.get("data") or {}).get("comment") or {}
                    if "id" in comment:
                        received.setdefault(comment["id"], []).append(now)


async def post_comment(port: int, token: str, activity_id: str, body: str):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = json.dumps({"body": body}).encode()
    started = time.perf_counter()
    writer.write((f"POST /api/v1/activities/{activity_id}/comments HTTP/1.1\r\n"
                  f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                  f"Connection: close\r\n\r\n").encode() + payload)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body_bytes = answer.partition(b"\r\n\r\n")
    if b" 201 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"comment refused: {head[:200]!r}")
    return started, json.loads(body_bytes)["id"]


async def measure(port: int, args, ids: dict, tokens: dict) -> dict:
    received: dict = {}
    tasks, writers = [], []
    background = [tokens[p] for p in ids["others"]]
    t0 = time.perf_counter()
    for n in range(args.streams):
        owner = n < args.owner_streams
        token = tokens[ids["owner"]] if owner else background[n % len(background)]
        reader, writer = await open_stream(port, token)
        writers.append(writer)
        tasks.append(asyncio.create_task(watch(reader, received) if owner else drain(reader)))
    opened = time.perf_counter() - t0
    await asyncio.sleep(1)
    latencies, fanout = [], []
    for n in range(args.comments):
        started, comment_id = await post_comment(port, tokens[ids["supervisor"]],
                                                 ids["activity"], f"Komentar {n}")
        deadline = time.perf_counter() + 10
        while len(received.get(comment_id, [])) < args.owner_streams:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"comment {comment_id} reached "
                                   f"{len(received.get(comment_id, []))} streams in 10 s")
            await asyncio.sleep(0.002)
        arrivals = received[comment_id]
        latencies.append((min(arrivals) - started) * 1000)
        fanout.append((max(arrivals) - started) * 1000)
        await asyncio.sleep(0.05)
    for writer in writers:
        writer.close()
    for task in tasks:
        task.cancel()
    return {"opened_s": opened, "latencies": latencies, "all_streams": fanout}


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def healthz_latencies(port: int, count: int = 50) -> list[float]:
    """Milliseconds of ``count`` GET /healthz one after another (the streams still open)."""
    import urllib.request

    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            answer.read()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main():
    args = options()
    raise_fd_limit(args.streams + 256)
    import psycopg

    base = os.environ.get("KINERJAKU_BENCH_POSTGRES_URL",
                          "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"kinerjaku_bench_stream_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{base.rsplit('/', 1)[0]}/{name}"
    process = None
    log = tempfile.TemporaryFile()
    try:
        ids, tokens = prepare(url)
        port = free_port()
        env = {**os.environ, "SECRET_KEY": "bench-stream", "DATABASE_URL": url,
               "REDIS_URL": REDIS_URL, "NOTIFY_CHANNEL_PREFIX": f"bench-{name}:notify:"}
        settings = ["-c", "deploy/gunicorn_stream.py", "--workers", str(args.workers),
                    "--worker-connections", str(args.connections)]
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *settings, "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "app:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=lambda: raise_fd_limit(args.connections * 2 + 256))
        import urllib.request
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError("gunicorn did not start: "
                                       + log.read().decode()[-2000:]) from None
                time.sleep(0.3)
        result = asyncio.run(measure(port, args, ids, tokens))
        hello = healthz_latencies(port)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    first, every = result["latencies"], result["all_streams"]
    print(f"Live events: {args.streams} open streams ({args.owner_streams} of the recipient), "
          f"gunicorn -c deploy/gunicorn_stream.py (gevent) --workers {args.workers} "
          f"--worker-connections {args.connections}, Redis pub/sub, PostgreSQL")
    print(f"  streams opened in {result['opened_s']:.1f} s; {len(first)} comments, one at a time")
    print(f"  comment POST -> first SSE receipt: p50 {statistics.median(first):.1f} ms, "
          f"p95 {percentile(first, 95):.1f} ms, max {max(first):.1f} ms")
    print(f"  comment POST -> all {args.owner_streams} recipient streams: "
          f"p50 {statistics.median(every):.1f} ms, p95 {percentile(every, 95):.1f} ms")
    print(f"  reference: GET /healthz on the same server, p50 {statistics.median(hello):.1f} ms")
    bench_results.record(
        "sse_1000", f"live event, {args.streams:,} streams open, p50", unit="ms",
        value=round(statistics.median(first), 1), reference=round(statistics.median(hello), 2),
        reference_label="GET /healthz p50, same server", higher_is_better=False,
        settings=f"gunicorn gevent -w {args.workers} --worker-connections {args.connections}; "
                 f"comment POST -> first SSE receipt, p95 {percentile(first, 95):.0f} ms")
    log.seek(0)
    errors = [line for line in log.read().decode(errors="replace").splitlines()
              if "ERROR" in line or "Traceback" in line]
    if errors:
        print(f"  gunicorn logged {len(errors)} errors, the first: {errors[0]}")


if __name__ == "__main__":
    main()
