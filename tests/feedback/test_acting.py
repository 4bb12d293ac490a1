"""Acting supervisors (Plt/Plh): appointed by HR, with the replaced supervisor's review rights
on the days of the assignment, and none outside them."""

from datetime import date

import pytest

from app.org.lines import may_supervise
from tests.activities.test_evidence import PNG, fetch, upload
from tests.feedback.support import notifications, submitted

URL = "/api/v1/acting-assignments"


def appoint(as_, world, acting="staff_b1", replaced="sup_a", starts="2026-03-09",
            ends="2026-03-13", kind="plh"):
    response = as_(world.one.admin).post(URL, json={
        "acting_person_id": getattr(world.one, acting).id,
        "for_person_id": getattr(world.one, replaced).id,
        "starts_on": starts, "ends_on": ends, "kind": kind})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_admin_appoints_and_lists(as_, world):
    body = appoint(as_, world)
    assert body["acting_person"] == {"id": world.one.staff_b1.id, "name": world.one.staff_b1.name}
    assert body["for_person"]["id"] == world.one.sup_a.id
    assert (body["starts_on"], body["ends_on"], body["kind"]) == ("2026-03-09", "2026-03-13",
                                                                  "plh")
    admin = as_(world.one.admin)
    assert [a["id"] for a in admin.get(URL).get_json()] == [body["id"]]
    assert admin.get(f"{URL}?active_on=2026-03-20").get_json() == []
    assert [a["id"] for a in as_(world.one.staff_b1).get(URL).get_json()] == [body["id"]]
    assert as_(world.one.staff_a1).get(URL).get_json() == []


