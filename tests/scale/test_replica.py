"""DATABASE_REPLICA_URL (app/core/replica.py): dashboards read from the replica while it is
up, close enough and has replayed the reader's own writes; otherwise from the primary, with
the same answer. Writes never go to the replica.

Here the "replica" is a second engine on the suite's PostgreSQL database (not in recovery:
no delay), an unreachable address, or one made to report a delay; a real streaming replica
is in test_streaming_replica.py (slow)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.activities.deadlines import local_today
from app.core import replica
from app.extensions import db as _db
from app.models import utcnow
from tests import support
from tests.conftest import IsolatedClient
from tests.dashboards.support import log

SHARED = ("DATABASE_URL", "REDIS_URL", "RATELIMIT_KEY_PREFIX", "NOTIFY_CHANNEL_PREFIX",
          "RATELIMIT_STORAGE_OPTIONS")


@pytest.fixture
def with_replica(app, db, world, make_app):
    """Build a second app on the suite's database whose replica is ``url``; statements
    are recorded per engine ("primary"/"replica")."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("a replica is a PostgreSQL setting")
    log(world.one.staff_a1, local_today(world.one.staff_a1, utcnow()) - timedelta(days=1))
    db.session.commit()
    built = []

    def factory(url, **settings):
        other = make_app({**{k: app.config[k] for k in SHARED if k in app.config},
                          "DATABASE_REPLICA_URL": url, **settings})
        other.test_client_class = IsolatedClient
        statements = []

        def record(name, sql):
            if sql != str(replica.LAG_SQL):  # the replica's health check is no answer's read
                statements.append((name, sql.split(None, 1)[0].upper()))
        with other.app_context():
            for name, engine in (("primary", _db.engines[None]),
                                 ("replica", _db.engines[replica.BIND])):
                sa.event.listen(engine, "before_cursor_execute",
                                lambda *args, name=name: record(name, args[2]))
        built.append(other)
        return other, statements

    yield factory
    for other in built:
        with other.app_context():
            for engine in _db.engines.values():
                engine.dispose()


def dashboard(other, person, client=None):
    client = client or support.ApiClient(other).login(person)
    response = client.get("/api/v1/dashboards/team")
    assert response.status_code == 200, response.get_json()
    return client, response.get_json()


def served_by(statements) -> set[str]:
    return {name for name, verb in statements if verb in ("SELECT", "WITH")}


def test_a_dashboard_reads_from_the_replica_and_answers_the_same(app, world, with_replica):
    _, primary_only = dashboard(app, world.one.sup_a)
    other, statements = with_replica(app.config["DATABASE_URL"])
    client = support.ApiClient(other).login(world.one.sup_a)  # sign-in: the primary
    assert "replica" not in served_by(statements)
    statements.clear()
    _, body = dashboard(other, world.one.sup_a, client)
    assert body == primary_only
    assert "replica" in served_by(statements)
    # The replica answers reads only: every write of the run went to the primary.
    assert {verb for name, verb in statements if name == "replica"} <= {"SELECT", "WITH",
                                                                       "BEGIN", "ROLLBACK",
                                                                       "COMMIT"}


def test_a_replica_that_stops_between_checks_fails_no_read(app, world, with_replica):
    """The last check found it up; it is unreachable now: the dashboard still answers, from
    the primary, and the replica counts as down from then on."""
    _, expected = dashboard(app, world.one.sup_a)
    other, statements = with_replica("postgresql://postgres@127.0.0.1:1/none",
                                     REPLICA_CHECK_SECONDS=3600)
    with other.app_context():
        state = replica.status()
        state.up, state.lag, state.replayed = True, 0.0, float("inf")
    _, body = dashboard(other, world.one.sup_a)
    assert body == expected
    assert served_by(statements) == {"primary"}
    with other.app_context():
        assert replica.status().up is False


def test_an_unreachable_replica_leaves_the_primary_to_answer(app, world, with_replica):
    _, expected = dashboard(app, world.one.sup_a)
    other, statements = with_replica("postgresql://postgres@127.0.0.1:1/none")
    _, body = dashboard(other, world.one.sup_a)
    assert body == expected
    assert served_by(statements) == {"primary"}
    with other.app_context():
        state = replica.status()
        assert state.up is False
        checked = state.checked
        # Checked once, then remembered: the next request does not try again at once.
        dashboard(other, world.one.sup_a)
        assert replica.status().checked == checked


def test_a_replica_too_far_behind_leaves_the_primary_to_answer(app, world, with_replica,
                                                              monkeypatch):
    monkeypatch.setattr(replica, "LAG_SQL", sa.text("SELECT 30.0"))
    other, statements = with_replica(app.config["DATABASE_URL"], REPLICA_MAX_LAG_SECONDS=10)
    dashboard(other, world.one.sup_a)
    assert served_by(statements) == {"primary"}
    with other.app_context():
        assert (replica.status().up, replica.status().lag) == (True, 30.0)


