"""POST /api/v1/imports/people|units (dry run or apply) and the import jobs."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.access import admin_only
from app.core.blueprint import Blueprint
from app.errors import ValidationFailed
from app.org.imports import jobs, services
from app.org.imports.schemas import ApplyArgs, ImportArgs, ImportJobOut, ImportResult
from app.org.models import ImportKind, ImportStatus

blp = Blueprint("imports_api", __name__, url_prefix="/imports",
                description="Bulk import of people and units",
                error_descriptions={403: "Not an HR administrator",
                                    422: "Unreadable file, a required column missing, or "
                                         "(apply) rows with errors: nothing written; the "
                                         "error carries the summary and rows"})

UPLOAD_DOC = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "XLSX or CSV (UTF-8, ',' or ';')"}}}}}}}


def uploaded() -> tuple[bytes, str | None]:
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the file in the multipart field \"file\"."),
                               fields={"file": _("This field is required.")})
    return upload.read(), upload.filename


def as_job(job):
    """202 with the job (a Response: the endpoint's 200 schema must not dump it)."""
    response = jsonify(ImportJobOut().dump(job))
    response.status_code = 202
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return response


def import_file(kind: ImportKind, args: dict):
    """Plan or apply the uploaded file now, or beyond ``IMPORT_BACKGROUND_ROWS`` rows start
    a job and answer 202 with it."""
    services.require_importer(current_user)
    content, filename = uploaded()
    if services.count_rows(content) > jobs.background_rows():
        job = jobs.start_job(current_user, kind, content, filename, dry_run=args["dry_run"],
                             deactivate_missing=args["deactivate_missing"])
        return as_job(jobs.queue_or_run(job, jobs.background_rows() + 1))
    return services.run_import(current_user, kind, content, dry_run=args["dry_run"],
                               deactivate_missing=args["deactivate_missing"])


@blp.post("/people")
@admin_only
@blp.arguments(ImportArgs, location="query")
@blp.response(200, ImportResult)
@blp.alt_response(202, schema=ImportJobOut, description="A big file: started as a job")
@blp.errors(403, 413, 422)
@blp.doc(**UPLOAD_DOC)
def import_people(args):
    """People from a SIASN-shaped file: ``nip, nama, jabatan, jenis_jabatan, golongan,
    kode_unit, nip_atasan, email`` (headers in Indonesian or English, any case)."""
    return import_file(ImportKind.PEOPLE, args)


@blp.post("/units")
@admin_only
@blp.arguments(ImportArgs, location="query")
@blp.response(200, ImportResult)
@blp.alt_response(202, schema=ImportJobOut, description="A big file: started as a job")
@blp.errors(403, 413, 422)
@blp.doc(**UPLOAD_DOC)
def import_units(args):
    """Units from a file with ``kode, nama, kode_induk, zona_waktu``."""
    return import_file(ImportKind.UNITS, args)


@blp.get("/<job_id>")
@blp.response(200, ImportJobOut)
@blp.errors(404, descriptions={404: "No such import in the caller's organisation"})
def get_job(job_id):
    """An import job: status, progress (0-100) and, once done, its result."""
    return jobs.get_job(current_user, job_id)


@blp.post("/<job_id>/apply")
@admin_only
@blp.arguments(ApplyArgs, location="query")
@blp.response(200, ImportResult)
@blp.alt_response(202, schema=ImportJobOut, description="A big file: started as a job")
@blp.errors(403, 404, 422)
def apply_job(args, job_id):
    """Apply the file of a finished preview (dry-run job) without uploading it again."""
    job, rows = jobs.apply_preview(current_user, job_id, args["deactivate_missing"])
    job = jobs.queue_or_run(job, rows)
    if job.status == ImportStatus.QUEUED:
        return as_job(job)
    if job.status == ImportStatus.FAILED:
        raise services.ImportRefused(job.result) if job.result else \
            ValidationFailed(job.error)
    return job.result
