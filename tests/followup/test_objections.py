"""Keberatan: filed by the employee within the organisation's window, decided only by the
atasan pejabat penilai; the predikat follows the matrix again and the follow-up with it;
every step audited."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.audit.models import AuditEntry
from app.extensions import db
from app.followup.models import CoachingPlan, PlanStatus, Recognition
from tests.evaluations.conftest import NOW
from tests.followup.support import assessed


def _file(as_, world, evaluation, reasons="Target laporan sudah tercapai"):
    return as_(world.one.staff_a1).post(f"/api/v1/evaluations/{evaluation.id}/objection",
                                        json={"reasons": reasons})


def _decide(client, objection, **body):
    return client.post(f"/api/v1/objections/{objection['id']}/decide",
                       json={"version": objection["version"], "decision": "keep",
                             "reasons": "Sesuai bukti dukung", **body})


def test_the_atasan_changes_the_ratings_and_the_predikat_follows(as_, world):
    evaluation = assessed(world.one, "di_bawah", "sesuai")  # Butuh Perbaikan
    filed = _file(as_, world, evaluation)
    assert filed.status_code == 201, filed.get_json()
    objection = filed.get_json()
    assert objection["decider"]["id"] == world.one.head.id
    assert objection["appraiser"]["id"] == world.one.sup_a.id
    assert (objection["status"], objection["predikat_before"]) == ("pending",
                                                                   "butuh_perbaikan")
    staff = as_(world.one.staff_a1)
    current = staff.get(f"/api/v1/evaluations/{evaluation.id}").get_json()
    assert current["status"] == "acknowledged"  # objecting is having seen it

    head = as_(world.one.head)
    assert head.get(f"/api/v1/objections/{objection['id']}").get_json()["can_decide"] is True
    decided = _decide(head, objection, decision="change", hasil_kerja="di_atas",
                      perilaku_kerja="di_atas", reasons="Bukti dukung lengkap")
    assert decided.status_code == 200, decided.get_json()
    body = decided.get_json()
    assert (body["status"], body["predikat_after"]) == ("changed", "sangat_baik")
    after = staff.get(f"/api/v1/evaluations/{evaluation.id}").get_json()
    assert (after["hasil_kerja"], after["perilaku_kerja"], after["predikat"]) == (
        "di_atas", "di_atas", "sangat_baik")
    # The follow-up follows: the plan is cancelled, a recognition is issued.
    db.session.rollback()
    plan = db.session.scalar(sa.select(CoachingPlan).where(
        CoachingPlan.evaluation_id == evaluation.id))
    assert plan.status is PlanStatus.CANCELLED
    assert db.session.scalar(sa.select(Recognition.predikat).where(
        Recognition.evaluation_id == evaluation.id)) == "sangat_baik"
    audited = [(e.subject_type, e.action) for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.subject_type.in_(("objection", "evaluation")),
                                    AuditEntry.owner_id == world.one.staff_a1.id)
        .order_by(AuditEntry.seq))]
    assert audited[-4:] == [("evaluation", "acknowledge"), ("objection", "file"),
                            ("evaluation", "objection_change"), ("objection", "decide")]
    assert _decide(head, body).status_code == 409  # decided once


def test_keeping_the_ratings_keeps_the_predikat(as_, world):
    evaluation = assessed(world.one, "sesuai", "sesuai", acknowledge=True)
    objection = _file(as_, world, evaluation).get_json()
    kept = _decide(as_(world.one.head), objection)
    assert kept.status_code == 200
    assert (kept.get_json()["status"], kept.get_json()["predikat_after"]) == ("kept", "baik")
    bad = _decide(as_(world.one.head), kept.get_json())
    assert bad.status_code == 409


def test_nobody_else_decides(as_, world):
    evaluation = assessed(world.one, "di_bawah", "sesuai")
    objection = _file(as_, world, evaluation).get_json()
    url = f"/api/v1/objections/{objection['id']}"
    change = {"decision": "change", "hasil_kerja": "sesuai"}
    # The appraiser, the employee and the HR administrator see it but may not decide.
    for reader in (world.one.sup_a, world.one.staff_a1, world.one.admin):
        assert as_(reader).get(url).status_code == 200
        assert as_(reader).get(url).get_json()["can_decide"] is False
        assert _decide(as_(reader), objection, **change).status_code == 403
    # A colleague, another supervisor, another organisation: it does not exist.
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.head, world.two.admin):
        assert as_(outsider).get(url).status_code == 404
        assert _decide(as_(outsider), objection, **change).status_code == 404
    assert as_(world.one.staff_a2).get("/api/v1/objections").get_json() == []
    assert _decide(as_(world.one.head), objection, **change).status_code == 200


def test_an_admin_who_is_the_atasan_decides(as_, world):
    """The HR administrator decides when they are the appraiser's own supervisor."""
    org = world.one
    evaluation = assessed(org, "di_bawah", "di_bawah", person=org.staff_b1)
    org.sup_b.supervisor_id = org.admin.id
    db.session.commit()
    filed = as_(org.staff_b1).post(f"/api/v1/evaluations/{evaluation.id}/objection",
                                   json={"reasons": "Tidak sesuai"})
    objection = filed.get_json()
    assert objection["decider"]["id"] == org.admin.id
    assert _decide(as_(org.head), objection, decision="keep").status_code == 403  # reads only
    assert _decide(as_(org.admin), objection).status_code == 200


