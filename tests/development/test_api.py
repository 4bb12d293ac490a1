"""/api/v1/trainings, /development, /mentoring: recorded by the person, verified by the
supervisor, counted against the yearly target, hidden from colleagues and other
organisations."""

import io

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.development.models import Training
from app.extensions import db

RECORD = {"title": "Pelatihan Analisis Kebijakan", "provider": "BPSDM Provinsi",
          "kind": "training", "starts_on": "2026-03-02", "ends_on": "2026-03-05", "hours": 12}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fetch(api, url):
    """GET and close at once (a stored file is streamed)."""
    response = api.get(url)
    response.get_data()
    response.close()
    return response


def record(api, person, **changes):
    api.login(person)
    response = api.post("/api/v1/trainings", json={**RECORD, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_record_verify_and_count_towards_the_year(api, world):
    one = world.one
    first = record(api, one.staff_a1)
    assert first["status"] == "submitted" and first["person"]["id"] == one.staff_a1.id
    record(api, one.staff_a1, title="Seminar SPBE", kind="seminar", hours=6,
           starts_on="2026-05-01", ends_on="2026-05-01")
    # Another year's record counts in its own year.
    record(api, one.staff_a1, starts_on="2025-12-30", ends_on="2025-12-31", hours=30)
    year = api.get("/api/v1/development?year=2026").get_json()
    assert (year["jp_total"], year["jp_target"], year["jp_pending"]) == (0, 20, 18)
    api.login(one.sup_a)
    waiting = api.get("/api/v1/trainings/waiting").get_json()
    assert {item["id"] for item in waiting} >= {first["id"]}
    decided = api.post(f"/api/v1/trainings/{first['id']}/decision", json={"verified": True})
    assert decided.status_code == 200 and decided.get_json()["status"] == "verified"
    assert decided.get_json()["verified_by"]["id"] == one.sup_a.id
    # Decided once only.
    again = api.post(f"/api/v1/trainings/{first['id']}/decision", json={"verified": False,
                                                                        "note": "x"})
    assert again.status_code == 409
    api.login(one.staff_a1)
    year = api.get("/api/v1/development?year=2026").get_json()
    assert (year["jp_total"], year["jp_target"], year["jp_pending"]) == (12, 20, 6)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.subject_type == "training", AuditEntry.action == "verified")) == 1


def test_rejecting_needs_a_reason_and_rejected_hours_never_count(api, world):
    one = world.one
    made = record(api, one.staff_a1)
    api.login(one.sup_a)
    url = f"/api/v1/trainings/{made['id']}/decision"
    assert api.post(url, json={"verified": False}).status_code == 422
    assert api.post(url, json={"verified": False, "note": "Bukan 2026"}).status_code == 200
    api.login(one.staff_a1)
    year = api.get("/api/v1/development?year=2026").get_json()
    assert (year["jp_total"], year["jp_pending"]) == (0, 0)


def test_only_the_supervisor_verifies(api, world):
    one = world.one
    made = record(api, one.staff_a1)
    url = f"/api/v1/trainings/{made['id']}/decision"
    # The person themself and HR may see it but not verify it.
    api.login(one.staff_a1)
    assert api.post(url, json={"verified": True}).status_code == 403
    api.login(one.admin)
    assert api.get(f"/api/v1/trainings/{made['id']}").status_code == 200
    assert api.post(url, json={"verified": True}).status_code == 403
    # The supervisor of another line does not even see it.
    api.login(one.sup_b)
    assert api.post(url, json={"verified": True}).status_code == 404


def test_a_colleague_and_another_organisation_get_404(api, world):
    made = record(api, world.one.staff_a1)
    for stranger in (world.one.staff_a2, world.one.staff_b1, world.two.admin, world.two.head):
        api.login(stranger)
        assert api.get(f"/api/v1/trainings/{made['id']}").status_code == 404
        assert fetch(api, f"/api/v1/trainings/{made['id']}/certificate").status_code == 404
        assert api.get(f"/api/v1/development?year=2026&person_id={world.one.staff_a1.id}"
                       ).status_code == 404
        assert api.get(f"/api/v1/trainings?person_id={world.one.staff_a1.id}"
                       ).status_code == 404
    # Up the line it is visible.
    for reader in (world.one.sup_a, world.one.head, world.one.admin):
        api.login(reader)
        assert api.get(f"/api/v1/trainings/{made['id']}").status_code == 200


def test_nobody_records_for_someone_else_but_hr(api, world):
    one = world.one
    api.login(one.sup_a)
    assert api.post("/api/v1/trainings", json={**RECORD, "person_id": one.staff_a1.id}
                    ).status_code == 403
    api.login(one.admin)
    made = api.post("/api/v1/trainings", json={**RECORD, "person_id": one.staff_a1.id})
    assert made.status_code == 201 and made.get_json()["person"]["id"] == one.staff_a1.id
    assert api.post("/api/v1/trainings", json={**RECORD, "person_id": world.two.staff_a1.id}
                    ).status_code == 404


