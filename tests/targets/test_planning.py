"""Planning complete: the leader's expectations per BerAKHLAK value and the lampiran, set
before approval by the right people, seen by the employee, carried into the assessment."""

from datetime import UTC, datetime

import pytest
import time_machine

from app.audit.models import AuditEntry
from app.evaluations import services as evaluations
from app.evaluations.models import PeriodKind
from app.extensions import db
from app.targets import services
from app.targets.models import SkpStatus
from tests.evaluations.support import submit_through_api
from tests.targets.factories import YEAR, cascade, other_org_ids

VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif",
          "kolaboratif"]


@pytest.fixture
def chain(world):
    """Approved head and sup_a SKPs; staff_a1's SKP in draft."""
    return cascade(world.one)


def put_expectations(api, skp_id, version, items):
    return api.put(f"/api/v1/skps/{skp_id}/expectations",
                   json={"version": version, "expectations": items})


def current(api, skp_id):
    return api.get(f"/api/v1/skps/{skp_id}").get_json()


def test_the_appraiser_sets_expectations_and_the_employee_sees_them(api, world, chain):
    skp = chain[2]
    api.login(world.one.sup_a)
    response = put_expectations(api, skp.id, skp.version, [
        {"value": "akuntabel", "text": "Laporan keuangan tepat waktu dan tanpa temuan"},
        {"value": "kolaboratif", "text": "Aktif dalam tim lintas seksi"}])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == skp.version + 1
    assert [item["value"] for item in body["expectations"]] == VALUES
    texts = {item["value"]: item["text"] for item in body["expectations"]}
    assert texts["akuntabel"] == "Laporan keuangan tepat waktu dan tanpa temuan"
    assert texts["kolaboratif"] == "Aktif dalam tim lintas seksi"
    assert texts["loyal"] == ""
    assert all(len(item["guides"]) == 3 for item in body["expectations"])

    api.login(world.one.staff_a1)
    seen = {item["value"]: item["text"] for item in current(api, skp.id)["expectations"]}
    assert seen == texts

    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.subject_type == "skp", AuditEntry.subject_id == str(skp.id),
        AuditEntry.action == "expectations")).one()
    assert entry.actor_id == world.one.sup_a.id
    assert entry.changes["akuntabel"] == ["", "Laporan keuangan tepat waktu dan tanpa temuan"]


def test_expectations_change_and_an_empty_text_removes_one(api, world, chain):
    skp = chain[2]
    api.login(world.one.sup_a)
    first = put_expectations(api, skp.id, skp.version, [
        {"value": "loyal", "text": "Menjaga rahasia"}, {"value": "adaptif", "text": "Cepat"}])
    body = put_expectations(api, skp.id, first.get_json()["version"], [
        {"value": "loyal", "text": "  "}, {"value": "adaptif", "text": "Inovatif"}]).get_json()
    texts = {item["value"]: item["text"] for item in body["expectations"]}
    assert texts["loyal"] == "" and texts["adaptif"] == "Inovatif"
    # Nothing changed: no new version.
    again = put_expectations(api, skp.id, body["version"],
                             [{"value": "adaptif", "text": "Inovatif"}])
    assert again.status_code == 200 and again.get_json()["version"] == body["version"]


def test_expectations_refused_for_the_wrong_person(api, world, chain):
    skp = chain[2]
    items = [{"value": "akuntabel", "text": "Jujur"}]
    api.login(world.one.staff_a1)        # the owner
    response = put_expectations(api, skp.id, skp.version, items)
    assert response.status_code == 403
    for outsider in (world.one.staff_a2, world.one.sup_b, world.two.sup_a, world.two.admin):
        api.login(outsider)
        assert put_expectations(api, skp.id, skp.version, items).status_code == 404
    api.login(world.one.admin)           # sees every SKP, is not in the line
    assert put_expectations(api, skp.id, skp.version, items).status_code == 403
    api.login(world.one.head)            # above in the line
    assert put_expectations(api, skp.id, skp.version, items).status_code == 200


def test_planning_on_another_organisations_skp_is_not_found(api, world):
    ids = other_org_ids(world)
    for person in (world.one.admin, world.one.head, world.one.sup_a):
        api.login(person)
        response = put_expectations(api, ids["skp_id"], 1, [{"value": "loyal", "text": "x"}])
        assert response.status_code == 404
        response = api.put(f"/api/v1/skps/{ids['skp_id']}/annex",
                           json={"version": 1, "consequences": "x"})
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_expectations_validated(api, world, chain):
    skp = chain[2]
    api.login(world.one.sup_a)
    twice = put_expectations(api, skp.id, skp.version, [
        {"value": "loyal", "text": "a"}, {"value": "loyal", "text": "b"}])
    assert twice.status_code == 422
    assert "expectations" in twice.get_json()["error"]["fields"]
    unknown = put_expectations(api, skp.id, skp.version, [{"value": "jujur", "text": "a"}])
    assert unknown.status_code == 422
    long = put_expectations(api, skp.id, skp.version, [{"value": "loyal", "text": "x" * 2001}])
    assert long.status_code == 422
    stale = put_expectations(api, skp.id, skp.version + 5, [{"value": "loyal", "text": "a"}])
    assert stale.status_code == 409 and stale.get_json()["error"]["current"]["id"] == skp.id


