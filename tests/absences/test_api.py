"""/api/v1/absences: asked and decided along the reporting line, entered by HR, scoped to
the organisation."""

import sqlalchemy as sa

from app.absences.models import Absence
from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import Notification

ASK = {"kind": "cuti_tahunan", "starts_on": "2026-11-02", "ends_on": "2026-11-06",
       "note": "Acara keluarga"}


def ask(api, person, **changes):
    api.login(person)
    return api.post("/api/v1/absences", json={**ASK, **changes})


def kinds_sent(person) -> list[str]:
    db.session.rollback()
    return [row.kind.value for row in db.session.scalars(
        sa.select(Notification).where(Notification.person_id == person.id))]


def test_employee_asks_supervisor_approves(api, world):
    one = world.one
    response = ask(api, one.staff_a1)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "requested" and body["days"] == 5
    assert body["person"]["id"] == one.staff_a1.id
    assert kinds_sent(one.sup_a) == ["submitted"]
    api.login(one.sup_a)
    listed = api.get("/api/v1/absences?decidable=true").get_json()
    assert [item["id"] for item in listed] == [body["id"]]
    approved = api.post(f"/api/v1/absences/{body['id']}/approve")
    assert approved.status_code == 200
    assert approved.get_json()["status"] == "approved"
    assert approved.get_json()["decided_by"]["id"] == one.sup_a.id
    assert kinds_sent(one.staff_a1) == ["approved"]
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.subject_type == "absence")))
    assert actions == {"request", "approved"}
    again = api.post(f"/api/v1/absences/{body['id']}/approve")
    assert again.status_code == 409


def test_the_line_decides_others_do_not(api, world):
    one = world.one
    absence_id = ask(api, one.staff_a1).get_json()["id"]
    api.login(one.sup_b)  # another line of the same organisation: cannot see it
    assert api.post(f"/api/v1/absences/{absence_id}/approve").status_code == 404
    api.login(one.staff_a1)  # never one's own
    assert api.post(f"/api/v1/absences/{absence_id}/approve").status_code == 403
    api.login(one.head)  # above in the line
    assert api.post(f"/api/v1/absences/{absence_id}/reject", json={"reason": ""}
                    ).status_code == 422
    rejected = api.post(f"/api/v1/absences/{absence_id}/reject",
                        json={"reason": "Bertepatan dengan audit"})
    assert rejected.status_code == 200
    assert rejected.get_json()["status"] == "rejected"
    assert rejected.get_json()["decision_note"] == "Bertepatan dengan audit"


def test_another_organisation_gets_404_and_never_sees_it(api, world):
    absence_id = ask(api, world.one.staff_a1).get_json()["id"]
    for person in (world.two.admin, world.two.head, world.two.sup_a):
        api.login(person)
        assert api.get(f"/api/v1/absences/{absence_id}").status_code == 404
        assert api.post(f"/api/v1/absences/{absence_id}/approve").status_code == 404
        assert api.post(f"/api/v1/absences/{absence_id}/cancel").status_code == 404
        assert api.get("/api/v1/absences").get_json() == []
    api.login(world.two.admin)
    response = api.post("/api/v1/absences", json={**ASK, "person_id": world.one.staff_a2.id})
    assert response.status_code == 404


def test_hr_enters_approved_pimpinan_and_staff_may_not(api, world):
    one = world.one
    api.login(one.admin)
    response = api.post("/api/v1/absences", json={**ASK, "person_id": one.staff_b1.id,
                                                  "kind": "dinas_luar"})
    assert response.status_code == 201
    assert response.get_json()["status"] == "approved"
    assert [a["id"] for a in api.get("/api/v1/absences").get_json()] == [
        response.get_json()["id"]]
    for person in (one.head, one.staff_a1):
        api.login(person)
        refused = api.post("/api/v1/absences", json={**ASK, "person_id": one.staff_a2.id})
        assert refused.status_code == 403
    api.login(one.head)  # pimpinan reads the organisation's absences
    assert len(api.get("/api/v1/absences").get_json()) == 1
    api.login(one.staff_a2)  # an employee sees only their own
    assert api.get("/api/v1/absences").get_json() == []


def test_bad_input_is_a_clear_4xx(api, world):
    assert ask(api, world.one.staff_a1, kind="liburan").status_code == 422
    backwards = ask(api, world.one.staff_a1, ends_on="2026-11-01")
    assert backwards.status_code == 422
    assert "ends_on" in backwards.get_json()["error"]["fields"]
    assert ask(api, world.one.staff_a1, starts_on="2026-13-01").status_code == 422
    assert ask(api, world.one.staff_a1, note="x\u0000").status_code == 422
    assert ask(api, world.one.staff_a1).status_code == 201
    overlap = ask(api, world.one.staff_a1, starts_on="2026-11-06", ends_on="2026-11-09")
    assert overlap.status_code == 409
    assert overlap.get_json()["error"]["code"] == "overlap"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Absence)) == 1


def test_cancel_by_owner_or_hr_only(api, world):
    one = world.one
    absence_id = ask(api, one.staff_a1).get_json()["id"]
    api.login(one.sup_a)
    assert api.post(f"/api/v1/absences/{absence_id}/cancel").status_code == 403
    api.login(one.staff_a1)
    cancelled = api.post(f"/api/v1/absences/{absence_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert api.post(f"/api/v1/absences/{absence_id}/cancel").status_code == 409
    # The days are free again.
    assert ask(api, one.staff_a1).status_code == 201


def test_openapi_documents_the_endpoints(api, world):
    api.login(world.one.staff_a1)
    paths = api.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/absences", "/api/v1/absences/{absence_id}",
                 "/api/v1/absences/{absence_id}/approve", "/api/v1/absences/{absence_id}/reject",
                 "/api/v1/absences/{absence_id}/cancel", "/api/v1/absences/import"):
        assert path in paths
    assert "404" in paths["/api/v1/absences/{absence_id}"]["get"]["responses"]
