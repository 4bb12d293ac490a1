"""The evaluation pages, used as a person would: forms without JavaScript."""

import re

from app.evaluations.models import Evaluation, EvaluationPeriod
from tests.evaluations.support import line_skps, quarters
from tests.test_pages import csrf_from, sign_in


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def post(client, url, data, page_url=None):
    token = csrf_from(page(client, page_url or "/evaluasi"))
    return client.post(url, data={**data, "csrf_token": token})


def test_admin_creates_the_periods_of_a_year(client, world, count):
    sign_in(client, world.one.admin)
    html = page(client, "/evaluasi/periode")
    assert 'for="generate-kind"' in html and 'for="starts_on"' in html
    response = post(client, "/evaluasi/periode/buat", {"year": "2026", "kind": "semester"},
                    "/evaluasi/periode")
    assert response.status_code == 303
    html = page(client, "/evaluasi/periode?tahun=2026")
    assert "Semester I 2026" in html and "Tahunan 2026" in html
    assert count(EvaluationPeriod) == 3
    # A bad period keeps what was typed and says what to fix.
    response = post(client, "/evaluasi/periode", {
        "name": "Periode Khusus", "kind": "monthly", "starts_on": "2026-05-10",
        "ends_on": "2026-05-01"}, "/evaluasi/periode")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Periode Khusus"' in html and 'id="ends_on-error"' in html


def test_staff_cannot_open_the_admin_page(client, world):
    sign_in(client, world.one.staff_a1)
    assert client.get("/evaluasi/periode").status_code == 403


def test_pimpinan_see_the_periods_without_forms(client, world):
    quarters(world.one)
    sign_in(client, world.one.head)
    html = page(client, "/evaluasi/periode?tahun=2026")
    assert "Triwulan IV 2026" in html
    assert "<form" not in html.split("<main", 1)[1]
    response = post(client, "/evaluasi/periode/buat", {"year": "2026", "kind": "semester"})
    assert response.status_code == 403


def test_self_evaluation_to_acknowledgement(client, app, world):
    periods = quarters(world.one)
    line_skps(world.one)
    period = periods["Triwulan IV 2026"]
    sign_in(client, world.one.staff_a1)
    html = page(client, "/evaluasi?tahun=2026")
    assert "Triwulan IV 2026" in html
    opened = post(client, f"/evaluasi/periode/{period.id}/buka", {})
    assert opened.status_code == 303
    url = opened.headers["Location"]
    html = page(client, url)
    assert 'id="self-evaluation"' in html
    rhk_ids = re.findall(r'name="realisation-(\d+)"', html)
    assert len(rhk_ids) == 3
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    form = {"version": version, "action": "submit",
            f"realisation-{rhk_ids[0]}": "Enam laporan tersusun",
            f"reflection-{rhk_ids[0]}": "Tepat waktu"}
    # Every RHK needs its realisation: the page says which, keeping what was typed.
    refused = post(client, url, form, url)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Enam laporan tersusun" in html and 'id="self-evaluation"' in html
    for rhk_id in rhk_ids[1:]:
        assert f'id="realisation-{rhk_id}-error"' in html
        assert f'aria-describedby="realisation-{rhk_id}-error"' in html
    assert f'id="realisation-{rhk_ids[0]}-error"' not in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    form.update({"version": version, **{f"realisation-{rhk_id}": "Terlaksana"
                                         for rhk_id in rhk_ids[1:]}})
    saved = post(client, url, form, url)
    assert saved.status_code == 303
    html = page(client, url)
    assert "Enam laporan tersusun" in html and 'id="self-evaluation"' not in html

    supervisor = app.test_client()
    sign_in(supervisor, world.one.sup_a)
    team = page(supervisor, f"/evaluasi/tim?periode={period.id}")
    assert world.one.staff_a1.name in team
    evaluation_id = int(url.rstrip("/").rsplit("/", 1)[1])
    form_url = f"/evaluasi/{evaluation_id}/penilaian"
    html = page(supervisor, form_url)
    assert "Berorientasi Pelayanan" in html and 'for="perilaku_kerja"' in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    # Missing behaviour rating: the typed feedback stays.
    missing = post(supervisor, form_url, {"version": version, "hasil_kerja": "di_atas",
                                          f"feedback-{rhk_ids[0]}": "Bagus sekali"}, form_url)
    assert missing.status_code == 422
    assert "Bagus sekali" in missing.get_data(as_text=True)
    assert 'id="perilaku_kerja-error"' in missing.get_data(as_text=True)
    done = post(supervisor, form_url, {"version": version, "hasil_kerja": "di_atas",
                                       "perilaku_kerja": "di_atas",
                                       f"rating-{rhk_ids[0]}": "di_atas",
                                       f"feedback-{rhk_ids[0]}": "Bagus sekali"}, form_url)
    assert done.status_code == 303
    # Another supervisor may not open the form.
    other = app.test_client()
    sign_in(other, world.one.sup_b)
    assert other.get(form_url).status_code == 404

    html = page(client, url)
    assert "Bagus sekali" in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    acknowledged = post(client, f"/evaluasi/{evaluation_id}/terima", {"version": version}, url)
    assert acknowledged.status_code == 303
    from app.extensions import db

    db.session.rollback()
    evaluation = db.session.get(Evaluation, evaluation_id)
    assert evaluation.status.value == "acknowledged"
    assert evaluation.predikat.value == "sangat_baik"


