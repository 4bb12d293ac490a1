"""/api/v1/documents (direct downloads) and /api/v1/exports (background jobs)."""

from functools import wraps

from flask import Response, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import uow
from app.core.blueprint import Blueprint
from app.core.replica import replica_reads
from app.documents import jobs, services
from app.documents.models import ExportKind, ExportStatus
from app.documents.schemas import (
    EkinerjaArgs,
    ExportIn,
    ExportOut,
    MonthlyReportArgs,
    TeamRecapArgs,
    job_parameters,
)
from app.errors import AppError
from app.extensions import db
from app.reports.services import current_month

blp = Blueprint("documents_api", __name__, url_prefix="", description="Documents and exports",
                error_descriptions={404: "Person not found or not visible",
                                    422: "Invalid arguments"})

#: How an export job is answered when it is not (or not yet) there.
JOB_ERRORS = {404: "Not found or not the caller's", 409: "Not finished yet"}

FILE_DOC = {"responses": {"200": {"description": "The file", "content": {
    "application/pdf": {}, jobs.XLSX: {}, "text/csv": {}}}}}


def download(content: bytes, filename: str, content_type: str) -> Response:
    response = Response(content, mimetype=content_type.split(";")[0])
    if content_type.startswith("text/csv"):
        response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def plan_ekinerja(args: dict) -> tuple[ExportKind, dict, bool]:
    """The e-Kinerja export the validated ``args`` ask for: its kind, the job parameters,
    and whether it is too big for one request. :raise NotFound: for a person out of sight."""
    person = services.reportable_person(current_user, args.get("person_id"))
    services.check_range(args["from_"], args["to"])
    kind = ExportKind.EKINERJA_CSV if args["format"] == "csv" else ExportKind.EKINERJA_XLSX
    params = {"person_id": person.id, "from": args["from_"].isoformat(),
              "to": args["to"].isoformat(), "include_submitted": args["include_submitted"],
              "base_url": request.host_url}
    rows = services.count_rows(services.ekinerja_activities(
        person, args["from_"], args["to"], args["include_submitted"]))
    return kind, params, rows > jobs.direct_max_rows()


def queue_export(kind: ExportKind, params: dict):
    """Store an export job and hand it to the queue; answers the job as the queue left it
    (done already when the queue runs tasks at once)."""
    job = jobs.start_export(current_user, kind, params)
    uow.commit()  # the worker reads the job's row: it is committed before the task is sent
    jobs.enqueue(job.id)
    db.session.refresh(job)
    return job


def as_job(kind: ExportKind, params: dict):
    """Too big for one request: start a job instead and answer 202 with it."""
    job = queue_export(kind, params)
    return ExportOut().dump(job), 202, {"Location": f"/api/v1/exports/{job.id}"}


@blp.get("/documents/monthly-report")
@blp.arguments(MonthlyReportArgs, location="query")
@blp.alt_response(200, description="PDF or XLSX file")
@blp.errors(404, 422)
@blp.doc(**FILE_DOC)
@replica_reads
def monthly_report(args):
    """One person's monthly performance report (laporan kinerja bulanan), PDF or XLSX."""
    person = services.reportable_person(current_user, args.get("person_id"))
    month = args.get("month") or current_month(person)
    kind = ExportKind.MONTHLY_PDF if args["format"] == "pdf" else ExportKind.MONTHLY_XLSX
    params = {"person_id": person.id, "month": month.strftime("%Y-%m"),
              "place": args.get("place")}
    return download(*jobs.build(current_user, kind, params))


@blp.get("/documents/team-recap")
@blp.arguments(TeamRecapArgs, location="query")
@blp.alt_response(200, description="XLSX file")
@blp.errors(422)
@blp.doc(**FILE_DOC)
@replica_reads
def team_recap(args):
    """The caller's team (everyone below them in their line) for a month, as XLSX."""
    month = args.get("month") or current_month(current_user)
    return download(*jobs.build(current_user, ExportKind.TEAM_RECAP,
                                {"month": month.strftime("%Y-%m")}))


@blp.get("/documents/ekinerja")
@blp.arguments(EkinerjaArgs, location="query")
@blp.alt_response(200, description="XLSX or CSV file")
@blp.alt_response(202, schema=ExportOut, description="Large: started as an export job")
@blp.errors(404, 422)
@blp.doc(**FILE_DOC)
@replica_reads
def ekinerja(args):
    """Daily progress (progres harian) for BKN e-Kinerja: one row per activity with date,
    description, evidence link, RHK and status. Approved activities only unless
    ``include_submitted``. Beyond ``EXPORT_DIRECT_MAX_ROWS`` rows it becomes a job (202)."""
    kind, params, too_big = plan_ekinerja(args)
    if too_big:
        return as_job(kind, params)
    return download(*jobs.build(current_user, kind, params))


def unit_recap_role_first(view):
    """Refuse a unit recap (403) to whoever may never export one before its body is checked:
    they hear "not allowed", not what a valid request would look like."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        body = request.get_json(silent=True)
        if isinstance(body, dict) and body.get("kind") == ExportKind.UNIT_RECAP.value:
            services.require_unit_recap_role(current_user)
        return view(*args, **kwargs)
    return wrapper


@blp.post("/exports")
@unit_recap_role_first
@blp.arguments(ExportIn)
@blp.response(202, ExportOut)
@blp.errors(403, 404, 422, descriptions={403: "Not allowed to export this",
                                         404: "Person or unit not found"})
def start_export(args):
    """Start an export in the background; poll ``GET /exports/{id}`` for its progress."""
    params = job_parameters(args)
    if args["kind"] in (ExportKind.EKINERJA_XLSX, ExportKind.EKINERJA_CSV):
        params["base_url"] = request.host_url
    job = queue_export(args["kind"], params)
    return job, 202, {"Location": url_for("documents_api.get_export", job_id=job.id)}


@blp.get("/exports")
@blp.response(200, ExportOut(many=True))
def list_exports():
    """The caller's ten most recent exports."""
    return jobs.recent_jobs(current_user)


@blp.get("/exports/<job_id>")
@blp.response(200, ExportOut)
@blp.errors(404, descriptions=JOB_ERRORS)
def get_export(job_id):
    """An export's status (queued, running, done, failed) and progress (0-100)."""
    return jobs.get_job(current_user, job_id)


@blp.get("/exports/<job_id>/file")
@blp.alt_response(200, description="The file")
@blp.errors(404, 409, descriptions=JOB_ERRORS)
@blp.doc(**FILE_DOC)
def export_file(job_id):
    """The finished export's file, for the person who asked for it."""
    job = jobs.get_job(current_user, job_id)
    return send_job_file(job)


def send_job_file(job):
    if job.status != ExportStatus.DONE:
        raise AppError(job.error if job.status == ExportStatus.FAILED
                       else _("The export is not finished yet."), status=409,
                       code="not_ready")
    path = jobs.file_path(job)
    if not path.is_file():
        raise AppError(status=404, code="not_found")
    response = send_file(path, mimetype=job.content_type.split(";")[0], as_attachment=True,
                         download_name=job.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
