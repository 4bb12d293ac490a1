"""The team view of an atasan and approving a whole day."""

from datetime import date, time

import pytest

from app.audit import services as audit
from tests.activities.support import make_activity
from tests.feedback.support import notifications, submitted

TODAY = "2026-03-10"


def test_team_lists_the_line_with_todays_activities_and_who_logged_nothing(as_, world):
    one = world.one
    make_activity(one.staff_a1, on=date(2026, 3, 10))
    make_activity(one.staff_a2, on=date(2026, 3, 9))
    body = as_(one.sup_a).get("/api/v1/team").get_json()
    assert body["date"] == TODAY
    people = {p["id"]: p for p in body["people"]}
    assert set(people) == {one.staff_a1.id, one.staff_a2.id}
    assert people[one.staff_a1.id]["logged_today"] is True
    assert people[one.staff_a2.id]["logged_today"] is False
    assert [a["date"] for a in people[one.staff_a1.id]["activities"]] == [TODAY]
    assert people[one.staff_a2.id]["activities"] == []
    assert people[one.staff_a1.id]["today"] == TODAY


def test_head_sees_the_whole_line_but_not_another_organisation(as_, world):
    ids = {p["id"] for p in as_(world.one.head).get("/api/v1/team").get_json()["people"]}
    one = world.one
    assert ids == {one.sup_a.id, one.sup_b.id, one.staff_a1.id, one.staff_a2.id,
                   one.staff_b1.id, one.admin.id}


def test_logged_today_uses_each_persons_local_date(as_, world, clock):
    # 16:30 UTC on 10 March is already 11 March in WITA (the second organisation).
    clock.move_to("2026-03-10T16:30:00Z")
    two = world.two
    make_activity(two.staff_a1, on=date(2026, 3, 11))
    make_activity(two.staff_a2, on=date(2026, 3, 10))
    people = {p["id"]: p for p in as_(two.sup_a).get("/api/v1/team").get_json()["people"]}
    assert people[two.staff_a1.id]["logged_today"] is True
    assert people[two.staff_a2.id]["logged_today"] is False


def test_filters_by_status_date_and_person(as_, world):
    one = world.one
    waiting = submitted(one.staff_a1, on=date(2026, 3, 6))
    make_activity(one.staff_a1, on=date(2026, 3, 6), start=time(10), end=time(11))
    submitted(one.staff_a2, on=date(2026, 3, 9))
    client = as_(one.sup_a)
    body = client.get("/api/v1/team?status=submitted").get_json()
    assert body["date"] is None
    found = {p["id"]: [a["id"] for a in p["activities"]] for p in body["people"]}
    assert found[one.staff_a1.id] == [waiting.id] and len(found[one.staff_a2.id]) == 1
    day = client.get(f"/api/v1/team?date=2026-03-06&person_id={one.staff_a1.id}").get_json()
    assert [p["id"] for p in day["people"]] == [one.staff_a1.id]
    assert len(day["people"][0]["activities"]) == 2
    assert client.get("/api/v1/team?status=bogus").status_code == 422
    assert client.get(f"/api/v1/team?person_id={one.staff_b1.id}").status_code == 404


@pytest.mark.parametrize("who", ["staff_a1", "admin"])
def test_people_without_a_line_get_an_empty_team(as_, world, who):
    assert as_(getattr(world.one, who)).get("/api/v1/team").get_json()["people"] == []


def test_approve_day_approves_all_submitted_of_that_day_once(as_, world):
    one = world.one
    first = submitted(one.staff_a1, start=time(8), end=time(9))
    second = submitted(one.staff_a1, start=time(9), end=time(10))
    draft = make_activity(one.staff_a1, start=time(10), end=time(11))
    other_day = submitted(one.staff_a1, on=date(2026, 3, 6))
    response = as_(one.sup_a).post("/api/v1/team/approve-day",
                                   json={"person_id": one.staff_a1.id, "date": "2026-03-09"})
    assert response.status_code == 200
    body = response.get_json()
    assert [a["id"] for a in body["approved"]] == [first.id, second.id]
    assert all(a["status"] == "approved" for a in body["approved"])
    [note] = notifications(one.staff_a1)
    assert note.kind.value == "approved" and note.data["date"] == "2026-03-09"
    assert [a["activity_id"] for a in note.data["activities"]] == [first.id, second.id]
    for activity in (first, second):
        assert [e.action for e in audit.history("activity", activity.id)][-1] == "approve"
    states = {a["id"]: a["status"] for a in as_(one.staff_a1).get(
        "/api/v1/activities?per_page=50").get_json()}
    assert states[draft.id] == "draft" and states[other_day.id] == "submitted"