def test_expectations_and_annex_are_frozen_after_approval(api, world, chain):
    _head, sup_skp, _staff = chain
    api.login(world.one.head)
    response = put_expectations(api, sup_skp.id, sup_skp.version,
                                [{"value": "loyal", "text": "a"}])
    assert response.status_code == 409
    response = api.put(f"/api/v1/skps/{sup_skp.id}/annex",
                       json={"version": sup_skp.version, "consequences": "Teguran"})
    assert response.status_code == 409


def test_annex_by_the_owner_while_editing_and_the_appraiser_while_submitted(api, world, chain):
    skp = chain[2]
    url = f"/api/v1/skps/{skp.id}/annex"
    api.login(world.one.staff_a1)
    response = api.put(url, json={"version": skp.version, "resource_support": "Laptop, SPPD",
                                  "accountability": "Laporan bulanan ke kepala seksi"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["resource_support"] == "Laptop, SPPD"
    assert body["accountability"] == "Laporan bulanan ke kepala seksi"
    assert body["consequences"] is None

    db.session.expire_all()
    services.submit(world.one.staff_a1, services.get_skp(world.one.staff_a1, skp.id))
    db.session.commit()
    version = current(api, skp.id)["version"]
    waiting = api.put(url, json={"version": version, "consequences": "x"})
    assert waiting.status_code == 409
    assert waiting.get_json()["error"]["code"] == "invalid_state"
    api.login(world.one.staff_a2)
    assert api.put(url, json={"version": version, "consequences": "x"}).status_code == 404
    api.login(world.one.sup_a)
    response = api.put(url, json={"version": version, "consequences": "Tunjangan dikurangi",
                                  "resource_support": ""})
    assert response.status_code == 200
    body = response.get_json()
    assert body["consequences"] == "Tunjangan dikurangi"
    assert body["resource_support"] is None
    assert body["accountability"] == "Laporan bulanan ke kepala seksi"
    assert api.put(url, json={"version": body["version"],
                              "consequences": "x" * 4001}).status_code == 422


@time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=True)
def test_expectations_are_carried_into_the_assessment(api, world, chain):
    skp = chain[2]
    owner, appraiser = world.one.staff_a1, world.one.sup_a
    api.login(appraiser)
    version = put_expectations(api, skp.id, skp.version, [
        {"value": "berorientasi_pelayanan", "text": "Keluhan warga dijawab dalam 1 hari"},
        {"value": "kompeten", "text": "Ikut 20 JP pelatihan"}]).get_json()["version"]
    db.session.expire_all()
    skp = services.get_skp(owner, skp.id)
    services.submit(owner, skp, version)
    services.approve(appraiser, skp)
    evaluations.generate_periods(world.one.admin, YEAR, PeriodKind.QUARTERLY)
    db.session.commit()
    assert skp.status is SkpStatus.APPROVED
    period = next(p for p in evaluations.list_periods(world.one.admin, YEAR)
                  if p.name == "Triwulan IV 2026")

    api.login(owner)
    body = api.post(f"/api/v1/periods/{period.id}/evaluation").get_json()
    texts = {row["value"]: row["expectation"] for row in body["behaviours"]}
    assert texts["berorientasi_pelayanan"] == "Keluhan warga dijawab dalam 1 hari"
    assert texts["kompeten"] == "Ikut 20 JP pelatihan"
    assert texts["loyal"] == ""

    sent = submit_through_api(api, body)
    assert sent["status"] == "submitted", sent
    api.login(appraiser)
    page = api.get(f"/evaluasi/{body['id']}/penilaian")
    assert page.status_code == 200
    assert "Keluhan warga dijawab dalam 1 hari" in page.get_data(as_text=True)


# --- the pages ----------------------------------------------------------------------------

def test_pages_set_expectations_and_the_employee_sees_them(api, world, chain):
    skp = chain[2]
    url = f"/target/skp/{skp.id}/ekspektasi"
    api.login(world.one.sup_a)
    assert api.get(url).status_code == 200
    too_long = api.post(url, data={"version": skp.version,
                                   "expectation-loyal": "Menjaga rahasia negara",
                                   "expectation-adaptif": "x" * 2001})
    assert too_long.status_code == 422
    assert "Menjaga rahasia negara" in too_long.get_data(as_text=True)
    saved = api.post(url, data={"version": skp.version,
                                "expectation-loyal": "Menjaga rahasia negara"})
    assert saved.status_code == 303

    api.login(world.one.staff_a1)
    page = api.get(f"/target/skp/{skp.id}").get_data(as_text=True)
    assert "Menjaga rahasia negara" in page
    assert f"/api/v1/skps/{skp.id}/document" in page
    assert f"/target/skp/{skp.id}/ekspektasi" not in page
    assert f"/target/skp/{skp.id}/lampiran" in page
    assert api.get(url).status_code == 403
    assert api.post(url, data={"version": skp.version + 1,
                               "expectation-loyal": "Ubah sendiri"}).status_code == 403


def test_annex_page_keeps_the_typing_and_saves(api, world, chain):
    skp = chain[2]
    url = f"/target/skp/{skp.id}/lampiran"
    api.login(world.one.staff_a1)
    response = api.post(url, data={"version": skp.version, "resource_support": "Mobil dinas",
                                   "consequences": "y" * 4001})
    assert response.status_code == 422
    assert "Mobil dinas" in response.get_data(as_text=True)
    assert api.post(url, data={"version": skp.version, "resource_support": "Mobil dinas",
                               "consequences": "Teguran"}).status_code == 303
    page = api.get(f"/target/skp/{skp.id}").get_data(as_text=True)
    assert "Mobil dinas" in page and "Teguran" in page
    api.login(world.one.staff_a2)
    assert api.get(url).status_code == 404
