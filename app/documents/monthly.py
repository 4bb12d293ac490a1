"""The monthly performance report (laporan kinerja bulanan) of one person: PDF and XLSX."""

from flask_babel import gettext as _

from app.documents import formats as f
from app.documents import xlsx
from app.documents.pdf_base import Document
from app.documents.services import outputs_by_rhk, rhk_label


def _title(report: dict) -> str:
    return _("Monthly performance report %(month)s", month=f.month_name(report["month"]))


def _header_fields(report: dict) -> list[tuple[str, str]]:
    person = f.person_block(report["person"])
    return [(_("Work unit"), person["unit"]), (_("Name"), person["name"]),
            (_("NIP"), person["nip"]), (_("Rank / grade"), person["pangkat"] or "-"),
            (_("Position"), person["jabatan"]), (_("Month"), f.month_name(report["month"]))]


def _activity_row(number: int, activity, timezone: str) -> list[str]:
    quantity = f.number(activity.quantity)
    return [str(number), f.long_date(activity.date),
            f.time_range(activity.start_time, activity.end_time, timezone),
            activity.description, rhk_label(activity) or str(f.NO_RHK),
            f"{quantity} {activity.unit or ''}".strip(), f.status_label(activity.status),
            f.number(len(activity.attachments))]


def _summary_fields(report: dict) -> list[tuple[str, str]]:
    recap = report["recap"]
    by_status = recap["by_status"]
    return [
        (_("Days logged"), _("%(days)s of %(working)s working days",
                             days=f.number(recap["days_logged"]),
                             working=f.number(report["working_days"]))),
        (_("Days excused (absence)"), f.number(recap["days_excused"])),
        (_("Hours"), f.number(recap["hours"])),
        (_("Activities"), f.number(recap["activity_count"])),
        (_("By status"), ", ".join(f"{f.status_label(status)}: {f.number(count)}"
                                   for status, count in by_status.items())),
        (_("Late submissions"), f.number(report["late"])),
    ]


def _output_rows(report: dict) -> list[list[str]]:
    return [[row["rhk_description"], f.number(row["count"]),
             f"{f.number(row['quantity'])} {row['unit']}" if row["quantity"] is not None
             else "-",
             f"{f.number(row['approved_quantity']) or '-'} {row['value_unit']}"]
            for row in outputs_by_rhk(report["recap"]["outputs"])]


def _progress_rows(report: dict) -> list[list[str]]:
    rows = []
    for row in report["progress"]:
        target = row["target_quantity"]
        rows.append([row["rhk_description"], row["description"],
                     f"{f.number(target)} {row['value_unit']}" if target is not None else "-",
                     f"{f.number(row['approved']['quantity'])} {row['value_unit']}",
                     f.percent(row["approved"]["percent"]) or "-"])
    return rows


def _signature_blocks(report: dict) -> tuple[dict, dict]:
    person = f.person_block(report["person"])
    supervisor = f.person_block(report["supervisor"])
    place = report.get("place") or "...................."
    return (
        {"above": [" ", _("Employee")], "role": person["jabatan"], "person": person},
        {"above": [f"{place}, {f.short_date(report['signed_on'])}",
                   _("Supervisor (appraising official)")],
         "role": supervisor["jabatan"] if supervisor else "", "person": supervisor},
    )


