"""Continuous feedback per RHK and per BerAKHLAK value, kept for the period evaluation."""

import pytest

from app.feedback.models import ContinuousFeedback
from tests.feedback.support import notifications
from tests.targets.factories import cascade


def url(person):
    return f"/api/v1/people/{person.id}/feedback"


@pytest.fixture
def skp(world):
    return cascade(world.one)[2]  # staff_a1's SKP of 2026


def test_supervisor_gives_feedback_on_an_rhk_and_a_value(as_, world, skp):
    client = as_(world.one.sup_a)
    rhk = skp.rhks[0]
    on_rhk = client.post(url(world.one.staff_a1), json={"rhk_id": rhk.id, "body": "Tepat."})
    assert on_rhk.status_code == 201
    body = on_rhk.get_json()
    assert (body["rhk_id"], body["value"], body["skp_id"]) == (rhk.id, None, skp.id)
    assert body["author"]["id"] == world.one.sup_a.id
    on_value = client.post(url(world.one.staff_a1),
                           json={"value": "kolaboratif", "body": "Membantu rekan.",
                                 "year": 2026})
    assert on_value.status_code == 201 and on_value.get_json()["value"] == "kolaboratif"
    notes = notifications(world.one.staff_a1, "feedback")
    assert len(notes) == 2
    assert notes[0].url == f"/umpan-balik/{world.one.staff_a1.id}"
    assert notes[0].data["feedback"]["rhk_id"] == rhk.id
    assert notes[1].data["feedback"]["value"] == "kolaboratif"


def test_employee_and_line_above_read_oldest_first(as_, world, skp):
    sup = as_(world.one.sup_a)
    sup.post(url(world.one.staff_a1), json={"value": "loyal", "body": "Satu"})
    sup.post(url(world.one.staff_a1), json={"rhk_id": skp.rhks[0].id, "body": "Dua"})
    for reader in (world.one.staff_a1, world.one.sup_a, world.one.head):
        got = as_(reader).get(url(world.one.staff_a1)).get_json()
        assert [f["body"] for f in got] == ["Satu", "Dua"]
    assert as_(world.one.staff_a1).get(url(world.one.staff_a1) + "?year=2025").get_json() == []


@pytest.mark.parametrize("who", ["sup_b", "staff_a2", "admin"])
def test_outside_the_line_cannot_read_or_write(as_, world, skp, who):
    client = as_(getattr(world.one, who))
    assert client.get(url(world.one.staff_a1)).status_code == 404
    assert client.post(url(world.one.staff_a1),
                       json={"value": "loyal", "body": "x"}).status_code == 404


def test_employee_cannot_write_their_own(as_, world, skp, count):
    response = as_(world.one.staff_a1).post(url(world.one.staff_a1),
                                            json={"value": "loyal", "body": "x"})
    assert response.status_code == 404
    assert count(ContinuousFeedback) == 0


def test_other_organisation_is_404(as_, world, skp):
    assert as_(world.one.head).get(url(world.two.staff_a1)).status_code == 404
    assert as_(world.one.head).post(url(world.two.staff_a1),
                                    json={"value": "loyal", "body": "x"}).status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"body": "x"}, "rhk_id"),
    ({"body": "x", "value": "loyal", "rhk_id": 1}, "rhk_id"),
    ({"body": "x", "value": "jujur"}, "value"),
    ({"body": "", "value": "loyal"}, "body"),
    ({"body": "x", "rhk_id": "1"}, "rhk_id"),
    ({"body": "x", "value": "loyal", "year": 2025}, "year"),
])
def test_input_is_checked(as_, world, skp, body, field):
    response = as_(world.one.sup_a).post(url(world.one.staff_a1), json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_rhk_of_another_skp_is_refused(as_, world, skp):
    foreign = cascade(world.two)[2].rhks[0]
    response = as_(world.one.sup_a).post(url(world.one.staff_a1),
                                         json={"rhk_id": foreign.id, "body": "x"})
    assert response.status_code == 422
    assert "rhk_id" in response.get_json()["error"]["fields"]


def test_page_groups_by_rhk_and_by_value_and_form_posts(as_, world, skp):
    sup = as_(world.one.sup_a)
    response = sup.client.post(f"/umpan-balik/{world.one.staff_a1.id}", data={
        "subject": "value-adaptif", "body": "Cepat belajar.", "year": "2026",
        "csrf_token": sup.csrf_token})
    assert response.status_code == 303
    page = as_(world.one.staff_a1).get(f"/umpan-balik/{world.one.staff_a1.id}?year=2026")
    html = page.get_data(as_text=True)
    assert "Cepat belajar." in html and "Adaptif" in html and skp.rhks[0].description in html
    assert 'id="feedback-body"' not in html  # the employee reads, does not write
    kept = sup.client.post(f"/umpan-balik/{world.one.staff_a1.id}", data={
        "subject": "", "body": "Teks yang diketik", "csrf_token": sup.csrf_token})
    assert kept.status_code == 422 and "Teks yang diketik" in kept.get_data(as_text=True)
    assert as_(world.one.sup_b).get(f"/umpan-balik/{world.one.staff_a1.id}").status_code == 404
