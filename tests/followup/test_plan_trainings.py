"""A coaching plan asks for training and sees it done: the supervisor asks, the employee
attaches the training they recorded, the supervisor's verification makes it done."""

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.followup.models import CoachingPlan
from tests.followup.support import assessed

RECORD = {"title": "Diklat Penulisan Laporan", "provider": "BPSDM Provinsi",
          "kind": "training", "starts_on": "2026-11-02", "ends_on": "2026-11-04", "hours": 12}


def _plan(world):
    assessed(world.one, "di_bawah", "sesuai")
    return db.session.scalar(sa.select(CoachingPlan))


def test_the_plan_asks_a_training_and_sees_it_done(as_, world):
    plan = _plan(world)
    sup, staff = as_(world.one.sup_a), as_(world.one.staff_a1)
    url = f"/api/v1/coaching-plans/{plan.id}"
    asked = sup.post(url + "/trainings", json={"title": "Diklat penulisan laporan",
                                               "kind": "training", "hours": 10})
    assert asked.status_code == 201, asked.get_json()
    item = asked.get_json()
    assert (item["state"], item["hours"], item["training"]) == ("asked", 10, None)
    mine = staff.get(url).get_json()
    assert mine["can_attach"] is True and mine["can_edit"] is False
    assert [t["id"] for t in mine["trainings"]] == [item["id"]]

    training = staff.post("/api/v1/trainings", json=RECORD).get_json()
    attach = f"/api/v1/coaching-plan-trainings/{item['id']}/attach"
    attached = staff.post(attach, json={"training_id": training["id"]})
    assert attached.status_code == 200, attached.get_json()
    assert attached.get_json()["state"] == "recorded"
    assert attached.get_json()["training"]["title"] == RECORD["title"]
    # Answered once: a second record is refused while the first waits.
    other = staff.post("/api/v1/trainings", json={**RECORD, "title": "Lain"}).get_json()
    assert staff.post(attach, json={"training_id": other["id"]}).status_code == 409

    assert sup.post(f"/api/v1/trainings/{training['id']}/decision",
                    json={"verified": True}).status_code == 200
    done = sup.get(url).get_json()["trainings"][0]
    assert done["state"] == "done"
    assert (done["training"]["status"], done["training"]["hours"],
            done["training"]["starts_on"], done["training"]["ends_on"]) == (
        "verified", 12, "2026-11-02", "2026-11-04")
    assert done["training"]["verified_at"] is not None
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == "coaching_plan", AuditEntry.subject_id == str(plan.id))
        .order_by(AuditEntry.seq))]
    assert actions == ["open", "training_ask", "training_attach"]


def test_a_rejected_record_leaves_the_request_asked(as_, world):
    plan = _plan(world)
    sup, staff = as_(world.one.sup_a), as_(world.one.staff_a1)
    item = sup.post(f"/api/v1/coaching-plans/{plan.id}/trainings",
                    json={"title": "Kursus", "kind": "course"}).get_json()
    assert item["hours"] is None
    first = staff.post("/api/v1/trainings", json=RECORD).get_json()
    attach = f"/api/v1/coaching-plan-trainings/{item['id']}/attach"
    staff.post(attach, json={"training_id": first["id"]})
    sup.post(f"/api/v1/trainings/{first['id']}/decision",
             json={"verified": False, "note": "Sertifikat tidak ada"})
    assert staff.get(f"/api/v1/coaching-plans/{plan.id}").get_json()[
        "trainings"][0]["state"] == "asked"
    assert staff.post(attach, json={"training_id": first["id"]}).status_code == 409
    second = staff.post("/api/v1/trainings", json=RECORD).get_json()
    again = staff.post(attach, json={"training_id": second["id"]})
    assert again.status_code == 200 and again.get_json()["training"]["id"] == second["id"]


def test_only_the_supervisor_asks_and_only_the_employee_attaches(as_, world):
    plan = _plan(world)
    url = f"/api/v1/coaching-plans/{plan.id}/trainings"
    ask = {"title": "Diklat", "kind": "training"}
    for reader in (world.one.staff_a1, world.one.head, world.one.admin):
        assert as_(reader).post(url, json=ask).status_code == 403
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.sup_a, world.two.admin):
        assert as_(outsider).post(url, json=ask).status_code == 404
    bad = as_(world.one.sup_a).post(url, json={"title": "", "kind": "kuliah", "hours": 0})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"title", "kind", "hours"}
    item = as_(world.one.sup_a).post(url, json=ask).get_json()

    attach = f"/api/v1/coaching-plan-trainings/{item['id']}/attach"
    own = as_(world.one.staff_a1).post("/api/v1/trainings", json=RECORD).get_json()
    theirs = as_(world.one.staff_a2).post("/api/v1/trainings", json=RECORD).get_json()
    # A colleague's record is not the employee's to attach.
    assert as_(world.one.staff_a1).post(attach, json={
        "training_id": theirs["id"]}).status_code == 404
    for reader in (world.one.sup_a, world.one.head, world.one.admin):
        assert as_(reader).post(attach, json={"training_id": own["id"]}).status_code == 403
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.sup_a, world.two.admin):
        assert as_(outsider).get(f"/api/v1/coaching-plans/{plan.id}").status_code == 404
        assert as_(outsider).post(attach, json={"training_id": own["id"]}).status_code == 404
    assert as_(world.one.staff_a1).post(attach, json={}).status_code == 422
    assert as_(world.one.staff_a1).post(attach, json={"training_id": own["id"]}
                                        ).status_code == 200


def test_the_plan_page_asks_and_attaches(as_, world):
    plan = _plan(world)
    sup, staff = as_(world.one.sup_a), as_(world.one.staff_a1)
    page = f"/tindak-lanjut/pembinaan/{plan.id}"
    assert "Minta pelatihan ini" in sup.get(page).data.decode()
    invalid = sup.post(page + "/pelatihan", data={"title": "", "kind": "training"})
    assert invalid.status_code == 422
    assert sup.post(page + "/pelatihan", data={"title": "Diklat SPBE", "kind": "training",
                                               "hours": "8"}).status_code == 303
    db.session.expire_all()
    item = plan.trainings[0]
    before = staff.get(page).data.decode()
    assert "Diklat SPBE" in before and "Diminta" in before
    assert "Catat dulu pelatihannya" in before
    training = staff.post("/api/v1/trainings", json=RECORD).get_json()
    assert staff.post(f"/tindak-lanjut/pembinaan/pelatihan/{item.id}",
                      data={"training_id": str(training["id"])}).status_code == 303
    sup.post(f"/api/v1/trainings/{training['id']}/decision", json={"verified": True})
    after = staff.get(page).data.decode()
    assert 'data-state="done"' in after and RECORD["title"] in after and "12 JP" in after
    assert "Minta pelatihan ini" not in after
    assert as_(world.one.staff_a2).post(f"/tindak-lanjut/pembinaan/pelatihan/{item.id}",
                                        data={"training_id": "1"}).status_code == 404
    assert as_(world.two.sup_a).get(page).status_code == 404


def test_the_openapi_document_describes_asking_and_attaching(api, world):
    api.login(world.one.staff_a1)
    spec = api.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/coaching-plans/{plan_id}/trainings",
                 "/api/v1/coaching-plan-trainings/{plan_training_id}/attach"):
        operation = spec["paths"][path]["post"]
        assert operation["summary"] or operation.get("description")
        assert set(operation["responses"]) >= {"403", "404", "409", "422"}
    plan = spec["components"]["schemas"]["CoachingPlanOut"]["properties"]
    assert {"trainings", "can_attach"} <= set(plan)