def test_approve_day_with_nothing_waiting_approves_nothing(as_, world):
    response = as_(world.one.sup_a).post("/api/v1/team/approve-day", json={
        "person_id": world.one.staff_a1.id, "date": "2026-03-09"})
    assert response.status_code == 200 and response.get_json()["approved"] == []
    assert notifications() == []


@pytest.mark.parametrize(("who", "person"), [("sup_b", "staff_a1"), ("staff_a2", "staff_a1"),
                                         ("staff_a1", "staff_a1"), ("admin", "staff_a1")])
def test_approve_day_outside_the_line_is_404(as_, world, who, person):
    submitted(getattr(world.one, person))
    response = as_(getattr(world.one, who)).post("/api/v1/team/approve-day", json={
        "person_id": getattr(world.one, person).id, "date": "2026-03-09"})
    assert response.status_code == 404
    assert notifications() == []


def test_approve_day_of_another_organisation_is_404(as_, world):
    submitted(world.two.staff_a1)
    response = as_(world.one.head).post("/api/v1/team/approve-day", json={
        "person_id": world.two.staff_a1.id, "date": "2026-03-09"})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [{"person_id": "4", "date": "2026-03-09"},
                                  {"person_id": 4}, {"date": "2026-03-09"},
                                  {"person_id": 4, "date": "9 Maret"}])
def test_approve_day_input_is_checked(as_, world, body):
    assert as_(world.one.sup_a).post("/api/v1/team/approve-day", json=body).status_code == 422


# --- the page --------------------------------------------------------------------------------

def test_team_page_shows_who_logged_nothing_and_waiting_work(as_, world):
    one = world.one
    make_activity(one.staff_a1, on=date(2026, 3, 10), description="Rapat pagi")
    waiting = submitted(one.staff_a2, description="Laporan bulanan")
    client = as_(one.sup_a)
    page = client.get("/tim").get_data(as_text=True)
    not_logged = page.split('id="not-logged-title"')[1].split("</section>")[0]
    assert one.staff_a2.name in not_logged and one.staff_a1.name not in not_logged
    assert "Rapat pagi" in page
    waiting_page = client.get("/tim?status=submitted").get_data(as_text=True)
    assert "Laporan bulanan" in waiting_page
    assert f"/tim/aktivitas/{waiting.id}/setujui" in waiting_page
    assert 'action="/tim/setujui-hari"' in waiting_page
    assert f'for="reason-{waiting.id}"' in waiting_page


def test_team_nav_entry_only_for_people_with_a_line(as_, world):
    assert 'href="/tim"' in as_(world.one.sup_a).get("/").get_data(as_text=True)
    assert 'href="/tim"' not in as_(world.one.staff_a1).get("/").get_data(as_text=True)


def test_page_forms_approve_return_and_approve_a_day(as_, world):
    one = world.one
    first, second = submitted(one.staff_a1), submitted(one.staff_a1, start=time(9), end=time(10))
    third = submitted(one.staff_a2)
    client = as_(one.sup_a)
    token = client.csrf_token
    response = client.client.post(f"/tim/aktivitas/{first.id}/kembalikan",
                                  data={"reason": "Kurang bukti.", "csrf_token": token,
                                        "status": "submitted"})
    assert response.status_code == 303 and response.headers["Location"] == "/tim?status=submitted"
    client.client.post(f"/tim/aktivitas/{third.id}/setujui", data={"csrf_token": token})
    response = client.client.post("/tim/setujui-hari", data={
        "person_id": one.staff_a1.id, "date": "2026-03-09", "csrf_token": token})
    assert response.status_code == 303
    states = {p["id"]: {a["id"]: a["status"] for a in p["activities"]}
              for p in client.get("/api/v1/team?date=2026-03-09").get_json()["people"]}
    assert states[one.staff_a1.id] == {first.id: "returned", second.id: "approved"}
    assert states[one.staff_a2.id] == {third.id: "approved"}
    other = as_(one.sup_b)
    assert other.client.post("/tim/setujui-hari", data={
        "person_id": one.staff_a1.id, "date": "2026-03-09",
        "csrf_token": other.csrf_token}).status_code == 404
