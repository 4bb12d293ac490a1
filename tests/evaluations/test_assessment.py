"""The assessment: by the appraiser only, the predikat from the matrix, the JPT rule, the
employee's acknowledgement."""

import pytest

from app.evaluations.rules import MATRIX
from app.notifications.models import Notification
from tests.evaluations.support import line_skps, quarters, submit_through_api


@pytest.fixture
def submitted(as_, world):
    """staff_a1's Triwulan IV evaluation, submitted: (evaluation json, period)."""
    periods = quarters(world.one)
    line_skps(world.one)
    period = periods["Triwulan IV 2026"]
    api = as_(world.one.staff_a1)
    body = api.post(f"/api/v1/periods/{period.id}/evaluation").get_json()
    return submit_through_api(api, body), period


def assessment(body, hasil="sesuai", perilaku="sesuai", ratings=("sesuai",) * 3):
    return {"version": body["version"], "hasil_kerja": hasil, "perilaku_kerja": perilaku,
            "rhk": [{"rhk_id": row["rhk_id"], "rating": rating,
                     "feedback": f"Umpan balik {n}"}
                    for n, (row, rating) in enumerate(zip(body["rhks"], ratings, strict=True))],
            "behaviour": [{"value": "akuntabel", "feedback": "Disiplin",
                           "expectation": "Tepat waktu"}]}


@pytest.mark.parametrize(("hasil", "perilaku"), list(MATRIX))
def test_predikat_stored_is_the_matrix_cell(as_, world, submitted, hasil, perilaku):
    body, _ = submitted
    response = as_(world.one.sup_a).post(f"/api/v1/evaluations/{body['id']}/assess",
                                         json=assessment(body, hasil.value, perilaku.value))
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["status"] == "assessed"
    assert result["predikat"] == MATRIX[(hasil, perilaku)].value
    assert (result["hasil_kerja"], result["perilaku_kerja"]) == (hasil.value, perilaku.value)
    assert result["appraiser_id"] == world.one.sup_a.id


def test_predikat_cannot_be_typed(as_, world, submitted):
    body, _ = submitted
    payload = {**assessment(body, "di_atas", "di_atas"), "predikat": "sangat_kurang"}
    response = as_(world.one.sup_a).post(f"/api/v1/evaluations/{body['id']}/assess",
                                         json=payload)
    assert response.status_code == 422
    assert "predikat" in response.get_json()["error"]["fields"]


def test_feedback_suggestion_and_notification(as_, world, submitted, count):
    body, _ = submitted
    response = as_(world.one.sup_a).post(
        f"/api/v1/evaluations/{body['id']}/assess",
        json=assessment(body, "sesuai", "di_atas", ("di_atas", "di_atas", "sesuai")))
    result = response.get_json()
    assert result["suggested_results_rating"] == "di_atas"
    assert [r["feedback"] for r in result["rhks"]] == ["Umpan balik 0", "Umpan balik 1",
                                                       "Umpan balik 2"]
    akuntabel = next(b for b in result["behaviours"] if b["value"] == "akuntabel")
    assert (akuntabel["feedback"], akuntabel["expectation"]) == ("Disiplin", "Tepat waktu")
    assert count(Notification, Notification.person_id == world.one.staff_a1.id) == 1


def test_only_the_appraiser_assesses(as_, world, submitted):
    body, _ = submitted
    url = f"/api/v1/evaluations/{body['id']}/assess"
    # Outside the line: as if it did not exist.
    assert as_(world.one.sup_b).post(url, json=assessment(body)).status_code == 404
    assert as_(world.one.staff_a2).post(url, json=assessment(body)).status_code == 404
    assert as_(world.two.sup_a).post(url, json=assessment(body)).status_code == 404
    assert as_(world.two.admin).get(f"/api/v1/evaluations/{body['id']}").status_code == 404
    # Above in the line (or the employee): may read, not assess.
    assert as_(world.one.head).post(url, json=assessment(body)).status_code == 403
    assert as_(world.one.head).get(f"/api/v1/evaluations/{body['id']}").status_code == 200
    assert as_(world.one.staff_a1).post(url, json=assessment(body)).status_code == 403
    assert as_(world.one.sup_a).post(url, json=assessment(body)).status_code == 200


