"""Team and unit recaps as XLSX: cells, totals, formats, the per-day matrix, who may ask."""

from datetime import date

import pytest
from flask_babel import gettext as _

from app.activities.models import ActivityStatus
from tests.documents.conftest import add, fetch, find_row, workbook

TEAM = "/api/v1/documents/team-recap"
EXPORTS = "/api/v1/exports"


@pytest.fixture
def team_month(db, world, targets):
    a1, a2 = world.one.staff_a1, world.one.staff_a2
    add(db, a1, date(2026, 11, 2), "Menyusun dokumen", target=targets.dokumen, quantity=3)
    add(db, a1, date(2026, 11, 3), "Menyusun dokumen lagi", target=targets.dokumen, quantity=2,
        status=ActivityStatus.SUBMITTED, late=True)
    add(db, a1, date(2026, 11, 3), "Rapat", status=ActivityStatus.RETURNED)
    add(db, a2, date(2026, 11, 7), "Piket hari Sabtu", status=ActivityStatus.DRAFT)
    add(db, world.one.staff_b1, date(2026, 11, 2), "Kegiatan tim lain")
    add(db, world.two.staff_a1, date(2026, 11, 2), "Kegiatan organisasi lain")


def test_team_recap_has_one_row_per_person_with_totals(api, db, world, team_month):
    api.login(world.one.sup_a)
    response = api.get(f"{TEAM}?month=2026-11")

    assert response.status_code == 200
    sheet = workbook(response.data).worksheets[0]
    header = find_row(sheet, _("NIP"))
    assert sheet.freeze_panes == f"A{header + 1}"
    headings = [cell.value for cell in sheet[header]]
    assert headings[:8] == [_("NIP"), _("Name"), _("Position"), _("Days logged"),
                            _("Working days"), _("Hours"), _("Activities"), _("draft")]
    rows = {sheet.cell(row=r, column=2).value: [c.value for c in sheet[r]]
            for r in range(header + 1, sheet.max_row + 1)}
    a1 = rows[world.one.staff_a1.name]
    column = {name: index for index, name in enumerate(headings)}
    assert a1[column[_("Days logged")]] == 2
    # November 2026: 21 weekdays, none of them a national holiday.
    assert a1[column[_("Working days")]] == 21
    assert a1[column[_("Hours")]] == 4.5
    assert a1[column[_("Activities")]] == 3
    assert a1[column[_("approved")]] == 1 and a1[column[_("returned")]] == 1
    assert a1[column[_("Late submissions")]] == 1
    assert a1[column[_("Outputs per RHK")]] == "Tersusunnya dokumen perencanaan: 5 dokumen"
    assert rows[world.one.staff_a2.name][column[_("draft")]] == 1
    assert world.one.staff_b1.name not in rows and world.two.staff_a1.name not in rows
    totals = [cell.value for cell in sheet[sheet.max_row]]
    assert totals[0] == _("Total")
    assert totals[column[_("Activities")]] == 4 and totals[column[_("Hours")]] == 6.0
    assert totals[column[_("Working days")]] is None
    hours_cell = sheet.cell(row=header + 1, column=column[_("Hours")] + 1)
    assert hours_cell.number_format == "#,##0.00"


def test_team_recap_of_someone_without_a_team_is_empty(api, db, world, team_month):
    api.login(world.one.staff_a1)
    sheet = workbook(api.get(f"{TEAM}?month=2026-11").data).worksheets[0]
    header = find_row(sheet, _("NIP"))
    assert sheet.max_row == header


def test_team_recap_bad_month_is_422(api, db, world):
    api.login(world.one.sup_a)
    assert api.get(f"{TEAM}?month=2026-00").status_code == 422


def test_unit_recap_job_makes_summary_and_day_matrix(api, db, world, team_month):
    api.login(world.one.admin)
    unit_a = world.one.sup_a.unit_id
    response = api.post(EXPORTS, json={"kind": "unit_recap", "unit_id": unit_a,
                                       "month": "2026-11"})

    assert response.status_code == 202
    job = api.get(response.headers["Location"]).get_json()
    assert (job["status"], job["progress"]) == ("done", 100)
    download = fetch(api, job["file_url"])
    assert download.status_code == 200
    book = workbook(download.data)
    summary, matrix = book.worksheets
    header = find_row(summary, _("NIP"))
    names = [summary.cell(row=r, column=2).value for r in range(header + 1, summary.max_row)]
    # Bidang A and its sub-unit Seksi A1; not Bidang B, not the root.
    assert sorted(names) == sorted([world.one.sup_a.name, world.one.staff_a1.name,
                                    world.one.staff_a2.name])
    assert summary.cell(row=summary.max_row, column=1).value == _("Total")
    units = {summary.cell(row=r, column=2).value: summary.cell(row=r, column=4).value
             for r in range(header + 1, summary.max_row)}
    assert units[world.one.staff_a1.name] == "Seksi A1"

    top = find_row(matrix, _("NIP"))
    assert matrix.freeze_panes == f"C{top + 1}"
    days = [cell.value for cell in matrix[top]][2:-1]
    assert days == [str(day) for day in range(1, 31)]
    by_name = {matrix.cell(row=r, column=2).value: [c.value for c in matrix[r]]
               for r in range(top + 1, matrix.max_row + 1)}
    a1 = by_name[world.one.staff_a1.name]
    assert a1[2 + 1] == 1 and a1[2 + 2] == 1 and a1[2 + 0] is None  # 2 and 3 November
    assert a1[-1] == 2
    assert by_name[world.one.staff_a2.name][2 + 6] == 1  # Saturday 7 November
    # Days off are shaded: 7 November 2026 is a Saturday, 9 November a Monday.
    assert matrix.cell(row=top, column=3 + 6).fill.fgColor.rgb.endswith("D9D9D9")
    assert not matrix.cell(row=top, column=3 + 8).fill.fgColor.rgb.endswith("D9D9D9")


