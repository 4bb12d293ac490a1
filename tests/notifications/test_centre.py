"""The notification centre: own notifications only, unread count, mark read."""

import re

from app.extensions import db
from app.notifications.models import Notification
from tests.notifications.support import raise_notification


def test_list_is_own_newest_first_with_unread_count(app, signed_in, world):
    ids = [raise_notification(app, world.one.staff_a1.id, title=f"n{n}") for n in range(3)]
    raise_notification(app, world.one.staff_a2.id)
    api = signed_in(world.one.staff_a1)
    response = api.get("/api/v1/notifications")
    assert response.status_code == 200
    assert [n["id"] for n in response.get_json()] == ids[::-1]
    assert response.headers["X-Unread-Count"] == "3"
    assert response.headers["X-Total-Count"] == "3"
    first = response.get_json()[0]
    assert set(first) >= {"id", "kind", "title", "body", "url", "data", "created_at", "read"}


def test_mark_read_then_filter_unread(app, signed_in, world):
    ids = [raise_notification(app, world.one.staff_a1.id) for _ in range(2)]
    api = signed_in(world.one.staff_a1)
    response = api.post(f"/api/v1/notifications/{ids[0]}/read")
    assert response.status_code == 200
    assert response.get_json()["read"] is True
    assert response.headers["X-Unread-Count"] == "1"
    assert api.post(f"/api/v1/notifications/{ids[0]}/read").status_code == 200  # idempotent
    unread = api.get("/api/v1/notifications?unread=true").get_json()
    assert [n["id"] for n in unread] == [ids[1]]
    read = api.get("/api/v1/notifications?unread=false").get_json()
    assert [n["id"] for n in read] == [ids[0]]


def test_read_all(app, signed_in, world, count):
    for _ in range(3):
        raise_notification(app, world.one.staff_a1.id)
    other = raise_notification(app, world.one.staff_a2.id)
    api = signed_in(world.one.staff_a1)
    response = api.post("/api/v1/notifications/read-all")
    assert response.get_json() == {"updated": 3, "unread": 0}
    assert api.get("/api/v1/notifications").headers["X-Unread-Count"] == "0"
    assert count(Notification, Notification.id == other, Notification.read_at.is_(None)) == 1


def test_someone_elses_notification_is_404(app, signed_in, world, count):
    theirs = raise_notification(app, world.one.staff_a1.id)
    for who in (world.one.staff_a2, world.one.sup_a, world.one.admin, world.two.staff_a1):
        response = signed_in(who).post(f"/api/v1/notifications/{theirs}/read")
        assert response.status_code == 404, who.name
        assert response.get_json()["error"]["code"] == "not_found"
        assert signed_in(who).get("/api/v1/notifications").get_json() == []
    assert count(Notification, Notification.read_at.is_(None)) == 1


def test_list_arguments_are_validated(signed_in, world):
    api = signed_in(world.one.staff_a1)
    response = api.get("/api/v1/notifications?per_page=1000&unread=maybe")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"per_page", "unread"}


def test_page_lists_unread_in_words_and_marks_read(app, signed_in, world):
    notification_id = raise_notification(app, world.one.staff_a1.id, title="Disetujui")
    api = signed_in(world.one.staff_a1)
    page = api.get("/notifikasi", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Disetujui" in page and "Unread" in page
    assert re.search(r"<time [^>]*>\d+ \w+ \d{4} [^<]* WIB</time>", page)
    assert 'data-unread-badge' in page and ">1<" in page
    response = api.post(f"/notifikasi/{notification_id}/baca")
    assert response.status_code == 303
    page = api.get("/notifikasi", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"/notifikasi/{notification_id}/baca" not in page
    assert 'class="chip notification-unread"' not in page


def test_page_refuses_marking_someone_elses(app, signed_in, world):
    theirs = raise_notification(app, world.one.staff_a2.id)
    response = signed_in(world.one.staff_a1).post(f"/notifikasi/{theirs}/baca")
    assert response.status_code == 404


def test_page_times_carry_the_viewers_zone(app, signed_in, world):
    raise_notification(app, world.one.staff_a1.id, title="Disetujui")
    world.one.staff_a1.unit.timezone = "Asia/Makassar"
    db.session.commit()
    page = signed_in(world.one.staff_a1).get("/notifikasi").get_data(as_text=True)
    assert re.search(r"<time [^>]*>\d+ \w+ \d{4} \d{2}\.\d{2} WITA</time>", page)
