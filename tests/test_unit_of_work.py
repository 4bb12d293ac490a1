"""One unit of work per request, job or command: committed at its boundary, or not at all."""

import uuid

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
import time_machine
from flask import Blueprint
from sqlalchemy.exc import OperationalError

from app.activities.models import Activity
from app.core.uow import after_commit, keep_on_error, unit_of_work
from app.errors import Conflict
from app.extensions import db as _db
from app.org.models import Organisation
from tests import support
from tests.activities.conftest import NOW
from tests.activities.test_batch import data

PREFIX = "/api/v1/uow-probe"


def _add(slug: str, name: str = "Probe") -> None:
    _db.session.add(Organisation(slug=slug, name=name, timezone="Asia/Jakarta"))
    _db.session.flush()


def probe_routes(calls: list) -> Blueprint:
    """Throwaway views that write one organisation each, then answer as their name says."""
    probe = Blueprint("uow_probe", __name__, url_prefix=PREFIX)

    @probe.post("/raise")
    def flush_then_raise():
        _add("raised")
        raise RuntimeError("after the flush")

    @probe.post("/answer/<int:status>")
    def answer(status):
        _add(f"answer-{status}")
        after_commit(lambda: calls.append(status))
        return {"status": status}, status

    @probe.post("/keep/<how>")
    def keep(how):
        _add(f"kept-{how}")
        keep_on_error()
        if how == "raise":
            raise Conflict()
        return {"error": "kept"}, 429

    @probe.post("/duplicate")
    def duplicate():
        _add("twice")
        _add("twice")  # the unique slug fails the second flush
        return {}, 201

    @probe.post("/nul")
    def nul():
        _add("nul", name="a\x00b")
        return {}, 201

    return probe


@pytest.fixture
def probe(app, db, world, make_app, backend):
    """A fresh app on the suite's database with the probe views; ``probe.calls`` records
    what ran after a commit."""
    fresh = make_app({key: value for key, value in backend.items() if key != "name"})
    fresh.test_client_class = app.test_client_class
    calls = []
    fresh.register_blueprint(probe_routes(calls))
    client = support.ApiClient(fresh).login(world.one.staff_a1)
    client.calls = calls
    yield client
    with fresh.app_context():
        _db.engine.dispose()


def slugs(count) -> set[str]:
    count(Organisation)  # ends the test's own transaction: see what requests committed
    return set(_db.session.scalars(sa.select(Organisation.slug))) - {"kota-satu", "kota-dua"}


def test_a_view_that_raises_after_a_flush_leaves_nothing(probe, count):
    response = probe.post(f"{PREFIX}/raise")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert slugs(count) == set()


@pytest.mark.parametrize("status", [200, 201, 204, 302])
def test_an_answer_below_400_commits_and_then_runs_what_waited(probe, count, status):
    assert probe.post(f"{PREFIX}/answer/{status}").status_code == status
    assert slugs(count) == {f"answer-{status}"}
    assert probe.calls == [status]


@pytest.mark.parametrize("status", [400, 404, 409, 422])
def test_an_answer_of_400_and_up_leaves_nothing_and_runs_nothing(probe, count, status):
    assert probe.post(f"{PREFIX}/answer/{status}").status_code == status
    assert slugs(count) == set()
    assert probe.calls == []


@pytest.mark.parametrize(("how", "status"), [("raise", 409), ("answer", 429)])
def test_keep_on_error_keeps_the_changes_of_an_error_answer(probe, count, how, status):
    assert probe.post(f"{PREFIX}/keep/{how}").status_code == status
    assert slugs(count) == {f"kept-{how}"}


def test_a_failed_flush_still_gets_its_error_answer(probe, count):
    response = probe.post(f"{PREFIX}/duplicate")
    assert response.status_code == 409  # a unique key met: a conflict, not a server fault
    assert response.get_json()["error"]["code"] == "conflict"
    assert slugs(count) == set()


def test_a_commit_that_fails_at_the_boundary_answers_503(probe, count):
    def refuse(session):
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    sa.event.listen(so.Session, "before_commit", refuse)
    try:
        response = probe.post(f"{PREFIX}/answer/201")
    finally:
        sa.event.remove(so.Session, "before_commit", refuse)
    assert response.status_code == 503
    assert response.is_json and response.get_json()["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"]
    assert slugs(count) == set()
    assert probe.calls == []


def test_a_value_the_database_refuses_mid_flush_is_422(probe, count, backend):
    if backend["name"] != "postgresql":
        pytest.skip("SQLite stores a NUL character")
    response = probe.post(f"{PREFIX}/nul")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    assert slugs(count) == set()


@pytest.mark.parametrize(("url", "body"), [
    ("/api/v1/activity-templates", {"name": "Rapat", "description": "a\x00b"}),
    ("/api/v1/activities/00000000-0000-4000-8000-000000000001/comments",
     {"body": "tolong\x00dicek"}),
])
def test_a_nul_character_is_422_on_every_database(api, world, url, body):
    api.login(world.one.staff_a1)
    response = api.post(url, json=body)
    assert response.status_code == 422
    (field,) = [key for key, value in body.items() if "\x00" in value]
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_a_nul_character_in_a_batch_refuses_that_entry_only(api, world, count):
    entries = [{"op": "create", "id": str(uuid.uuid4()), "data": data(description=text)}
               for text in ("Rapat\x00", "Rapat staf")]
    with time_machine.travel(NOW, tick=True):
        api.login(world.one.staff_a1)
        response = api.post("/api/v1/activities/batch", json={"entries": entries})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["result"], r["status"]) for r in results] == [("invalid", 422),
                                                              ("created", 201)]
    assert list(results[0]["error"]["fields"]) == ["description"]
    assert count(Activity) == 1


def test_unit_of_work_commits_the_block(db, count):
    with unit_of_work():
        _add("block")
    assert slugs(count) == {"block"}


def test_unit_of_work_rolls_back_a_block_that_raises(db, count):
    ran = []

    def half_way():
        with unit_of_work():
            _add("block")
            after_commit(lambda: ran.append("no"))
            raise RuntimeError("half way")

    with pytest.raises(RuntimeError):
        half_way()
    assert slugs(count) == set()
    assert ran == []


def test_after_commit_waits_for_the_commit_and_forgets_a_rollback(db, count):
    ran = []
    _add("rolled-back")
    after_commit(lambda: ran.append("forgotten"))
    _db.session.rollback()
    with unit_of_work():
        _add("block")
        after_commit(lambda: ran.append(slugs(count)))
        assert ran == []
    assert ran == [{"block"}]  # the row was there to read
