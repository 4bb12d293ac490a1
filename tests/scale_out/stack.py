"""The scale-out stack on loopback, each piece on a free port in one private folder.

    PostgreSQL primary ─ streaming replica (pg_basebackup -R)
          │                    │
      PgBouncer (transaction pooling)   │ DATABASE_REPLICA_URL
          │                    │
    app instance A, app instance B (gunicorn) ─ Redis (events, limits, queue) ─ worker
          │
        nginx (round-robin; the live stream unbuffered)

Used by the scale-out test (tests/scale_out) and the deadline-day load (bench/deadline.py).
Everything is stopped by its own pid, in the order nginx, app instances and worker,
PgBouncer, replica, primary, Redis.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.conftest import unavailable
from tests.loopback import Http, PrivatePostgres, Stack, free_port, redis_bin, wait_until

#: nginx keeps idle connections to the app this long (seconds). gunicorn must keep them open
#: longer (``--keep-alive``, 2 s by default), or nginx sends a request on a connection gunicorn
#: is closing and answers 502 (seen under load: 4 in 30,000).
UPSTREAM_KEEPALIVE = 30
APP_KEEPALIVE = ("--keep-alive", str(UPSTREAM_KEEPALIVE + 45))


def binary(name: str) -> str:
    """A server program from its Debian package (/usr/sbin is not on every PATH)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if not found:
        unavailable(f"{name} is not installed (apt-get install -y {name})")
    return found


def _signal_pidfile(pidfile: Path, signum: int, timeout: float = 15) -> None:
    """Signal the daemon whose pid the file holds and wait until it has gone."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Replica(PrivatePostgres):
    """A streaming replica of ``primary``: a base backup with ``-R`` (standby.signal and
    primary_conninfo), started on its own port."""

    def __init__(self, folder: Path, primary: PrivatePostgres):
        super().__init__(folder, "replica", initialise=False)
        self.primary = primary

    def create(self) -> None:
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port),
                  "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream",
                  "--checkpoint=fast")

    def replay_caught_up(self) -> bool:
        """Whether the replica has replayed everything the primary has written so far."""
        with self.primary.connect("postgres") as conn:
            target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with self.connect("postgres") as conn:
            return conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                (str(target),)).fetchone()[0]


class PgBouncer:
    """PgBouncer in front of the primary: ``pool_mode`` transaction (or session)."""

    def __init__(self, folder: Path, primary: PrivatePostgres, pool_mode: str = "transaction",
                 pool_size: int = 20, user: str | None = None):
        self.binary = binary("pgbouncer")
        self.folder, self.primary, self.user = folder, primary, user
        self.port = free_port()
        self.ini = folder / "pgbouncer.ini"
        self.pidfile = folder / "pgbouncer.pid"
        (folder / "pgbouncer-users.txt").write_text('"postgres" ""\n')
        self.ini.write_text(f"""[databases]
kinerjaku = host=127.0.0.1 port={primary.port} dbname=kinerjaku
postgres = host=127.0.0.1 port={primary.port} dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/pgbouncer-users.txt
pool_mode = {pool_mode}
default_pool_size = {pool_size}
max_client_conn = 2000
ignore_startup_parameters = extra_float_digits
logfile = {folder}/pgbouncer.log
pidfile = {self.pidfile}
""")

    def url(self, database: str = "kinerjaku") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        subprocess.run([self.binary, "-d", str(self.ini)], user=self.user, cwd=self.folder,
                       check=True, capture_output=True, timeout=30)
        wait_until(lambda: self.pidfile.exists(), 20, "pgbouncer's pid file")

    def stop(self) -> None:
        _signal_pidfile(self.pidfile, signal.SIGINT)  # safe shutdown: after the queries


class Nginx:
    """nginx with a private config: round-robin over the app instances; the live stream
    unbuffered. Each answer names the instance that served it (``X-Upstream``)."""

    def __init__(self, folder: Path):
        self.binary = binary("nginx")
        self.folder = folder / "nginx"
        self.folder.mkdir()
        self.port = free_port()
        self.pidfile = self.folder / "nginx.pid"
        self.http = Http(self.port)

    def start(self, upstreams: list[int]) -> Http:
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / temp).mkdir(mode=0o777)
            os.chmod(self.folder / temp, 0o777)  # the workers may run as nobody
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in upstreams)
        d = self.folder
        conf = d / "nginx.conf"
        conf.write_text(f"""worker_processes 1;