def test_only_the_employee_objects_once_within_the_window(as_, world, clock):
    evaluation = assessed(world.one, "sesuai", "di_bawah")
    url = f"/api/v1/evaluations/{evaluation.id}/objection"
    assert as_(world.one.sup_a).post(url, json={"reasons": "x"}).status_code == 403
    assert as_(world.one.staff_a2).post(url, json={"reasons": "x"}).status_code == 404
    assert as_(world.two.staff_a1).post(url, json={"reasons": "x"}).status_code == 404
    empty = as_(world.one.staff_a1).post(url, json={"reasons": ""})
    assert empty.status_code == 422 and "reasons" in empty.get_json()["error"]["fields"]
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        late = as_(world.one.staff_a1).post(url, json={"reasons": "Terlambat"})
        assert late.status_code == 409
        assert "14" in late.get_json()["error"]["message"]
    assert _file(as_, world, evaluation).status_code == 201
    assert _file(as_, world, evaluation).status_code == 409


def test_the_window_is_the_organisations_setting(as_, world):
    admin = as_(world.one.admin)
    assert admin.get("/api/v1/follow-up-policy").get_json() == {"objection_days": 14}
    assert as_(world.one.head).put("/api/v1/follow-up-policy",
                                   json={"objection_days": 30}).status_code == 403
    assert admin.put("/api/v1/follow-up-policy",
                     json={"objection_days": 0}).status_code == 422
    saved = admin.put("/api/v1/follow-up-policy", json={"objection_days": 30})
    assert saved.get_json() == {"objection_days": 30}
    assert as_(world.two.admin).get("/api/v1/follow-up-policy").get_json() == {
        "objection_days": 14}
    evaluation = assessed(world.one, "sesuai", "sesuai")
    with time_machine.travel(NOW + timedelta(days=20), tick=False):
        assert _file(as_, world, evaluation).status_code == 201


@pytest.mark.parametrize("body", [{"decision": "maybe"}, {"decision": "change"},
                                  {"decision": "keep", "reasons": ""},
                                  {"decision": "change", "hasil_kerja": "di_bawah"}])
def test_a_decision_is_validated(as_, world, body):
    evaluation = assessed(world.one, "di_bawah", "sesuai")
    objection = _file(as_, world, evaluation).get_json()
    response = _decide(as_(world.one.head), objection, **body)
    assert response.status_code == 422, response.get_json()


def test_the_pages_file_and_decide(as_, world):
    evaluation = assessed(world.one, "di_bawah", "sesuai")
    staff = as_(world.one.staff_a1)
    page = staff.get(f"/evaluasi/{evaluation.id}").data.decode()
    assert "Ajukan keberatan atas penilaian ini" in page
    assert "Senin, 7 Desember 2026 10.00 WIB" in page  # 14 days after the assessment
    sent = staff.post(f"/tindak-lanjut/evaluasi/{evaluation.id}/keberatan",
                      data={"reasons": "Bukti belum dipertimbangkan"})
    assert sent.status_code == 303
    location = sent.headers["Location"]
    head = as_(world.one.head)
    assert "Menunggu keputusan Anda" in head.get("/tindak-lanjut").data.decode()
    objection = head.get("/api/v1/objections").get_json()[0]
    decided = head.post(location, data={"version": objection["version"],
                                        "decision": "change", "hasil_kerja": "sesuai",
                                        "perilaku_kerja": "sesuai", "reasons": "Bukti sah"})
    assert decided.status_code == 303
    assert "Penilaian diubah" in staff.get(location).data.decode()


def test_no_objection_without_an_atasan_to_decide_it(as_, world):
    """The head (a JPT) is appraised by the HR administrator, whose supervisor is the head
    themself: nobody else could decide, so the objection is refused, not left hanging."""
    from app.evaluations import services
    from app.evaluations.models import Evaluation

    assessed(world.one, "sesuai", "sesuai")
    head = world.one.head
    services.set_unit_predicate(world.one.admin, db.session.scalar(
        sa.select(Evaluation.period_id)), head.unit_id, "baik")
    db.session.commit()
    assessed(world.one, "sesuai", "sesuai", person=head, skps=False)
    evaluation = db.session.scalar(sa.select(Evaluation).where(Evaluation.person_id == head.id))
    response = as_(head).post(f"/api/v1/evaluations/{evaluation.id}/objection",
                              json={"reasons": "Keberatan"})
    assert response.status_code == 409
