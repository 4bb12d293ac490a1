"""The pages: Profil's progress bar to the year's target, /pengembangan for the person (with
the certificate in the same form), the supervisor's verification, who is below the target,
and mentoring pairs."""

import io
import re

import sqlalchemy as sa
import time_machine

from app.development.models import MentoringPair, Training, TrainingStatus
from app.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {"title": "Diklat PIM IV", "provider": "LAN", "kind": "training",
        "starts_on": "2026-02-02", "ends_on": "2026-02-06", "hours": "15"}
DAY = "2026-11-23T03:00:00+00:00"


def last_training() -> Training:
    db.session.rollback()
    return db.session.scalars(sa.select(Training).order_by(Training.id.desc())).first()


def test_record_with_certificate_verify_and_see_the_progress(api, world, evidence_folder):
    one = world.one
    with time_machine.travel(DAY, tick=True):
        api.login(one.staff_a1)
        profile = api.get("/profil").get_data(as_text=True)
        assert re.search(r'id="profile-jp" max="20" value="0"', profile)
        response = api.post("/pengembangan", data={
            **FORM, "certificate": (io.BytesIO(PDF), "sertifikat.pdf")},
            content_type="multipart/form-data")
        assert response.status_code == 303
        training = last_training()
        assert training.status is TrainingStatus.SUBMITTED and training.filename == \
            "sertifikat.pdf"
        # A file that is no photo or PDF is refused and nothing is kept.
        refused = api.post("/pengembangan", data={
            **FORM, "certificate": (io.BytesIO(b"MZ\x90\x00binary"), "sertifikat.pdf")},
            content_type="multipart/form-data")
        assert refused.status_code == 415
        assert last_training().id == training.id
        assert api.post("/pengembangan", data={**FORM, "hours": "0"}).status_code == 422
        api.login(one.sup_a)
        page = api.get("/pengembangan").get_data(as_text=True)
        assert "Diklat PIM IV" in page and "Di bawah target tahun 2026" in page
        assert api.post(f"/pengembangan/{training.id}/keputusan",
                        data={"verified": "true"}).status_code == 303
        assert last_training().status is TrainingStatus.VERIFIED
        api.login(one.staff_a1)
        profile = api.get("/profil").get_data(as_text=True)
        assert re.search(r'id="profile-jp" max="20" value="15"', profile)
        assert "15 dari 20 JP terverifikasi (75%)" in profile
        page = api.get("/pengembangan").get_data(as_text=True)
        assert "Terverifikasi" in page
        # A colleague cannot open the certificate.
        api.login(one.staff_a2)
        response = api.get(f"/pengembangan/{training.id}/sertifikat")
        response.close()
        assert response.status_code == 404


def test_a_supervisor_pairs_a_mentor_and_a_mentee(api, world):
    one = world.one
    with time_machine.travel(DAY, tick=True):
        api.login(one.sup_a)
        response = api.post("/pengembangan/mentoring", data={
            "mentor_id": one.staff_a2.id, "mentee_id": one.staff_a1.id,
            "starts_on": "2026-01-05", "ends_on": "2026-06-30", "notes": "Menulis laporan"})
        assert response.status_code == 303
        assert api.post("/pengembangan/mentoring", data={
            "mentor_id": one.staff_a2.id, "mentee_id": one.staff_a1.id,
            "starts_on": "2026-07-01", "ends_on": "2026-01-01"}).status_code == 422
        api.login(one.staff_a2)
        page = api.get("/pengembangan").get_data(as_text=True)
        assert "Menulis laporan" in page
        assert api.post("/pengembangan/mentoring", data={
            "mentor_id": one.staff_a2.id, "mentee_id": one.staff_a1.id,
            "starts_on": "2026-01-05", "ends_on": "2026-06-30"}).status_code == 403
        api.login(world.two.admin)
        assert api.post("/pengembangan/mentoring", data={
            "mentor_id": one.staff_a2.id, "mentee_id": one.staff_a1.id,
            "starts_on": "2026-01-05", "ends_on": "2026-06-30"}).status_code == 404
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringPair)) == 1


def test_hr_sets_the_organisations_yearly_target(api, world):
    with time_machine.travel(DAY, tick=True):
        api.login(world.one.sup_a)
        assert 'id="jp-target"' not in api.get("/pengembangan").get_data(as_text=True)
        api.post("/pengembangan/target", data={"jp_target": "40"})
        api.login(world.one.admin)
        assert 'id="jp-target"' in api.get("/pengembangan").get_data(as_text=True)
        assert api.post("/pengembangan/target", data={"jp_target": "0"}).status_code == 303
        assert api.post("/pengembangan/target", data={"jp_target": "32"}).status_code == 303
        api.login(world.one.staff_a1)
        assert re.search(r'id="profile-jp" max="32"', api.get("/profil").get_data(as_text=True))
        api.login(world.two.staff_a1)
        assert re.search(r'id="profile-jp" max="20"', api.get("/profil").get_data(as_text=True))
