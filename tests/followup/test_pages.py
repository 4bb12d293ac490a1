"""The follow-up pages, in Bahasa Indonesia by default and in English when chosen, posting
through the same services as the API."""

import sqlalchemy as sa

from app.extensions import db
from app.followup.models import CoachingPlan, PerformanceDialog, PlanStatus
from app.targets.models import Rhk, Skp
from tests.followup.support import assessed


def test_a_supervisor_records_a_dialog_and_the_employee_confirms(as_, world):
    assessed(world.one, "sesuai", "sesuai")
    sup = as_(world.one.sup_a)
    form = sup.get(f"/tindak-lanjut/dialog/baru?orang={world.one.staff_a1.id}").data.decode()
    assert "Catat dialog kinerja" in form and world.one.staff_a1.name in form
    missing = sup.post("/tindak-lanjut/dialog", data={"held_on": "2026-11-20", "topic": ""})
    assert missing.status_code == 422 and 'aria-invalid="true"' in missing.data.decode()
    rhk = db.session.scalar(sa.select(Rhk).join(Skp).where(
        Skp.person_id == world.one.staff_a1.id).order_by(Rhk.id))
    assert rhk.description in form
    made = sup.post("/tindak-lanjut/dialog", data={
        "person_id": str(world.one.staff_a1.id), "held_on": "2026-11-20",
        "rhk_id": str(rhk.id),
        "topic": "Capaian triwulan", "action-0": "Susun jadwal", "due-0": "2026-12-01"})
    assert made.status_code == 303
    dialog = db.session.scalar(sa.select(PerformanceDialog))
    assert [a.description for a in dialog.actions] == ["Susun jadwal"]
    assert dialog.rhk_id == rhk.id
    staff = as_(world.one.staff_a1)
    page = staff.get(made.headers["Location"]).data.decode()
    assert "Konfirmasi catatan ini" in page
    assert staff.post(f"/tindak-lanjut/dialog/{dialog.id}/konfirmasi").status_code == 303
    assert staff.post(f"/tindak-lanjut/dialog/aksi/{dialog.actions[0].id}/selesai"
                      ).status_code == 303
    page = staff.get(made.headers["Location"]).data.decode()
    assert "Konfirmasi catatan ini" not in page and "Selesai" in page
    assert as_(world.one.staff_a2).get(made.headers["Location"]).status_code == 404


def test_the_supervisor_runs_a_plan_from_its_page(as_, world):
    evaluation = assessed(world.one, "di_bawah", "sesuai")
    plan = db.session.scalar(sa.select(CoachingPlan))
    sup = as_(world.one.sup_a)
    assert "Rencana pembinaan" in sup.get(f"/evaluasi/{evaluation.id}").data.decode()
    url = f"/tindak-lanjut/pembinaan/{plan.id}"
    assert sup.post(url, data={"version": plan.version, "goals": "Tepat waktu",
                               "training": "Diklat", "review_on": "2026-12-15"}
                    ).status_code == 303
    assert sup.post(url + "/sesi", data={"scheduled_on": "2026-11-30"}).status_code == 303
    db.session.expire_all()
    session = plan.sessions[0]
    assert sup.post(f"/tindak-lanjut/pembinaan/sesi/{session.id}",
                    data={"held_on": "2026-11-30", "notes": "Dibahas"}).status_code == 303
    db.session.expire_all()
    closed = sup.post(url + "/tutup", data={"version": plan.version, "result": "improved",
                                            "outcome": "Membaik"})
    assert closed.status_code == 303
    db.session.expire_all()
    assert plan.status is PlanStatus.CLOSED and plan.sessions[0].notes == "Dibahas"
    staff_page = as_(world.one.staff_a1).get(url).data.decode()
    assert "Tutup dengan hasil ini" not in staff_page and "Membaik" in staff_page
    assert as_(world.one.staff_a1).post(url + "/sesi", data={
        "scheduled_on": "2026-12-01"}).status_code == 403


def test_the_hub_and_the_dashboard_link_the_follow_up(as_, world):
    assessed(world.one, "di_atas", "di_atas", acknowledge=True)
    staff = as_(world.one.staff_a1)
    hub = staff.get("/tindak-lanjut").data.decode()
    assert "Penghargaan" in hub and "Piagam (PDF)" in hub
    english = as_(world.one.staff_a1)
    english.client.get("/bahasa/en")
    assert "Certificate (PDF)" in english.get("/tindak-lanjut").data.decode()
    assert "Tindak lanjut" in as_(world.one.sup_a).get("/tim").data.decode()
    assert "Tindak lanjut" in as_(world.one.admin).get("/dasbor/organisasi").data.decode()


def test_the_objection_window_setting_page(as_, world):
    admin = as_(world.one.admin)
    assert "14 hari" in admin.get("/tindak-lanjut/pengaturan").data.decode()
    bad = admin.post("/tindak-lanjut/pengaturan", data={"objection_days": "0"})
    assert bad.status_code == 422
    assert admin.post("/tindak-lanjut/pengaturan",
                      data={"objection_days": "21"}).status_code == 303
    assert admin.get("/api/v1/follow-up-policy").get_json() == {"objection_days": 21}
    assert as_(world.one.head).get("/tindak-lanjut/pengaturan").status_code == 200
    assert as_(world.one.head).post("/tindak-lanjut/pengaturan",
                                    data={"objection_days": "30"}).status_code == 403
    assert as_(world.one.staff_a1).get("/tindak-lanjut/pengaturan").status_code == 403


def test_the_openapi_document_describes_the_follow_up(api, world):
    api.login(world.one.staff_a1)
    spec = api.get("/api/v1/openapi.json").get_json()
    for path, method in (("/api/v1/dialogs", "post"), ("/api/v1/dialogs/{dialog_id}/confirm",
                                                         "post"),
                         ("/api/v1/recognitions/{recognition_id}/certificate", "get"),
                         ("/api/v1/coaching-plans/{plan_id}/close", "post"),
                         ("/api/v1/evaluations/{evaluation_id}/objection", "post"),
                         ("/api/v1/objections/{objection_id}/decide", "post"),
                         ("/api/v1/follow-up/summary", "get")):
        operation = spec["paths"][path][method]
        assert operation["summary"] or operation.get("description")
        assert set(operation["responses"]) & {"200", "201"}
    decide = spec["paths"]["/api/v1/objections/{objection_id}/decide"]["post"]
    assert set(decide["responses"]) >= {"200", "403", "404", "409", "422"}
