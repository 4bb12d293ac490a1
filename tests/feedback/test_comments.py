"""Comment threads on an activity: who takes part, the contract, and who is told."""

import pytest

from tests.activities.support import make_activity
from tests.feedback.support import notifications, submitted


def url(activity):
    return f"/api/v1/activities/{activity.id}/comments"


def test_supervisor_comment_answers_the_contract_and_notifies_the_owner(as_, world):
    activity = submitted(world.one.staff_a1)
    response = as_(world.one.sup_a).post(url(activity), json={"body": "  Lampirkan foto.  "})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "client_id", "activity_id", "body", "author", "created_at"}
    assert body["activity_id"] == activity.id and body["body"] == "Lampirkan foto."
    assert body["author"] == {"id": world.one.sup_a.id, "name": world.one.sup_a.name}
    [note] = notifications()
    assert note.person_id == world.one.staff_a1.id and note.kind.value == "comment"
    assert note.url == f"/aktivitas/{activity.id}"
    assert note.data["activity_id"] == activity.id
    assert note.data["comment"]["id"] == body["id"]
    assert note.data["comment"]["body"] == "Lampirkan foto."
    assert note.data["comment"]["author_name"] == world.one.sup_a.name
    assert note.data["comment"]["created_at"] == body["created_at"]


def test_thread_lists_oldest_first_for_owner_and_line_above(as_, world):
    activity = make_activity(world.one.staff_a1)
    as_(world.one.sup_a).post(url(activity), json={"body": "Pertama"})
    as_(world.one.staff_a1).post(url(activity), json={"body": "Kedua"})
    as_(world.one.head).post(url(activity), json={"body": "Ketiga"})
    for reader in (world.one.staff_a1, world.one.sup_a, world.one.head):
        thread = as_(reader).get(url(activity)).get_json()
        assert [c["body"] for c in thread] == ["Pertama", "Kedua", "Ketiga"]


def test_owner_reply_notifies_direct_supervisor_and_other_writers_not_the_author(as_, world):
    activity = make_activity(world.one.staff_a1)
    as_(world.one.head).post(url(activity), json={"body": "Bagus."})
    as_(world.one.staff_a1).post(url(activity), json={"body": "Terima kasih."})
    replies = [n for n in notifications() if n.data["comment"]["body"] == "Terima kasih."]
    assert {n.person_id for n in replies} == {world.one.sup_a.id, world.one.head.id}
    assert world.one.staff_a1.id not in {n.person_id for n in replies}


@pytest.mark.parametrize("who", ["sup_b", "staff_a2", "staff_b1", "admin"])
def test_outside_the_line_cannot_read_or_comment(as_, world, who, count):
    from app.feedback.models import Comment

    activity = make_activity(world.one.staff_a1)
    client = as_(getattr(world.one, who))
    assert client.get(url(activity)).status_code == 404
    response = client.post(url(activity), json={"body": "Halo"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert count(Comment) == 0


@pytest.mark.parametrize("who", ["head", "sup_a", "staff_a1"])
def test_other_organisation_cannot_read_or_comment(as_, world, who):
    activity = make_activity(world.two.staff_a1)
    client = as_(getattr(world.one, who))
    assert client.get(url(activity)).status_code == 404
    assert client.post(url(activity), json={"body": "Halo"}).status_code == 404


def test_subordinate_cannot_comment_on_supervisors_activity(as_, world):
    activity = make_activity(world.one.sup_a)
    assert as_(world.one.staff_a1).post(url(activity), json={"body": "x"}).status_code == 404


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 2001},
                                  {"body": 5}, {"body": "ok", "extra": 1}])
