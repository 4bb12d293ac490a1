"""Private services on loopback for tests and benchmarks that need real servers.

Never the shared servers: each stack gets its own folder under the system temp directory, a
PostgreSQL cluster made with ``initdb`` and a ``redis-server`` on free loopback ports, the app
served by a real gunicorn and the task worker (``flask worker``) as subprocesses. Every process
is stopped by its own pid at the end. PostgreSQL refuses to run as root, so as root the cluster
runs as the ``postgres`` user. Missing binaries skip, or fail under
KINERJAKU_REQUIRE_SERVICES=1 (CI).

Used by the fault tests (tests/faults), the scale-out test (tests/scale_out) and the
deadline-day load (bench/deadline.py).
"""

import contextlib
import glob
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import redis

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "rahasia-123"
#: What huey's consumer logs once it runs.
CONSUMER_STARTED = "Huey consumer started"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    """The newest PostgreSQL server binaries on this machine (Debian's layout)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    unavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")


def redis_bin() -> str:
    path = shutil.which("redis-server")
    if not path:
        unavailable("redis-server is not installed")
    return path


def wait_until(check, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL, one process we started."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class PrivatePostgres:
    """A throwaway cluster: ``start()``, ``stop()`` (fast shutdown), ``url``.

    ``name`` names its data folder and log (several clusters may share one folder);
    ``initialise=False`` leaves the data folder to the caller (a replica's base backup).
    """

    def __init__(self, folder: Path, name: str = "pgdata", initialise: bool = True):
        self.bin = postgres_bin()
        self.folder = folder
        self.name = name
        self.data = folder / name
        self.port = free_port()
        self.log = folder / ("postgres.log" if name == "pgdata" else f"{name}.log")
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            try:
                account = pwd.getpwnam(self.user)
            except KeyError:
                unavailable("running as root, and there is no postgres user to run PostgreSQL")
            os.chown(folder, account.pw_uid, account.pw_gid)
        if initialise:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--no-sync")

    @property
    def url(self) -> str:
        return self.database_url("kinerjaku")

    def database_url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str, check: bool = True):
        return subprocess.run([str(self.bin / program), *args], user=self.user,
                              cwd=self.folder, capture_output=True, text=True, check=check,
                              timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)

    def create_database(self) -> None:
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE kinerjaku")

    def connect(self, database: str = "kinerjaku"):
        return psycopg.connect(self.database_url(database), autocommit=True)


class PrivateRedis:
    """A redis-server that keeps nothing on disk: ``start()``, ``kill()`` (SIGKILL), ``url``."""

    def __init__(self, folder: Path):
        self.binary = redis_bin()
        self.folder = folder
        self.port = free_port()
        self.process = None
        self.log = open(folder / "redis.log", "a")  # noqa: SIM115 - closed in close()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=self.log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                assert self.process.poll() is None, "redis-server exited"
                return False
        wait_until(answers, 20, "redis-server")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
        self.log.close()


class Http:
    """Plain HTTP to the served app, as a browser or the PWA's outbox would talk to it."""

    def __init__(self, port: int):
        self.port = port

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method: str, path: str, body=None, headers=None, timeout: float = 30):
        """(status, headers, raw body); raises OSError when the connection fails."""
        conn = self.connection(timeout)
        try:
            payload = json.dumps(body) if body is not None else None
            all_headers = dict(headers or {})
            if payload is not None:
                all_headers["Content-Type"] = "application/json"
            conn.request(method, path, body=payload, headers=all_headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def login(self, nip: str) -> dict:
        """Headers of a signed-in cookie session (the cookie and the CSRF token)."""
        status, headers, raw = self.request("POST", "/api/v1/auth/login",
                                            {"nip": nip, "password": PASSWORD})
        assert status == 200, raw[:500]
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        return {"Cookie": cookie, "X-CSRFToken": json.loads(raw)["csrf_token"]}


class Stream:
    """``GET /api/v1/stream`` held open in a thread, reopened with Last-Event-ID when the
    server ends it, as the browser's EventSource does; every event it heard."""

    def __init__(self, http, cookie: str):
        self.http, self.cookie = http, cookie
        self.events: list[dict] = []
        self.connects = 0
        self.last_id = None
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            headers = {"Cookie": self.cookie}
            if self.last_id:
                headers["Last-Event-ID"] = self.last_id
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.http.port, timeout=10)
                conn.request("GET", "/api/v1/stream", headers=headers)
                response = conn.getresponse()
                if response.status == 200:
                    self.connects += 1
                    self._read(response)
                conn.close()
            except OSError:
                pass
            self._stop.wait(1)

    def _read(self, response):
        block = {}
        while not self._stop.is_set():
            line = response.fp.readline().decode()
            if not line:
                return
            line = line.rstrip("\n")
            if line:
                field, _, value = line.partition(":")
                block[field or "comment"] = value.lstrip(" ")
                continue
            if "event" in block:
                self.events.append(block)
                self.last_id = block.get("id") or self.last_id
            block = {}

    def comments(self) -> list[str]:
        return [json.loads(e["data"])["data"]["comment"]["body"] for e in self.events
                if e.get("event") == "comment"]

    def close(self):
        self._stop.set()


