"""SKP, RHK and indicators through /api/v1: editing, cascade, workflow, scoping, audit."""

import pytest

from app.audit.models import AuditEntry
from app.audit.services import verify_chain
from app.targets.models import Indicator, SkpStatus
from tests.targets.factories import YEAR, cascade, make_skp, other_org_ids, simple_rhks


def create(api, person, year=YEAR, approach="kuantitatif"):
    api.login(person)
    response = api.post("/api/v1/skps", json={"year": year, "approach": approach})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def add_rhk(api, skp, **values):
    body = {"version": skp["version"], "description": "Dokumen perencanaan tersusun",
            **values}
    return api.post(f"/api/v1/skps/{skp['id']}/rhks", json=body)


def add_indicator(api, rhk_id, skp_version, **values):
    body = {"version": skp_version, "aspect": "kuantitas", "description": "Jumlah dokumen",
            "target_min": "12", "unit": "dokumen", **values}
    return api.post(f"/api/v1/rhks/{rhk_id}/indicators", json=body)


@pytest.fixture
def chain(world):
    """Approved head and sup_a SKPs; staff_a1's SKP in draft."""
    return cascade(world.one)


# --- creating -----------------------------------------------------------------------------

def test_create_skp_sets_appraiser_and_jpt(api, world):
    skp = create(api, world.one.staff_a1)
    assert skp["status"] == "draft" and skp["version"] == 1
    assert skp["appraiser"]["id"] == world.one.sup_a.id
    assert skp["is_jpt"] is False and skp["rhks"] == []
    assert create(api, world.one.head)["is_jpt"] is True


def test_one_skp_per_person_per_year(api, world):
    create(api, world.one.staff_a1)
    response = api.post("/api/v1/skps", json={"year": YEAR})
    assert response.status_code == 422
    assert "year" in response.get_json()["error"]["fields"]
    assert api.post("/api/v1/skps", json={"year": YEAR + 1}).status_code == 201


def test_create_refuses_strings_for_integers(api, world):
    api.login(world.one.staff_a1)
    response = api.post("/api/v1/skps", json={"year": "2026"})
    assert response.status_code == 422
    assert "year" in response.get_json()["error"]["fields"]


# --- cascade and perspectives -------------------------------------------------------------

def test_rhk_links_supervisors_approved_rhk(api, world, chain):
    _, sup_skp, staff_skp = chain
    api.login(world.one.staff_a1)
    skp = api.get(f"/api/v1/skps/{staff_skp.id}").get_json()
    response = add_rhk(api, skp, parent_rhk_id=sup_skp.rhks[1].id, kind="tambahan")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["parent_rhk_id"] == sup_skp.rhks[1].id
    assert body["parent_description"] == sup_skp.rhks[1].description
    assert body["skp_version"] == skp["version"] + 1


def test_rhk_parent_must_come_from_supervisors_approved_skp(api, world, chain):
    head_skp, _, staff_skp = chain
    other = make_skp(world.one.staff_a2, rhks=simple_rhks("Rekan"),
                     parent=chain[1].rhks[0])
    api.login(world.one.staff_a1)
    skp = api.get(f"/api/v1/skps/{staff_skp.id}").get_json()
    # the head's RHK (not the direct supervisor's), a peer's RHK, another org's, none
    for parent_id in (head_skp.rhks[0].id, other.rhks[0].id,
                      other_org_ids(world)["rhk_id"], None):
        response = add_rhk(api, skp, parent_rhk_id=parent_id)
        assert response.status_code == 422, parent_id
        assert "parent_rhk_id" in response.get_json()["error"]["fields"]


def test_supervisors_unapproved_skp_cannot_be_supported(api, world):
    head_skp = make_skp(world.one.head, rhks=simple_rhks("Kepala"),
                        status=SkpStatus.APPROVED, approver=world.one.admin)
    sup_skp = make_skp(world.one.sup_a, rhks=simple_rhks("Bidang"), parent=head_skp.rhks[0],
                       status=SkpStatus.SUBMITTED)
    skp = create(api, world.one.staff_a1)
    response = add_rhk(api, skp, parent_rhk_id=sup_skp.rhks[0].id)
    assert response.status_code == 422
    assert "parent_rhk_id" in response.get_json()["error"]["fields"]


def test_jpt_rhk_needs_a_perspective_and_no_parent(api, world):
    skp = create(api, world.one.head)
    response = add_rhk(api, skp)
    assert response.status_code == 422
    assert "perspective" in response.get_json()["error"]["fields"]
    response = add_rhk(api, skp, perspective="proses_bisnis")
    assert response.status_code == 201
    assert response.get_json()["perspective"] == "proses_bisnis"


