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
