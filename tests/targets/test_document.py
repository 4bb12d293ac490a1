"""The SKP printed as the regulation's document: opened with pypdf and its text checked."""

import io
import re

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from app.extensions import db
from app.targets import periods, planning, services
from app.targets.models import SkpStatus
from tests.targets.factories import YEAR, make_skp, simple_rhks

RHKS = [
    ("utama", "Tersusunnya laporan keuangan triwulanan",
     [("kuantitas", "Jumlah laporan keuangan", 12, "laporan")]),
    ("tambahan", "Terbantunya kegiatan pengadaan",
     [("kuantitas", "Kegiatan yang dibantu", 4, "kegiatan")]),
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def planned(world):
    """staff_a1's approved SKP with a quarterly split, expectations and the lampiran."""
    org = world.one
    head = make_skp(org.head, YEAR, rhks=simple_rhks("Kepala"), status=SkpStatus.APPROVED,
                    approver=org.admin)
    sup = make_skp(org.sup_a, YEAR, rhks=simple_rhks("Bidang"), parent=head.rhks[0],
                   status=SkpStatus.APPROVED)
    skp = make_skp(org.staff_a1, YEAR, rhks=RHKS, parent=sup.rhks[0])
    indicator = next(r for r in skp.rhks if r.kind == "utama").indicators[0]
    periods.set_split(org.staff_a1, indicator, skp.version, "quarter",
                      [{"number": n, "target": 3} for n in range(1, 5)])
    planning.set_annex(org.staff_a1, skp, skp.version, {
        "resource_support": "Laptop dan akses aplikasi SAKTI",
        "accountability": "Laporan bulanan kepada kepala seksi",
        "consequences": "Teguran tertulis bila terlambat"})
    services.submit(org.staff_a1, skp)
    planning.set_expectations(org.sup_a, skp, skp.version, [
        {"value": "akuntabel", "text": "Laporan tanpa temuan BPK"},
        {"value": "adaptif", "text": "Menguasai aplikasi baru dalam sebulan"}])
    services.approve(org.sup_a, skp)
    db.session.commit()
    return skp


def download(api, skp_id, **query):
    return api.get(f"/api/v1/skps/{skp_id}/document", query_string=query)


def test_the_skp_prints_as_the_regulations_document(api, world, planned):
    org = world.one
    api.login(org.staff_a1)
    response = download(api, planned.id, place="Mataram")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"skp-{YEAR}-{org.staff_a1.nip}.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)

    assert "SASARAN KINERJA PEGAWAI" in text
    assert "1 Januari 2026" in text and "31 Desember 2026" in text
    # Both parties: name, NIP, pangkat/golongan, jabatan, unit.
    for person in (org.staff_a1, org.sup_a):
        assert person.name in text and person.nip in text and person.jabatan in text
        assert person.unit.name in text
    assert "Penata Muda, III/a" in text
    assert "Pegawai yang dinilai" in text and "Pejabat penilai kinerja" in text
    # RHK utama and tambahan with indicators and targets, and the quarterly split.
    assert text.index("A. UTAMA") < text.index("Tersusunnya laporan keuangan triwulanan")
    assert text.index("B. TAMBAHAN") < text.index("Terbantunya kegiatan pengadaan")
    assert "Jumlah laporan keuangan" in text and "12 laporan" in text
    assert "4 kegiatan" in text
    assert "TW I: 3" in text and "TW IV: 3" in text
    assert "Bidang hasil 1" in text      # the supervisor's RHK it supports
    # Behaviour with the leader's expectations, and the lampiran.
    assert "Ekspektasi khusus pimpinan" in text
    assert "Berorientasi Pelayanan" in text and "Kolaboratif" in text
    assert "Laporan tanpa temuan BPK" in text
    assert "Menguasai aplikasi baru dalam sebulan" in text
    assert "LAMPIRAN SKP" in text
    assert "Dukungan sumber daya" in text and "Laptop dan akses aplikasi SAKTI" in text
    assert "Skema pertanggungjawaban" in text
    assert "Laporan bulanan kepada kepala seksi" in text
    assert "Konsekuensi" in text and "Teguran tertulis bila terlambat" in text
    # Signature blocks: place and the day of approval.
    signed = format_date(services.today_for(org.staff_a1), "d MMMM y", locale="id")
    assert f"Mataram, {signed}" in text


def test_a_jpt_skp_shows_the_perspective(api, world):
    org = world.one
    skp = make_skp(org.head, YEAR, rhks=simple_rhks("Kepala"))
    api.login(org.head)
    text = pdf_text(download(api, skp.id).data)
    assert "Perspektif" in text and "Penerima Layanan" in text
    assert "Kepala hasil 1" in text and "12 dokumen" in text


def test_printed_in_english_on_request(api, world, planned):
    api.login(world.one.staff_a1)
    response = api.get(f"/api/v1/skps/{planned.id}/document",
                       headers={"Accept-Language": "en"})
    text = pdf_text(response.data)
    assert "EMPLOYEE PERFORMANCE TARGET" in text and "A. MAIN" in text
    assert "Laporan tanpa temuan BPK" in text


def test_who_may_print(api, world, planned):
    org = world.one
    for person in (org.staff_a1, org.sup_a, org.head, org.admin):
        api.login(person)
        assert download(api, planned.id).status_code == 200, person.name
    for person in (org.staff_a2, org.sup_b, org.staff_b1):
        api.login(person)
        assert download(api, planned.id).status_code == 404, person.name
    for person in (world.two.admin, world.two.head, world.two.staff_a1):
        api.login(person)
        assert download(api, planned.id).status_code == 404, person.name
    # A subordinate sees the supervisor's approved SKP but does not print it.
    sup_skp = services.skp_of(org.sup_a, YEAR)
    api.login(org.staff_a1)
    assert api.get(f"/api/v1/skps/{sup_skp.id}").status_code == 200
    assert download(api, sup_skp.id).status_code == 403
    assert download(api, planned.id, place="x" * 81).status_code == 422
