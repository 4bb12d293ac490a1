"""The issue's proof: two gunicorn worker processes sharing events through the real Redis.

A comment posted through one worker reaches a stream held open by the other. Needs
PostgreSQL and Redis; under KINERJAKU_REQUIRE_SERVICES=1 their absence fails the test.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app.activities import deadlines
from app.extensions import db
from app.models import utcnow
from tests import support
from tests.conftest import unavailable
from tests.factories import build_world
from tests.feedback.support import submitted

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port):
        self.host, self.port = "127.0.0.1", port

    def connection(self, timeout=10):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def login(self, nip) -> dict:
        conn = self.connection()
        conn.request("POST", "/api/v1/auth/login",
                     body=json.dumps({"nip": nip, "password": "rahasia-123"}),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
        assert response.status == 200, body
        # The session cookie (a known-device cookie comes with it).
        cookie = next(value.split(";", 1)[0] for name, value in response.getheaders()
                      if name.lower() == "set-cookie" and value.startswith("kinerjaku_session="))
        conn.close()
        return {"Cookie": cookie, "X-CSRFToken": body["csrf_token"]}


class RawStream:
    """One SSE connection over a plain socket, as a browser would hold it."""

    def __init__(self, server, headers):
        self.conn = server.connection(timeout=10)
        self.conn.request("GET", "/api/v1/stream", headers={"Cookie": headers["Cookie"]})
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        self.served_by = self.response.getheader("X-Served-By")
        self.events = []

    def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        block = {}
        while time.monotonic() < deadline:
            line = self.response.fp.readline().decode()
            if not line:
                raise AssertionError("stream closed")
            line = line.rstrip("\n")
            if line == "":
                if block:
                    self.events.append(block)
                    if predicate(block):
                        return block
                block = {}
                continue
            field, _, value = line.partition(":")
            block[field or "comment"] = value.lstrip(" ")
        raise AssertionError(f"timed out; got {self.events}")

    def close(self):
        self.conn.close()


@pytest.fixture
def two_workers(app, make_app, tmp_path):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("runs once, with the PostgreSQL and Redis configuration")
    if not support.postgres_available():
        unavailable(f"PostgreSQL is not reachable at {support.POSTGRES_URL}")
    if not support.redis_available():
        unavailable(f"Redis is not reachable at {support.REDIS_URL}")
    with support.temporary_postgres_database() as url:
        app = make_app({"DATABASE_URL": url})
        with app.app_context():
            upgrade()
            world = build_world(db)
            owner = world.one.staff_a1
            activity = submitted(owner, on=deadlines.local_today(owner, utcnow()))
            facts = {"activity_id": activity.id, "owner": owner.nip,
                     "supervisor": world.one.sup_a.nip}
            db.session.remove()
            db.engine.dispose()
        port = free_port()
        env = {**os.environ, "SECRET_KEY": "two-workers-test", "DATABASE_URL": url,
               "REDIS_URL": support.REDIS_URL, "SSE_HEARTBEAT": "1",
               "NOTIFY_CHANNEL_PREFIX": f"kinerjaku-test-{uuid.uuid4().hex[:8]}:notify:"}
        log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn_stream.py",
             "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        server = Server(port)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    conn = server.connection(timeout=2)
                    try:
                        conn.request("GET", "/healthz")
                        if conn.getresponse().status == 200:
                            break
                    finally:
                        conn.close()
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log")
                                .read_text()[-3000:])
                time.sleep(0.2)
            yield server, facts
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
            log.close()


def test_a_comment_posted_through_one_worker_reaches_a_stream_on_the_other(two_workers):
    server, facts = two_workers
    owner = server.login(facts["owner"])
    supervisor = server.login(facts["supervisor"])
    streams, workers = [], set()
    try:
        # Each new connection lands on whichever worker accepts it: hold one on each. The
        # second worker loads the app after the first answers /healthz (no preload), which
        # takes a while on a busy machine: keep trying until it serves too.
        deadline = time.monotonic() + 90
        while len(workers) < 2 and time.monotonic() < deadline:
            stream = RawStream(server, owner)
            stream.wait_for(lambda block: block.get("comment") == "connected", timeout=5)
            if stream.served_by in workers:
                stream.close()
                time.sleep(0.25)
                continue
            streams.append(stream)
            workers.add(stream.served_by)
        assert len(workers) == 2, "every stream landed on one worker for 90 s"
        conn = server.connection()
        conn.request("POST", f"/api/v1/activities/{facts['activity_id']}/comments",
                     body=json.dumps({"body": "Bagus, lanjutkan."}),
                     headers={**supervisor, "Content-Type": "application/json"})
        response = conn.getresponse()
        comment = json.loads(response.read())
        conn.close()
        assert response.status == 201, comment
        # Whichever worker took the POST, the stream held by the other one must get it.
        for stream in streams:
            event = stream.wait_for(lambda block: block.get("event") == "comment")
            data = json.loads(event["data"])
            assert data["data"]["comment"]["id"] == comment["id"]
            assert data["data"]["comment"]["body"] == "Bagus, lanjutkan."
            assert int(event["id"]) == data["id"]
    finally:
        for stream in streams:
            stream.close()
