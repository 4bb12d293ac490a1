"""Offline replay: the batch endpoint, and two identical creates racing on the real database."""

import threading
import uuid

import pytest
import sqlalchemy as sa

from app.activities.models import Activity
from app.audit.models import AuditEntry
from tests.activities.test_api import entry
from tests.support import ApiClient

BATCH = "/api/v1/activities/batch"


def data(**values):
    body = entry(**values)
    body.pop("id", None)
    return body


@pytest.fixture
def staff(api, world):
    return api.login(world.one.staff_a1)


def test_batch_answers_each_entry_in_order(staff, count):
    existing = staff.post("/api/v1/activities", json=entry()).get_json()
    edited = str(uuid.uuid4())
    staff.post("/api/v1/activities", json=entry(id=edited, start_time="13:00",
                                                end_time="14:00"))
    new_ids = [str(uuid.uuid4()) for _ in range(3)]
    entries = [
        {"op": "create", "id": new_ids[0], "data": data(description="Satu")},
        {"op": "create", "id": existing["id"], "data": data()},
        {"op": "create", "id": new_ids[1], "data": data(end_time="07:00")},
        {"op": "update", "id": edited, "version": 1, "data": {"description": "Dua"}},
        {"op": "update", "id": edited, "version": 1, "data": {"description": "Tiga"}},
        {"op": "submit", "id": new_ids[0]},
        {"op": "update", "id": str(uuid.uuid4()), "version": 1, "data": {"description": "X"}},
        {"op": "create", "id": new_ids[2], "data": data(date="2026-02-27")},  # locked
        {"op": "delete", "id": new_ids[2]},
        "not an object",
    ]
    response = staff.post(BATCH, json={"entries": entries})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["result"], r["status"]) for r in results] == [
        ("created", 201), ("existing", 200), ("invalid", 422), ("updated", 200),
        ("conflict", 409), ("submitted", 200), ("not_found", 404), ("locked", 422),
        ("invalid", 422), ("invalid", 422)]
    assert results[0]["activity"]["description"] == "Satu"
    assert results[2]["error"]["fields"] == {"end_time": results[2]["error"]["fields"]
                                             ["end_time"]}
    assert results[2]["activity"] is None
    assert results[4]["error"]["current"]["description"] == "Dua"
    assert results[5]["activity"]["status"] == "submitted"
    assert [r["id"] for r in results[:2]] == [new_ids[0], existing["id"]]
    assert count(Activity) == 3  # two before, one created; the refused ones left nothing


def test_batch_replayed_whole_changes_nothing(staff, count):
    entries = [{"op": "create", "id": str(uuid.uuid4()), "data": data(start_time=f"0{h}:00",
                                                                      end_time=f"0{h}:30")}
               for h in range(1, 6)]
    first = staff.post(BATCH, json={"entries": entries}).get_json()["results"]
    second = staff.post(BATCH, json={"entries": entries}).get_json()["results"]
    assert {r["result"] for r in first} == {"created"}
    assert {r["result"] for r in second} == {"existing"}
    assert count(Activity) == 5
    assert count(AuditEntry) == 5


def test_batch_is_one_transaction(staff, count, monkeypatch):
    """A failure the entries cannot absorb rolls back every entry of the batch, also the
    creates applied before it."""
    from app.activities.services import batch as services

    def disk_on_fire(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "update_activity", disk_on_fire)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    entries = [{"op": "create", "id": ids[0], "data": data()},
               {"op": "create", "id": ids[1], "data": data()},
               {"op": "update", "id": ids[0], "version": 1, "data": {"description": "X"}},
               {"op": "create", "id": ids[2], "data": data()}]
    response = staff.post(BATCH, json={"entries": entries})
    assert response.status_code == 500
    assert count(Activity) == 0
    assert count(AuditEntry) == 0


