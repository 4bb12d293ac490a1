"""/api/v1/absences: ask, enter, list, decide, cancel, and import from a spreadsheet."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.absences import imports, services
from app.absences.schemas import (
    AbsenceArgs,
    AbsenceIn,
    AbsenceOut,
    ImportArgs,
    ImportOut,
    RejectIn,
)
from app.admin.access import admin_only
from app.core.blueprint import Blueprint
from app.errors import ValidationFailed

blp = Blueprint("absences_api", __name__, url_prefix="/absences",
                description="Absences: cuti, sakit, dinas luar, tugas belajar",
                error_descriptions={403: "Not the supervisor or an HR administrator",
                                    404: "Not this organisation's, or not visible to the caller",
                                    409: "Overlaps another absence, or already decided"})


@blp.get("")
@blp.arguments(AbsenceArgs, location="query")
@blp.response(200, AbsenceOut(many=True))
def list_absences(args):
    """Absences the caller may see: HR and pimpinan the organisation's, supervisors their
    team's and their own, everyone else their own. ``decidable=true``: requests to decide."""
    return services.list_absences(current_user, **args)


@blp.post("")
@blp.arguments(AbsenceIn)
@blp.response(201, AbsenceOut)
@blp.errors(403, 404, 409)
def create_absence(args):
    """Ask for an absence (it waits for the supervisor), or, as an HR administrator, enter
    one for anyone of the organisation (approved at once)."""
    return services.create_absence(current_user, **args)


@blp.get("/<int:absence_id>")
@blp.response(200, AbsenceOut)
@blp.errors(404)
def get_absence(absence_id):
    """One absence."""
    return services.get_absence(current_user, absence_id)


@blp.post("/<int:absence_id>/approve")
@blp.response(200, AbsenceOut)
@blp.errors(403, 404, 409)
def approve_absence(absence_id):
    """Approve a request (the person's supervisor, Plt/Plh, or an HR administrator)."""
    return services.approve_absence(current_user, absence_id)


@blp.post("/<int:absence_id>/reject")
@blp.arguments(RejectIn)
@blp.response(200, AbsenceOut)
@blp.errors(403, 404, 409)
def reject_absence(args, absence_id):
    """Reject a request, with the reason the employee reads."""
    return services.reject_absence(current_user, absence_id, args["reason"])


@blp.post("/<int:absence_id>/cancel")
@blp.response(200, AbsenceOut)
@blp.errors(403, 404, 409)
def cancel_absence(absence_id):
    """Cancel a request or an approved absence (its owner, or an HR administrator)."""
    return services.cancel_absence(current_user, absence_id)


@blp.post("/import")
@admin_only
@blp.arguments(ImportArgs, location="query")
@blp.response(200, ImportOut)
@blp.errors(403, 413)
@blp.doc(requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {
        "type": "string", "format": "binary",
        "description": "XLSX with the columns nip, jenis, mulai, selesai, keterangan"}}}}}})
def import_absences(args):
    """Import absences from a spreadsheet (HR administrators): ``dry_run=true`` previews
    every row; ``dry_run=false`` applies all rows or none (422 with the preview when a row
    is in error). Re-importing the same file changes nothing."""
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(fields={"file": _("This field is required.")})
    return imports.import_absences(current_user, upload.read(imports.MAX_BYTES + 1),
                                   dry_run=args["dry_run"])