def render_monthly_pdf(report: dict) -> bytes:
    pdf = Document(_title(report), orientation="L")
    pdf.heading(report["organisation"].upper(), 12)
    pdf.heading(_("MONTHLY PERFORMANCE REPORT"), 12)
    pdf.heading(f.month_name(report["month"]).upper(), 10.5)
    pdf.ln(3)
    pdf.fields(_header_fields(report), label_width=40)
    pdf.section(_("Activities"))
    rows = [_activity_row(number, activity, report["timezone"])
            for number, activity in enumerate(report["activities"], start=1)]
    if not rows:
        rows = [("span", [(_("No activities this month."), 8)])]
    pdf.grid(["No", _("Date"), _("Time"), _("Description"), _("RHK / indicator"),
              _("Quantity"), _("Status"), _("Evidence")],
             rows, [9, 36, 25, 74, 55, 22, 26, 20],
             aligns=["R", "L", "L", "L", "L", "R", "L", "R"])
    pdf.section(_("Summary"))
    pdf.fields(_summary_fields(report), label_width=40)
    output_rows = _output_rows(report)
    if output_rows:
        pdf.section(_("Outputs per RHK"))
        pdf.grid([_("RHK"), _("Activities"), _("Quantity"), _("Approved")], output_rows,
                 [147, 30, 45, 45], aligns=["L", "R", "R", "R"])
    progress_rows = _progress_rows(report)
    if progress_rows:
        pdf.section(_("Realisation per indicator this month"))
        pdf.grid([_("RHK"), _("Indicator"), _("Target"), _("Realisation (approved)"),
                  _("Achievement")], progress_rows, [95, 72, 35, 40, 25],
                 aligns=["L", "L", "R", "R", "R"])
    pdf.signatures(*_signature_blocks(report))
    return pdf.render()


def render_monthly_xlsx(report: dict) -> bytes:
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = _("Activities")[:31]
    xlsx.title_rows(sheet, [report["organisation"], _title(report)]
                    + [f"{label}: {value}" for label, value in _header_fields(report)])
    headings = ["No", _("Date"), _("Day"), _("Start"), _("End"), _("Time zone"),
                _("Description"), _("RHK / indicator"), _("Quantity"), _("Unit"),
                _("Status"), _("Evidence"), _("Late")]
    start_row = sheet.max_row + 2
    rows = []
    for number, activity in enumerate(report["activities"], start=1):
        rows.append([number, activity.date, f.long_date(activity.date).split(",")[0],
                     activity.start_time, activity.end_time,
                     f.zone_label(report["timezone"]), activity.description,
                     rhk_label(activity) or str(f.NO_RHK),
                     activity.quantity, activity.unit or "", f.status_label(activity.status),
                     len(activity.attachments), _("yes") if activity.is_late else ""])
    xlsx.table(sheet, start_row, headings, rows,
               widths=[5, 12, 10, 8, 8, 8, 50, 45, 10, 12, 20, 10, 8],
               formats={2: xlsx.DATE, 4: xlsx.TIME, 5: xlsx.TIME, 9: xlsx.NUMBER,
                        12: xlsx.INTEGER},
               wrap={7, 8})
    summary = book.create_sheet(_("Summary")[:31])
    xlsx.title_rows(summary, [_title(report), report["person"].name])
    recap = report["recap"]
    pairs = [(_("Days logged"), recap["days_logged"]),
             (_("Working days"), report["working_days"]),
             (_("Days excused (absence)"), recap["days_excused"]),
             (_("Hours"), float(recap["hours"])), (_("Activities"), recap["activity_count"])]
    pairs += [(f.status_label(status), count) for status, count in recap["by_status"].items()]
    pairs.append((_("Late submissions"), report["late"]))
    xlsx.table(summary, summary.max_row + 2, [_("Item"), _("Value")], pairs, widths=[30, 14],
               formats={2: xlsx.NUMBER}, freeze=False)
    row = summary.max_row + 2
    xlsx.table(summary, row, [_("RHK"), _("Indicator"), _("Target"), _("Unit"),
                              _("Realisation (approved)"), _("Achievement")],
               [[p["rhk_description"], p["description"],
                 p["target_quantity"], p["value_unit"], p["approved"]["quantity"],
                 None if p["approved"]["percent"] is None else p["approved"]["percent"] / 100]
                for p in report["progress"]],
               widths=[45, 40, 10, 12, 14, 14],
               formats={3: xlsx.NUMBER, 5: xlsx.NUMBER, 6: xlsx.PERCENT}, wrap={1, 2},
               freeze=False)
    return xlsx.save(book)
