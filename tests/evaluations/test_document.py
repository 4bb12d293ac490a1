"""document_data: the evaluation form's content, for the PDF."""

from datetime import date

import pytest

from app.errors import NotFound
from app.evaluations import services
from app.evaluations.berakhlak import VALUES
from app.extensions import db
from tests.evaluations.support import fill_realisations, line_skps, quarters
from tests.reports.conftest import log

PERSON_KEYS = {"name", "nip", "pangkat", "jabatan", "unit"}


def test_document_data_has_the_agreed_shape(world, app):
    org = world.one
    period = quarters(org)["Triwulan IV 2026"]
    skps = line_skps(org)
    person = org.staff_a1
    laporan = next(r for r in skps["staff_a1"].rhks
                   if r.description == "Tersusunnya laporan").indicators[0]
    log(db, person, date(2026, 10, 7), target=laporan, quantity=6)
    evaluation, _ = services.open_evaluation(person, period.id)
    evaluation = fill_realisations(person, evaluation)
    services.save_self_evaluation(person, evaluation.id, version=evaluation.version, rhk=[
        {"rhk_id": evaluation.rhks[0].rhk_id, "realisation": "6 laporan"}])
    services.submit_evaluation(person, evaluation.id, evaluation.version)
    services.assess_evaluation(
        org.sup_a, evaluation.id, version=evaluation.version, hasil_kerja="sesuai",
        perilaku_kerja="di_atas",
        rhk=[{"rhk_id": evaluation.rhks[0].rhk_id, "feedback": "Baik", "rating": "di_atas"}],
        behaviour=[{"value": "loyal", "feedback": "Menjaga nama baik",
                    "expectation": "Teladan"}])
    services.acknowledge_evaluation(person, evaluation.id, evaluation.version)
    db.session.commit()

    with app.test_request_context(headers={"Accept-Language": "id"}):
        data = services.document_data(person, evaluation.id)

    assert set(data) == {"organisation", "unit", "period", "employee", "appraiser",
                         "appraiser_superior", "is_jpt", "unit_predikat", "rhk", "behaviour",
                         "hasil_kerja", "perilaku_kerja", "predikat", "status", "assessed_on",
                         "acknowledged_on"}
    assert data["organisation"] == org.org.name and data["unit"] == "Seksi A1"
    assert data["period"] == {"name": "Triwulan IV 2026", "kind": data["period"]["kind"],
                              "starts_on": date(2026, 10, 1), "ends_on": date(2026, 12, 31)}
    assert isinstance(data["period"]["kind"], str)
    assert set(data["employee"]) == PERSON_KEYS
    assert data["employee"]["nip"] == person.nip
    assert data["employee"]["pangkat"] == "Penata Muda, III/a"
    assert data["appraiser"]["name"] == org.sup_a.name
    assert data["appraiser_superior"]["name"] == org.head.name
    assert all(isinstance(v, str) for block in ("employee", "appraiser", "appraiser_superior")
               for v in data[block].values())
    assert data["is_jpt"] is False and data["unit_predikat"] is None
    assert [r["kind"] for r in data["rhk"]] == ["utama", "utama", "tambahan"]
    first = data["rhk"][0]
    assert set(first) == {"kind", "text", "parent_text", "perspective", "indicators",
                          "realisation", "feedback", "rating"}
    assert first["text"] == "Tersusunnya laporan"
    assert first["parent_text"] == skps["sup_a"].rhks[0].description
    assert first["realisation"] == "6 laporan" and first["feedback"] == "Baik"
    assert isinstance(first["rating"], str) and data["rhk"][1]["rating"] is None
    indicator = first["indicators"][0]
    assert set(indicator) == {"aspect", "text", "target", "realisation"}
    assert indicator["target"] == "12 laporan"
    assert indicator["realisation"].startswith("6 laporan (50")
    assert len(data["behaviour"]) == 7
    assert [b["value"] for b in data["behaviour"]] == [v.name for v in VALUES]
    loyal = data["behaviour"][4]
    assert len(loyal["guides"]) == 3 and all(isinstance(g, str) for g in loyal["guides"])
    assert (loyal["feedback"], loyal["expectation"]) == ("Menjaga nama baik", "Teladan")
    assert all(isinstance(data[k], str) for k in ("hasil_kerja", "perilaku_kerja",
                                                  "predikat", "status"))
    assert data["assessed_on"] == date(2026, 11, 23)
    assert data["acknowledged_on"] == date(2026, 11, 23)


def test_document_data_is_scoped(world, app):
    org = world.one
    period = quarters(org)["Triwulan IV 2026"]
    line_skps(org)
    evaluation, _ = services.open_evaluation(org.staff_a1, period.id)
    db.session.commit()
    with app.test_request_context():
        for outsider in (org.staff_a2, org.sup_b, world.two.admin):
            with pytest.raises(NotFound):
                services.document_data(outsider, evaluation.id)
        assert services.document_data(org.admin, evaluation.id)["status"]


def test_the_evaluation_form_downloads_as_a_pdf_with_its_content(world, api):
    import io

    from pypdf import PdfReader

    org = world.one
    period = quarters(org)["Triwulan IV 2026"]
    line_skps(org)
    person = org.staff_a1
    evaluation, _ = services.open_evaluation(person, period.id)
    evaluation = fill_realisations(person, evaluation)
    services.submit_evaluation(person, evaluation.id, evaluation.version)
    services.assess_evaluation(
        org.sup_a, evaluation.id, version=evaluation.version, hasil_kerja="di_atas",
        perilaku_kerja="di_atas",
        rhk=[{"rhk_id": evaluation.rhks[0].rhk_id, "feedback": "Tepat waktu",
              "rating": "di_atas"}], behaviour=[])
    db.session.commit()

    api.login(org.sup_a)
    for url in (f"/api/v1/evaluations/{evaluation.id}/document",
                f"/evaluasi/{evaluation.id}/dokumen"):
        response = api.get(url, headers={"Accept-Language": "id"})
        assert response.status_code == 200, url
        assert response.mimetype == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        text = " ".join(page.extract_text() for page in PdfReader(
            io.BytesIO(response.data)).pages)
        assert person.name in text and person.nip in text and org.sup_a.name in text
        assert "PERIODE: TRIWULAN IV 2026" in text and "Tepat waktu" in text
        assert "sangat baik" in text.lower()  # di atas x di atas

    api.login(org.staff_b1)
    assert api.get(f"/api/v1/evaluations/{evaluation.id}/document").status_code == 404
