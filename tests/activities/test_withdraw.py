"""Delete a draft, withdraw a submitted activity nobody reviewed (issue 14, finding 9)."""

import re

import sqlalchemy as sa

from app.activities.models import Activity, ActivityStatus
from app.activities.services import review
from app.audit.models import AuditEntry
from tests.browser.test_pwa import log_on_server


def audit_actions(db, activity_id) -> list[str]:
    db.session.rollback()
    return db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.subject_type == "activity", AuditEntry.subject_id == activity_id)
        .order_by(AuditEntry.seq)).all()


def submitted(db, person, text="Rekap absensi"):
    activity = log_on_server(db, person, text, (8, 0), (9, 0))
    review.submit_activity(person, activity.id)
    db.session.commit()
    return activity.id


def test_owner_withdraws_an_unreviewed_submission_and_the_trail_keeps_it(api, world, db):
    staff = world.one.staff_a1
    activity_id = submitted(db, staff)
    answer = api.login(staff).post(f"/api/v1/activities/{activity_id}/withdraw", json={})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["status"] == "draft"
    assert audit_actions(db, activity_id) == ["create", "submit", "withdraw"]
    again = api.post(f"/api/v1/activities/{activity_id}/withdraw", json={})
    assert again.status_code == 409


def test_a_reviewed_activity_cannot_be_withdrawn(api, world, db):
    staff, supervisor = world.one.staff_a1, world.one.sup_a
    activity_id = submitted(db, staff)
    review.approve_activity(supervisor, activity_id)
    db.session.commit()
    answer = api.login(staff).post(f"/api/v1/activities/{activity_id}/withdraw", json={})
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code"] == "not_withdrawable"


def test_owner_deletes_a_draft_and_only_a_draft(api, world, db, count):
    staff = world.one.staff_a1
    draft = log_on_server(db, staff, "Salah ketik", (8, 0), (9, 0)).id
    sent = submitted(db, staff, "Rapat")
    api.login(staff)
    assert api.client.delete(f"/api/v1/activities/{sent}",
                             headers={"X-CSRFToken": api.csrf_token}).status_code == 409
    answer = api.client.delete(f"/api/v1/activities/{draft}",
                               headers={"X-CSRFToken": api.csrf_token})
    assert answer.status_code == 204
    assert count(Activity, Activity.id == draft) == 0
    assert audit_actions(db, draft) == ["create", "delete"]


def test_nobody_else_withdraws_or_deletes(api, world, db):
    staff = world.one.staff_a1
    draft = log_on_server(db, staff, "Draf", (8, 0), (9, 0)).id
    sent = submitted(db, staff)
    for person, statuses in ((world.one.sup_a, {403}), (world.one.staff_a2, {404}),
                             (world.two.admin, {404})):
        api.login(person)
        assert api.post(f"/api/v1/activities/{sent}/withdraw", json={}).status_code in statuses
        deleted = api.client.delete(f"/api/v1/activities/{draft}",
                                    headers={"X-CSRFToken": api.csrf_token})
        assert deleted.status_code in statuses
    db.session.rollback()
    assert db.session.get(Activity, sent).status is ActivityStatus.SUBMITTED
    assert db.session.get(Activity, draft) is not None


def test_the_activity_page_offers_withdraw_then_delete(app, world, db):
    staff = world.one.staff_a1
    activity_id = submitted(db, staff)
    client = app.test_client()
    token = client.post("/api/v1/auth/login", json={"nip": staff.nip,
                                                    "password": "rahasia-123"}).get_json()
    page = client.get(f"/aktivitas/{activity_id}").get_data(as_text=True)
    assert f"/aktivitas/{activity_id}/tarik" in page and "/hapus" not in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/aktivitas/{activity_id}/tarik",
                       data={"csrf_token": csrf}).status_code == 303
    page = client.get(f"/aktivitas/{activity_id}").get_data(as_text=True)
    assert f"/aktivitas/{activity_id}/hapus" in page and "/tarik" not in page
    assert client.post(f"/aktivitas/{activity_id}/hapus",
                       data={"csrf_token": csrf}).status_code == 303
    assert client.get(f"/aktivitas/{activity_id}").status_code == 404
    assert token["csrf_token"]