class Stack:
    """PostgreSQL, Redis, gunicorn and the worker of one test, each stoppable on its own."""

    def __init__(self, folder: Path, postgres: PrivatePostgres | None = None):
        self.folder = folder
        self.postgres = postgres or PrivatePostgres(folder)
        self.redis = PrivateRedis(folder)
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, object] = {}
        self.config: dict = {}
        self.env_extra: dict = {}
        self.http = None

    def start_services(self) -> None:
        self.postgres.start()
        self.postgres.create_database()
        self.redis.start()
        self.config = {
            "DATABASE_URL": self.postgres.url, "REDIS_URL": self.redis.url,
            "SECRET_KEY": "fault-tests", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
            "QUEUE_IMMEDIATE": False, "SSE_HEARTBEAT": 1,
            "LOGIN_LIMIT_PER_IP": "1000 per minute",
            "VAPID_PRIVATE_KEY_FILE": str(self.folder / "vapid_private.pem"),
            "VAPID_SUBJECT": "mailto:ops@kinerjaku.test",
            "PUSH_ALLOW_INSECURE_ENDPOINTS": True, "PUSH_TIMEOUT": 5,
            "EXPORT_FOLDER": str(self.folder / "exports"),
            # The outboxes' sweepers (every minute) take pushes and exports waiting 5 s: what
            # the queue could not take during an outage goes out at the first sweep after.
            "PUSH_REQUEUE_AFTER": 5, "EXPORT_REQUEUE_AFTER": 5,
        }

    @contextlib.contextmanager
    def app_context(self, **overrides):
        """An app context in this process on the private database (to seed and to read).

        Without Redis and with an in-memory queue: the app factory points the process-wide
        queue and rate limiter at the app it builds, so both are pointed back at the suite's
        app afterwards (the private Redis may be dead by the time another test runs).
        """
        from flask_migrate import upgrade

        from app import create_app
        from app.core.queue import init_queue
        from app.extensions import db, limiter
        from tests.conftest import _active

        config = {k: v for k, v in {**self.config, **overrides}.items() if k != "REDIS_URL"}
        app = create_app({**config, "QUEUE_IMMEDIATE": True})
        try:
            with app.app_context():
                upgrade()
                yield db
                db.session.remove()
                db.engine.dispose()
        finally:
            suite_app = _active.get("app")
            if suite_app is not None:
                limiter.init_app(suite_app)
                init_queue(suite_app)

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "FLASK_APP")}
        env.update(PYTHONPATH=str(ROOT), KINERJAKU_FAULT_CONFIG=json.dumps(self.config),
                   **self.env_extra)
        return env

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = self.logs.get(name) or open(self.folder / f"{name}.log", "a")  # noqa: SIM115
        self.logs[name] = log
        process = subprocess.Popen(argv, cwd=ROOT, env=self._env(), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def wait_until(self, check, timeout: float, what: str, interval: float = 0.2):
        """:func:`wait_until`, failing with the tails of the subprocesses' logs."""
        try:
            return wait_until(check, timeout, what, interval)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.report()}") from None

    def report(self) -> str:
        """Which subprocesses are gone (the first thing to read when a wait fails), then the
        tails of their logs."""
        gone = [f"{name} EXITED with code {process.returncode}"
                for name, process in self.processes.items() if process.poll() is not None]
        logs = "\n".join(f"--- {name}.log\n{self.log_tail(name)}" for name in self.logs)
        return "\n".join([*gone, logs])

    def log_tail(self, name: str, size: int = 4000) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def start_app(self, workers: int = 2, threads: int = 8, name: str = "gunicorn",
                  extra: tuple = ()) -> Http:
        """A gunicorn of the app (``name`` tells several apart, ``extra`` are more options);
        sets ``http`` to the first."""
        port = free_port()
        process = self._spawn(name, [
            sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn_app.py", "--no-control-socket",
            "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
            "--timeout", "60", *extra, "--bind", f"127.0.0.1:{port}",
            "tests.faults.serve:create()"])
        http = Http(port)
        if self.http is None:
            self.http = http

        def healthy():
            assert process.poll() is None, "gunicorn exited:\n" + self.log_tail(name)
            try:
                return http.request("GET", "/healthz", timeout=2)[0] == 200
            except OSError:
                return False
        wait_until(healthy, 60, "gunicorn")
        return http

    def start_worker(self) -> subprocess.Popen:
        return self._spawn("worker", [sys.executable, "-m", "tests.faults.serve", "worker",
                                      "--workers", "4"])

    def worker_starts(self) -> int:
        """How many times a worker's consumer started (huey logs it) in this stack."""
        return self.log_tail("worker", size=10**9).count(CONSUMER_STARTED)

    def wait_for_worker(self, starts: int = 1, timeout: float = 60) -> None:
        """Until the worker's consumer runs (its ``starts``-th start in this stack's log): a
        fault injected before that would test the worker's start, not its work."""
        process = self.processes["worker"]

        def consuming():
            assert process.poll() is None, f"the worker exited:\n{self.report()}"
            return self.worker_starts() >= starts
        self.wait_until(consuming, timeout, "the worker's consumer to start")

    def kill(self, name: str) -> None:
        """SIGKILL a subprocess (and its children: its own session)."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def terminate(self, name: str) -> None:
        """SIGTERM a subprocess and its children (SIGKILL after 15 s)."""
        process = self.processes[name]
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def close(self) -> None:
        for name in self.processes:
            self.terminate(name)
        for log in self.logs.values():
            log.close()
        self.redis.close()
        self.postgres.stop("immediate")


@contextlib.contextmanager
def private_stack():
    """A running private PostgreSQL and Redis (the app and worker are the test's to start)."""
    postgres_bin()
    redis_bin()
    folder = Path(tempfile.mkdtemp(prefix="kinerjaku-faults-"))
    os.chmod(folder, 0o755)
    built = None
    try:
        built = Stack(folder)
        built.start_services()
        yield built
    finally:
        if built is not None:
            built.close()
        shutil.rmtree(folder, ignore_errors=True)