def test_a_draft_cannot_be_assessed(as_, world):
    periods = quarters(world.one)
    line_skps(world.one)
    body = as_(world.one.staff_a1).post(
        f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    response = as_(world.one.sup_a).post(f"/api/v1/evaluations/{body['id']}/assess",
                                         json=assessment(body))
    assert response.status_code == 409


def test_non_jpt_needs_the_results_rating(as_, world, submitted):
    body, _ = submitted
    payload = assessment(body)
    payload["hasil_kerja"] = None
    response = as_(world.one.sup_a).post(f"/api/v1/evaluations/{body['id']}/assess",
                                         json=payload)
    assert response.status_code == 422
    assert "hasil_kerja" in response.get_json()["error"]["fields"]


def test_jpt_results_rating_follows_the_unit_predicate(as_, world):
    periods = quarters(world.one)
    line_skps(world.one, staff=())
    period = periods["Triwulan IV 2026"]
    head = as_(world.one.head)
    body = head.post(f"/api/v1/periods/{period.id}/evaluation").get_json()
    assert body["is_jpt"] is True
    body = submit_through_api(head, body)
    admin = as_(world.one.admin)  # the top of the line: the HR administrator records it
    url = f"/api/v1/evaluations/{body['id']}/assess"
    payload = {"version": body["version"], "hasil_kerja": "di_bawah",
               "perilaku_kerja": "di_atas"}
    missing = admin.post(url, json=payload)
    assert missing.status_code == 422
    assert "hasil_kerja" in missing.get_json()["error"]["fields"]
    root = world.one.head.unit_id
    # Only the next-higher leader (none inside the organisation) or an admin sets it.
    assert as_(world.one.sup_a).put(
        f"/api/v1/periods/{period.id}/unit-predicates/{root}",
        json={"predikat": "istimewa"}).status_code == 403
    assert admin.put(f"/api/v1/periods/{period.id}/unit-predicates/{root}",
                     json={"predikat": "hebat"}).status_code == 422
    assert admin.put(f"/api/v1/periods/{period.id}/unit-predicates/{root}",
                     json={"predikat": "istimewa"}).status_code == 200
    result = admin.post(url, json=payload).get_json()
    # Istimewa reads as above expectations whatever was typed; the matrix does the rest.
    assert result["hasil_kerja"] == "di_atas"
    assert result["unit_predikat"] == "istimewa"
    assert result["predikat"] == "sangat_baik"


def test_next_higher_leader_sets_the_predicate_of_a_unit(as_, world):
    period = quarters(world.one)["Triwulan IV 2026"]
    unit_a = world.one.sup_a.unit_id  # led by sup_a, whose supervisor is the head
    url = f"/api/v1/periods/{period.id}/unit-predicates/{unit_a}"
    assert as_(world.one.sup_a).put(url, json={"predikat": "baik"}).status_code == 403
    assert as_(world.one.head).put(url, json={"predikat": "baik"}).status_code == 200
    rows = {r["unit_id"]: r for r in as_(world.one.head).get(
        f"/api/v1/periods/{period.id}/unit-predicates").get_json()}
    assert rows[unit_a]["predikat"] == "baik" and rows[unit_a]["can_set"] is True
    other = quarters(world.two)["Triwulan IV 2026"]
    assert as_(world.one.admin).put(
        f"/api/v1/periods/{other.id}/unit-predicates/{unit_a}",
        json={"predikat": "baik"}).status_code == 404
    assert as_(world.one.admin).put(
        f"/api/v1/periods/{period.id}/unit-predicates/{world.two.sup_a.unit_id}",
        json={"predikat": "baik"}).status_code == 404


def test_acknowledgement_makes_it_immutable(as_, world, submitted):
    body, _ = submitted
    sup, me = as_(world.one.sup_a), as_(world.one.staff_a1)
    assessed = sup.post(f"/api/v1/evaluations/{body['id']}/assess",
                        json=assessment(body)).get_json()
    # The supervisor may revise it until the employee acknowledges it.
    revised = sup.post(f"/api/v1/evaluations/{body['id']}/assess",
                       json=assessment(assessed, "di_atas", "di_atas")).get_json()
    assert revised["predikat"] == "sangat_baik"
    assert sup.post(f"/api/v1/evaluations/{body['id']}/acknowledge",
                    json={"version": revised["version"]}).status_code == 403
    stale = me.post(f"/api/v1/evaluations/{body['id']}/acknowledge",
                    json={"version": assessed["version"]})
    assert stale.status_code == 409
    done = me.post(f"/api/v1/evaluations/{body['id']}/acknowledge",
                   json={"version": revised["version"]})
    assert done.status_code == 200
    final = done.get_json()
    assert final["status"] == "acknowledged" and final["acknowledged_at"]
    again = sup.post(f"/api/v1/evaluations/{body['id']}/assess",
                     json=assessment(final, "di_bawah", "di_bawah"))
    assert again.status_code == 409
    assert me.patch(f"/api/v1/evaluations/{body['id']}",
                    json={"version": final["version"]}).status_code == 409
    assert sup.post(f"/api/v1/evaluations/{body['id']}/return",
                    json={"reason": "x"}).status_code == 409
    assert me.get(f"/api/v1/evaluations/{body['id']}").get_json()["predikat"] == "sangat_baik"


def test_assessment_is_in_the_audit_trail(as_, world, submitted):
    from app.audit import services as audit

    body, _ = submitted
    as_(world.one.sup_a).post(f"/api/v1/evaluations/{body['id']}/assess",
                              json=assessment(body))
    actions = [e.action for e in audit.history("evaluation", body["id"])]
    assert actions == ["create", "update", "submit", "assess"]
    checked, problems = audit.verify_chain(world.one.org.id)
    assert checked and not problems


def test_team_list_shows_the_appraisees(as_, world, submitted):
    body, period = submitted
    team = as_(world.one.sup_a).get(f"/api/v1/periods/{period.id}/team").get_json()
    rows = {r["person"]["id"]: r for r in team["people"]}
    assert set(rows) == {world.one.staff_a1.id, world.one.staff_a2.id}
    assert rows[world.one.staff_a1.id]["evaluation"]["status"] == "submitted"
    assert rows[world.one.staff_a2.id]["evaluation"] is None
    # The admin appraises the top of the line only.
    admin_team = as_(world.one.admin).get(f"/api/v1/periods/{period.id}/team").get_json()
    assert [r["person"]["id"] for r in admin_team["people"]] == [world.one.head.id]