def test_batch_creates_answer_as_single_creates_do(staff, count):
    """Creates applied together answer what one by one would: overlaps with stored and
    earlier entries, a repeated id, someone else's id, a foreign target, a replay."""
    stored = staff.post("/api/v1/activities", json=entry(start_time="06:00",
                                                         end_time="07:00")).get_json()
    new = [str(uuid.uuid4()) for _ in range(3)]
    entries = [
        {"op": "create", "id": new[0], "data": data(start_time="06:30", end_time="07:30")},
        {"op": "create", "id": new[1], "data": data(start_time="06:45", end_time="08:00")},
        {"op": "create", "id": new[0], "data": data()},
        {"op": "create", "id": stored["id"], "data": data(end_time="01:00")},
        {"op": "create", "id": new[2], "data": data(work_kind=None, target_id=999999)},
    ]
    results = staff.post(BATCH, json={"entries": entries}).get_json()["results"]
    assert [r["result"] for r in results] == ["created", "created", "existing", "existing",
                                              "invalid"]
    assert [(w["activity_id"], w["count"]) for w in results[0]["activity"]["warnings"]] == [
        (stored["id"], 1)]
    assert [(w["activity_id"], w["count"]) for w in results[1]["activity"]["warnings"]] == [
        (stored["id"], 2)]
    assert results[3]["activity"]["id"] == stored["id"]
    assert list(results[4]["error"]["fields"]) == ["target_id"]
    single = staff.get(f"/api/v1/activities/{new[0]}").get_json()
    assert {k: v for k, v in results[0]["activity"].items() if k != "warnings"} == single
    assert count(Activity) == 3
    assert count(AuditEntry) == 3


def test_batch_limits_and_shape(staff):
    assert staff.post(BATCH, json={"entries": []}).status_code == 422
    too_many = [{"op": "submit", "id": str(uuid.uuid4())}] * 501
    assert staff.post(BATCH, json={"entries": too_many}).status_code == 422
    assert staff.post(BATCH, json={"entries": "x"}).status_code == 422
    mismatched = staff.post(BATCH, json={"entries": [
        {"op": "create", "id": str(uuid.uuid4()), "data": {**data(), "id": str(uuid.uuid4())}}]})
    assert mismatched.get_json()["results"][0]["result"] == "invalid"


def test_batch_of_a_locked_period_says_locked(staff, clock):
    clock.move_to("2026-04-05T23:58:00+07:00")
    staff.login(staff.person)
    entries = [{"op": "create", "id": str(uuid.uuid4()), "data": data(date="2026-03-31")}]
    assert staff.post(BATCH, json={"entries": entries}).get_json()["results"][0]["result"] \
        == "created"
    clock.move_to("2026-04-06T00:00:00+07:00")
    entries[0]["id"] = str(uuid.uuid4())
    result = staff.post(BATCH, json={"entries": entries}).get_json()["results"][0]
    assert (result["result"], result["status"]) == ("locked", 422)
    assert result["error"]["code"] == "period_locked"


def test_batch_keeps_round_trips_low(app, staff):
    """Statements per created entry stay bounded (no per-entry N+1)."""
    statements = []

    def count_statement(*args):
        statements.append(args[2])

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    sa.event.listen(engine, "before_cursor_execute", count_statement)
    try:
        entries = [{"op": "create", "id": str(uuid.uuid4()), "data": data()}
                   for _ in range(50)]
        staff.post(BATCH, json={"entries": entries})
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_statement)
    assert len(statements) / 50 <= 10, len(statements)


