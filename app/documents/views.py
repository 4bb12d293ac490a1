"""Pages: the monthly report (Laporan bulanan), the team recap, the unit recap and the
progress page of background exports. Downloads go through the same builders as the API."""

from datetime import timedelta

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import ValidationError

from app.core.forms import post_form
from app.core.replica import replica_reads
from app.core.uow import after_commit
from app.documents import formats, jobs, services
from app.documents.api import download, plan_ekinerja, send_job_file
from app.documents.models import ExportKind, ExportStatus
from app.documents.schemas import EkinerjaArgs, ExportIn, MonthlyReportArgs, TeamRecapArgs
from app.errors import AppError, ValidationFailed, flatten_messages
from app.org.lines import supervises_anyone
from app.org.models import Role
from app.org.services import units_of
from app.reports.services import current_month, month_bounds

bp = Blueprint("documents", __name__)


def _load(schema, values: dict) -> dict:
    """Query-string arguments through a schema; bad ones answer 422 with the reason."""
    try:
        return schema.load({key: value for key, value in values.items() if value != ""})
    except ValidationError as error:
        raise ValidationFailed(fields=flatten_messages(error.messages)) from None


def _month_args() -> dict:
    args = request.args
    return {"month": args.get("bulan", ""), "person_id": args.get("orang", ""),
            "format": args.get("format", "") or "pdf", "place": args.get("tempat", "")}


def _is_hr(person) -> bool:
    return bool(person.roles & {Role.ADMIN, Role.PIMPINAN})


@bp.get("/laporan-bulanan")
@replica_reads
def monthly():
    """One person's month: recap, realisation and the downloads (PDF, XLSX, e-Kinerja)."""
    args = _load(MonthlyReportArgs(), _month_args())
    person = services.reportable_person(current_user, args.get("person_id"))
    month = args.get("month") or current_month(person)
    report = services.monthly_report(current_user, person.id, month)
    start, end = month_bounds(month)
    team = services.team_recap(current_user, month)["people"] \
        if supervises_anyone(current_user) else []
    return render_template(
        "documents/monthly.html", report=report, person=person, month=month,
        month_value=month.strftime("%Y-%m"), first=start, last=end - timedelta(days=1),
        outputs=services.outputs_by_rhk(report["recap"]["outputs"]), team=team,
        is_self=person.id == current_user.id, is_hr=_is_hr(current_user),
        previous=(start - timedelta(days=1)).strftime("%Y-%m"),
        following=end.strftime("%Y-%m"))


@bp.get("/laporan-bulanan/unduh")
@replica_reads
def monthly_download():
    args = _load(MonthlyReportArgs(), _month_args())
    person = services.reportable_person(current_user, args.get("person_id"))
    month = args.get("month") or current_month(person)
    kind = ExportKind.MONTHLY_PDF if args["format"] == "pdf" else ExportKind.MONTHLY_XLSX
    return download(*jobs.build(current_user, kind, {
        "person_id": person.id, "month": month.strftime("%Y-%m"),
        "place": args.get("place")}))


@bp.get("/laporan-bulanan/ekinerja")
@replica_reads
def ekinerja_download():
    """The e-Kinerja daily progress file; a large one is made in the background."""
    values = request.args
    args = _load(EkinerjaArgs(), {
        "person_id": values.get("orang", ""), "from": values.get("dari", ""),
        "to": values.get("sampai", ""), "format": values.get("format", "") or "xlsx",
        "include_submitted": "true" if values.get("diajukan") else "false"})
    kind, params, too_big = plan_ekinerja(args)
    if too_big:
        return _start_and_follow(kind, params)
    return download(*jobs.build(current_user, kind, params))


