"""Helpers for the real services the tests use: PostgreSQL, Redis, a signed-in client."""

import contextlib
import os
import time
import uuid

import psycopg
import redis
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("KINERJAKU_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("KINERJAKU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def temporary_postgres_database():
    """Create ``kinerjaku_test_<random>``, yield its URL, drop it afterwards."""
    name = f"kinerjaku_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def temporary_database(kind: str, tmp_path):
    """An empty database of ``kind`` ("sqlite" or "postgresql") for one test."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    else:
        with temporary_postgres_database() as url:
            yield url


def empty_database(db) -> None:
    """Empty every table. On PostgreSQL a request still running in a live server (a browser's
    background fetch as its test ends) can deadlock with the TRUNCATE; PostgreSQL then aborts
    one of them, and the TRUNCATE is tried again."""
    for attempt in range(5):
        try:
            _empty(db)
            return
        except sa.exc.OperationalError as error:
            if not isinstance(error.orig, psycopg.errors.DeadlockDetected) or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _empty(db) -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # activity_keys: the ids of partitioned activities (app/core/partitions.py).
            extra = ["activity_keys"] if conn.execute(sa.text(
                "SELECT to_regclass('activity_keys') IS NOT NULL")).scalar() else []
            names = ", ".join(f'"{name}"' for name in [t.name for t in tables] + extra)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


class ApiClient:
    """A test client that signs in through POST /api/v1/auth/login like a browser would."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.csrf_token = None
        self.person = None

    def login(self, person, password="rahasia-123"):
        response = self.client.post("/api/v1/auth/login",
                                    json={"nip": person.nip, "password": password})
        assert response.status_code == 200, response.get_json()
        self.csrf_token = response.get_json()["csrf_token"]
        self.person = person
        return self

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.csrf_token:
            headers.setdefault("X-CSRFToken", self.csrf_token)
        return headers

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, headers=None, **kwargs):
        return self.client.post(url, headers=self._headers(headers), **kwargs)

    def patch(self, url, headers=None, **kwargs):
        return self.client.patch(url, headers=self._headers(headers), **kwargs)

    def put(self, url, headers=None, **kwargs):
        return self.client.put(url, headers=self._headers(headers), **kwargs)

    def delete(self, url, headers=None, **kwargs):
        return self.client.delete(url, headers=self._headers(headers), **kwargs)
