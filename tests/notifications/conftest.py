import pytest

from tests.support import ApiClient


@pytest.fixture(autouse=True)
def quick_heartbeat(app):
    """Keepalives every 0.1 s so a reading test wakes up often (production: 15 s)."""
    saved = app.config["SSE_HEARTBEAT"]
    app.config["SSE_HEARTBEAT"] = 0.1
    yield
    app.config["SSE_HEARTBEAT"] = saved


@pytest.fixture
def signed_in(app, db):
    """signed_in(person) -> an ApiClient signed in as that person."""
    def factory(person):
        return ApiClient(app).login(person)
    return factory
