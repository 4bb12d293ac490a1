"""Import files for the tests, written as an HR office would: CSV or XLSX, SIASN headers."""

import io

from openpyxl import Workbook

from app.extensions import db
from app.org.models import ImportJob, ImportKind, ImportStatus

PEOPLE_HEADERS = ["nip", "nama", "jabatan", "jenis_jabatan", "golongan", "kode_unit",
                  "nip_atasan", "email"]
UNIT_HEADERS = ["kode", "nama", "kode_induk", "zona_waktu"]


def person_row(nip, name, unit="A1", boss=None, kind="Pelaksana", golongan="III/a",
               jabatan="Pengadministrasi Umum", email=None):
    return [nip, name, jabatan, kind, golongan, unit, boss, email]


def roster(org) -> list[list]:
    """Every person of a test organisation exactly as the database holds them."""
    people = [org.head, org.sup_a, org.staff_a1, org.staff_a2, org.sup_b, org.staff_b1,
              org.admin]
    return [[p.nip, p.name, p.jabatan, p.position_kind.value, p.golongan, p.unit.code,
             p.supervisor.nip if p.supervisor else None, p.email] for p in people]


def csv_file(rows, headers=PEOPLE_HEADERS, delimiter=",", bom=False) -> bytes:
    lines = [delimiter.join(headers)]
    lines += [delimiter.join("" if cell is None else str(cell) for cell in row)
              for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def xlsx_file(rows, headers=PEOPLE_HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(api, content: bytes, kind="people", name="pegawai.csv", lang="en", **query):
    """Post a file to the import API; messages in English unless ``lang`` says otherwise."""
    params = "&".join(f"{key}={str(value).lower()}" for key, value in query.items())
    return api.post(f"/api/v1/imports/{kind}?{params}",
                    data={"file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data",
                    headers={"Accept-Language": lang})


def by_nip(body) -> dict:
    return {row["nip"]: row for row in body["rows"]}


def other_org_ids(world) -> dict:
    """A finished preview of the second organisation's admin (tests/test_permissions.py)."""
    job = ImportJob(org_id=world.two.org.id, owner_id=world.two.admin.id,
                    kind=ImportKind.PEOPLE, dry_run=True, status=ImportStatus.DONE,
                    progress=100, file_key="2/x.csv", filename="x.csv",
                    result={"summary": {}, "rows": []})
    db.session.add(job)
    db.session.commit()
    return {"job_id": job.id}