@pytest.mark.parametrize("who", ["head", "sup_a", "staff_a1"])
def test_only_an_admin_appoints_or_removes(as_, world, who):
    body = appoint(as_, world)
    client = as_(getattr(world.one, who))
    response = client.post(URL, json={"acting_person_id": world.one.staff_b1.id,
                                      "for_person_id": world.one.sup_a.id,
                                      "starts_on": "2026-03-09", "ends_on": "2026-03-10",
                                      "kind": "plt"})
    assert response.status_code == 403
    assert client.delete(f"{URL}/{body['id']}").status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"ends_on": "2026-03-01"}, "ends_on"),
    ({"kind": "boss"}, "kind"),
    ({"acting_person_id": "5"}, "acting_person_id"),
    ({"for_person_id": None}, "for_person_id"),
])
def test_appointment_input_is_checked(as_, world, change, field):
    body = {"acting_person_id": world.one.staff_b1.id, "for_person_id": world.one.sup_a.id,
            "starts_on": "2026-03-09", "ends_on": "2026-03-10", "kind": "plt", **change}
    response = as_(world.one.admin).post(URL, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_people_of_another_organisation_cannot_be_appointed(as_, world):
    response = as_(world.one.admin).post(URL, json={
        "acting_person_id": world.two.sup_b.id, "for_person_id": world.one.sup_a.id,
        "starts_on": "2026-03-09", "ends_on": "2026-03-10", "kind": "plt"})
    assert response.status_code == 422
    assert "acting_person_id" in response.get_json()["error"]["fields"]


def test_removing_another_organisations_assignment_is_404(as_, world):
    other = as_(world.two.admin).post(URL, json={
        "acting_person_id": world.two.staff_b1.id, "for_person_id": world.two.sup_a.id,
        "starts_on": "2026-03-09", "ends_on": "2026-03-10", "kind": "plt"}).get_json()
    response = as_(world.one.admin).delete(f"{URL}/{other['id']}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert other["id"] not in [a["id"] for a in as_(world.one.admin).get(URL).get_json()]


def test_acting_supervisor_reviews_within_the_dates(as_, world):
    appoint(as_, world)  # staff_b1 stands in for sup_a, 9-13 March; today is 10 March
    activity, other = submitted(world.one.staff_a1), submitted(world.one.staff_a2)
    acting = as_(world.one.staff_b1)
    comments = f"/api/v1/activities/{activity.id}/comments"
    assert acting.post(comments, json={"body": "Saya Plh."}).status_code == 201
    assert acting.get(comments).status_code == 200
    assert acting.get(f"/aktivitas/{activity.id}").status_code == 200
    assert acting.post(f"/api/v1/activities/{activity.id}/approve", json={}).status_code == 200
    returned = acting.post(f"/api/v1/activities/{other.id}/return", json={"reason": "Ulangi."})
    assert returned.status_code == 200
    assert [n.kind.value for n in notifications(world.one.staff_a1)] == ["comment", "approved"]
    team = acting.get("/api/v1/team?status=approved").get_json()
    assert {p["id"] for p in team["people"]} == {world.one.staff_a1.id, world.one.staff_a2.id}


def test_acting_supervisor_has_no_rights_outside_the_dates(as_, world):
    appoint(as_, world, starts="2026-03-11", ends="2026-03-20")
    activity = submitted(world.one.staff_a1)
    acting = as_(world.one.staff_b1)
    assert acting.post(f"/api/v1/activities/{activity.id}/approve", json={}).status_code == 404
    assert acting.get(f"/api/v1/activities/{activity.id}/comments").status_code == 404
    assert acting.get(f"/aktivitas/{activity.id}").status_code == 404
    assert acting.get("/api/v1/team").get_json()["people"] == []


@pytest.mark.parametrize(("starts", "ends", "status"), [
    ("2026-03-09", "2026-03-13", 200),  # today (10 March) is within the assignment
    ("2026-03-11", "2026-03-20", 404),  # not yet
    ("2026-03-02", "2026-03-09", 404),  # over
])
def test_acting_supervisor_sees_the_work_and_evidence_only_within_the_dates(
        as_, world, evidence_folder, starts, ends, status):
    appoint(as_, world, starts=starts, ends=ends)  # staff_b1 for sup_a
    owner = as_(world.one.staff_a1)
    activity = submitted(world.one.staff_a1)
    photo = upload(owner, activity.id, PNG).get_json()
    acting = as_(world.one.staff_b1)
    listed = acting.get(f"/api/v1/activities?person_id={world.one.staff_a1.id}")
    assert listed.status_code == status
    if status == 200:
        assert [a["id"] for a in listed.get_json()] == [activity.id]
    assert acting.get(f"/api/v1/activities/{activity.id}").status_code == status
    assert fetch(acting, photo["url"]).status_code == status
    # Only the line below the replaced supervisor: not their own work, nor their head's.
    for person in (world.one.sup_a, world.one.head):
        theirs = submitted(person)
        assert acting.get(f"/api/v1/activities/{theirs.id}").status_code == 404
        assert acting.get(f"/api/v1/activities?person_id={person.id}").status_code == 404


def test_may_supervise_follows_the_line_and_the_assignment(as_, world, db):
    appoint(as_, world, acting="staff_a2", replaced="sup_a", starts="2026-03-09",
            ends="2026-03-10")
    one = world.one
    assert may_supervise(one.head, one.staff_a1.id)
    assert may_supervise(one.sup_a, one.staff_a1.id)
    assert not may_supervise(one.sup_b, one.staff_a1.id)
    assert not may_supervise(one.staff_a1, one.staff_a1.id)
    assert may_supervise(one.staff_a2, one.staff_a1.id, date(2026, 3, 10))
    assert not may_supervise(one.staff_a2, one.staff_a2.id, date(2026, 3, 10))  # not oneself
    assert not may_supervise(one.staff_a2, one.staff_a1.id, date(2026, 3, 11))


def test_removed_assignment_ends_the_rights(as_, world):
    body = appoint(as_, world)
    assert as_(world.one.admin).delete(f"{URL}/{body['id']}").status_code == 204
    activity = submitted(world.one.staff_a1)
    assert as_(world.one.staff_b1).post(f"/api/v1/activities/{activity.id}/approve",
                                        json={}).status_code == 404