def test_two_identical_creates_racing_make_one_activity(app, world, count):
    """Two phones (or a phone and its retry) post the same UUID at the same moment."""
    clients = [ApiClient(app).login(world.one.staff_a1) for _ in range(2)]
    for attempt in range(3):
        client_id = str(uuid.uuid4())
        barrier = threading.Barrier(2)
        statuses = []

        def post(client, client_id=client_id, barrier=barrier, statuses=statuses):
            barrier.wait()
            response = client.post("/api/v1/activities", json=entry(id=client_id))
            statuses.append((response.status_code, response.get_json()["id"]))

        threads = [threading.Thread(target=post, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(s for s, _ in statuses) == [200, 201], (attempt, statuses)
        assert {i for _, i in statuses} == {client_id}
    assert count(Activity) == 3
    assert count(AuditEntry) == 3


def test_two_identical_batches_racing_make_one_of_each(app, world, count):
    clients = [ApiClient(app).login(world.one.staff_a1) for _ in range(2)]
    entries = [{"op": "create", "id": str(uuid.uuid4()), "data": data()} for _ in range(20)]
    barrier = threading.Barrier(2)
    answers = []

    def post(client):
        barrier.wait()
        answers.append(client.post(BATCH, json={"entries": entries}).get_json()["results"])

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 2
    for position in range(20):
        assert sorted(a[position]["result"] for a in answers) == ["created", "existing"]
    assert count(Activity) == 20


def test_concurrent_overlapping_batches_store_each_id_once(app, world, backend, count):
    """Several phones of two people sync overlapping outboxes at the same moment (the batch
    is sent as one pipelined statement on PostgreSQL): each UUID is stored and audited once,
    every entry is answered created exactly once over all answers, and the chains verify."""
    if backend["name"] != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite serialises them whole)")
    from app.audit.services import verify_organisation

    people = [world.one.staff_a1, world.one.staff_a2]
    outboxes = {person.id: [{"op": "create", "id": str(uuid.uuid4()),
                             "data": data(start_time=f"{7 + n % 10:02d}:00",
                                          end_time=f"{7 + n % 10:02d}:30")}
                            for n in range(40)] for person in people}
    threads_each, answers, lock = 3, [], threading.Lock()
    barrier = threading.Barrier(threads_each * len(people))

    def sync(person, n):
        client = ApiClient(app).login(person)
        outbox = outboxes[person.id]
        # Each phone sends an overlapping window of the outbox, in its own order.
        window = outbox[n * 10: n * 10 + 30][::-1 if n % 2 else 1]
        barrier.wait()
        response = client.post(BATCH, json={"entries": window})
        with lock:
            answers.append((person.id, response.status_code, response.get_json()["results"]))

    threads = [threading.Thread(target=sync, args=(person, n))
               for person in people for n in range(threads_each)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(answers) == len(threads)
    for person in people:
        created, results = {}, [r for pid, status, rs in answers if pid == person.id
                                for r in rs]
        assert {status for pid, status, _ in answers if pid == person.id} == {200}
        for result in results:
            assert result["result"] in ("created", "existing"), result
            created[result["id"]] = created.get(result["id"], 0) + (
                result["result"] == "created")
        sent = {e["id"] for e in outboxes[person.id]}
        assert set(created) == sent
        assert set(created.values()) == {1}, "each id answered created exactly once"
    assert count(Activity) == 80
    assert count(AuditEntry) == 80
    verification = verify_organisation(world.one.org.id)
    assert verification.problems == [] and verification.entries == 80


@pytest.mark.parametrize(("field", "value"), [("date", "9999-12-31"), ("date", "1000-01-01"),
                                              ("quantity", 10 ** 12), ("quantity", "1e12")])
def test_batch_entries_meet_the_same_limits_as_single_creates(staff, count, field, value):
    """The batch's quick load refuses what the schema refuses: dates outside working life,
    quantities numeric(14,2) cannot hold, per entry, with nothing written."""
    body = data(**{field: value})
    single = staff.post("/api/v1/activities", json={**body, "id": str(uuid.uuid4())})
    assert single.status_code == 422
    response = staff.post(BATCH, json={"entries": [
        {"op": "create", "id": str(uuid.uuid4()), "data": body}]})
    assert response.status_code == 200
    result = response.get_json()["results"][0]
    assert (result["result"], result["status"]) == ("invalid", 422)
    assert field in result["error"]["fields"]
    assert count(Activity) == 0
