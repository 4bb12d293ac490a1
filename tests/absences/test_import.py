"""POST /api/v1/absences/import: a dry run previews each row, applying writes all or none,
and importing the same file twice changes nothing."""

import io
from datetime import date

import sqlalchemy as sa
from openpyxl import Workbook

from app.absences.models import Absence
from app.extensions import db

HEADER = ["nip", "jenis", "mulai", "selesai", "keterangan"]


def workbook(*rows) -> io.BytesIO:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def send(api, data, dry_run):
    return api.post(f"/api/v1/absences/import?dry_run={str(dry_run).lower()}",
                    data={"file": (data, "cuti.xlsx")}, content_type="multipart/form-data")


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Absence))


def test_dry_run_then_apply_then_again_unchanged(api, world):
    one = world.one
    rows = [(one.staff_a1.nip, "Cuti Tahunan", date(2026, 11, 2), date(2026, 11, 6), "Keluarga"),
            (one.staff_b1.nip, "dinas luar", "09/11/2026", "10/11/2026", "")]
    api.login(one.admin)
    preview = send(api, workbook(*rows), True)
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert (body["created"], body["errors"], body["applied"]) == (2, 0, False)
    assert [row["kind"] for row in body["rows"]] == ["cuti_tahunan", "dinas_luar"]
    assert stored() == 0
    applied = send(api, workbook(*rows), False).get_json()
    assert applied["applied"] is True and stored() == 2
    again = send(api, workbook(*rows), False).get_json()
    assert (again["created"], again["unchanged"]) == (0, 2) and stored() == 2


def test_a_row_in_error_refuses_the_whole_file(api, world):
    one = world.one
    rows = [(one.staff_a1.nip, "cuti tahunan", "2026-11-02", "2026-11-06", ""),
            (world.two.staff_a1.nip, "cuti besar", "2026-11-02", "2026-11-06", ""),
            (one.staff_a2.nip, "liburan", "kemarin", "2026-11-01", "")]
    api.login(one.admin)
    preview = send(api, workbook(*rows), True).get_json()
    assert preview["errors"] == 2
    errors = {row["row"]: row["errors"] for row in preview["rows"]}
    assert "nip" in errors[3]  # another organisation's NIP is unknown here
    assert {"jenis", "mulai"} <= set(errors[4])
    refused = send(api, workbook(*rows), False)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["result"]["errors"] == 2
    assert stored() == 0


def test_only_hr_imports_and_only_workbooks(api, world):
    for person in (world.one.head, world.one.staff_a1):
        api.login(person)
        assert send(api, workbook(), True).status_code == 403
    api.login(world.one.admin)
    assert send(api, io.BytesIO(b"nip,jenis\n1,2\n"), True).status_code == 422
    missing = api.post("/api/v1/absences/import?dry_run=true", data={},
                       content_type="multipart/form-data")
    assert missing.status_code == 422
