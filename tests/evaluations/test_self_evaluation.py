"""The self-evaluation: pre-filled from the logs, saved with a version, submitted before the
deadline, returned by the supervisor."""

import io
from datetime import date, time
from decimal import Decimal

import pytest

from app.activities import services as activities
from app.activities.models import ActivityStatus
from app.extensions import db
from app.notifications.models import Notification
from app.reports.services import progress_for
from tests.evaluations.support import line_skps, quarters, submit_through_api
from tests.reports.conftest import log


@pytest.fixture
def setup(world):
    periods = quarters(world.one)
    skps = line_skps(world.one)
    return periods, skps


def indicator(skp, n):
    """The indicator of the ``n``-th RHK, utama first."""
    return sorted(skp.rhks, key=lambda r: (r.kind != "utama", r.position, r.id))[n].indicators[0]


def test_opening_prefills_the_realisation_from_the_logs(as_, world, setup):
    periods, skps = setup
    person, skp = world.one.staff_a1, skps["staff_a1"]
    laporan, layanan = indicator(skp, 0), indicator(skp, 1)
    # Logged and approved through the real workflow today (23 November, in Triwulan IV) ...
    saved = activities.create_activity(
        person, date=date(2026, 11, 23), start_time=time(8), end_time=time(10),
        description="Menyusun laporan", target_id=laporan.id, quantity=Decimal(3))
    activities.submit_activity(person, saved.activity.id)
    activities.approve_activity(world.one.sup_a, saved.activity.id)
    db.session.commit()
    # ... and earlier in the quarter; outside the quarter and drafts do not count.
    log(db, person, date(2026, 10, 5), target=laporan, quantity=2)
    log(db, person, date(2026, 10, 6), target=layanan, quantity=10,
        status=ActivityStatus.SUBMITTED)
    log(db, person, date(2026, 9, 30), target=laporan, quantity=50)
    log(db, person, date(2026, 11, 2), target=laporan, quantity=50,
        status=ActivityStatus.DRAFT)
    period = periods["Triwulan IV 2026"]

    response = as_(person).post(f"/api/v1/periods/{period.id}/evaluation")

    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["version"] == 1
    assert [r["description"] for r in body["rhks"]] == [
        "Tersusunnya laporan", "Terlayaninya warga", "Terbantunya kegiatan"]
    assert len(body["behaviours"]) == 7
    by_id = {row["indicator_id"]: row for row in body["indicators"]}
    expected = {row["indicator_id"]: row for row in
                progress_for(person, period.starts_on, period.ends_on)}
    assert set(by_id) == {i.id for r in skp.rhks for i in r.indicators}
    for key, row in by_id.items():
        assert Decimal(row["approved_quantity"]) == expected[key]["approved"]["quantity"]
        assert row["approved_count"] == expected[key]["approved"]["count"]
        assert Decimal(row["submitted_quantity"]) == expected[key]["submitted"]["quantity"]
    assert Decimal(by_id[laporan.id]["approved_quantity"]) == Decimal(5)
    assert by_id[laporan.id]["approved_count"] == 2
    assert Decimal(by_id[laporan.id]["approved_percent"]) == Decimal("41.7")
    assert Decimal(by_id[layanan.id]["submitted_quantity"]) == Decimal(10)
    # Opening again gives the same evaluation.
    again = as_(person).post(f"/api/v1/periods/{period.id}/evaluation")
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]


def test_refresh_recomputes_while_draft(as_, world, setup):
    periods, skps = setup
    person = world.one.staff_a1
    laporan = indicator(skps["staff_a1"], 0)
    api = as_(person)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    log(db, person, date(2026, 11, 10), target=laporan, quantity=4)
    refreshed = api.post(f"/api/v1/evaluations/{body['id']}/refresh",
                         json={"version": body["version"]})
    assert refreshed.status_code == 200
    row = next(r for r in refreshed.get_json()["indicators"] if r["indicator_id"] == laporan.id)
    assert Decimal(row["approved_quantity"]) == Decimal(4)
    assert refreshed.get_json()["version"] == body["version"] + 1


