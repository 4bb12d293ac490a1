"""Evidence: real content types, size limit, server-made names, who may download."""

import hashlib
import io

import pytest

from app.activities.models import Attachment
from app.core.uploads import ALLOWED_TYPES
from tests.activities.test_api import entry

URL = "/api/v1/activities"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8"
       b"N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def staff(api, world, evidence_folder):
    return api.login(world.one.staff_a1)


@pytest.fixture
def activity(staff):
    return staff.post(URL, json=entry()).get_json()


def fetch(client, url):
    """GET and close at once (the file is streamed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def upload(client, activity_id, content, name="foto.jpg"):
    return client.post(f"{URL}/{activity_id}/attachments",
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize(("content", "mime"), [(PNG, "image/png"), (JPEG, "image/jpeg"),
                                               (WEBP, "image/webp"), (PDF, "application/pdf")])
def test_photos_and_pdfs_are_stored_under_a_server_name(staff, activity, evidence_folder,
                                                        content, mime):
    response = upload(staff, activity["id"], content, name="../../etc/passwd.exe")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["content_type"] == mime and body["size"] == len(content)
    # Shown only, never a path; its extension is the checked type's.
    assert body["filename"] == f"passwd.{ALLOWED_TYPES[mime]}"
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    stored = [p for p in evidence_folder.rglob("*") if p.is_file()]
    assert len(stored) == 1 and body["id"] in stored[0].name
    assert "passwd" not in str(stored[0])
    assert staff.get(f"{URL}/{activity['id']}").get_json()["attachments"][0]["id"] == body["id"]


@pytest.mark.parametrize("content", [
    b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 32,
    b"MZ\x90\x00" + b"\x00" * 60, b""])
def test_other_content_is_refused_whatever_its_name(staff, activity, content, count):
    response = upload(staff, activity["id"], content, name="bukti.jpg")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    assert count(Attachment) == 0


def test_size_limit_is_configurable(app, staff, activity, count):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    try:
        response = upload(staff, activity["id"], PDF + b"0" * 1024)
        assert response.status_code == 413
        assert response.get_json()["error"]["code"] == "payload_too_large"
        assert upload(staff, activity["id"], PDF).status_code == 201
    finally:
        app.config.pop("EVIDENCE_MAX_BYTES")
    assert count(Attachment) == 1


def test_links_must_be_http(staff, activity):
    ok = staff.post(f"{URL}/{activity['id']}/attachments",
                    json={"url": "https://drive.example.go.id/bukti/1"})
    assert ok.status_code == 201 and ok.get_json()["kind"] == "link"
    for url in ("javascript:alert(1)", "ftp://x.id/a", "file:///etc/passwd", "bukan url"):
        response = staff.post(f"{URL}/{activity['id']}/attachments", json={"url": url})
        assert response.status_code == 422, url
    assert staff.post(f"{URL}/{activity['id']}/attachments", data="x",
                      content_type="text/plain").status_code == 422


def test_download_is_sandboxed(staff, activity):
    photo = upload(staff, activity["id"], PNG).get_json()
    response = fetch(staff, photo["url"])
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["Content-Disposition"].startswith("attachment")
    pdf = upload(staff, activity["id"], PDF, name="sk.pdf").get_json()
    assert fetch(staff, pdf["url"]).headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(("who", "status"), [
    ("staff_a1", 200), ("sup_a", 200), ("head", 200), ("admin", 200),
    ("staff_a2", 404), ("sup_b", 404)])
def test_only_those_who_see_the_activity_download(api, app, world, evidence_folder, who,
                                                  status):
    owner = api.login(world.one.staff_a1)
    activity = owner.post(URL, json=entry()).get_json()
    url = upload(owner, activity["id"], PNG).get_json()["url"]
    viewer = type(api)(app).login(getattr(world.one, who))
    assert fetch(viewer, url).status_code == status
    other_org = type(api)(app).login(world.two.admin)
    assert other_org.get(url).status_code == 404


def test_owner_removes_evidence_of_a_draft_only(api, app, world, staff, activity,
                                                evidence_folder):
    photo = upload(staff, activity["id"], PNG).get_json()
    sup = type(api)(app).login(world.one.sup_a)
    assert sup.delete(f"/api/v1/attachments/{photo['id']}").status_code == 403
    assert staff.delete(f"/api/v1/attachments/{photo['id']}").status_code == 204
    assert not [p for p in evidence_folder.rglob("*") if p.is_file()]
    assert staff.get(photo["url"]).status_code == 404

    kept = upload(staff, activity["id"], PNG).get_json()
    staff.post(f"{URL}/{activity['id']}/submit", json={})
    assert upload(staff, activity["id"], PDF).status_code == 201  # still allowed
    assert staff.delete(f"/api/v1/attachments/{kept['id']}").status_code == 409
    sup.post(f"{URL}/{activity['id']}/approve", json={})
    response = upload(staff, activity["id"], PNG)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_editable"


def test_others_cannot_attach(api, app, world, activity, evidence_folder):
    sup = type(api)(app).login(world.one.sup_a)
    assert upload(sup, activity["id"], PNG).status_code == 403
    peer = type(api)(app).login(world.one.staff_a2)
    assert upload(peer, activity["id"], PNG).status_code == 404
