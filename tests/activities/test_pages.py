"""The activity pages: Beranda, the form, the detail, and their actions."""

import re
from datetime import date

import sqlalchemy as sa

from app.activities.models import Activity, ActivityStatus
from app.targets.models import SkpStatus
from tests.activities.support import make_activity
from tests.factories import PASSWORD
from tests.targets.factories import cascade

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, person):
    page = client.get("/masuk").get_data(as_text=True)
    response = client.post("/masuk", data={"nip": person.nip, "password": PASSWORD,
                                           "csrf_token": csrf(page)})
    assert response.status_code == 303


def form_page(client, url="/aktivitas/baru?tanggal=2026-03-10"):
    html = client.get(url).get_data(as_text=True)
    return html, {"csrf_token": csrf(html),
                  "id": re.search(r'name="id" value="([^"]+)"', html).group(1)}


def post_activity(client, fields, **values):
    data = {**fields, "date": "2026-03-10", "start_time": "08:00", "end_time": "09:30",
            "description": "Menyusun notula rapat", "quantity": "2", "unit": "dokumen",
            "target": "lainnya", "action": "save", **values}
    return client.post("/aktivitas/baru", data=data)


def activities_of(db, person):
    db.session.rollback()
    return db.session.scalars(sa.select(Activity).where(Activity.person_id == person.id)).all()


def test_form_offers_targets_most_used_first_and_other_work_last(client, world, db):
    _, _, staff_skp = cascade(world.one, staff_status=SkpStatus.APPROVED)
    indicator = staff_skp.rhks[0].indicators[0]
    sign_in(client, world.one.staff_a1)
    html, _ = form_page(client)
    options = re.findall(r'<option value="([^"]+)"', html)
    assert options == [str(indicator.id), "tambahan", "lainnya"]
    assert 'data-unit="dokumen"' in html


def test_start_time_defaults_to_end_of_last_activity(client, world, db):
    make_activity(world.one.staff_a1, on=date(2026, 3, 10), end=__import__("datetime").time(10, 15))
    sign_in(client, world.one.staff_a1)
    html, _ = form_page(client)
    assert 'id="start_time" name="start_time" type="time" value="10:15"' in html


def test_log_against_rhk_and_see_it_on_beranda(client, world, db):
    _, _, staff_skp = cascade(world.one, staff_status=SkpStatus.APPROVED)
    indicator = staff_skp.rhks[0].indicators[0]
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    response = post_activity(client, fields, target=str(indicator.id), unit="")
    assert response.status_code == 303
    [activity] = activities_of(db, world.one.staff_a1)
    assert activity.id == fields["id"]
    assert activity.target_id == indicator.id
    assert activity.unit == "dokumen"  # from the indicator
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Menyusun notula rapat" in home
    assert "draf" in home


def test_double_submitted_form_logs_once(client, world, db):
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    assert post_activity(client, fields).status_code == 303
    assert post_activity(client, fields).status_code == 303
    assert len(activities_of(db, world.one.staff_a1)) == 1


def test_submit_button_sends_for_review(client, world, db):
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    post_activity(client, fields, action="submit")
    [activity] = activities_of(db, world.one.staff_a1)
    assert activity.status == ActivityStatus.SUBMITTED
    assert "menunggu persetujuan" in client.get("/?tanggal=2026-03-10").get_data(as_text=True)


def test_bad_input_keeps_what_was_typed(client, world, db):
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    response = post_activity(client, fields, description="Rapat evaluasi", start_time="10:00",
                             end_time="09:00", quantity="dua")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Rapat evaluasi</textarea>" in html
    assert 'value="dua"' in html
    assert 'id="quantity-error"' in html
    assert activities_of(db, world.one.staff_a1) == []


def test_empty_description_is_a_field_message(client, world, db):
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    response = post_activity(client, fields, description="   ")
    assert response.status_code == 422
    assert 'id="description-error"' in response.get_data(as_text=True)


def test_evidence_uploaded_with_the_form(client, world, db, evidence_folder):
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    from io import BytesIO
    response = post_activity(client, {**fields, "evidence": (BytesIO(PNG), "foto.png")})
    assert response.status_code == 303
    [activity] = activities_of(db, world.one.staff_a1)
    assert [a.content_type for a in activity.attachments] == ["image/png"]


def test_wrong_evidence_type_saves_nothing_and_says_so(client, world, db, evidence_folder):
    sign_in(client, world.one.staff_a1)
    _, fields = form_page(client)
    from io import BytesIO
    response = post_activity(client, {**fields, "evidence": (BytesIO(b"MZ\x90\x00"), "x.png")})
    assert response.status_code in (415, 422)
    assert activities_of(db, world.one.staff_a1) == []
    assert "Menyusun notula rapat" in response.get_data(as_text=True)