def test_no_approved_skp_no_evaluation(as_, world):
    periods = quarters(world.one)
    response = as_(world.one.staff_b1).post(
        f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "no_approved_skp"


def test_save_keeps_text_and_stale_version_gets_409(as_, world, setup):
    periods, skps = setup
    api = as_(world.one.staff_a1)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    rhk_id = body["rhks"][0]["rhk_id"]
    url = f"/api/v1/evaluations/{body['id']}"
    saved = api.patch(url, json={"version": 1, "rhk": [
        {"rhk_id": rhk_id, "realisation": "  5 laporan selesai  ",
         "reflection": "Perlu lebih cepat"}]})
    assert saved.status_code == 200
    row = saved.get_json()["rhks"][0]
    assert (row["realisation"], row["reflection"]) == ("5 laporan selesai", "Perlu lebih cepat")
    assert saved.get_json()["version"] == 2
    stale = api.patch(url, json={"version": 1, "rhk": [{"rhk_id": rhk_id,
                                                        "realisation": "lain"}]})
    assert stale.status_code == 409
    current = stale.get_json()["error"]["current"]
    assert current["version"] == 2 and current["rhks"][0]["realisation"] == "5 laporan selesai"
    wrong = api.patch(url, json={"version": 2, "rhk": [{"rhk_id": 999999, "realisation": "x"}]})
    assert wrong.status_code == 422
    assert "rhk.0.rhk_id" in wrong.get_json()["error"]["fields"]
    bad = api.patch(url, json={"version": "dua"})
    assert bad.status_code == 422
    # Someone else cannot write it; their supervisor may read it but not write it.
    assert as_(world.one.staff_a2).patch(url, json={"version": 2}).status_code == 404
    assert as_(world.one.sup_a).patch(url, json={"version": 2}).status_code == 403
    assert as_(world.one.sup_a).get(url).status_code == 200


def test_evidence_links(as_, world, setup):
    periods, _ = setup
    api = as_(world.one.staff_a1)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    rhk_id = body["rhks"][0]["rhk_id"]
    url = f"/api/v1/evaluations/{body['id']}/evidence"
    added = api.post(url, json={"rhk_id": rhk_id, "url": "https://drive.example.org/laporan",
                                "label": "Laporan Oktober"})
    assert added.status_code == 201
    assert api.post(url, json={"rhk_id": rhk_id, "url": "javascript:alert(1)"}
                    ).status_code == 422
    assert api.post(url, json={"rhk_id": 999999, "url": "https://x.example.org"}
                    ).status_code == 422
    evidence = api.get(f"/api/v1/evaluations/{body['id']}").get_json()["evidence"]
    assert [e["url"] for e in evidence] == ["https://drive.example.org/laporan"]
    other = as_(world.one.staff_a2)
    assert other.delete(f"/api/v1/evaluation-evidence/{added.get_json()['id']}"
                        ).status_code == 404
    assert api.delete(f"/api/v1/evaluation-evidence/{added.get_json()['id']}"
                      ).status_code == 204
    assert api.get(f"/api/v1/evaluations/{body['id']}").get_json()["evidence"] == []


def test_submit_notifies_the_supervisor_and_freezes_the_draft(as_, world, setup, count):
    periods, _ = setup
    api = as_(world.one.staff_a1)
    # (Setting up the SKPs told the supervisor of the SKP submitted for approval.)
    before = count(Notification, Notification.person_id == world.one.sup_a.id)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    body = api.patch(f"/api/v1/evaluations/{body['id']}", json={
        "version": body["version"],
        "rhk": [{"rhk_id": row["rhk_id"], "realisation": "Tercapai"} for row in body["rhks"]]
    }).get_json()
    submitted = api.post(f"/api/v1/evaluations/{body['id']}/submit",
                         json={"version": body["version"]})
    assert submitted.status_code == 200
    assert submitted.get_json()["status"] == "submitted"
    assert count(Notification, Notification.person_id == world.one.sup_a.id) == before + 1
    again = api.patch(f"/api/v1/evaluations/{body['id']}",
                      json={"version": submitted.get_json()["version"], "rhk": []})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_state"


def test_after_the_deadline_submit_is_refused_until_the_supervisor_reopens(as_, world, setup):
    periods, _ = setup
    period = periods["Triwulan III 2026"]  # deadline in early October
    api = as_(world.one.staff_a1)
    body = api.post(f"/api/v1/periods/{period.id}/evaluation").get_json()
    assert body["deadline_passed"] is True
    refused = api.post(f"/api/v1/evaluations/{body['id']}/submit", json={"version": 1})
    assert refused.status_code == 409
    assert "deadline" in refused.get_json()["error"]["message"].lower() or \
        "batas" in refused.get_json()["error"]["message"].lower()
    # Only the appraiser may reopen.
    assert as_(world.one.staff_a2).post(
        f"/api/v1/evaluations/{body['id']}/reopen").status_code == 404
    assert as_(world.one.head).post(
        f"/api/v1/evaluations/{body['id']}/reopen").status_code == 403
    reopened = as_(world.one.sup_a).post(f"/api/v1/evaluations/{body['id']}/reopen")
    assert reopened.status_code == 200 and reopened.get_json()["reopened"] is True
    assert submit_through_api(api, reopened.get_json())["status"] == "submitted"


def test_supervisor_returns_with_a_reason(as_, world, setup):
    periods, _ = setup
    api = as_(world.one.staff_a1)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    body = submit_through_api(api, body)
    sup = as_(world.one.sup_a)
    url = f"/api/v1/evaluations/{body['id']}/return"
    assert sup.post(url, json={"reason": ""}).status_code == 422
    assert as_(world.one.sup_b).post(url, json={"reason": "x"}).status_code == 404
    returned = sup.post(url, json={"reason": "Lengkapi bukti dukung"})
    assert returned.status_code == 200
    assert returned.get_json()["status"] == "draft"
    assert returned.get_json()["return_reason"] == "Lengkapi bukti dukung"
    mine = api.get(f"/api/v1/evaluations/{body['id']}").get_json()
    assert mine["can_edit"] is True
    assert sup.post(url, json={"reason": "lagi"}).status_code == 409


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
       b"\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def test_evidence_files_are_checked_stored_and_served_to_readers(as_, world, setup,
                                                                 evidence_folder):
    periods, _ = setup
    api = as_(world.one.staff_a1)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    rhk_id = body["rhks"][0]["rhk_id"]
    url = f"/api/v1/evaluations/{body['id']}/evidence"

    def upload(content, name="foto.png"):
        return api.post(url, data={"rhk_id": str(rhk_id), "label": "Foto kegiatan",
                                   "file": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")

    added = upload(PNG)
    assert added.status_code == 201, added.get_json()
    item = added.get_json()
    assert (item["kind"], item["content_type"], item["size"]) == ("file", "image/png", len(PNG))
    assert item["filename"] == "foto.png"
    stored = list(evidence_folder.rglob("*.png"))
    assert len(stored) == 1 and stored[0].read_bytes() == PNG
    # Checked by content, not by name.
    assert upload(b"MZ\x90\x00 not a photo", "foto.png").status_code == 415
    assert api.post(url, data={"rhk_id": str(rhk_id)},
                    content_type="multipart/form-data").status_code == 422
    download = f"/api/v1/evaluation-evidence/{item['id']}"
    for reader in (world.one.staff_a1, world.one.sup_a, world.one.admin):
        response = as_(reader).get(download)
        assert response.status_code == 200 and response.data == PNG
        assert response.headers["Content-Security-Policy"] == "sandbox"
        response.close()
    assert as_(world.one.staff_a2).get(download).status_code == 404
    assert as_(world.one.sup_b).get(download).status_code == 404
    assert api.delete(download).status_code == 204
    assert list(evidence_folder.rglob("*.png")) == []


def test_evidence_files_follow_the_transaction(world, setup, evidence_folder):
    """A file stored by a change that rolls back is deleted; a removal that rolls back keeps
    the file, and the file goes only once the removal is committed."""
    from app.evaluations import services

    periods, _ = setup
    person = world.one.staff_a1
    evaluation, _ = services.open_evaluation(person, periods["Triwulan IV 2026"].id)
    db.session.commit()
    rhk_id = evaluation.rhks[0].rhk_id

    def add():
        return services.add_evidence_file(person, evaluation.id, rhk_id=rhk_id,
                                          stream=io.BytesIO(PNG), filename="foto.png")

    add()
    assert len(list(evidence_folder.rglob("*.png"))) == 1
    db.session.rollback()
    assert list(evidence_folder.rglob("*.png")) == []

    item_id = add().id
    db.session.commit()
    [stored] = evidence_folder.rglob("*.png")
    services.delete_evidence(person, item_id)
    assert stored.exists()
    db.session.rollback()
    assert stored.exists()
    services.delete_evidence(person, item_id)
    db.session.commit()
    assert not stored.exists()


def test_a_self_evaluation_with_an_empty_realisation_is_not_sent(as_, world, setup, count):
    """Issue 14, finding 8: the appraiser needs the person's own account of every RHK."""
    periods, _ = setup
    api = as_(world.one.staff_a1)
    told = count(Notification, Notification.person_id == world.one.sup_a.id)  # (SKP set-up)
    body = api.post(f"/api/v1/periods/{periods['Triwulan IV 2026'].id}/evaluation").get_json()
    first, *others = [row["rhk_id"] for row in body["rhks"]]
    body = api.patch(f"/api/v1/evaluations/{body['id']}", json={
        "version": body["version"],
        "rhk": [{"rhk_id": first, "realisation": "Enam laporan"},
                {"rhk_id": others[0], "realisation": "   "}]}).get_json()
    refused = api.post(f"/api/v1/evaluations/{body['id']}/submit",
                       json={"version": body["version"]})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "realisation_missing"
    assert set(error["fields"]) == {f"realisation-{rhk_id}" for rhk_id in others}
    assert api.get(f"/api/v1/evaluations/{body['id']}").get_json()["status"] == "draft"
    assert count(Notification, Notification.person_id == world.one.sup_a.id) == told