def test_non_jpt_rhk_refuses_a_perspective(api, world, chain):
    api.login(world.one.staff_a1)
    skp = api.get(f"/api/v1/skps/{chain[2].id}").get_json()
    response = add_rhk(api, skp, parent_rhk_id=chain[1].rhks[0].id, perspective="anggaran")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"perspective"}


# --- indicators ---------------------------------------------------------------------------

def test_indicator_single_value_and_range(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    rhk_id = staff_skp.rhks[0].id
    response = add_indicator(api, rhk_id, staff_skp.version, aspect="kualitas",
                             description="Tingkat kesesuaian", target_min="90",
                             target_max="100", unit="%")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["target_min"], body["target_max"], body["target_quantity"]) == \
        ("90.00", "100.00", "100.00")
    response = add_indicator(api, rhk_id, body["skp_version"], target_min="10",
                             target_max="5")
    assert response.status_code == 422
    assert "target_max" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(("values", "field"), [
    ({"target_min": None}, "target_min"),
    ({"target_text": "Sesuai harapan pimpinan"}, "target_text"),
    ({"aspect": "mutu"}, "aspect"),
    ({"target_min": "-1"}, "target_min"),
    ({"unit": ""}, "unit"),
    ({"version": "1"}, "version"),
])
def test_indicator_invalid_fields(api, world, chain, values, field):
    api.login(world.one.staff_a1)
    response = add_indicator(api, chain[2].rhks[0].id, chain[2].version, **values)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_kualitatif_allows_a_narrative_target(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    response = api.patch(f"/api/v1/skps/{staff_skp.id}",
                         json={"version": staff_skp.version, "approach": "kualitatif"})
    assert response.status_code == 200
    response = add_indicator(api, staff_skp.rhks[0].id, response.get_json()["version"],
                             target_min=None, aspect="kualitas",
                             target_text="Laporan diterima pimpinan tanpa revisi")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["target_text"].startswith("Laporan")
    # Back to kuantitatif needs a numeric target everywhere.
    response = api.patch(f"/api/v1/skps/{staff_skp.id}", json={
        "version": response.get_json()["skp_version"], "approach": "kuantitatif"})
    assert response.status_code == 422


def test_patch_and_delete_indicator(api, world, chain):
    staff_skp = chain[2]
    indicator_id = staff_skp.rhks[0].indicators[0].id
    api.login(world.one.staff_a1)
    response = api.patch(f"/api/v1/indicators/{indicator_id}",
                         json={"version": staff_skp.version, "target_min": "24"})
    assert response.status_code == 200
    assert response.get_json()["target_min"] == "24.00"
    assert response.get_json()["unit"] == "dokumen"
    version = response.get_json()["skp_version"]
    response = api.delete(f"/api/v1/indicators/{indicator_id}?version={version}")
    assert response.status_code == 200
    assert response.get_json()["rhks"][0]["indicators"] == []


def test_patch_and_delete_rhk(api, world, chain):
    staff_skp = chain[2]
    rhk_id = staff_skp.rhks[0].id
    api.login(world.one.staff_a1)
    response = api.patch(f"/api/v1/rhks/{rhk_id}", json={
        "version": staff_skp.version, "description": "Rencana kerja tersusun tepat waktu"})
    assert response.status_code == 200
    assert response.get_json()["parent_rhk_id"] == chain[1].rhks[0].id
    version = response.get_json()["skp_version"]
    response = api.delete(f"/api/v1/rhks/{rhk_id}?version={version}")
    assert response.status_code == 200
    assert response.get_json()["rhks"] == []
    assert api.get(f"/api/v1/rhks/{rhk_id}").status_code == 404


# --- optimistic concurrency ---------------------------------------------------------------

@pytest.mark.parametrize("action", ["patch_skp", "add_rhk", "patch_rhk", "delete_rhk",
                                    "add_indicator", "patch_indicator", "delete_indicator",
                                    "submit"])
def test_stale_version_is_409_with_current_copy(api, world, chain, action):
    staff_skp = chain[2]
    rhk = staff_skp.rhks[0]
    stale = staff_skp.version - 1
    api.login(world.one.staff_a1)
    calls = {
        "patch_skp": lambda: api.patch(f"/api/v1/skps/{staff_skp.id}",
                                       json={"version": stale, "approach": "kualitatif"}),
        "add_rhk": lambda: add_rhk(api, {"id": staff_skp.id, "version": stale},
                                   parent_rhk_id=chain[1].rhks[0].id),
        "patch_rhk": lambda: api.patch(f"/api/v1/rhks/{rhk.id}",
                                       json={"version": stale, "kind": "tambahan"}),
        "delete_rhk": lambda: api.delete(f"/api/v1/rhks/{rhk.id}?version={stale}"),
        "add_indicator": lambda: add_indicator(api, rhk.id, stale),
        "patch_indicator": lambda: api.patch(f"/api/v1/indicators/{rhk.indicators[0].id}",
                                             json={"version": stale, "unit": "berkas"}),
        "delete_indicator": lambda: api.delete(
            f"/api/v1/indicators/{rhk.indicators[0].id}?version={stale}"),
        "submit": lambda: api.post(f"/api/v1/skps/{staff_skp.id}/submit",
                                   json={"version": stale}),
    }
    response = calls[action]()
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["version"] == staff_skp.version
    assert error["current"]["rhks"][0]["indicators"][0]["unit"] == "dokumen"


def test_every_edit_bumps_the_version(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    version = staff_skp.version
    response = api.patch(f"/api/v1/rhks/{staff_skp.rhks[0].id}",
                         json={"version": version, "position": 5})
    assert response.get_json()["skp_version"] == version + 1
    # The same change again changes nothing, so the version stays.
    response = api.patch(f"/api/v1/rhks/{staff_skp.rhks[0].id}",
                         json={"version": version + 1, "position": 5})
    assert response.get_json()["skp_version"] == version + 1


# --- workflow -----------------------------------------------------------------------------

def test_submit_needs_a_main_rhk_with_an_indicator(api, world):
    skp = create(api, world.one.head)
    add_rhk(api, skp, perspective="anggaran")
    response = api.post(f"/api/v1/skps/{skp['id']}/submit", json={})
    assert response.status_code == 422
    assert "rhks" in response.get_json()["error"]["fields"]


def test_submit_approve_and_immutable(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    response = api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})
    assert response.status_code == 200 and response.get_json()["status"] == "submitted"
    version = response.get_json()["version"]
    # Waiting for review: no edits.
    response = api.patch(f"/api/v1/rhks/{staff_skp.rhks[0].id}",
                         json={"version": version, "kind": "tambahan"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "invalid_state"
    # The owner cannot approve their own SKP.
    assert api.post(f"/api/v1/skps/{staff_skp.id}/approve", json={}).status_code == 403
    api.login(world.one.sup_a)
    response = api.post(f"/api/v1/skps/{staff_skp.id}/approve", json={"version": version})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "approved" and body["approved_at"]
    api.login(world.one.staff_a1)
    for response in (
            api.patch(f"/api/v1/skps/{staff_skp.id}",
                      json={"version": body["version"], "approach": "kualitatif"}),
            api.delete(f"/api/v1/rhks/{staff_skp.rhks[0].id}?version={body['version']}"),
            add_indicator(api, staff_skp.rhks[0].id, body["version"]),
            api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})):
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "invalid_state"


def test_return_needs_a_reason_then_owner_edits_and_resubmits(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})
    api.login(world.one.sup_a)
    response = api.post(f"/api/v1/skps/{staff_skp.id}/return", json={"reason": "  "})
    assert response.status_code == 422
    assert "reason" in response.get_json()["error"]["fields"]
    response = api.post(f"/api/v1/skps/{staff_skp.id}/return",
                        json={"reason": "Target terlalu rendah."})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "returned" and body["return_reason"] == "Target terlalu rendah."
    api.login(world.one.staff_a1)
    response = api.patch(f"/api/v1/indicators/{staff_skp.rhks[0].indicators[0].id}",
                         json={"version": body["version"], "target_min": "20"})
    assert response.status_code == 200
    response = api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})
    assert response.get_json()["status"] == "submitted"