pid {self.pidfile};
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    client_max_body_size 20m;
    upstream kinerjaku {{
{servers}
        keepalive 64;
        keepalive_timeout {UPSTREAM_KEEPALIVE}s;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        add_header X-Upstream $upstream_addr always;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        location /api/v1/stream {{
            proxy_pass http://kinerjaku;
            proxy_buffering off;
            proxy_read_timeout 1h;
        }}
        location / {{
            proxy_pass http://kinerjaku;
        }}
    }}
}}
""")
        subprocess.run([self.binary, "-c", str(conf), "-p", str(d)], check=True,
                       capture_output=True, timeout=30)

        def answers():
            try:
                return self.http.request("GET", "/healthz", timeout=2)[0] == 200
            except OSError:
                return False
        wait_until(answers, 20, "nginx")
        return self.http

    def stop(self) -> None:
        _signal_pidfile(self.pidfile, signal.SIGTERM)


class ScaleOut(Stack):
    """Primary, replica, PgBouncer, Redis; then :meth:`start_apps` (two instances, a worker,
    nginx). ``stack.postgres`` is the primary; the apps reach it through PgBouncer."""

    def __init__(self, folder: Path, pool_mode: str = "transaction"):
        super().__init__(folder, PrivatePostgres(folder, "primary"))
        self.primary = self.postgres
        self.replica = Replica(folder, self.primary)
        self.pool_mode = pool_mode
        self.pgbouncer = PgBouncer(folder, self.primary, pool_mode, user=self.primary.user)
        self.nginx = Nginx(folder)
        self.apps: dict[str, Http] = {}

    def start_services(self) -> None:
        super().start_services()  # the primary, its database, Redis, the app's settings
        self.replica.create()
        self.replica.start()
        self.pgbouncer.start()
        self.config.update(
            DATABASE_URL=self.pgbouncer.url(), DATABASE_REPLICA_URL=self.replica.url,
            # PgBouncer 1.18 keeps no prepared statement across transactions: psycopg
            # prepares none in transaction pooling (app.core.replica).
            DATABASE_POOL_MODE=self.pool_mode, SECRET_KEY="scale-out")

    @contextlib.contextmanager
    def app_context(self, **overrides):
        """Seeding and migrations go to the primary itself (DDL needs no pooler)."""
        with super().app_context(DATABASE_URL=self.primary.url, DATABASE_REPLICA_URL=None,
                                 DATABASE_POOL_MODE="session", **overrides) as db:
            yield db

    def start_apps(self, workers: int = 2, threads: int = 8, worker: bool = True) -> Http:
        """Instances ``a`` and ``b``, the task worker and nginx in front; nginx's Http."""
        for name in ("a", "b"):
            self.apps[name] = self.start_app(workers, threads, name=f"app-{name}",
                                             extra=APP_KEEPALIVE)
        if worker:
            self.start_worker()
        self.http = self.nginx.start([http.port for http in self.apps.values()])
        return self.http

    def close(self) -> None:
        """Stop order: nginx, app instances (and worker), PgBouncer, replica, primary."""
        steps = [self.nginx.stop, *(lambda n=name: self.terminate(n) for name in self.processes),
                 self.pgbouncer.stop, lambda: self.replica.stop("fast"),
                 lambda: self.primary.stop("fast"), self.redis.close]
        for step in steps:
            with contextlib.suppress(Exception):
                step()
        for log in self.logs.values():
            log.close()


@contextlib.contextmanager
def scale_out_stack(pool_mode: str = "transaction"):
    """A running :class:`ScaleOut` without the apps (the caller seeds, then starts them)."""
    from tests.loopback import postgres_bin

    postgres_bin()
    redis_bin()
    binary("pgbouncer")
    binary("nginx")
    folder = Path(tempfile.mkdtemp(prefix="kinerjaku-scale-out-"))
    os.chmod(folder, 0o755)
    built = None
    try:
        built = ScaleOut(folder, pool_mode)
        built.start_services()
        yield built
    finally:
        if built is not None:
            built.close()
        shutil.rmtree(folder, ignore_errors=True)
