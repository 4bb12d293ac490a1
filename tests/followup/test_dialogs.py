"""Dialog kinerja: recorded by either side, confirmed by both, actions reminded on their day,
seen only by those who may read the person's evaluation."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import Notification
from app.reminders.models import ReminderKind
from app.reminders.services import send_due
from tests.evaluations.support import line_skps, quarters


@pytest.fixture
def skps(world):
    quarters(world.one)
    return line_skps(world.one)


def _body(**extra):
    return {"held_on": "2026-11-20", "topic": "Capaian laporan triwulan",
            "notes": "Laporan terlambat dua kali",
            "actions": [{"description": "Susun jadwal laporan", "due_on": "2026-11-23"},
                        {"description": "Ikut bimbingan teknis", "due_on": "2026-12-10"}],
            **extra}


def test_supervisor_records_and_employee_confirms(as_, world, skps, count):
    rhk = skps["staff_a1"].rhks[0]
    sup = as_(world.one.sup_a)
    made = sup.post("/api/v1/dialogs", json=_body(person_id=world.one.staff_a1.id,
                                                  rhk_id=rhk.id))
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["person"]["id"] == world.one.staff_a1.id
    assert body["supervisor"]["id"] == world.one.sup_a.id
    assert body["supervisor_confirmed_at"] and body["person_confirmed_at"] is None
    assert body["confirmed"] is False and body["rhk_id"] == rhk.id
    assert [a["due_on"] for a in body["actions"]] == ["2026-11-23", "2026-12-10"]
    assert count(Notification, Notification.person_id == world.one.staff_a1.id) == 1

    staff = as_(world.one.staff_a1)
    seen = staff.get(f"/api/v1/dialogs/{body['id']}").get_json()
    assert seen["can_confirm"] is True
    confirmed = staff.post(f"/api/v1/dialogs/{body['id']}/confirm").get_json()
    assert confirmed["confirmed"] is True and confirmed["can_confirm"] is False
    done = staff.post(f"/api/v1/dialog-actions/{body['actions'][0]['id']}/done")
    assert done.status_code == 200 and done.get_json()["done_at"]
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "dialog", AuditEntry.subject_id == str(body["id"]))
        .order_by(AuditEntry.seq))]
    assert actions == ["create", "confirm", "action_done"]
    assert [d["id"] for d in staff.get("/api/v1/dialogs").get_json()] == [body["id"]]
    assert [d["id"] for d in sup.get(
        f"/api/v1/dialogs?person_id={world.one.staff_a1.id}").get_json()] == [body["id"]]


def test_employee_records_with_their_supervisor(as_, world, skps):
    period = quarters(world.one)["Triwulan IV 2026"]
    made = as_(world.one.staff_a1).post("/api/v1/dialogs", json=_body(period_id=period.id))
    assert made.status_code == 201
    body = made.get_json()
    assert body["supervisor"]["id"] == world.one.sup_a.id and body["person_confirmed_at"]
    confirmed = as_(world.one.sup_a).post(f"/api/v1/dialogs/{body['id']}/confirm")
    assert confirmed.get_json()["confirmed"] is True


def test_who_may_see_record_and_confirm(as_, world, skps):
    made = as_(world.one.sup_a).post("/api/v1/dialogs", json=_body(
        person_id=world.one.staff_a1.id)).get_json()
    url = f"/api/v1/dialogs/{made['id']}"
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.sup_a, world.two.admin):
        assert as_(outsider).get(url).status_code == 404
        assert as_(outsider).post(url + "/confirm").status_code == 404
        assert as_(outsider).post(
            f"/api/v1/dialog-actions/{made['actions'][0]['id']}/done").status_code == 404
    head = as_(world.one.head)
    assert head.get(url).status_code == 200
    assert head.post(url + "/confirm").status_code == 403
    # Recording: only the two sides; a colleague cannot name the person at all.
    assert head.post("/api/v1/dialogs", json=_body(
        person_id=world.one.staff_a1.id)).status_code == 403
    assert as_(world.one.staff_a2).post("/api/v1/dialogs", json=_body(
        person_id=world.one.staff_a1.id)).status_code == 422
    assert as_(world.two.sup_a).post("/api/v1/dialogs", json=_body(
        person_id=world.one.staff_a1.id)).status_code == 422
    assert as_(world.one.staff_a2).get(
        f"/api/v1/dialogs?person_id={world.one.staff_a1.id}").status_code == 404


def test_input_is_validated(as_, world, skps):
    staff = as_(world.one.staff_a1)
    other_rhk = skps["staff_a1"].rhks[0].id
    bad = as_(world.one.sup_b).post("/api/v1/dialogs", json=_body(
        person_id=world.one.staff_b1.id, rhk_id=other_rhk))
    assert bad.status_code == 422 and "rhk_id" in bad.get_json()["error"]["fields"]
    missing = staff.post("/api/v1/dialogs", json={"held_on": "2026-11-20"})
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["fields"]) >= {"topic"}
    wrong = staff.post("/api/v1/dialogs", json=_body(actions=[{"description": "x",
                                                               "due_on": "kemarin"}]))
    assert wrong.status_code == 422


def test_due_actions_remind_both_sides_once(as_, world, skps, count):
    as_(world.one.sup_a).post("/api/v1/dialogs", json=_body(person_id=world.one.staff_a1.id))
    at = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10.00 WIB on the first action's day
    sent = [s for s in send_due(at) if s.kind is ReminderKind.FOLLOW_UP]
    assert sorted(s.person_id for s in sent) == sorted([world.one.staff_a1.id,
                                                        world.one.sup_a.id])
    titles = set(db.session.scalars(sa.select(Notification.title).where(
        Notification.id.in_([s.notification_id for s in sent]))))
    assert titles == {"Tindakan dari dialog kinerja Anda jatuh tempo hari ini"}
    assert [s for s in send_due(at) if s.kind is ReminderKind.FOLLOW_UP] == []


def test_a_done_action_is_not_reminded(as_, world, skps):
    made = as_(world.one.sup_a).post("/api/v1/dialogs", json=_body(
        person_id=world.one.staff_a1.id)).get_json()
    as_(world.one.staff_a1).post(f"/api/v1/dialog-actions/{made['actions'][0]['id']}/done")
    assert date(2026, 11, 23)
    at = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert [s for s in send_due(at) if s.kind is ReminderKind.FOLLOW_UP] == []
