"""An uploaded file never keeps a name that would open it as something else: the stored
and served name ends in the extension of the type its bytes showed, and every download is
an attachment that the browser must not sniff."""

import io

import sqlalchemy as sa

from app.activities.models import Attachment
from tests.activities.test_evidence import PDF, PNG
from tests.support import ApiClient

URL = "/api/v1/activities"


def new_activity(client):
    return client.post(URL, json={"date": "2026-03-09", "start_time": "08:00",
                                  "end_time": "09:30", "description": "Rapat",
                                  "work_kind": "lainnya"}).get_json()


def upload(client, activity_id, content, name):
    return client.post(f"{URL}/{activity_id}/attachments",
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def download(client, url):
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_an_html_name_is_stored_and_served_as_the_checked_type(app, world, evidence_folder,
                                                              clock):
    client = ApiClient(app).login(world.one.staff_a1)
    activity = new_activity(client)
    for content, name, safe in ((PDF, "laporan.html", "laporan.pdf"),
                                (PNG, "x.svg", "x.png"), (PNG, ".htaccess", "bukti.png")):
        body = upload(client, activity["id"], content, name).get_json()
        assert body["filename"] == safe
        response = download(client, body["url"])
        assert response.headers["Content-Disposition"] == f"attachment; filename={safe}"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_name_stored_before_the_rule_is_served_safely(app, world, db, evidence_folder,
                                                       clock):
    client = ApiClient(app).login(world.one.staff_a1)
    activity = new_activity(client)
    body = upload(client, activity["id"], PDF, "sk.pdf").get_json()
    db.session.execute(sa.update(Attachment).where(Attachment.id == body["id"])
                       .values(filename="sk.html"))
    db.session.commit()
    response = download(client, body["url"])
    assert response.headers["Content-Disposition"] == "attachment; filename=sk.pdf"
    assert response.headers["Content-Type"] == "application/pdf"