def test_bad_input_is_a_clear_422(api, world):
    api.login(world.one.staff_a1)
    for changes in ({"hours": 0}, {"hours": "12"}, {"kind": "holiday"}, {"title": ""},
                    {"ends_on": "2026-03-01"}, {"starts_on": "kemarin"}):
        response = api.post("/api/v1/trainings", json={**RECORD, **changes})
        assert response.status_code == 422, (changes, response.get_json())
        assert response.get_json()["error"]["fields"]
    assert api.get("/api/v1/development").status_code == 422
    assert api.get("/api/v1/development?year=tahun").status_code == 422


def test_certificate_is_checked_by_its_bytes_and_served_to_who_may_see(api, world,
                                                                       evidence_folder):
    made = record(api, world.one.staff_a1)
    url = f"/api/v1/trainings/{made['id']}/certificate"
    fake = api.post(url, data={"file": (io.BytesIO(b"<html>not a pdf</html>"),
                                        "sertifikat.pdf")})
    assert fake.status_code == 415
    stored = api.post(url, data={"file": (io.BytesIO(PDF), "sertifikat.pdf")})
    assert stored.status_code == 200, stored.get_json()
    assert stored.get_json()["certificate"]["filename"] == "sertifikat.pdf"
    download = fetch(api, url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Security-Policy"] == "sandbox"
    api.login(world.one.sup_a)
    assert fetch(api, url).data == PDF
    api.login(world.one.staff_a2)
    assert fetch(api, url).status_code == 404
    assert api.post(url, data={"file": (io.BytesIO(PDF), "x.pdf")}).status_code == 404


def test_target_is_per_organisation_and_below_target_lists_the_line(api, world):
    one = world.one
    made = record(api, one.staff_a1, hours=25)
    api.login(one.sup_a)
    api.post(f"/api/v1/trainings/{made['id']}/decision", json={"verified": True})
    below = api.get("/api/v1/development/below-target?year=2026").get_json()
    # staff_a1 reached 20; staff_a2 did not. Nobody outside sup_a's line is listed.
    assert [row["person"]["id"] for row in below] == [one.staff_a2.id]
    assert api.put("/api/v1/development/target", json={"jp_target": 40}).status_code == 403
    api.login(one.admin)
    assert api.put("/api/v1/development/target", json={"jp_target": 40}).status_code == 200
    below = api.get("/api/v1/development/below-target?year=2026").get_json()
    assert one.staff_a1.id in {row["person"]["id"] for row in below}
    assert all(row["jp_target"] == 40 for row in below)
    assert len(below) == 7  # the whole organisation for HR
    api.login(world.two.staff_a1)
    assert api.get("/api/v1/development?year=2026").get_json()["jp_target"] == 20
    api.login(one.staff_b1)
    assert api.get("/api/v1/development/below-target?year=2026").get_json() == []


def test_mentoring_pairs(api, world):
    one = world.one
    pair = {"mentor_id": one.staff_a2.id, "mentee_id": one.staff_a1.id,
            "starts_on": "2026-01-05", "ends_on": "2026-06-30", "notes": "Penulisan laporan"}
    api.login(one.staff_a2)
    assert api.post("/api/v1/mentoring", json=pair).status_code == 403
    api.login(one.sup_a)
    assert api.post("/api/v1/mentoring", json={**pair, "mentor_id": one.staff_a1.id}
                    ).status_code == 422
    assert api.post("/api/v1/mentoring", json={**pair, "mentor_id": world.two.staff_a1.id}
                    ).status_code == 404
    made = api.post("/api/v1/mentoring", json=pair)
    assert made.status_code == 201, made.get_json()
    pair_id = made.get_json()["id"]
    for reader in (one.staff_a2, one.staff_a1, one.admin, one.head):
        api.login(reader)
        assert api.get(f"/api/v1/mentoring/{pair_id}").status_code == 200
        assert pair_id in {row["id"] for row in api.get("/api/v1/mentoring").get_json()}
    api.login(one.staff_a2)
    noted = api.patch(f"/api/v1/mentoring/{pair_id}", json={"notes": "Sesi 1 selesai"})
    assert noted.status_code == 200 and noted.get_json()["notes"] == "Sesi 1 selesai"
    for stranger in (one.staff_b1, world.two.admin):
        api.login(stranger)
        assert api.get(f"/api/v1/mentoring/{pair_id}").status_code == 404
        assert api.get("/api/v1/mentoring").get_json() == []
    api.login(one.staff_a1)
    assert api.patch(f"/api/v1/mentoring/{pair_id}", json={"notes": "x"}).status_code == 403
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == 0
