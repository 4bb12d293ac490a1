"""The scale-out stack on loopback: a PostgreSQL primary and its streaming replica, PgBouncer
(transaction pooling), Redis, two app instances, the worker and nginx (tests/scale_out/stack.py).

- writes go through either instance, and nginx alternates between them;
- a comment made through instance A reaches a live stream held open by instance B;
- dashboards are read on the replica (its own statistics count the transactions);
- a query naming a month prunes the activities' partitions, through PgBouncer;
- with the replica stopped, the app still answers (reads fall back to the primary).

Select them with ``-k "scale_out or replica"``.
"""

import json
import time
import uuid

import psycopg
import pytest

from app.activities import deadlines
from app.models import utcnow
from tests.factories import build_world
from tests.feedback.support import submitted
from tests.loopback import Stream
from tests.scale_out.stack import scale_out_stack

pytestmark = [pytest.mark.slow, pytest.mark.scale_out, pytest.mark.postgres,
              pytest.mark.redis]


def seed(stack) -> dict:
    with stack.app_context() as db:
        world = build_world(db)
        owner = world.one.staff_a1
        today = deadlines.local_today(owner, utcnow())
        activity = submitted(owner, on=today)
        return {"owner": owner.nip, "writer": world.one.staff_a2.nip,
                "supervisor": world.one.sup_a.nip, "activity_id": activity.id,
                "today": today.isoformat()}


@pytest.fixture(scope="module")
def scale_out():
    with scale_out_stack() as stack:
        facts = seed(stack)
        stack.start_apps()
        yield stack, facts


def create(http, headers: dict, today: str, description: str):
    activity_id = str(uuid.uuid4())
    status, answer_headers, raw = http.request(
        "POST", "/api/v1/activities",
        {"id": activity_id, "date": today, "start_time": "10:00", "end_time": "10:30",
         "description": description, "work_kind": "lainnya"}, headers)
    assert status == 201, raw[:300]
    return activity_id, answer_headers


def replica_transactions(stack) -> int:
    """Transactions the replica has finished in the app's database (its own statistics)."""
    with stack.replica.connect("postgres") as conn:
        return conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = 'kinerjaku'").fetchone()[0]


def test_scale_out_writes_through_either_instance(scale_out):
    stack, facts = scale_out
    made = []
    for name, http in stack.apps.items():
        made.append(create(http, http.login(facts["writer"]), facts["today"],
                           f"Lewat instans {name}")[0])
    # Through nginx: one session, requests alternating between the instances.
    through = stack.http.login(facts["writer"])
    upstreams = set()
    for n in range(4):
        activity_id, headers = create(stack.http, through, facts["today"], f"Lewat nginx {n}")
        made.append(activity_id)
        upstreams.add(headers["X-Upstream"])
    assert upstreams == {f"127.0.0.1:{http.port}" for http in stack.apps.values()}
    with stack.primary.connect() as conn:
        stored = conn.execute("SELECT id FROM activities WHERE id = ANY(%s)",
                              (made,)).fetchall()
    assert sorted(row[0] for row in stored) == sorted(made)
    # And every write reaches the replica by streaming replication.
    stack.wait_until(stack.replica.replay_caught_up, 30, "the replica to replay")
    with stack.replica.connect() as conn:
        assert conn.execute("SELECT count(*) FROM activities WHERE id = ANY(%s)",
                            (made,)).fetchone()[0] == len(made)


def test_scale_out_live_event_crosses_instances(scale_out):
    stack, facts = scale_out
    a, b = stack.apps["a"], stack.apps["b"]
    owner = b.login(facts["owner"])
    stream = Stream(b, owner["Cookie"])
    try:
        stack.wait_until(lambda: stream.connects, 30, "the stream on instance B")
        time.sleep(1)  # the stream's subscription is in place once it has answered
        supervisor = a.login(facts["supervisor"])
        status, _, raw = a.request("POST", f"/api/v1/activities/{facts['activity_id']}/comments",
                                   {"body": "Dari instans A"}, supervisor)
        assert status == 201, raw[:300]
        stack.wait_until(lambda: "Dari instans A" in stream.comments(), 30,
                         "the comment on instance B's stream")
        assert stream.comments().count("Dari instans A") == 1
    finally:
        stream.close()


def test_replica_serves_dashboards(scale_out):
    stack, facts = scale_out
    supervisor = stack.http.login(facts["supervisor"])
    stack.wait_until(stack.replica.replay_caught_up, 30, "the replica to replay")
    before = replica_transactions(stack)
    requests = 10
    for _ in range(requests):
        status, _, raw = stack.http.request("GET", "/api/v1/dashboards/team", None, supervisor)
        assert status == 200, raw[:300]
        team = json.loads(raw)
    assert team["people"], team
    # Backends report their counters when idle (within seconds): wait for them.
    stack.wait_until(lambda: replica_transactions(stack) - before >= requests, 30,
                     f"{requests} dashboard transactions on the replica")


def test_scale_out_partition_pruning_through_pgbouncer(scale_out):
    stack, facts = scale_out
    month = facts["today"][:7] + "-01"
    with psycopg.connect(stack.pgbouncer.url(), prepare_threshold=None) as conn:
        partitions = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'activities'::regclass"
        ).fetchone()[0]
        plan = conn.execute(
            "EXPLAIN (FORMAT JSON) SELECT count(*) FROM activities "
            "WHERE date >= %s::date AND date < (%s::date + interval '1 month')",
            (month, month)).fetchone()[0]
    scanned = set()

    def walk(node):
        if "Relation Name" in node:
            scanned.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)
    walk(plan[0]["Plan"])
    assert partitions > 1
    assert len(scanned) == 1, scanned
    assert scanned != {"activities"}


def test_replica_stopped_the_app_still_answers(scale_out):
    """Last in the module: it stops the replica. Writes never touch it. Reads move to the
    primary once an instance's replica check (every REPLICA_CHECK_SECONDS) has seen it gone;
    until then a read on the dead replica is refused with 503 and Retry-After, which clients
    retry, never a 500 or a broken connection."""
    stack, facts = scale_out
    supervisor = stack.http.login(facts["supervisor"])
    writer = stack.http.login(facts["writer"])
    stack.replica.stop("fast")
    refused = []

    def dashboard():
        status, headers, raw = stack.http.request("GET", "/api/v1/dashboards/team", None,
                                                  supervisor)
        if status != 200:
            refused.append((status, headers.get("Retry-After"), raw[:200]))
        return status == 200

    for _ in range(4):  # both instances, through nginx
        create(stack.http, writer, facts["today"], "Replika berhenti")
    for _ in range(4):  # every worker of both instances has seen the replica gone
        stack.wait_until(dashboard, 30, "a dashboard answered from the primary")
    for _ in range(8):
        assert dashboard(), refused[-1]
    assert all(status == 503 and retry for status, retry, _ in refused), refused
    with stack.primary.connect() as conn:
        assert conn.execute("SELECT count(*) FROM activities WHERE description = %s",
                            ("Replika berhenti",)).fetchone()[0] == 4
