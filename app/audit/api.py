"""/api/v1/audit: the organisation's audit trail, filtered and paginated, its XLSX export
and the verification of its hash chains (HR administrators and pimpinan only)."""

from flask import Response
from flask_login import current_user

from app.audit import viewer
from app.audit.export import write_trail
from app.audit.schemas import (
    AuditFilterArgs,
    AuditPageArgs,
    AuditPageOut,
    AuditVerificationOut,
)
from app.core.blueprint import Blueprint
from app.documents.jobs import XLSX

blp = Blueprint("audit_api", __name__, url_prefix="/audit", description="The audit trail",
                error_descriptions={403: "Only HR administrators and pimpinan",
                                    404: "A person id not of the caller's organisation",
                                    422: "Invalid arguments"})


@blp.get("")
@blp.arguments(AuditPageArgs, location="query")
@blp.response(200, AuditPageOut)
@blp.errors(403, 404, 422)
def trail(args):
    """The organisation's audit entries matching the filters, newest first, a page at a time."""
    return viewer.trail_page(current_user, viewer.Filters.of(args), page=args["page"],
                             per_page=args["per_page"])


@blp.get("/export")
@blp.arguments(AuditFilterArgs, location="query")
@blp.alt_response(200, description="XLSX file", content_type=XLSX)
@blp.errors(403, 404, 422)
def export(args):
    """The filtered trail as XLSX, newest first; at most ``AUDIT_EXPORT_MAX_ROWS`` entries
    (100,000 by default; the file says when more matched)."""
    response = Response(write_trail(current_user, viewer.Filters.of(args)), mimetype=XLSX)
    response.headers["Content-Disposition"] = 'attachment; filename="jejak-audit.xlsx"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.get("/verification")
@blp.response(200, AuditVerificationOut)
@blp.errors(403)
def verification():
    """Whether every person's hash chain in the organisation still holds, and where the first
    one breaks."""
    return viewer.verification_answer(current_user)
