"""Commenting from the team list (/tim): back to the list; nobody comments outside their
organisation or team."""

from tests.activities.support import make_activity
from tests.test_pages import csrf_from, sign_in


def comment(client, activity_id, body="Lengkapi buktinya."):
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    return client.post(f"/tim/aktivitas/{activity_id}/komentar",
                       data={"csrf_token": token, "body": body, "status": "submitted"})


def test_the_supervisor_comments_and_returns_to_the_list(client, world):
    activity = make_activity(world.one.staff_a1)
    sign_in(client, world.one.sup_a)
    response = comment(client, activity.id)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/tim?status=submitted")
    assert "Lengkapi buktinya." in client.get(f"/aktivitas/{activity.id}").get_data(as_text=True)


def test_an_empty_comment_is_refused_with_a_message(client, world):
    activity = make_activity(world.one.staff_a1)
    sign_in(client, world.one.sup_a)
    response = comment(client, activity.id, body="   ")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tulis umpan balik Anda" in page


def test_another_organisations_activity_is_404(client, world):
    activity = make_activity(world.two.staff_a1)
    sign_in(client, world.one.sup_a)
    assert comment(client, activity.id).status_code == 404
