"""``make run``'s server for a phone team, on SQLite: POST latency with the live stream open.

The server ``make run`` starts (its gunicorn settings come from the Makefile's RUN_GUNICORN,
passed on the command line), on a throwaway SQLite database with two organisations
(tests/factories.py). Every person keeps the live stream open, as their phones do; then
``--clients`` connections post single activities back to back (wrk) and, meanwhile, a
supervisor comments on an activity whose owner's stream must show it. Reported: GET /healthz
and POST /api/v1/activities requests/s in the same run (their ratio, over ``--rounds``
alternating pairs: the median pair is the figure), POST median and p95, and how long the
comment took to reach the stream under that load. About 80 s.

    .venv/bin/python bench/make_run.py --workers 1 --worker-class gthread --threads 32
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen, results  # noqa: E402
from bench.run import BIN, free_port  # noqa: E402
from bench.stream import open_stream, post_comment, prepare, watch  # noqa: E402


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--comments", type=int, default=5, help="during the POST load")
    parser.add_argument("--rounds", type=int, default=3,
                        help="measure /healthz and POST alternately this many times and "
                             "report the median of the pairs' ratios (and the POST latency "
                             "of the median pair): a single pair on a shared machine misleads")
    return parser.parse_known_args()


class Streams:
    """Every person's live stream, held open by an event loop in a thread of its own; the
    owner's stream notes when each comment arrives."""

    def __init__(self, port: int, tokens: dict, owner: int):
        self.port, self.tokens, self.owner = port, tokens, owner
        self.received, self.loop = {}, asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self.loop).result(30)
        return self

    async def _open(self):
        self.writers, self.tasks = [], []
        for person, token in self.tokens.items():
            reader, writer = await open_stream(self.port, token)
            self.writers.append(writer)
            received = self.received if person == self.owner else {}
            self.tasks.append(asyncio.ensure_future(watch(reader, received)))

    async def _close(self):
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for writer in self.writers:
            writer.close()

    def comment(self, token: str, activity_id: str, body: str) -> float | None:
        """Post a comment; seconds until the owner's stream showed it (None: never, 10 s)."""
        started, comment_id = asyncio.run_coroutine_threadsafe(
            post_comment(self.port, token, activity_id, body), self.loop).result(30)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            if comment_id in self.received:
                return self.received[comment_id][0] - started
            time.sleep(0.005)
        return None

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def serve(settings: list[str], env: dict, port: int) -> subprocess.Popen:
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), *settings, "--bind", f"127.0.0.1:{port}", "--log-level",
         "warning", "--graceful-timeout", "3", "app:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def main():
    args, settings = options()
    wrk = loadgen.ensure_wrk()
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{workdir}/kinerjaku.sqlite3"
        ids, tokens = prepare(url)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-make-run",
               "FLASK_APP": "app"}
        env.pop("REDIS_URL", None)  # make run's default: the in-process broker
        port = free_port()
        people = [ids["owner"], ids["supervisor"], *ids["others"]]
        posters = tuple((tokens[person], 0) for person in people if person != ids["owner"])
        today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
        process = serve(settings, env, port)
        base = f"http://127.0.0.1:{port}"

        def measure(scenario):
            run = (lambda: loadgen.run_wrk(wrk, base, scenario, seconds=args.seconds,
                                           connections=args.clients, threads=2,
                                           workdir=Path(workdir))) if wrk else (
                lambda: loadgen.run_python("127.0.0.1", port, scenario, seconds=args.seconds,
                                           connections=args.clients))
            return run()

        try:
            with Streams(port, {p: tokens[p] for p in people}, ids["owner"]) as streams:
                hello = measure(loadgen.Scenario("get", "/healthz"))
                single = loadgen.Scenario("single", "/api/v1/activities", posters=posters,
                                          days=(today,))
                delays = []

                def comment_meanwhile():
                    time.sleep(1)
                    for n in range(args.comments):
                        delays.append(streams.comment(tokens[ids["supervisor"]],
                                                      ids["activity"], f"Bench {n}"))
                        time.sleep(max(0.2, (args.seconds - 2) / args.comments))

                commenter = threading.Thread(target=comment_meanwhile)
                commenter.start()
                post = measure(single)
                commenter.join(60)
                pairs = [(hello, post)]
                for _ in range(args.rounds - 1):
                    pairs.append((measure(loadgen.Scenario("get", "/healthz")),
                                  measure(single)))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(20)
    arrived = [d * 1000 for d in delays if d is not None]
    # The median pair by ratio stands for the run; every pair is printed.
    hello, post = sorted(pairs, key=lambda pair: pair[1].rps / pair[0].rps)[len(pairs) // 2]
    lines = [
        "", f"make run's server on SQLite: gunicorn {' '.join(settings)}, "
            f"{len(people)} live streams open, {args.clients} clients ({post.generator})",
        f"{'GET /healthz':<46}{hello.rps:>10,.0f} r/s{'100 %':>14}",
        f"{'POST /api/v1/activities':<46}{post.rps:>10,.0f} r/s{post.rps / hello.rps:>13.1%}",
        f"{'  POST median / p95 (target p95 <= 150 ms)':<46}"
        f"{post.p50_ms:>6.0f} /{post.p95_ms:>4.0f} ms  non-2xx {post.non2xx}",
        f"{'  comments reaching the stream under load':<46}{len(arrived):>6} of {len(delays)}"
        + (f", slowest {max(arrived):.0f} ms" if arrived else ""),
    ]
    if len(pairs) > 1:
        lines.append(f"{'  rounds (healthz, POST r/s -> ratio; p95):':<46}")
        lines += [f"{'':<6}{h.rps:>10,.0f} {p.rps:>8,.0f} -> {p.rps / h.rps:.1%}; "
                  f"{p.p95_ms:.0f} ms" for h, p in pairs]
        lines.append(f"{'  the median pair above is the figure':<46}")
    text = "\n".join(lines)
    print(text)
    results.record("activity_post_sqlite", "activity POST, SQLite (make run)", unit="req/s",
                   value=round(post.rps, 1), reference=round(hello.rps, 1),
                   reference_label="GET /healthz, same server",
                   settings=f"gunicorn {' '.join(settings)}; {len(people)} streams open; "
                            f"{args.clients} clients; p50/p95 {post.p50_ms:.0f}/"
                            f"{post.p95_ms:.0f} ms")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"make-run-{datetime.now():%Y%m%d-%H%M%S}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
