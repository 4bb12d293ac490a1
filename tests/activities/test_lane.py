"""The create lane (app/activities/lane.py): the plainest creates with an access token are
answered without the framework, exactly as the app answers them; everything else reaches the
app untouched."""

import json
import uuid
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app.activities.models import Activity
from app.audit.cli import audit_verify
from app.audit.models import AuditEntry
from app.auth.models import PersonalAccessToken
from tests.activities.support import make_indicator
from tests.activities.test_api import URL, _transaction_commands, entry


@pytest.fixture
def postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the lane serves PostgreSQL; on SQLite the app answers (tested below)")
    return db


@pytest.fixture
def through_app(monkeypatch):
    """How many requests the Flask app itself dispatched."""
    seen = []
    dispatch = Flask.full_dispatch_request

    def counted(self):
        seen.append(1)
        return dispatch(self)

    monkeypatch.setattr(Flask, "full_dispatch_request", counted)
    return seen


class Bearer:
    """A client with an access token of ``person``'s, used once so that its last-used time is
    recent (the lane leaves writing that to the app)."""

    def __init__(self, api, app, person):
        api.login(person)
        self.token = api.post("/api/v1/auth/tokens", json={"name": "ponsel"}).get_json()["token"]
        self.client = app.test_client()
        assert self.client.get("/api/v1/me", headers=self.headers()).status_code == 200

    def headers(self, **more):
        return {"Authorization": f"Bearer {self.token}", **more}

    def post(self, body, **headers):
        return self.client.post(URL, json=body, headers=self.headers(**headers))


@pytest.fixture
def bearer(api, app, world):
    return Bearer(api, app, world.one.staff_a1)


def test_the_lane_answers_exactly_what_the_app_answers(postgres, bearer, world, through_app,
                                                       count):
    indicator = make_indicator(world.one.staff_a1)
    body = entry(work_kind=None, target_id=indicator.id, unit="dokumen", quantity="1.5")
    # Without a client id the app answers (and reads the deadline rule the lane relies on).
    by_app = bearer.post({**body, "start_time": "06:00", "end_time": "07:30"})
    assert by_app.status_code == 201 and len(through_app) == 1
    by_lane = bearer.post({**body, "id": str(uuid.uuid4())})
    assert by_lane.status_code == 201, by_lane.get_json()
    assert len(through_app) == 1  # the lane answered

    def comparable(response):
        data = response.get_json()
        for name in ("id", "created_at", "updated_at", "start_time", "end_time"):
            data.pop(name)
        headers = sorted((k, v) for k, v in response.headers.items()
                         if k not in ("Content-Length", "Date"))
        return data, headers

    assert comparable(by_lane) == comparable(by_app)
    assert by_lane.get_json()["start_time"] == "08:00"
    # What was stored is what was answered.
    lane = {k: v for k, v in by_lane.get_json().items() if k != "warnings"}
    stored = bearer.client.get(f"{URL}/{lane['id']}", headers=bearer.headers()).get_json()
    assert {k: stored[k] for k in lane} == lane
    assert count(Activity) == 2
    assert count(AuditEntry, AuditEntry.subject_id == by_lane.get_json()["id"]) == 1


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_as_the_app_would(postgres, bearer, through_app, encoding):
    import gzip

    import brotli

    decode = gzip.decompress if encoding == "gzip" else brotli.decompress
    answers = []
    long = "Menyusun laporan bulanan kegiatan pelayanan " * 10  # above the smallest compressed
    for values in ({"start_time": "06:00", "end_time": "06:30"},
                   {"id": str(uuid.uuid4()), "start_time": "10:00", "end_time": "10:30"}):
        response = bearer.post(entry(description=long, **values),
                               **{"Accept-Encoding": encoding})
        assert response.status_code == 201
        data = json.loads(decode(response.data))
        for name in ("id", "created_at", "updated_at", "start_time", "end_time"):
            data.pop(name)
        answers.append((data, sorted((k, v) for k, v in response.headers.items()
                                     if k not in ("Content-Length", "Date"))))
    assert len(through_app) == 1
    assert answers[0] == answers[1]
    assert ("Content-Encoding", encoding) in answers[1][1]


