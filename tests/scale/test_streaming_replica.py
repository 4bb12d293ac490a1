"""A real streaming replica (pg_basebackup -R) on loopback: the dashboard is read there, seen
in the replica's own statistics; a replica held back beyond REPLICA_MAX_LAG_SECONDS, or
stopped, leaves the primary to answer. Slow: it starts two PostgreSQL servers."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.activities.deadlines import local_today
from app.core import replica
from app.extensions import db
from app.models import utcnow
from tests import support
from tests.conftest import IsolatedClient, unavailable
from tests.dashboards.support import log
from tests.factories import build_world

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def binary(name: str) -> str | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def as_postgres(*command: str) -> None:
    subprocess.run(["su", "postgres", "-c", " ".join(command)], check=True,
                   capture_output=True, timeout=120)


def wait_for(predicate, what: str, seconds: float = 60):
    """Poll until ``predicate()`` is true (no timing is asserted: the bound only stops a
    hung run)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def streaming_pair():
    """A primary and its streaming replica in a fresh folder, on free ports; stopped and
    removed afterwards. Yields (primary URL, replica URL, replica data folder, pg_ctl)."""
    tools = {name: binary(name) for name in ("initdb", "pg_ctl", "pg_basebackup")}
    if os.geteuid() != 0 or None in tools.values() or shutil.which("su") is None:
        unavailable("needs root (to run PostgreSQL as postgres) and PostgreSQL's binaries")
    folder = Path(tempfile.mkdtemp(prefix="kinerjaku-replica-"))
    shutil.chown(folder, "postgres")
    primary, standby = folder / "primary", folder / "replica"
    ports = free_port(), free_port()
    started = []
    try:
        as_postgres(tools["initdb"], "-D", str(primary), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(f"port = {ports[0]}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{folder}'\nwal_level = replica\n"
                       "max_wal_senders = 4\nfsync = off\n")
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        as_postgres(tools["pg_ctl"], "-D", str(primary), "-l", str(folder / "primary.log"),
                    "-w", "start")
        started.append(primary)
        as_postgres(tools["pg_basebackup"], "-h", "127.0.0.1", "-p", str(ports[0]),
                    "-U", "postgres", "-D", str(standby), "-R", "-X", "stream")
        conf = (standby / "postgresql.conf").read_text()
        (standby / "postgresql.conf").write_text(
            conf.replace(f"port = {ports[0]}", f"port = {ports[1]}"))
        as_postgres(tools["pg_ctl"], "-D", str(standby), "-l", str(folder / "replica.log"),
                    "-w", "start")
        started.append(standby)
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{ports[0]}/postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE kinerjaku")
        yield (f"postgresql://postgres@127.0.0.1:{ports[0]}/kinerjaku",
               f"postgresql://postgres@127.0.0.1:{ports[1]}/kinerjaku", standby,
               tools["pg_ctl"])
    finally:
        for data in reversed(started):
            subprocess.run(["su", "postgres", "-c",
                            f"{tools['pg_ctl']} -D {data} -m fast -w stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def replica_scans(url: str) -> int:
    """Scans of people and activities that the replica's own statistics counted."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) "
            "FROM pg_stat_user_tables WHERE relname = 'people' "
            "OR relname LIKE 'activities%'").fetchone()[0]


def test_dashboards_read_from_a_streaming_replica(streaming_pair, make_app):
    primary_url, replica_url, standby, pg_ctl = streaming_pair
    app = make_app({"DATABASE_URL": primary_url, "DATABASE_REPLICA_URL": replica_url,
                    "REPLICA_MAX_LAG_SECONDS": 1, "REPLICA_CHECK_SECONDS": 0})
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        world = build_world(db)
        log(world.one.staff_a1, local_today(world.one.staff_a1, utcnow()) - timedelta(days=1))
        db.session.commit()
        statements = []
        for name, engine in (("primary", db.engines[None]),
                             ("replica", db.engines[replica.BIND])):
            sa.event.listen(engine, "before_cursor_execute",
                            lambda *args, name=name: statements.append(name)
                            if args[2] != str(replica.LAG_SQL) else None)

        def on_replica(sql):
            with psycopg.connect(replica_url, autocommit=True) as conn:
                return conn.execute(sql).fetchone()[0]

        assert on_replica("SELECT pg_is_in_recovery()") is True
        def replayed_activities():
            try:
                return on_replica("SELECT count(*) FROM activities")
            except psycopg.Error:  # the schema itself is not replayed yet
                return None

        wait_for(lambda: replayed_activities() == 1, "the replica to replay the activity")
        client = support.ApiClient(app).login(world.one.sup_a)

        def dashboard():
            statements.clear()
            response = client.get("/api/v1/dashboards/team")
            assert response.status_code == 200, response.get_json()
            return response.get_json(), set(statements)

        # Signing in wrote: until the replica has replayed it, the primary answers.
        wait_for(lambda: replica.status().up and replica.status().lag == 0,
                 "the replica to catch up")
        wait_for(lambda: replica.status().replayed > float(
            client.client.get_cookie(replica.COOKIE).value), "the replica to pass the sign-in")
        before = replica_scans(replica_url)
        body, used = dashboard()
        assert "replica" in used
        assert [row["person"]["id"] for row in body["people"]] == sorted(
            [world.one.staff_a1.id, world.one.staff_a2.id])
        wait_for(lambda: replica_scans(replica_url) > before,
                 "the replica's statistics to count the dashboard's reads")

        # Held back: replay paused while the primary writes; past the bound, the primary.
        on_replica("SELECT pg_wal_replay_pause()::text")
        log(world.one.staff_a2, local_today(world.one.staff_a2, utcnow()))
        db.session.commit()
        wait_for(lambda: replica.status().lag > 1, "the replica's delay to pass 1 s")
        body, used = dashboard()
        assert used == {"primary"}
        on_replica("SELECT pg_wal_replay_resume()::text")
        wait_for(lambda: replica.status().lag == 0, "the replica to catch up again")
        assert "replica" in dashboard()[1]

        # Stopped: the app still answers, from the primary.
        subprocess.run(["su", "postgres", "-c", f"{pg_ctl} -D {standby} -m fast -w stop"],
                       check=True, capture_output=True, timeout=120)
        body, used = dashboard()
        assert used == {"primary"} and not replica.status().up
        subprocess.run(["su", "postgres", "-c",
                        f"{pg_ctl} -D {standby} -l {standby.parent / 'replica.log'} -w start"],
                       check=True, capture_output=True, timeout=120)
        for engine in db.engines.values():
            engine.dispose()