def test_comment_body_is_checked(as_, world, body):
    activity = make_activity(world.one.staff_a1)
    response = as_(world.one.sup_a).post(url(activity), json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_unknown_activity_is_404(as_, world):
    client = as_(world.one.sup_a)
    assert client.get("/api/v1/activities/not-a-uuid/comments").status_code == 404
    assert client.post("/api/v1/activities/00000000-0000-0000-0000-000000000000/comments",
                       json={"body": "x"}).status_code == 404


def test_approve_and_return_notify_the_owner(as_, world):
    first, second = submitted(world.one.staff_a1), submitted(world.one.staff_a1)
    client = as_(world.one.sup_a)
    approved = client.post(f"/api/v1/activities/{first.id}/approve", json={}).get_json()
    returned = client.post(f"/api/v1/activities/{second.id}/return",
                           json={"reason": "Tambahkan bukti."}).get_json()
    notes = notifications(world.one.staff_a1)
    assert [n.kind.value for n in notes] == ["approved", "returned"]
    assert notes[0].data == {"activity_id": first.id, "status": "approved",
                             "version": approved["version"]}
    assert notes[1].data == {"activity_id": second.id, "status": "returned",
                             "version": returned["version"],
                             "return_reason": "Tambahkan bukti."}
    assert notes[1].body == "Tambahkan bukti."
    assert notes[0].url == f"/aktivitas/{first.id}"


def test_refused_review_raises_no_notification(as_, world):
    activity = submitted(world.one.staff_a1)
    assert as_(world.one.sup_b).post(f"/api/v1/activities/{activity.id}/approve",
                                     json={}).status_code == 404
    assert notifications() == []


# --- the page --------------------------------------------------------------------------------

def test_detail_page_shows_thread_template_and_form(as_, world):
    activity = make_activity(world.one.staff_a1)
    supervisor = as_(world.one.sup_a)
    supervisor.post(url(activity), json={"body": "Cek <b>angka</b>."})
    page = as_(world.one.staff_a1).get(f"/aktivitas/{activity.id}").get_data(as_text=True)
    assert f'<ol id="comments" class="comments" data-activity-id="{activity.id}"' in page
    assert 'class="comment" data-comment-id="' in page
    assert "Cek &lt;b&gt;angka&lt;/b&gt;." in page
    assert '<template id="tpl-comment">' in page
    for slot in ("comment-author", "comment-time", "comment-body"):
        assert slot in page
    assert 'name="body"' in page and 'for="comment-body"' in page


def test_page_form_adds_a_comment_and_redirects(as_, world):
    activity = make_activity(world.one.staff_a1)
    client = as_(world.one.sup_a)
    token = client.csrf_token
    response = client.client.post(f"/aktivitas/{activity.id}/komentar",
                                  data={"body": "Sudah baik.", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/aktivitas/{activity.id}#comments")
    assert [c["body"] for c in client.get(url(activity)).get_json()] == ["Sudah baik."]
    assert [n.kind.value for n in notifications(world.one.staff_a1)] == ["comment"]


def test_page_form_keeps_the_typed_text_on_error(as_, world):
    activity = make_activity(world.one.staff_a1)
    client = as_(world.one.sup_a)
    long_text = "panjang " * 300
    response = client.client.post(f"/aktivitas/{activity.id}/komentar",
                                  data={"body": long_text, "csrf_token": client.csrf_token})
    assert response.status_code == 422
    assert long_text.strip() in response.get_data(as_text=True)
    assert notifications() == []


def test_page_form_outside_the_line_is_404(as_, world):
    activity = make_activity(world.one.staff_a1)
    client = as_(world.one.sup_b)
    response = client.client.post(f"/aktivitas/{activity.id}/komentar",
                                  data={"body": "x", "csrf_token": client.csrf_token})
    assert response.status_code == 404


def test_replayed_comment_is_stored_and_notified_once(app, world, db):
    """A comment written offline may be sent again after a lost answer."""
    from app.notifications.models import Notification
    from tests.activities.support import make_activity
    from tests.support import ApiClient

    activity = make_activity(world.one.staff_a1)
    boss = ApiClient(app).login(world.one.sup_a)
    body = {"id": "5f0e9a1c-3b7d-4d2a-9a51-2c6e0b7d1f00", "body": "Tolong lampirkan foto."}
    first = boss.post(f"/api/v1/activities/{activity.id}/comments", json=body)
    again = boss.post(f"/api/v1/activities/{activity.id}/comments", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    db.session.rollback()
    assert len(boss.get(f"/api/v1/activities/{activity.id}/comments").get_json()) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 1
    other = make_activity(world.one.staff_a2)
    clash = boss.post(f"/api/v1/activities/{other.id}/comments", json=body)
    assert clash.status_code == 409