def test_someone_above_in_the_line_may_approve(api, world, chain):
    api.login(world.one.staff_a1)
    api.post(f"/api/v1/skps/{chain[2].id}/submit", json={})
    api.login(world.one.head)
    assert api.post(f"/api/v1/skps/{chain[2].id}/approve", json={}).status_code == 200


def test_approving_a_draft_is_409(api, world, chain):
    api.login(world.one.sup_a)
    response = api.post(f"/api/v1/skps/{chain[2].id}/approve", json={})
    assert response.status_code == 409
    assert response.get_json()["error"]["current"]["status"] == "draft"


# --- who sees and does what ---------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff_a2", "sup_b", "staff_b1"])
def test_outside_the_line_is_404(api, world, chain, who):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})
    api.login(getattr(world.one, who))
    for response in (api.get(f"/api/v1/skps/{staff_skp.id}"),
                     api.get(f"/api/v1/skps/{staff_skp.id}/history"),
                     api.get(f"/api/v1/rhks/{staff_skp.rhks[0].id}"),
                     api.post(f"/api/v1/skps/{staff_skp.id}/approve", json={}),
                     api.post(f"/api/v1/skps/{staff_skp.id}/return", json={"reason": "Tidak"})):
        assert response.status_code == 404


def test_admin_sees_but_cannot_approve_or_edit(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={})
    api.login(world.one.admin)
    assert api.get(f"/api/v1/skps/{staff_skp.id}").status_code == 200
    assert api.post(f"/api/v1/skps/{staff_skp.id}/approve", json={}).status_code == 403