def test_the_lane_is_two_statements_with_no_begin_or_commit(app, postgres, bearer, world,
                                                           monkeypatch, through_app, count):
    # A submission tells the supervisor; the push sent after the commit is the queue's work.
    monkeypatch.setitem(app.config, "PUSH_ENABLED", False)
    bearer.post(entry(start_time="06:00", end_time="06:30"))  # the app reads the rule
    statements = []

    def seen(conn, cursor, text, *rest):
        statements.append(text)

    sent = _transaction_commands(monkeypatch)
    sa.event.listen(postgres.engine, "before_cursor_execute", seen)
    try:
        response = bearer.post(entry(id=str(uuid.uuid4())))
    finally:
        sa.event.remove(postgres.engine, "before_cursor_execute", seen)
    assert response.status_code == 201 and len(through_app) == 1
    assert len(statements) == 2 and sent == []
    # The pooled connection went back as sessions expect it: transactions again.
    raw = postgres.engine.raw_connection()
    try:
        assert raw.driver_connection.autocommit is False
    finally:
        raw.close()
    submitted = bearer.post(entry(id=str(uuid.uuid4()), start_time="10:00", end_time="10:30",
                                  status="submitted"))
    # One transaction writes; telling the supervisor's open pages afterwards only reads.
    assert submitted.status_code == 201
    assert sent[:2] == ["BEGIN", "COMMIT"] and sent.count("COMMIT") == 1
    result = app.test_cli_runner().invoke(audit_verify)
    assert result.exit_code == 0, result.output
    assert f"kota-satu: {count(AuditEntry)} entries, OK" in result.output


@pytest.mark.parametrize(("person_locale", "accept", "expected"), [
    (None, None, "Waktunya bertumpang tindih"),
    (None, "en-US,en;q=0.9", "This overlaps another activity"),
    ("id", "en", "Waktunya bertumpang tindih"),
    ("en", None, "This overlaps another activity"),
])
def test_overlap_warnings_in_the_language_the_app_would_choose(
        postgres, bearer, world, through_app, person_locale, accept, expected):
    world.one.staff_a1.locale = person_locale
    postgres.session.commit()
    first = bearer.post(entry(start_time="08:00", end_time="09:00"))
    assert first.status_code == 201
    headers = {"Accept-Language": accept} if accept else {}
    answer = bearer.post(entry(id=str(uuid.uuid4()), start_time="08:30", end_time="09:30"),
                         **headers)
    assert answer.status_code == 201 and len(through_app) == 1
    [warning] = answer.get_json()["warnings"]
    assert warning["code"] == "overlap" and warning["activity_id"] == first.get_json()["id"]
    assert warning["message"].startswith(expected), warning["message"]
    # Times in the language's own format: "08.00" in Bahasa Indonesia, "8:00 AM" in English.
    times = ("8:00", "9:00") if expected.startswith("This") else ("08.00", "09.00")
    assert all(moment in warning["message"] for moment in times), warning["message"]


def _revoke(db):
    db.session.execute(sa.update(PersonalAccessToken).values(revoked_at=datetime(2026, 3, 1)))
    db.session.commit()


def _expire(db):
    db.session.execute(sa.update(PersonalAccessToken).values(expires_at=datetime(2026, 3, 1)))
    db.session.commit()


def _deactivate(db):
    db.session.execute(sa.text("UPDATE people SET active = false"))
    db.session.commit()


@pytest.mark.parametrize(("change", "status"), [
    (_revoke, 401), (_expire, 401), (_deactivate, 401)])
def test_a_token_no_longer_good_is_refused_at_once(postgres, bearer, through_app, count,
                                                   change, status):
    """No sign-in is remembered between requests: the lane reads the token each time."""
    assert bearer.post(entry(start_time="06:00", end_time="06:30")).status_code == 201
    assert bearer.post(entry(id=str(uuid.uuid4()))).status_code == 201
    assert len(through_app) == 1
    change(postgres)
    answer = bearer.post(entry(id=str(uuid.uuid4()), start_time="11:00", end_time="11:30"))
    assert answer.status_code == status
    assert len(through_app) == 2  # the app said why
    assert count(Activity) == 2


