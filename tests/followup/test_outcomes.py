"""Tindak lanjut after the predikat (PermenPANRB 6/2022): recognition and its certificate for
Sangat Baik, a coaching plan for the predikat below Baik, and the dashboard's figures."""

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.audit.models import AuditEntry
from app.extensions import db
from app.followup.models import CoachingPlan, Recognition
from app.reminders.models import ReminderKind
from app.reminders.services import send_due
from tests.followup.support import assessed


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_sangat_baik_brings_a_recognition_once_acknowledged(as_, world, count):
    evaluation = assessed(world.one, "di_atas", "di_atas")
    assert count(Recognition) == 0  # revisable until acknowledged
    staff = as_(world.one.staff_a1)
    current = staff.get(f"/api/v1/evaluations/{evaluation.id}").get_json()
    staff.post(f"/api/v1/evaluations/{evaluation.id}/acknowledge",
               json={"version": current["version"]})
    mine = staff.get("/api/v1/recognitions").get_json()
    assert len(mine) == 1 and mine[0]["predikat"] == "sangat_baik"
    assert mine[0]["person"]["id"] == world.one.staff_a1.id
    assert mine[0]["number"].startswith("PGH/2026/")
    assert count(CoachingPlan) == 0


def test_the_certificate_names_the_person_the_period_and_the_predikat(as_, world):
    assessed(world.one, "di_atas", "di_atas", acknowledge=True)
    staff = as_(world.one.staff_a1)
    recognition = staff.get("/api/v1/recognitions").get_json()[0]
    response = staff.get(f"/api/v1/recognitions/{recognition['id']}/certificate")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response.data)
    assert "PIAGAM PENGHARGAAN" in text
    assert world.one.staff_a1.name in text and world.one.staff_a1.nip in text
    assert "Sangat Baik" in text and "Triwulan IV 2026" in text
    assert recognition["number"] in text and world.one.sup_a.name in text


def test_recognitions_are_seen_by_the_line_and_the_organisation_only(as_, world):
    assessed(world.one, "di_atas", "di_atas", acknowledge=True)
    recognition = as_(world.one.staff_a1).get("/api/v1/recognitions").get_json()[0]
    url = f"/api/v1/recognitions/{recognition['id']}"
    for reader in (world.one.sup_a, world.one.head, world.one.admin):
        assert as_(reader).get(url).status_code == 200
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.admin, world.two.head):
        assert as_(outsider).get(url).status_code == 404
        assert as_(outsider).get(url + "/certificate").status_code == 404
    assert as_(world.one.staff_a2).get("/api/v1/recognitions").get_json() == []
    assert as_(world.two.admin).get("/api/v1/recognitions").get_json() == []
    assert len(as_(world.one.admin).get("/api/v1/recognitions").get_json()) == 1


@pytest.mark.parametrize(("hasil", "perilaku", "predikat"), [
    ("di_bawah", "sesuai", "butuh_perbaikan"),
    ("sesuai", "di_bawah", "kurang_misconduct"),
    ("di_bawah", "di_bawah", "sangat_kurang"),
])
def test_a_predikat_below_baik_opens_a_plan_for_the_supervisor(as_, world, count, hasil,
                                                               perilaku, predikat):
    assessed(world.one, hasil, perilaku)
    plans = as_(world.one.sup_a).get("/api/v1/coaching-plans").get_json()
    assert len(plans) == 1
    assert (plans[0]["predikat"], plans[0]["status"]) == (predikat, "open")
    assert plans[0]["can_edit"] is True and plans[0]["supervisor"]["id"] == world.one.sup_a.id
    assert count(Recognition) == 0


def test_baik_opens_nothing(world, count):
    assessed(world.one, "sesuai", "sesuai", acknowledge=True)
    assert count(CoachingPlan) == 0 and count(Recognition) == 0


