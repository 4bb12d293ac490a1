"""Fixtures of the security tests."""

import pytest

from app.extensions import db
from tests.conftest import IsolatedClient

#: What makes an app use the suite's database, Redis and rate-limit keys.
BACKEND_SETTINGS = ("DATABASE_URL", "REDIS_URL", "RATELIMIT_KEY_PREFIX",
                    "NOTIFY_CHANNEL_PREFIX", "RATELIMIT_STORAGE_OPTIONS")


@pytest.fixture
def proxied_app(app, world, make_app):
    """The app as deployed behind one trusted reverse proxy (``PROXY_FIX=1``), on the
    suite's database (with ``world`` in it)."""
    settings = {name: app.config[name] for name in BACKEND_SETTINGS if app.config.get(name)}
    behind = make_app({**settings, "PROXY_FIX": 1})
    behind.test_client_class = IsolatedClient
    yield behind
    with behind.app_context():
        db.engine.dispose()  # its own pool: no connection left for the garbage collector
