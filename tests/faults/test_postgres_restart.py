"""PostgreSQL stopped and started again under load: nothing acknowledged is lost or doubled.

Client threads create activities with client UUIDs through a real gunicorn, retrying with the
same UUID as the PWA's outbox does, while the test stops the private PostgreSQL (fast
shutdown) for a few seconds and starts it again; then restarts it once more with nobody
writing, so the next requests meet only dead pooled connections (a failover). Then:

- every acknowledged (2xx) UUID is in the database exactly once, and nothing else is;
- every refusal during the gap is 503 with Retry-After and the JSON error envelope (no 500,
  no HTML, no broken connection);
- the app recovers by itself: writes succeed after the restart, gunicorn untouched.

Once with a bearer token and once with a cookie session.
"""

import time
import uuid
from collections import Counter

import pytest

from app.auth import services as auth
from tests.factories import build_world
from tests.faults.conftest import COUNTS, private_stack
from tests.faults.load import DESCRIPTION, OutboxLoad

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

CLIENTS = 6
OUTAGE_SECONDS = 4


def seed(stack) -> dict:
    """The world, and a token for staff_a2; the nips of the two writers."""
    with stack.app_context() as db:
        world = build_world(db)
        token = auth.create_token(world.one.staff_a2, "fault test").token
        db.session.commit()
        return {"cookie_nip": world.one.staff_a1.nip, "token": token}


def stored(stack) -> Counter:
    """How many rows hold each load-written UUID (by id, and by the UUID in the text)."""
    with stack.postgres.connect() as conn:
        rows = conn.execute("SELECT id, description FROM activities WHERE description LIKE %s",
                            (DESCRIPTION + "%",)).fetchall()
    counts = Counter()
    for activity_id, description in rows:
        counts[activity_id] += 1
        if description != DESCRIPTION + activity_id:
            counts[f"mismatch:{activity_id}"] += 1
    return counts


def writer_headers(stack, facts, auth_kind) -> dict:
    if auth_kind == "token":
        return {"Authorization": f"Bearer {facts['token']}"}
    return stack.http.login(facts["cookie_nip"])


def restart_under_load(stack, headers) -> dict:
    """Run the load across a PostgreSQL restart; the load and the moments that matter."""
    load = OutboxLoad(stack.http, headers, CLIENTS).start()
    time.sleep(2)
    before = len(load.acknowledged)
    stopped_at = time.monotonic()
    stack.postgres.stop("fast")  # the gap: fast shutdown, then a few seconds down
    time.sleep(OUTAGE_SECONDS)
    stack.postgres.start()
    started_at = time.monotonic()
    time.sleep(6)
    load.stop()
    # Then a quick restart with nobody writing: every pooled connection is dead when the
    # next requests come, as after a failover.
    stack.postgres.stop("fast")
    stack.postgres.start()
    started_at = time.monotonic()
    load.start()
    time.sleep(3)
    load.stop()
    return {"load": load, "before": before, "stopped_at": stopped_at,
            "started_at": started_at}


@pytest.fixture(scope="module", params=["token", "cookie"])
def restart(request):
    """One PostgreSQL restart under load per way of signing in, and what it left behind."""
    with private_stack() as stack:
        facts = seed(stack)
        stack.start_app()
        run = restart_under_load(stack, writer_headers(stack, facts, request.param))
        load = run["load"]
        # Recovery by itself: the same gunicorn takes fresh writes, each at the first try.
        run["after"] = [load.write(str(uuid.uuid4())) for _ in range(10)]
        run["gunicorn_alive"] = stack.processes["gunicorn"].poll() is None
        run["counts"] = stored(stack)
    counts, acknowledged = run["counts"], set(load.acknowledged)
    run.update(
        auth=request.param,
        lost=acknowledged - set(counts),
        doubled={key for key, n in counts.items() if n > 1 or key.startswith("mismatch:")},
        unacknowledged_rows=set(counts) - acknowledged,
        statuses=Counter(a.status for a in load.refused()))
    others = {k: v for k, v in run["statuses"].items() if k != 503}
    COUNTS.append(
        f"PostgreSQL restart ({request.param}): {len(acknowledged)} writes acknowledged "
        f"({run['before']} before the stop), {len(run['lost'])} lost, "
        f"{len(run['doubled'])} duplicated, {run['statuses'].get(503, 0)} answers 503, "
        f"other refusals {others or 'none'}")
    return run


def test_every_acknowledged_write_is_stored_exactly_once(restart):
    load = restart["load"]
    assert not load.unfinished, "writes never acknowledged"
    assert restart["before"] > 0, "the load wrote nothing before the outage"
    assert load.refused(), "no request met the outage: nothing was proved"
    assert not restart["lost"], f"acknowledged but not stored: {sorted(restart['lost'])[:5]}"
    assert not restart["doubled"], f"stored twice: {sorted(restart['doubled'])[:5]}"
    assert not restart["unacknowledged_rows"], "rows nobody was told about"


def test_the_app_recovers_by_itself(restart):
    load = restart["load"]
    assert restart["gunicorn_alive"]
    assert any(a.at > restart["started_at"] for a in load.answers if a.status in (200, 201))
    for answer in restart["after"]:
        assert answer is not None and answer.status == 201
        assert [a.id for a in load.answers].count(answer.id) == 1, "not at the first try"


def test_only_503_with_retry_after_while_the_database_is_away(restart):
    refused = restart["load"].refused()
    assert all(a.at >= restart["stopped_at"] for a in refused)
    bad = [(a.status, a.headers.get("Content-Type"), a.body[:120]) for a in refused
           if a.status != 503 or not a.headers.get("Retry-After", "").isdigit()
           or (a.envelope() or {}).get("code") != "unavailable"]
    assert not bad, f"{len(bad)} refusals were not 503 + Retry-After + envelope: {bad[:3]}"
