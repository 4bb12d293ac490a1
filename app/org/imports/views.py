"""Pages: upload a people or units file, see the preview, apply it.

The upload becomes an import job that keeps the file on the server (a small file is
previewed at once, a big one in the background with a progress bar), so "Terapkan" applies
the previewed file without a second upload. HR administrators only: imports change data.
"""

import marshmallow as ma
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.forms import post_form
from app.core.schemas import Schema
from app.errors import ValidationFailed
from app.org.imports import jobs, services
from app.org.imports.template_file import template_xlsx
from app.org.models import ImportKind, ImportStatus

bp = Blueprint("imports", __name__, url_prefix="/admin/impor")

#: Rows of the preview table per page: the first screen of a 10,000-row preview stays small.
PAGE_ROWS = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


KIND_LABELS = {"people": _l("People"), "units": _l("Units")}
STATUS_LABELS = {"queued": _l("Waiting"), "running": _l("Running"), "done": _l("Done"),
                 "failed": _l("Failed")}
ACTION_LABELS = {"create": _l("New"), "update": _l("Changed"), "unchanged": _l("Unchanged"),
                 "deactivate": _l("Missing from the file"), "error": _l("Error")}
#: The app's status colours: new green, changed amber, errors red.
ACTION_CLASSES = {"create": "status-approved", "update": "status-submitted",
                  "unchanged": "status-draft", "deactivate": "status-pending",
                  "error": "status-returned"}
FIELD_LABELS = {"name": _l("Name"), "jabatan": _l("Position"),
                "position_kind": _l("Position kind"), "golongan": _l("Golongan"),
                "unit_code": _l("Unit"), "supervisor_nip": _l("Supervisor"),
                "email": _l("E-mail"), "active": _l("Active"), "parent_code": _l("Parent unit"),
                "timezone": _l("Time zone")}


@bp.context_processor
def labels():
    return {"import_kind_labels": KIND_LABELS, "import_status_labels": STATUS_LABELS,
            "import_action_labels": ACTION_LABELS, "import_action_classes": ACTION_CLASSES,
            "import_field_labels": FIELD_LABELS}


class UploadForm(Schema):
    kind = ma.fields.Enum(ImportKind, by_value=True, required=True)


class ApplyForm(Schema):
    deactivate_missing = ma.fields.Boolean(load_default=False)


def _render_index(values: dict, errors: dict, status: int = 200):
    recent = jobs.recent_jobs(current_user)
    return render_template("imports/index.html", values=values, errors=errors,
                           recent=recent), status


@bp.get("")
def index():
    """The upload form, the templates and the organisation's recent imports."""
    services.require_importer(current_user)
    return _render_index({"kind": request.args.get("jenis", ImportKind.PEOPLE.value)}, {})


@bp.post("")
def upload():
    services.require_importer(current_user)
    upload_file = request.files.get("file")
    errors = {} if upload_file and upload_file.filename else {
        "file": _("Choose an XLSX or CSV file.")}
    values = {"kind": request.form.get("kind", "")}

    def preview(args):
        content = upload_file.read()
        job = jobs.start_job(current_user, args["kind"], content, upload_file.filename,
                             dry_run=True)
        job = jobs.queue_or_run(job, services.count_rows(content))
        if job.status == ImportStatus.FAILED and not job.result:  # unreadable, a column lacks
            jobs.discard(job)
            raise ValidationFailed(fields={"file": job.error})
        return job

    posted = post_form(preview, UploadForm(), errors=errors)
    if posted.failed:
        return _render_index(values, posted.errors, 422)
    return redirect(url_for("imports.job", job_id=posted.result.id), 303)


def _page_rows(result: dict | None, only_errors: bool, page: int) -> tuple[list, int]:
    rows = (result or {}).get("rows", [])
    if only_errors:
        rows = [row for row in rows if row["action"] == "error"]
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page = min(max(1, page), pages)
    return rows[(page - 1) * PAGE_ROWS:page * PAGE_ROWS], pages


@bp.get("/<job_id>")
def job(job_id):
    """A job: its progress while it runs; then the preview table (or what was applied)."""
    services.require_importer(current_user)
    found = jobs.get_job(current_user, job_id)
    only_errors = request.args.get("kesalahan") == "1"
    page = request.args.get("halaman", "1")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    rows, pages = _page_rows(found.result, only_errors, page)
    running = found.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    applicable = found.dry_run and found.status == ImportStatus.DONE and bool(found.file_key) \
        and not (found.result or {}).get("summary", {}).get("errors")
    return render_template("imports/job.html", job=found, rows=rows, pages=pages,
                           page=min(max(1, page), pages), only_errors=only_errors,
                           running=running, applicable=applicable,
                           summary=(found.result or {}).get("summary"))


@bp.post("/<job_id>/terapkan")
def apply(job_id):
    """Apply a preview's file: at once, or as a background job for a big file."""
    services.require_importer(current_user)

    def start(args):
        started, rows = jobs.apply_preview(current_user, job_id, args["deactivate_missing"])
        return jobs.queue_or_run(started, rows)

    posted = post_form(start, ApplyForm(), data={
        "deactivate_missing": request.form.get("deactivate_missing") == "1"})
    if posted.failed:
        posted.flash("")
        return redirect(url_for("imports.job", job_id=job_id), 303)
    return redirect(url_for("imports.job", job_id=posted.result.id), 303)


def _template(kind: ImportKind, filename: str) -> Response:
    services.require_importer(current_user)
    response = Response(template_xlsx(kind), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/templat-pegawai.xlsx")
def people_template():
    return _template(ImportKind.PEOPLE, "templat-pegawai.xlsx")


@bp.get("/templat-unit.xlsx")
def units_template():
    return _template(ImportKind.UNITS, "templat-unit.xlsx")
