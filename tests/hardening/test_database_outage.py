"""While the database refuses connections every request answers 503 with Retry-After: the
JSON error envelope under /api, a friendly page elsewhere; never a raw 500, whether the
caller signed in with the session cookie or a bearer token.

The outage: an app on the same secret key whose database URL refuses every connection (a
closed port for PostgreSQL, a file in a missing folder for SQLite), given the session cookie
and the token the suite's live app issued."""

import pytest
import sqlalchemy as sa

from app.auth.services import create_token
from app.core.uow import commit
from app.extensions import db as _db
from tests.support import ApiClient

DEAD_URLS = {"sqlite": "sqlite:////nonexistent-folder/kinerjaku.sqlite3",
             "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/kinerjaku"}


@pytest.fixture
def dead_app(app, make_app):
    dead = make_app({"DATABASE_URL": DEAD_URLS[app.config["BACKEND"]],
                     "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}}
                     if app.config["BACKEND"] == "postgresql" else {}})
    yield dead
    with dead.app_context():
        _db.engine.dispose()


def session_client(app, dead_app, person):
    """A client of the dead app carrying the session cookie the live app gave ``person``."""
    live = ApiClient(app).login(person)
    cookie = live.client.get_cookie("session") or live.client.get_cookie("kinerjaku_session")
    client = ApiClient(dead_app)
    client.client.set_cookie(cookie.key, cookie.value)
    client.csrf_token = live.csrf_token
    return client


def assert_unavailable_json(response):
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert int(response.headers["Retry-After"]) > 0
    error = response.get_json()["error"]
    assert error["code"] == "unavailable" and error["message"]
    assert error["retry_after"] == int(response.headers["Retry-After"])


def test_api_with_a_session_cookie_answers_503(app, world, dead_app):
    client = session_client(app, dead_app, world.one.staff_a1)
    for response in (client.get("/api/v1/me"), client.get("/api/v1/activities"),
                     client.post("/api/v1/activities", json={"description": "x"})):
        assert_unavailable_json(response)


def test_pages_with_a_session_cookie_answer_a_friendly_503(app, world, dead_app):
    client = session_client(app, dead_app, world.one.sup_a)
    for url in ("/", "/kegiatan", "/admin"):
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 503, (url, response.get_data(as_text=True)[:300])
        assert response.headers["Retry-After"]
        assert response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert "<h1" in page and "Traceback" not in page


def test_a_bearer_token_answers_503(app, world, dead_app, db):
    token = create_token(world.one.staff_a1, "skrip").token
    commit()
    client = dead_app.test_client()
    for url in ("/api/v1/me", "/api/v1/notifications"):
        assert_unavailable_json(client.get(url, headers={"Authorization": f"Bearer {token}"}))


def test_connections_cut_mid_use_answer_503_then_recover(app, world, db):
    """PostgreSQL drops the pooled connections (a restart): the token lookup, which runs on
    the driver's connection, answers 503 rather than 500, and the next request works."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("connections are cut on the PostgreSQL server")
    token = create_token(world.one.staff_a1, "skrip").token
    commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    server = sa.create_engine(db.engine.url.set(database="postgres"), poolclass=sa.NullPool)
    with server.connect() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"),
                      {"name": db.engine.url.database})
        admin.commit()
    statuses = [client.get("/api/v1/me", headers=headers).status_code for _ in range(3)]
    assert set(statuses) <= {200, 503} and statuses[-1] == 200, statuses
    # Recovered for good: no connection of the old server is left in the pool.
    urls = ["/api/v1/me", "/api/v1/activities", "/api/v1/notifications"] * 3
    assert {client.get(url, headers=headers).status_code for url in urls} == {200}
