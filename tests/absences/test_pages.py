"""The pages: the employee asks at /cuti, the supervisor decides in /tim, HR enters and
lists at /cuti/semua, pimpinan only read it."""

import io

import sqlalchemy as sa

from app.absences.models import Absence, AbsenceStatus
from app.extensions import db
from tests.absences.test_import import workbook

FORM = {"kind": "cuti_sakit", "starts_on": "2026-11-02", "ends_on": "2026-11-03",
        "note": "Demam"}


def last_absence() -> Absence:
    db.session.rollback()
    return db.session.scalars(sa.select(Absence).order_by(Absence.id.desc())).first()


def test_employee_asks_and_supervisor_approves_in_tim(api, world):
    one = world.one
    api.login(one.staff_a1)
    assert "Ajukan cuti atau laporkan ketidakhadiran" in api.get("/cuti").get_data(as_text=True)
    response = api.post("/cuti", data=FORM)
    assert response.status_code == 303
    absence = last_absence()
    assert absence.status == AbsenceStatus.REQUESTED and absence.person_id == one.staff_a1.id
    api.login(one.sup_a)
    team = api.get("/tim").get_data(as_text=True)
    assert f'data-absence-id="{absence.id}"' in team
    assert api.post(f"/cuti/{absence.id}/setujui", data={"next": "/tim"}).status_code == 303
    assert last_absence().status == AbsenceStatus.APPROVED


def test_bad_input_shows_the_form_again_with_what_was_typed(api, world):
    api.login(world.one.staff_a1)
    response = api.post("/cuti", data={**FORM, "ends_on": "2026-11-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="2026-11-01"' in page and "Demam" in page
    assert last_absence() is None


def test_hr_enters_pimpinan_reads_staff_refused(api, world):
    one = world.one
    api.login(one.admin)
    response = api.post("/cuti/semua", data={**FORM, "person_id": one.staff_b1.id})
    assert response.status_code == 303
    assert last_absence().status == AbsenceStatus.APPROVED
    assert one.staff_b1.name in api.get("/cuti/semua").get_data(as_text=True)
    api.login(one.head)
    page = api.get("/cuti/semua").get_data(as_text=True)
    assert one.staff_b1.name in page and 'method="post" action="/cuti/semua"' not in page
    assert api.post("/cuti/semua", data={**FORM, "person_id": one.staff_a1.id}
                    ).status_code == 403
    api.login(one.staff_a1)
    assert api.get("/cuti/semua").status_code == 403
    api.login(world.two.admin)  # another organisation: not listed
    assert one.staff_b1.name not in api.get("/cuti/semua").get_data(as_text=True)


def upload(api, data, name="cuti.xlsx"):
    return api.post("/cuti/semua/impor", data={"file": (data, name)},
                    content_type="multipart/form-data")


def test_hr_imports_a_spreadsheet_all_rows_or_none(api, world):
    one = world.one
    good = (one.staff_a1.nip, "Cuti Tahunan", "2026-11-02", "2026-11-06", "Keluarga")
    api.login(one.admin)
    page = api.get("/cuti/semua").get_data(as_text=True)
    assert 'action="/cuti/semua/impor#import"' in page and "/api/v1/" not in page
    # One row wrong (a NIP of another organisation, an unknown kind): nothing is kept.
    refused = upload(api, workbook(good, (world.two.staff_a1.nip, "liburan", "2026-11-02",
                                          "2026-11-03", "")), "rekap cuti.xlsx")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "rekap cuti.xlsx" in page and 'data-row="3"' in page and 'data-row="2"' not in page
    assert "jenis: Jenis cuti tidak dikenal." in page and "nip: " in page
    assert last_absence() is None
    # The corrected file: every row entered, approved at once; the count is said.
    done = upload(api, workbook(good, (one.staff_b1.nip, "dinas luar", "09/11/2026",
                                       "10/11/2026", "")))
    assert done.status_code == 303
    page = api.get("/cuti/semua").get_data(as_text=True)
    assert "Diimpor: 2 ketidakhadiran baru; 0 sudah tercatat sebelumnya." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Absence).where(
        Absence.status == AbsenceStatus.APPROVED)) == 2
    # The same file again changes nothing.
    assert upload(api, workbook(good)).status_code == 303
    assert "Diimpor: 0 ketidakhadiran baru; 1 sudah tercatat sebelumnya." in api.get(
        "/cuti/semua").get_data(as_text=True)


def test_import_without_a_usable_file_says_so(api, world):
    api.login(world.one.admin)
    missing = api.post("/cuti/semua/impor", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert "Pilih berkas XLSX." in missing.get_data(as_text=True)
    not_xlsx = upload(api, io.BytesIO(b"nip;jenis\n1;cuti"), "cuti.csv")
    assert not_xlsx.status_code == 422
    assert 'id="import-file-error"' in not_xlsx.get_data(as_text=True)
    assert last_absence() is None


def test_only_hr_imports(api, world):
    one = world.one
    for person in (one.head, one.staff_a1):
        api.login(person)
        assert upload(api, workbook((one.staff_a1.nip, "sakit", "2026-11-02", "2026-11-02",
                                     ""))).status_code == 403
    assert last_absence() is None
    api.login(one.head)
    assert 'action="/cuti/semua/impor' not in api.get("/cuti/semua").get_data(as_text=True)
