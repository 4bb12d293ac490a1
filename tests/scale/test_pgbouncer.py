"""Behind PgBouncer in transaction pooling (Debian 12: 1.18, which keeps no prepared statement
from one transaction to the next): with DATABASE_POOL_MODE=transaction the app's hot
statements (creates, the token lookup, batches) run through it; without, psycopg's prepared
statements collide on the shared server connection."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from app.activities.deadlines import local_today
from app.extensions import db as _db
from app.models import utcnow
from tests import support
from tests.conftest import IsolatedClient, unavailable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def pgbouncer(app):
    """PgBouncer in transaction pooling, one server connection, in front of the suite's
    PostgreSQL database; yields the database URL through it."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("PgBouncer fronts PostgreSQL")
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists() or os.geteuid() != 0:
        unavailable("needs pgbouncer (apt-get install pgbouncer) and root to run it as postgres")
    target = urlsplit(app.config["DATABASE_URL"].replace("+psycopg", ""))
    folder = Path(tempfile.mkdtemp(prefix="kinerjaku-pgbouncer-"))
    shutil.chown(folder, "postgres")
    port = free_port()
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\n* = host={target.hostname} port={target.port or 5432}\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nauth_type = trust\n"
        f"auth_file = {folder}/users.txt\npool_mode = transaction\ndefault_pool_size = 1\n"
        f"max_client_conn = 100\nunix_socket_dir =\nlogfile = {folder}/pgbouncer.log\n"
        f"pidfile = {folder}/pgbouncer.pid\n")
    for path in folder.iterdir():
        shutil.chown(path, "postgres")
    subprocess.run(["su", "postgres", "-c", f"pgbouncer -d {folder}/pgbouncer.ini"],
                   check=True, capture_output=True, timeout=30)
    url = f"postgresql://postgres@127.0.0.1:{port}{target.path}"
    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        yield url
    finally:
        pid = int((folder / "pgbouncer.pid").read_text())
        os.kill(pid, 15)
        shutil.rmtree(folder, ignore_errors=True)


def creates_through(make_app, app, url, person, **settings) -> list[int]:
    """Statuses of 24 creates from 4 threads (each its own pooled connection), with a
    bearer token (the create lane's prepared statements) through ``url``."""
    other = make_app({"DATABASE_URL": url, "REDIS_URL": app.config.get("REDIS_URL"),
                      "RATELIMIT_KEY_PREFIX": app.config.get("RATELIMIT_KEY_PREFIX"),
                      **settings})
    other.test_client_class = IsolatedClient
    token = support.ApiClient(app).login(person).post(
        "/api/v1/auth/tokens", json={"name": "pgbouncer"}).get_json()["token"]
    day = local_today(person, utcnow()) - timedelta(days=1)

    def create(n):
        response = other.test_client().post(
            "/api/v1/activities", headers={"Authorization": f"Bearer {token}"},
            json={"id": f"00000000-0000-4000-8000-{n:012d}", "date": day.isoformat(),
                  "start_time": f"{8 + n % 8:02d}:00", "end_time": f"{8 + n % 8:02d}:30",
                  "description": f"Kegiatan {n}", "work_kind": "lainnya"})
        return response.status_code

    try:
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(create, range(24)))
    finally:
        with other.app_context():
            _db.engine.dispose()


def prepared_twice(make_app, url, **settings):
    """The same statement, asked to be prepared, on two of the app's pooled connections one
    transaction after the other: PgBouncer gives both the one server connection."""
    other = make_app({"DATABASE_URL": url, **settings})
    with other.app_context():
        first, second = _db.engine.connect(), _db.engine.connect()
        try:
            for connection in (first, second):
                driver = connection.connection.driver_connection
                assert driver.execute("SELECT 1", prepare=True).fetchone() == (1,)
                driver.commit()
        finally:
            first.close()
            second.close()
            _db.engine.dispose()


def test_scale_out_pgbouncer_transaction_pooling_needs_no_prepared_statements(
        app, world, make_app, pgbouncer):
    prepared_twice(make_app, pgbouncer, DATABASE_POOL_MODE="transaction")
    statuses = creates_through(make_app, app, pgbouncer, world.one.staff_a1,
                               DATABASE_POOL_MODE="transaction")
    assert set(statuses) == {201}


def test_scale_out_pgbouncer_without_the_setting_fails(app, make_app, pgbouncer):
    """The reason for the setting: psycopg's prepared statements meet on the shared server
    connection."""
    with pytest.raises(psycopg.errors.DuplicatePreparedStatement):
        prepared_twice(make_app, pgbouncer)