def test_a_stale_form_keeps_the_typing(client, world):
    periods = quarters(world.one)
    line_skps(world.one)
    sign_in(client, world.one.staff_a1)
    url = post(client, f"/evaluasi/periode/{periods['Triwulan IV 2026'].id}/buka",
               {}).headers["Location"]
    html = page(client, url)
    rhk_id = re.search(r'name="realisation-(\d+)"', html).group(1)
    post(client, url, {"version": "1", f"realisation-{rhk_id}": "pertama"}, url)
    stale = post(client, url, {"version": "1", f"realisation-{rhk_id}": "kedua yang hilang?"},
                 url)
    assert stale.status_code == 409
    assert "kedua yang hilang?" in stale.get_data(as_text=True)
    assert 'role="alert"' in stale.get_data(as_text=True)


def test_distribution_page_for_pimpinan(client, world):
    period = quarters(world.one)["Triwulan IV 2026"]
    sign_in(client, world.one.head)
    html = page(client, f"/evaluasi/distribusi?periode={period.id}&unit={world.one.sup_a.unit_id}")
    assert "Bidang A" in html
    response = post(client, "/evaluasi/distribusi/predikat-unit", {
        "period_id": str(period.id), "unit_id": str(world.one.sup_a.unit_id),
        "predikat": "istimewa"}, f"/evaluasi/distribusi?periode={period.id}")
    assert response.status_code == 303
    html = page(client, f"/evaluasi/distribusi?periode={period.id}&unit={world.one.sup_a.unit_id}")
    assert 'for="predicate-value"' in html


def test_evidence_form_takes_a_photo_or_a_link(client, world, evidence_folder):
    import io

    from tests.evaluations.test_self_evaluation import PNG

    periods = quarters(world.one)
    line_skps(world.one)
    sign_in(client, world.one.staff_a1)
    url = post(client, f"/evaluasi/periode/{periods['Triwulan IV 2026'].id}/buka",
               {}).headers["Location"]
    html = page(client, url)
    assert 'enctype="multipart/form-data"' in html and 'for="evidence-file"' in html
    rhk_id = re.search(r'name="realisation-(\d+)"', html).group(1)
    token = csrf_from(html)
    photo = client.post(f"{url}/bukti", data={
        "csrf_token": token, "rhk_id": rhk_id, "label": "Foto rapat",
        "file": (io.BytesIO(PNG), "rapat.png")}, content_type="multipart/form-data")
    assert photo.status_code == 303
    link = client.post(f"{url}/bukti", data={"csrf_token": token, "rhk_id": rhk_id,
                                             "url": "https://bukti.example.org/notulen"})
    assert link.status_code == 303
    bad = client.post(f"{url}/bukti", data={"csrf_token": token, "rhk_id": rhk_id,
                                            "url": "bukan tautan"})
    assert bad.status_code == 303
    html = page(client, url)
    assert "Foto rapat" in html and "https://bukti.example.org/notulen" in html
    assert html.count("/api/v1/evaluation-evidence/") == 1
    assert len(list(evidence_folder.rglob("*.png"))) == 1