@bp.get("/laporan-bulanan/tim")
@replica_reads
def team():
    """The supervisor's team for a month, with a link to each person's report."""
    args = _load(TeamRecapArgs(), {"month": request.args.get("bulan", "")})
    month = args.get("month") or current_month(current_user)
    start, end = month_bounds(month)
    return render_template("documents/team.html", recap=services.team_recap(current_user, month),
                           month=month, month_value=month.strftime("%Y-%m"),
                           previous=(start - timedelta(days=1)).strftime("%Y-%m"),
                           following=end.strftime("%Y-%m"))


@bp.get("/laporan-bulanan/tim/unduh")
@replica_reads
def team_download():
    args = _load(TeamRecapArgs(), {"month": request.args.get("bulan", "")})
    month = args.get("month") or current_month(current_user)
    return download(*jobs.build(current_user, ExportKind.TEAM_RECAP,
                                {"month": month.strftime("%Y-%m")}))


# --- unit recap and export jobs ---------------------------------------------------------------

def _render_unit_form(values: dict, errors: dict, status: int = 200):
    return render_template("documents/unit.html", units=units_of(current_user.org_id),
                           values=values, errors=errors, jobs=jobs.recent_jobs(current_user),
                           describe=jobs.describe), status


@bp.get("/rekap-unit")
def unit_form():
    """Admins and the head of agency: the unit recap form and their recent exports."""
    if not _is_hr(current_user):
        raise AppError(_("Only HR administrators and the head of agency export unit recaps."),
                       status=403, code="forbidden")
    values = {"unit_id": str(current_user.unit.path()[0].id),
              "month": current_month(current_user).strftime("%Y-%m")}
    return _render_unit_form(values, {})


@bp.post("/rekap-unit")
def unit_start():
    values = {"unit_id": request.form.get("unit_id", ""), "month": request.form.get("month", "")}
    payload = {"kind": ExportKind.UNIT_RECAP.value}
    if values["month"]:
        payload["month"] = values["month"]
    if values["unit_id"]:
        payload["unit_id"] = int(values["unit_id"]) if values["unit_id"].isdigit() \
            else values["unit_id"]
    posted = post_form(
        lambda args: _start_and_follow(ExportKind.UNIT_RECAP, {
            "unit_id": args["unit_id"], "month": args["month"].strftime("%Y-%m")}),
        ExportIn(), data=payload, raise_for=(403,))
    if isinstance(posted.error, AppError):
        return _render_unit_form(
            values, {"unit_id": posted.error.message or _("Choose a unit.")}, 422)
    if posted.failed:
        return _render_unit_form(values, posted.errors, 422)
    return posted.result


def _start_and_follow(kind: ExportKind, params: dict):
    """Start an export, queued once it is committed, and follow its progress."""
    job = jobs.start_export(current_user, kind, params)
    job_id = job.id
    after_commit(lambda: jobs.enqueue(job_id))
    return redirect(url_for("documents.export_page", job_id=job_id), 303)


@bp.get("/ekspor/<job_id>")
def export_page(job_id):
    """An export's progress bar; refreshes itself (meta refresh, or the script) until done."""
    job = jobs.get_job(current_user, job_id)
    running = job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    back_url = url_for("documents.unit_form") if _is_hr(current_user) \
        else url_for("documents.monthly")
    return render_template("documents/export.html", job=job, running=running,
                           title=jobs.describe(job), back_url=back_url)


@bp.get("/ekspor/<job_id>/unduh")
def export_download(job_id):
    return send_job_file(jobs.get_job(current_user, job_id))


# --- template helpers --------------------------------------------------------------------------

EXPORT_STATUS_LABELS = {
    "queued": _l("waiting in line"),
    "running": _l("being made"),
    "done": _l("ready"),
    "failed": _l("failed"),
}


@bp.context_processor
def inject():
    return {"export_status_labels": EXPORT_STATUS_LABELS}


@bp.app_template_filter("monthname")
def monthname(value):
    return formats.month_name(value)


@bp.app_template_filter("percent")
def percent(value):
    return formats.percent(value) or "-"


@bp.app_template_filter("documenttime")
def documenttime(value):
    return formats.clock(value)