@pytest.mark.parametrize(("values", "status"), [
    ({"end_time": "07:00"}, 422),  # invalid: the app's field errors
    ({"description": " "}, 422),
    ({"date": "2026-02-20"}, 422),  # a locked period
    ({"date": "2026-03-11"}, 422),  # tomorrow
    ({"status": "submitted"}, 201),  # two writes: the app's transaction
    ({"id": None}, 201),  # no client id: the app makes one
    ({"target_id": "other"}, 422),  # someone else's target
    ({"work_kind": "skp"}, 422),
])
def test_what_the_lane_declines_the_app_answers(postgres, bearer, world, through_app, count,
                                                values, status):
    bearer.post(entry(start_time="06:00", end_time="06:30"))
    seen = len(through_app)
    body = entry(id=str(uuid.uuid4()))
    if values.get("target_id") == "other":
        values = {"target_id": make_indicator(world.one.staff_a2).id, "unit": "dokumen",
                  "work_kind": None}
    body = {k: v for k, v in {**body, **values}.items() if v is not None}
    answer = bearer.post(body)
    assert answer.status_code == status, answer.get_json()
    assert len(through_app) == seen + 1
    assert count(Activity) == (2 if status == 201 else 1)


def test_a_replay_reaches_the_app_and_answers_the_stored_activity(postgres, bearer,
                                                                  through_app, count):
    bearer.post(entry(start_time="06:00", end_time="06:30"))
    body = entry(id=str(uuid.uuid4()))
    first = bearer.post(body)
    assert first.status_code == 201 and len(through_app) == 1
    again = bearer.post(body)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert len(through_app) == 2
    assert count(Activity) == 2


def test_a_due_last_used_time_goes_through_the_app_which_writes_it(postgres, bearer, clock,
                                                                   through_app, db):
    bearer.post(entry(start_time="06:00", end_time="06:30"))
    assert bearer.post(entry(id=str(uuid.uuid4()))).status_code == 201
    assert len(through_app) == 1
    clock.shift(120)
    assert bearer.post(entry(id=str(uuid.uuid4()), start_time="10:00",
                             end_time="10:30")).status_code == 201
    assert len(through_app) == 2
    db.session.rollback()
    used = db.session.scalar(sa.select(PersonalAccessToken.last_used_at))
    assert (datetime.now() - used).total_seconds() < 60  # noqa: DTZ005 - naive UTC clock


@pytest.mark.parametrize("headers", [
    {"Content-Type": "text/plain"},  # not JSON: the app refuses it
    {"Cookie": "session=x", "Authorization": ""},  # no bearer token
])
def test_other_requests_pass_through_untouched(postgres, bearer, through_app, headers):
    client = bearer.client
    response = client.post(URL, data=b'{"description": "x"}',
                           headers={**bearer.headers(), **headers})
    assert response.status_code in (401, 415, 422)
    assert len(through_app) == 1


def test_on_sqlite_the_app_answers(db, bearer, through_app, count):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite case")
    assert bearer.post(entry(start_time="06:00", end_time="06:30")).status_code == 201
    assert bearer.post(entry(id=str(uuid.uuid4()))).status_code == 201
    assert len(through_app) == 2 and count(Activity) == 2


def test_the_create_has_no_rate_limit_the_lane_would_skip(app):
    """The lane does not consult the rate limiter: the create must have no limit of its own,
    nor may the app set default or application-wide ones."""
    from app.extensions import limiter

    view = app.view_functions["activities_api.create_activity"]
    manager = limiter.limit_manager
    assert manager.decorated_limits(f"{view.__module__}.{view.__name__}") == []
    assert list(manager.default_limits) == [] and list(manager.application_limits) == []


def test_json_the_lane_cannot_read_gets_the_apps_400(postgres, bearer, through_app):
    response = bearer.client.post(URL, data=b"[" * 100_000, headers=bearer.headers(
        **{"Content-Type": "application/json"}))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
    assert len(through_app) == 1