def test_who_just_wrote_reads_from_the_primary_until_the_replica_has_it(app, world,
                                                                        with_replica):
    other, statements = with_replica(app.config["DATABASE_URL"],
                                     REPLICA_CHECK_SECONDS=3600)
    # Signing in is a write too: both sign in before the replica is checked.
    reader = support.ApiClient(other).login(world.one.sup_a)
    writer = support.ApiClient(other).login(world.one.sup_a)
    dashboard(other, world.one.sup_a, writer)  # checks the replica: replayed "now"
    response = writer.post("/api/v1/activities", json={
        "date": local_today(world.one.sup_a, utcnow()).isoformat(), "start_time": "08:00",
        "end_time": "09:00", "description": "Rapat koordinasi", "work_kind": "lainnya"})
    assert response.status_code == 201, response.get_json()
    assert replica.COOKIE in response.headers.get("Set-Cookie", "")
    statements.clear()
    dashboard(other, world.one.sup_a, writer)
    assert served_by(statements) == {"primary"}  # the replica was checked before the write
    statements.clear()
    dashboard(other, world.one.sup_a, reader)  # who wrote nothing since: the replica
    assert "replica" in served_by(statements)


def test_without_a_replica_nothing_changes(app, world, db):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("PostgreSQL only")
    assert not replica.configured(app)
    client, _ = dashboard(app, world.one.sup_a)
    response = client.post("/api/v1/activities", json={
        "date": local_today(world.one.sup_a, utcnow()).isoformat(), "start_time": "10:00",
        "end_time": "11:00", "description": "Menyusun laporan", "work_kind": "lainnya"})
    assert response.status_code == 201
    assert replica.COOKIE not in response.headers.get("Set-Cookie", "")


def test_transaction_pooling_prepares_no_statement(make_app, app):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("PostgreSQL only")
    pooled = make_app({"DATABASE_URL": app.config["DATABASE_URL"],
                       "DATABASE_POOL_MODE": "transaction",
                       "DATABASE_REPLICA_URL": app.config["DATABASE_URL"]})
    with pooled.app_context():
        for engine in _db.engines.values():
            with engine.connect() as connection:
                assert connection.connection.driver_connection.prepare_threshold is None
            engine.dispose()
    direct = make_app({"DATABASE_URL": app.config["DATABASE_URL"]})
    with direct.app_context():
        with _db.engine.connect() as connection:
            assert connection.connection.driver_connection.prepare_threshold is not None
        _db.engine.dispose()
    with pytest.raises(RuntimeError, match="DATABASE_POOL_MODE"):
        make_app({"DATABASE_URL": app.config["DATABASE_URL"], "DATABASE_POOL_MODE": "tx"})


def test_an_export_job_reads_from_the_replica_once_it_has_replayed_the_request(
        app, world, with_replica, tmp_path):
    from app.documents import jobs
    from app.org.models import Person

    other, statements = with_replica(app.config["DATABASE_URL"], REPLICA_CHECK_SECONDS=0,
                                     EXPORT_FOLDER=str(tmp_path))
    month = local_today(world.one.staff_a1, utcnow()).strftime("%Y-%m")
    with other.app_context():
        owner = _db.session.get(Person, world.one.staff_a1.id)

        def export():
            job = jobs.start_export(owner, "monthly_xlsx",
                                    {"person_id": owner.id, "month": month})
            _db.session.commit()
            statements.clear()
            done = jobs.run_job(job.id)
            assert done.status.value == "done", done.error
            return served_by(statements)

        # Checked as it runs: the replica has replayed past the job's request.
        assert "replica" in export()
        # Checked before the request (and remembered): the replica may lack the job's data.
        other.config["REPLICA_CHECK_SECONDS"] = 3600
        assert export() == {"primary"}


def test_prepared_statements_on_partitions_are_planned_once(make_app, app, db):
    """A statement the app runs again and again is planned once (a generic plan, pruned at
    execution), not afresh on every run (DATABASE_PLAN_CACHE_MODE)."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("PostgreSQL only")
    sql = "SELECT count(*) FROM activities WHERE date BETWEEN %s AND %s"

    def plans(engine):
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            for day in range(1, 4):
                driver.execute(sql, (f"2026-03-0{day}", "2026-03-31"), prepare=True)
            return driver.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE 'SELECT count(*) FROM activities WHERE date BETWEEN%'"
            ).fetchone()

    assert plans(_db.engine) == (3, 0)
    server_default = make_app({"DATABASE_URL": app.config["DATABASE_URL"],
                               "DATABASE_PLAN_CACHE_MODE": ""})
    with server_default.app_context():
        assert plans(_db.engine) == (0, 3)  # "auto": the first five runs are planned afresh
        _db.engine.dispose()
    with pytest.raises(RuntimeError, match="DATABASE_PLAN_CACHE_MODE"):
        make_app({"DATABASE_URL": app.config["DATABASE_URL"],
                  "DATABASE_PLAN_CACHE_MODE": "generic"})
