"""render_evaluation_pdf: the evaluation form read back from the PDF."""

from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.documents.evaluation_pdf import render_evaluation_pdf
from tests.documents.conftest import flat, pdf_text

VALUES = ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif",
          "Kolaboratif")


def person(name, nip, jabatan):
    return {"name": name, "nip": nip, "pangkat": "Penata (III/c)", "jabatan": jabatan,
            "unit": "Bidang Perencanaan"}


def evaluation(rhk_count=3, **changes) -> dict:
    doc = {
        "organisation": "Pemerintah Kota Surakarta", "unit": "Bidang Perencanaan",
        "period": {"name": "Triwulan IV", "kind": "triwulan",
                   "starts_on": date(2026, 10, 1), "ends_on": date(2026, 12, 31)},
        "employee": person("Budi Santoso", "198001012005011001", "Analis Perencanaan"),
        "appraiser": person("Siti Aminah", "197502022000032002", "Kepala Bidang"),
        "appraiser_superior": person("Joko Widodo", "196806061990031003", "Kepala Dinas"),
        "is_jpt": False, "unit_predikat": None,
        "rhk": [{"kind": "utama" if n % 4 else "tambahan",
                 "text": f"Tersusunnya dokumen perencanaan nomor {n} " + "yang lengkap " * 12,
                 "parent_text": "Meningkatnya kualitas perencanaan daerah",
                 "perspective": None,
                 "indicators": [{"aspect": "kuantitas", "text": f"Jumlah dokumen {n}",
                                 "target": "12 dokumen", "realisation": "10 dokumen"},
                                {"aspect": "waktu", "text": "Ketepatan waktu",
                                 "target": "12 bulan", "realisation": "12 bulan"}],
                 "realisation": f"Realisasi RHK {n} didukung bukti " + "terlampir " * 15,
                 "feedback": f"Umpan balik RHK {n}: pertahankan", "rating": "Sesuai Ekspektasi"}
                for n in range(1, rhk_count + 1)],
        "behaviour": [{"value": value, "guides": [f"{value} pedoman 1", f"{value} pedoman 2",
                                                  f"{value} pedoman 3"],
                       "expectation": f"Ekspektasi {value}", "feedback": f"Catatan {value}"}
                      for value in VALUES],
        "hasil_kerja": "Sesuai Ekspektasi", "perilaku_kerja": "Di Atas Ekspektasi",
        "predikat": "Baik", "status": "Selesai",
        "assessed_on": date(2027, 1, 11), "acknowledged_on": date(2027, 1, 12),
    }
    doc.update(changes)
    return doc


@pytest.mark.parametrize("locale", ["id", "en"])
def test_form_prints_people_results_behaviour_and_predicate(app, locale):
    with app.app_context(), force_locale(locale):
        reader, text = pdf_text(render_evaluation_pdf(evaluation()))
        labels = [_("EMPLOYEE PERFORMANCE EVALUATION"), _("WORK RESULTS"),
                  _("WORK BEHAVIOUR (BerAKHLAK)"), _("EMPLOYEE PERFORMANCE RATING"),
                  _("A. MAIN"), _("B. ADDITIONAL"), _("Appraising official"),
                  _("Employee appraised"),
                  _("Page %(page)s of %(pages)s", page=1, pages=len(reader.pages))]
    text = flat(text)
    for label in labels:
        assert flat(label) in text, label
    for expected in ("Budi Santoso", "198001012005011001", "Siti Aminah", "197502022000032002",
                     "Joko Widodo", "Kepala Dinas", "Penata (III/c)", "TRIWULAN IV",
                     "Pemerintah Kota Surakarta", "Jumlah dokumen 2", "12 dokumen",
                     "Umpan balik RHK 3: pertahankan", "Kolaboratif pedoman 3",
                     "Ekspektasi Loyal", "Di Atas Ekspektasi", "Baik"):
        assert expected in text, expected
    # The main RHK come first, then the additional ones (RHK 4 is tambahan).
    assert text.index(flat(labels[4])) < text.index(flat(labels[5]))


def test_dates_are_written_in_bahasa_indonesia(app):
    with app.app_context(), force_locale("id"):
        _reader, text = pdf_text(render_evaluation_pdf(evaluation()))
    assert "1 Oktober 2026" in text and "31 Desember 2026" in text
    assert "11 Januari 2027" in text and "12 Januari 2027" in text


def test_long_form_breaks_pages_repeats_headings_and_numbers_pages(app):
    with app.app_context(), force_locale("en"):
        reader, _text = pdf_text(render_evaluation_pdf(evaluation(rhk_count=14)))
        heading = _("Planned work result (RHK)")
        total = len(reader.pages)
        footers = [_("Page %(page)s of %(pages)s", page=n, pages=total)
                   for n in range(1, total + 1)]
    assert total >= 3
    pages = [flat(page.extract_text()) for page in reader.pages]
    for page, footer in zip(pages, footers, strict=True):
        assert footer in page
    # The results table spans several pages and its heading row is on each of them.
    with_results = [page for page in pages if "Tersusunnya dokumen perencanaan" in page]
    assert len(with_results) >= 2
    assert all(heading in page for page in with_results)
    # Long RHK text is wrapped, not cut: its last words are there.
    assert any("perencanaan nomor 14 yang lengkap yang lengkap" in page for page in pages)


def test_jpt_form_shows_the_organisation_achievement(app):
    doc = evaluation(is_jpt=True, unit_predikat="Istimewa",
                     rhk=[dict(evaluation()["rhk"][0], parent_text=None,
                               perspective="Penerima Layanan")])
    with app.app_context(), force_locale("en"):
        _reader, text = pdf_text(render_evaluation_pdf(doc))
        label = _("ORGANISATION PERFORMANCE ACHIEVEMENT")
    assert label in text and "Istimewa" in flat(text)
    assert "Penerima Layanan" in flat(text)


def test_missing_appraiser_and_dates_leave_blanks(app):
    doc = evaluation(appraiser=None, appraiser_superior=None, assessed_on=None,
                     acknowledged_on=None, hasil_kerja=None, perilaku_kerja=None,
                     predikat=None, rhk=[], behaviour=[])
    with app.app_context():
        reader, text = pdf_text(render_evaluation_pdf(doc))
    assert len(reader.pages) >= 1
    assert "Budi Santoso" in text and "Siti Aminah" not in text


def test_text_outside_latin1_survives(app):
    doc = evaluation(employee=person("Ni Luh Ayu – Déwi “Çantik”", "198001012005011001",
                                     "Analis"))
    with app.app_context():
        _reader, text = pdf_text(render_evaluation_pdf(doc))
    assert "Ni Luh Ayu" in text


def test_without_a_unicode_font_text_is_reduced_to_latin1(app, monkeypatch):
    from app.documents import pdf_base

    monkeypatch.setattr(pdf_base, "FONT_DIRS", ())
    monkeypatch.setitem(app.config, "DOCUMENT_FONT_DIR", None)
    doc = evaluation(employee=person("Ni Luh Ayu – Déwi “Çantik” 王", "198001012005011001",
                                     "Analis"))
    with app.app_context():
        _reader, text = pdf_text(render_evaluation_pdf(doc))
    assert 'Ni Luh Ayu - Déwi "Çantik" ?' in text