def test_unit_recap_includes_the_whole_tree_from_the_root(api, db, world, team_month):
    api.login(world.one.head)
    root = world.one.head.unit_id
    job = api.post(EXPORTS, json={"kind": "unit_recap", "unit_id": root,
                                  "month": "2026-11"}).get_json()
    summary = workbook(fetch(api, job["file_url"]).data).worksheets[0]
    header = find_row(summary, _("NIP"))
    assert summary.max_row - header - 1 == 7  # everyone of organisation one, plus totals


def test_unit_recap_is_for_admins_and_pimpinan_only(api, db, world):
    api.login(world.one.sup_a)
    response = api.post(EXPORTS, json={"kind": "unit_recap",
                                       "unit_id": world.one.sup_a.unit_id,
                                       "month": "2026-11"})
    assert response.status_code == 403


def test_unit_of_another_organisation_is_404(api, db, world):
    api.login(world.one.admin)
    response = api.post(EXPORTS, json={"kind": "unit_recap",
                                       "unit_id": world.two.sup_a.unit_id,
                                       "month": "2026-11"})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [
    {"kind": "unit_recap", "month": "2026-11"},
    {"kind": "unit_recap", "unit_id": "1", "month": "2026-11"},
    {"kind": "unit_recap", "unit_id": 1, "month": "2026/11"},
    {"kind": "everything", "month": "2026-11"},
    {"kind": "ekinerja_csv", "from": "2026-11-30", "to": "2026-11-01"},
    {"kind": "ekinerja_csv", "from": "2026-11-01"},
    {"kind": "team_recap", "month": "2026-11", "extra": 1},
])
def test_bad_export_arguments_are_422(api, db, world, body):
    api.login(world.one.admin)
    response = api.post(EXPORTS, json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_team_page_links_each_person(client, db, world, team_month):
    from tests.test_pages import sign_in

    sign_in(client, world.one.sup_a)
    html = client.get("/laporan-bulanan/tim?bulan=2026-11").get_data(as_text=True)
    assert world.one.staff_a1.name in html and world.one.staff_b1.name not in html
    assert "/laporan-bulanan/tim/unduh?bulan=2026-11" in html
    xlsx = client.get("/laporan-bulanan/tim/unduh?bulan=2026-11")
    assert xlsx.status_code == 200
    assert workbook(xlsx.data).worksheets[0].cell(row=1, column=1).value == world.one.org.name


def test_team_recap_shows_quality_and_timeliness_never_summed(api, db, world, targets):
    """A Kualitas or Waktu indicator's figure is the realisation's percentage (the marks'
    average, the share on time), on its own line, not added to the RHK's quantities."""
    from decimal import Decimal

    from app.targets.models import Aspect, Indicator

    a1 = world.one.staff_a1
    waktu = Indicator(rhk_id=targets.dokumen.rhk_id, aspect=Aspect.WAKTU, unit="%",
                      description="Tepat waktu", target_min=Decimal(100),
                      due_date=date(2026, 11, 10), position=3)
    db.session.add(waktu)
    db.session.commit()
    on_time = add(db, a1, date(2026, 11, 2), "Dokumen", target=targets.dokumen, quantity=3)
    late = add(db, a1, date(2026, 11, 12), "Dokumen", target=targets.dokumen, quantity=1)
    on_time.quality, late.quality = 4, 3
    # A quantity logged against the Kualitas indicator itself is not added anywhere.
    add(db, a1, date(2026, 11, 13), "Salah pilih", target=targets.kualitas, quantity=7,
        status=ActivityStatus.DRAFT)
    db.session.commit()
    api.login(world.one.sup_a)

    recap = api.get("/api/v1/recaps/monthly/team?month=2026-11")
    sheet_response = api.get(f"{TEAM}?month=2026-11")

    assert recap.status_code == 200, recap.get_json()
    [mine] = [row for row in recap.get_json()["people"] if row["person"]["id"] == a1.id]
    outputs = {row["indicator_id"]: row for row in mine["outputs"]}
    assert outputs[targets.dokumen.id]["approved_quantity"] == 4
    assert outputs[targets.kualitas.id]["quantity"] is None
    assert outputs[targets.kualitas.id]["approved_quantity"] == 87.5  # (4 + 3) / 2 x 25
    assert outputs[waktu.id]["approved_quantity"] == 50  # one of two on time
    assert outputs[waktu.id]["status"] == "below"
    sheet = workbook(sheet_response.data).worksheets[0]
    header = find_row(sheet, _("NIP"))
    headings = [cell.value for cell in sheet[header]]
    rows = {sheet.cell(row=r, column=2).value: [c.value for c in sheet[r]]
            for r in range(header + 1, sheet.max_row + 1)}
    text = rows[a1.name][headings.index(_("Outputs per RHK"))]
    assert text.splitlines() == ["Tersusunnya dokumen perencanaan: 4 dokumen",
                                 "Tersusunnya dokumen perencanaan: 87,5 %",
                                 "Tersusunnya dokumen perencanaan: 50 %"]
