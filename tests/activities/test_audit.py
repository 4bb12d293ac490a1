"""Every create, edit and state change of an activity is in the tamper-evident audit chain."""

import sqlalchemy as sa

from app.audit.cli import audit_verify
from app.audit.models import AuditEntry
from tests.activities.test_api import entry

URL = "/api/v1/activities"


def test_each_change_is_recorded_with_who_and_what(api, app, world, db):
    staff = api.login(world.one.staff_a1)
    sup = type(api)(app).login(world.one.sup_a)
    body = staff.post(URL, json=entry()).get_json()
    url = f"{URL}/{body['id']}"
    staff.patch(url, json={"version": 1, "quantity": 4})
    staff.post(f"{url}/submit", json={})
    sup.post(f"{url}/return", json={"reason": "Tambahkan foto"})
    staff.post(f"{url}/attachments", json={"url": "https://contoh.go.id/foto"})
    staff.post(f"{url}/submit", json={})
    sup.post(f"{url}/approve", json={})
    staff.post(URL, json=entry(id=body["id"]))  # a replay records nothing

    db.session.rollback()
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "activity", AuditEntry.subject_id == body["id"])
        .order_by(AuditEntry.seq)).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("create", world.one.staff_a1.id), ("update", world.one.staff_a1.id),
        ("submit", world.one.staff_a1.id), ("return", world.one.sup_a.id),
        ("attach", world.one.staff_a1.id), ("submit", world.one.staff_a1.id),
        ("approve", world.one.sup_a.id)]
    assert entries[0].changes["description"] == "Menyusun laporan bulanan"
    assert entries[1].changes == {"quantity": [None, "4"]}
    assert entries[3].changes["return_reason"] == [None, "Tambahkan foto"]
    assert {e.org_id for e in entries} == {world.one.org.id}


def test_audit_verify_catches_a_tampered_activity_entry(api, app, world, db):
    staff = api.login(world.one.staff_a1)
    body = staff.post(URL, json=entry()).get_json()
    staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "Asli"})
    runner = app.test_cli_runner()
    result = runner.invoke(audit_verify)
    assert result.exit_code == 0, result.output
    assert "kota-satu: 2 entries, OK" in result.output

    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(sa.update(AuditEntry).where(AuditEntry.action == "update")
                           .values(changes={"description": ["x", "Dipalsukan"]}))
    result = runner.invoke(audit_verify)
    assert result.exit_code == 1
    assert "kota-satu: 2 entries, BROKEN" in result.output
    assert "entry 2 was altered" in result.output


def test_chains_stay_valid_under_concurrent_writes(app, world, db, count):
    """Single creates (one statement with their audit entry on PostgreSQL), batches and
    edits (chain head read under the lock) for the same people, from many threads at once:
    every write has its entry, and every chain verifies."""
    import threading
    import uuid

    from app.activities.models import Activity
    from tests.support import ApiClient

    people = [world.one.staff_a1, world.one.staff_a2]
    rounds, per_thread = 4, 6
    barrier = threading.Barrier(len(people) * 3)
    errors, edits = [], []

    def hour(n):  # distinct half hours from 06:00
        start = f"{6 + n // 2:02d}:{30 * (n % 2):02d}"
        return start, f"{6 + n // 2:02d}:{30 * (n % 2) + 29:02d}"

    clients = {(person.id, lane): ApiClient(app).login(person)
               for person in people for lane in range(3)}

    def work(client, lane):
        try:
            barrier.wait(30)
            for n in range(per_thread):
                start, end = hour(lane * per_thread + n)
                if lane == 2:  # a batch of two creates, then an edit of the first
                    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
                    answer = client.post(URL + "/batch", json={"entries": [
                        {"op": "create", "id": i, "data": {**entry(start_time=start,
                                                                   end_time=end)}}
                        for i in ids]})
                    assert answer.status_code == 200, answer.get_json()
                    edit = client.patch(f"{URL}/{ids[0]}", json={"version": 1,
                                                                  "description": f"Ubah {n}"})
                    assert edit.status_code == 200, edit.get_json()
                    edits.append(1)
                else:
                    answer = client.post(URL, json=entry(id=str(uuid.uuid4()),
                                                         start_time=start, end_time=end))
                    assert answer.status_code == 201, answer.get_json()
        except Exception as error:  # pragma: no cover - reported by the test
            errors.append(error)

    for _ in range(rounds if db.engine.dialect.name == "postgresql" else 1):
        threads = [threading.Thread(target=work, args=(client, lane))
                   for (_, lane), client in clients.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        barrier.reset()
        assert not errors, errors
    activities = count(Activity)
    assert activities == count(AuditEntry) - len(edits)
    assert activities == len(people) * (2 * per_thread + 2 * per_thread) * (
        rounds if db.engine.dialect.name == "postgresql" else 1)
    result = app.test_cli_runner().invoke(audit_verify)
    assert result.exit_code == 0, result.output
    assert f"kota-satu: {activities + len(edits)} entries, OK (2 people's chains)" \
        in result.output
