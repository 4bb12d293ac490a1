"""Shared fixtures: the app on each database, a clean database per test, signed-in clients.

The ``app`` fixture runs the whole suite twice: on SQLite (the embedded default) and on
PostgreSQL with Redis (the scale-out configuration). Without PostgreSQL or Redis those runs
are skipped, unless KINERJAKU_REQUIRE_SERVICES=1 (as in CI), which makes them fail instead.
"""

import contextvars
import os
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db as _db
from app.extensions import limiter
from tests import support
from tests.factories import build_world

REQUIRE_SERVICES = os.environ.get("KINERJAKU_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    config.addinivalue_line("markers", "backend: runs once per database backend")
    config.addinivalue_line("markers", "fuzz: schemathesis over the whole API (minutes); "
                            "skip locally with -m 'not fuzz'")
    config.addinivalue_line("markers", "scale_out: the loopback scale-out stack (primary, "
                            "replica, PgBouncer, Redis, two app instances, nginx); "
                            "select with -k 'scale_out or replica'")


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (``make test`` runs three workers) a fault module's or the scale-out
    module's tests share one private stack (module-scoped fixtures), the last of them may stop
    a piece of it: keep each such module on one worker."""
    for item in items:
        if item.nodeid.startswith(("tests/faults/", "tests/scale_out/")):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def unavailable(reason: str):
    """Skip, or fail when the services are required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (KINERJAKU_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    # Cheap hashing keeps the suite fast; production cost is in app/config.py.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
}


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    """A fresh, empty database (and for PostgreSQL also Redis) for one run of the suite."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "kinerjaku.sqlite3"
        yield {"name": "sqlite", "DATABASE_URL": f"sqlite:///{path}"}
        return
    if not support.postgres_available():
        unavailable(f"PostgreSQL is not reachable at {support.POSTGRES_URL}")
    if not support.redis_available():
        unavailable(f"Redis is not reachable at {support.REDIS_URL}")
    prefix = f"kinerjaku-test-{uuid.uuid4().hex[:8]}"
    with support.temporary_postgres_database() as url:
        # Own Redis keys and pub/sub channels: other runs may share this Redis.
        yield {"name": "postgresql", "DATABASE_URL": url, "REDIS_URL": support.REDIS_URL,
               "RATELIMIT_KEY_PREFIX": prefix, "NOTIFY_CHANNEL_PREFIX": f"{prefix}:notify:",
               # limiter.reset() between tests clears only this run's counters.
               "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix}}


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in a real server.

    Tests hold an app context open for their fixtures; without this, requests would share its
    ``g`` (cached CSRF tokens, the logged-in user) and its database session.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


#: The suite's current app; see ``make_app``.
_active = {}


@pytest.fixture(scope="session")
def app(backend):
    config = {**TEST_CONFIG, **{k: v for k, v in backend.items() if k != "name"}}
    app = create_app(config)
    app.test_client_class = IsolatedClient
    app.config["BACKEND"] = backend["name"]
    with app.app_context():
        upgrade()
    _active["app"] = app
    yield app
    _active.pop("app", None)
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def make_app():
    """Build extra apps; afterwards the rate limiter points at the suite's app again.

    Flask-Limiter keeps its storage on the extension object, not per app.
    """
    def factory(overrides):
        return create_app({**TEST_CONFIG, **overrides})
    yield factory
    if "app" in _active:
        limiter.init_app(_active["app"])


@pytest.fixture
def db(app):
    """The database, emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        support.empty_database(_db)
        limiter.reset()


@pytest.fixture
def world(db):
    """Two organisations with a reporting line each; see tests/factories.py."""
    return build_world(db)


@pytest.fixture
def evidence_folder(app, tmp_path, monkeypatch):
    """Evidence goes to a fresh folder per test."""
    monkeypatch.setitem(app.config, "EVIDENCE_FOLDER", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def api(app, db):
    """A client that signs in through the API and sends the CSRF header on writes."""
    return support.ApiClient(app)


@pytest.fixture
def count(db):
    def _count(model, *where):
        db.session.rollback()  # end the test's own transaction: see what requests committed
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
    return _count