def test_the_supervisor_runs_and_closes_the_plan(as_, world):
    assessed(world.one, "di_bawah", "sesuai")
    sup = as_(world.one.sup_a)
    plan = sup.get("/api/v1/coaching-plans").get_json()[0]
    url = f"/api/v1/coaching-plans/{plan['id']}"
    plan = sup.patch(url, json={"version": plan["version"], "goals": "Laporan tepat waktu",
                                "training": "Diklat penulisan laporan",
                                "review_on": "2026-12-15"}).get_json()
    assert (plan["goals"], plan["training"], plan["review_on"]) == (
        "Laporan tepat waktu", "Diklat penulisan laporan", "2026-12-15")
    session = sup.post(url + "/sessions", json={"scheduled_on": "2026-11-30"})
    assert session.status_code == 201
    session_url = f"/api/v1/coaching-sessions/{session.get_json()['id']}"
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.sup_a, world.two.admin):
        assert as_(outsider).patch(session_url, json={"notes": "x"}).status_code == 404
    held = sup.patch(session_url,
                     json={"held_on": "2026-11-30", "notes": "Membahas jadwal"}).get_json()
    assert held["held_on"] == "2026-11-30" and held["notes"] == "Membahas jadwal"
    plan = sup.get(url).get_json()
    stale = sup.post(url + "/close", json={"version": plan["version"] - 1,
                                           "result": "improved", "outcome": "Membaik"})
    assert stale.status_code == 409
    closed = sup.post(url + "/close", json={"version": plan["version"], "result": "improved",
                                            "outcome": "Laporan kini tepat waktu"})
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed" and closed.get_json()["can_edit"] is False
    assert sup.post(url + "/sessions", json={"scheduled_on": "2026-12-01"}).status_code == 409
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "coaching_plan", AuditEntry.subject_id == str(plan["id"]))
        .order_by(AuditEntry.seq))]
    assert actions == ["open", "update", "session_add", "session_update", "close"]


def test_only_the_supervisor_runs_the_plan(as_, world):
    assessed(world.one, "di_bawah", "di_bawah")
    plan = as_(world.one.sup_a).get("/api/v1/coaching-plans").get_json()[0]
    url = f"/api/v1/coaching-plans/{plan['id']}"
    change = {"version": plan["version"], "goals": "x"}
    for reader in (world.one.staff_a1, world.one.head, world.one.admin):
        assert as_(reader).get(url).status_code == 200
        assert as_(reader).patch(url, json=change).status_code == 403
        assert as_(reader).post(url + "/sessions",
                                json={"scheduled_on": "2026-12-01"}).status_code == 403
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.sup_a, world.two.admin):
        assert as_(outsider).get(url).status_code == 404
        assert as_(outsider).patch(url, json=change).status_code == 404
        assert as_(outsider).post(url + "/sessions",
                                  json={"scheduled_on": "2026-12-01"}).status_code == 404
        assert as_(outsider).post(url + "/close", json={
            "version": plan["version"], "result": "improved", "outcome": "x"}).status_code == 404
    bad = as_(world.one.sup_a).post(url + "/close", json={"version": plan["version"],
                                                          "result": "hebat", "outcome": ""})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"result", "outcome"}


def test_sessions_and_reviews_remind_on_their_day(as_, world):
    assessed(world.one, "di_bawah", "sesuai")
    sup = as_(world.one.sup_a)
    plan = sup.get("/api/v1/coaching-plans").get_json()[0]
    url = f"/api/v1/coaching-plans/{plan['id']}"
    sup.patch(url, json={"version": plan["version"], "review_on": "2026-11-25"})
    sup.post(url + "/sessions", json={"scheduled_on": "2026-11-24"})
    day = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    sent = [s for s in send_due(day) if s.kind is ReminderKind.FOLLOW_UP]
    assert sorted((s.person_id, s.key.split(":")[0]) for s in sent) == sorted([
        (world.one.sup_a.id, "ses"), (world.one.staff_a1.id, "ses")])
    review = [s for s in send_due(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
              if s.kind is ReminderKind.FOLLOW_UP]
    assert [(s.person_id, s.key.split(":")[0]) for s in review] == [(world.one.sup_a.id,
                                                                     "rev")]


def test_the_dashboard_counts_plans_needed_and_made(as_, world):
    assessed(world.one, "di_bawah", "sesuai")
    assessed(world.one, "di_atas", "di_atas", acknowledge=True, person=world.one.staff_b1,
             skps=False)
    admin = as_(world.one.admin)
    summary = admin.get("/api/v1/follow-up/summary?year=2026").get_json()
    assert (summary["needs_plan"], summary["with_plan"]) == (1, 1)
    assert [r["person"]["id"] for r in summary["recognitions"]] == [world.one.staff_b1.id]
    assert as_(world.one.head).get("/api/v1/follow-up/summary").status_code == 200
    assert as_(world.one.sup_a).get("/api/v1/follow-up/summary").status_code == 403
    other = as_(world.two.admin).get("/api/v1/follow-up/summary?year=2026").get_json()
    assert (other["needs_plan"], other["with_plan"], other["recognitions"]) == (0, 0, [])
    page = admin.get("/dasbor/organisasi").data.decode()
    assert "Tindak lanjut" in page and world.one.staff_b1.name in page