def test_repeat_prefills_the_form(client, world, db):
    earlier = make_activity(world.one.staff_a1, description="Piket layanan", quantity=3,
                            unit="layanan")
    sign_in(client, world.one.staff_a1)
    html = client.get(f"/aktivitas/baru?ulangi={earlier.id}&tanggal=2026-03-10").get_data(
        as_text=True)
    assert "Piket layanan</textarea>" in html
    assert 'value="layanan"' in html
    assert f'value="{earlier.id}"' not in html  # a new id, not the old one


def test_template_from_activity_then_chip_on_beranda(client, world, db):
    earlier = make_activity(world.one.staff_a1, description="Apel pagi")
    sign_in(client, world.one.staff_a1)
    token = csrf(client.get(f"/aktivitas/{earlier.id}").get_data(as_text=True))
    client.post(f"/aktivitas/{earlier.id}/templat", data={"csrf_token": token})
    home = client.get("/?tanggal=2026-03-10").get_data(as_text=True)
    link = re.search(r'href="(/aktivitas/baru\?templat=\d+[^"]*)"', home).group(1)
    assert "Apel pagi</textarea>" in client.get(link.replace("&amp;", "&")).get_data(
        as_text=True)


def test_detail_shows_history_and_supervisor_can_return(client, world, db, app):
    activity = make_activity(world.one.staff_a1, description="Rekap absensi")
    sign_in(client, world.one.staff_a1)
    token = csrf(client.get(f"/aktivitas/{activity.id}").get_data(as_text=True))
    client.post(f"/aktivitas/{activity.id}/kirim", data={"csrf_token": token})

    boss = app.test_client()
    sign_in(boss, world.one.sup_a)
    page = boss.get(f"/aktivitas/{activity.id}").get_data(as_text=True)
    assert "Kembalikan" in page or "Return" in page
    boss.post(f"/aktivitas/{activity.id}/kembalikan",
              data={"csrf_token": csrf(page), "reason": "Lampirkan daftar hadir"})

    mine = client.get(f"/aktivitas/{activity.id}").get_data(as_text=True)
    assert "Lampirkan daftar hadir" in mine
    assert mine.count("<li><span class=\"muted\">") >= 3  # created, submitted, returned


def test_peer_and_other_organisation_get_404(client, world, db):
    activity = make_activity(world.one.staff_a1)
    for person in (world.one.staff_a2, world.two.head):
        other = client.application.test_client()
        sign_in(other, person)
        assert other.get(f"/aktivitas/{activity.id}").status_code == 404
        assert other.get(f"/aktivitas/baru?ulangi={activity.id}").status_code == 404


def test_owner_only_edits_and_stale_version_keeps_input(client, world, db):
    activity = make_activity(world.one.staff_a1, description="Draf awal")
    sign_in(client, world.one.staff_a1)
    html = client.get(f"/aktivitas/{activity.id}/ubah").get_data(as_text=True)
    data = {"csrf_token": csrf(html), "version": "1", "date": "2026-03-09",
            "start_time": "08:00", "end_time": "09:00", "description": "Draf diperbaiki",
            "target": "lainnya", "action": "save"}
    assert client.post(f"/aktivitas/{activity.id}/ubah", data=data).status_code == 303
    stale = client.post(f"/aktivitas/{activity.id}/ubah",
                        data={**data, "description": "Versi lama"})
    assert stale.status_code == 409
    assert "Versi lama</textarea>" in stale.get_data(as_text=True)
    boss = client.application.test_client()
    sign_in(boss, world.one.sup_a)
    assert boss.get(f"/aktivitas/{activity.id}/ubah").status_code == 403


def test_replayed_photo_upload_is_stored_once(api, world, db, evidence_folder):
    """The outbox may send a photo again after a lost answer: same client id, one file."""
    from io import BytesIO

    activity = make_activity(world.one.staff_a1)
    api.login(world.one.staff_a1)
    client_id = "0b6f3c7e-6a43-4d77-9a52-0f0f7a0b1c2d"
    first = api.post(f"/api/v1/activities/{activity.id}/attachments",
                     data={"id": client_id, "file": (BytesIO(PNG), "foto.png")})
    again = api.post(f"/api/v1/activities/{activity.id}/attachments",
                     data={"id": client_id, "file": (BytesIO(PNG), "foto.png")})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"] == client_id
    assert len(list(evidence_folder.rglob("*.png"))) == 1
    other = make_activity(world.one.staff_a1, description="Lain")
    clash = api.post(f"/api/v1/activities/{other.id}/attachments",
                     data={"id": client_id, "file": (BytesIO(PNG), "foto.png")})
    assert clash.status_code == 409