def test_supervisor_cannot_edit_subordinates_skp(api, world, chain):
    staff_skp = chain[2]
    api.login(world.one.sup_a)
    response = api.patch(f"/api/v1/rhks/{staff_skp.rhks[0].id}",
                         json={"version": staff_skp.version, "kind": "tambahan"})
    assert response.status_code == 403


def test_staff_sees_supervisors_skp_only_once_approved(api, world):
    head_skp = make_skp(world.one.head, rhks=simple_rhks("Kepala"),
                        status=SkpStatus.APPROVED, approver=world.one.admin)
    sup_skp = make_skp(world.one.sup_a, rhks=simple_rhks("Bidang"), parent=head_skp.rhks[0])
    api.login(world.one.staff_a1)
    assert api.get(f"/api/v1/skps/{sup_skp.id}").status_code == 404
    assert api.get(f"/api/v1/skps/{head_skp.id}").status_code == 404  # not the direct one


def test_list_is_scoped_and_filtered(api, world, chain):
    head_skp, sup_skp, staff_skp = chain
    other = make_skp(world.one.staff_b1, rhks=(), year=YEAR)
    api.login(world.one.sup_a)
    ids = {s["id"] for s in api.get("/api/v1/skps").get_json()}
    assert ids == {head_skp.id, sup_skp.id, staff_skp.id}
    filtered = api.get(f"/api/v1/skps?person_id={world.one.staff_a1.id}&year={YEAR}")
    assert [s["id"] for s in filtered.get_json()] == [staff_skp.id]
    assert api.get(f"/api/v1/skps?year={YEAR + 1}").get_json() == []
    api.login(world.one.admin)
    ids = {s["id"] for s in api.get("/api/v1/skps?per_page=200").get_json()}
    assert other.id in ids and other_org_ids(world)["skp_id"] not in ids


def test_other_organisation_writes_are_404(api, world):
    ids = other_org_ids(world)
    api.login(world.one.admin)
    for response in (
            api.post(f"/api/v1/skps/{ids['skp_id']}/rhks",
                     json={"version": 1, "description": "Coba", "perspective": "anggaran"}),
            api.patch(f"/api/v1/skps/{ids['skp_id']}",
                      json={"version": 1, "approach": "kualitatif"}),
            api.patch(f"/api/v1/rhks/{ids['rhk_id']}", json={"version": 1}),
            api.delete(f"/api/v1/rhks/{ids['rhk_id']}?version=1"),
            add_indicator(api, ids["rhk_id"], 1),
            api.patch(f"/api/v1/indicators/{ids['indicator_id']}", json={"version": 1}),
            api.delete(f"/api/v1/indicators/{ids['indicator_id']}?version=1"),
            api.post(f"/api/v1/skps/{ids['skp_id']}/submit", json={}),
            api.post(f"/api/v1/skps/{ids['skp_id']}/approve", json={}),
            api.post(f"/api/v1/skps/{ids['skp_id']}/return", json={"reason": "Tidak"})):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


# --- audit trail --------------------------------------------------------------------------

def test_every_change_is_in_the_history(api, world, chain, db):
    staff_skp = chain[2]
    api.login(world.one.staff_a1)
    version = api.patch(f"/api/v1/indicators/{staff_skp.rhks[0].indicators[0].id}", json={
        "version": staff_skp.version, "target_min": "15"}).get_json()["skp_version"]
    api.post(f"/api/v1/skps/{staff_skp.id}/submit", json={"version": version})
    api.login(world.one.sup_a)
    api.post(f"/api/v1/skps/{staff_skp.id}/return", json={"reason": "Lengkapi kualitas."})
    history = api.get(f"/api/v1/skps/{staff_skp.id}/history").get_json()
    assert [e["action"] for e in history] == [
        "create", "rhk_add", "indicator_add", "indicator_update", "submit", "return"]
    update = history[3]
    assert update["actor"]["id"] == world.one.staff_a1.id
    assert update["changes"]["target_min"] == ["12", "15"]
    assert update["changes"]["version"] == [version - 1, version]
    assert history[-1]["actor"]["id"] == world.one.sup_a.id
    assert history[-1]["changes"]["reason"] == "Lengkapi kualitas."
    db.session.rollback()
    assert verify_chain(world.one.org.id)[1] == []
    assert db.session.query(AuditEntry).filter_by(subject_type="skp").count() >= 6


def test_failed_edit_records_nothing(api, world, chain, count):
    before = count(AuditEntry)
    api.login(world.one.staff_a1)
    add_indicator(api, chain[2].rhks[0].id, chain[2].version, target_min=None)
    assert count(AuditEntry) == before
    assert count(Indicator) == 4
