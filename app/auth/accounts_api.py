"""Activation codes issued by HR administrators and the printable activation sheets."""

from flask_login import current_user

from app.admin.access import admin_only, require_change
from app.auth import accounts_services as admin
from app.auth.schemas import IssueCodeIn, IssuedCodeOut, SheetArgs
from app.core.blueprint import Blueprint
from app.documents.api import download

blp = Blueprint("accounts_api", __name__, url_prefix="",
                description="Activation codes and activation sheets",
                error_descriptions={403: "Only HR administrators of the organisation",
                                    404: "Not found in the caller's organisation"})

PDF_DOC = {"responses": {"200": {"description": "The A4 activation sheet", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


@blp.post("/people/<int:person_id>/activation-code")
@admin_only
@blp.arguments(IssueCodeIn)
@blp.response(201, IssuedCodeOut)
@blp.errors(403, 404, 422, descriptions={
    422: "A deactivated person, or e-mail asked for without SMTP or without an address"})
def issue_code(args, person_id):
    """Issue a one-time activation code; for someone who has a password it is a reset, which
    ends their password, sessions and access tokens at once. The code is in this answer and
    never again (only its hash is kept)."""
    require_change()
    issued = admin.issue_code(current_user, person_id, args["send_email"])
    return {"code": issued.code, "expires_at": issued.expires_at,
            "purpose": issued.purpose.value, "emailed": args["send_email"]}


@blp.post("/units/<int:unit_id>/activation-sheet")
@admin_only
@blp.arguments(SheetArgs, location="query")
@blp.alt_response(200, description="PDF file")
@blp.errors(403, 404, 422, descriptions={422: "Nobody in the unit awaits activation"})
@blp.doc(**PDF_DOC)
def activation_sheet(args, unit_id):
    """Issue fresh codes to the unit's people (and its sub-units') who have not activated, or
    to the chosen ``people``, and answer the A4 sheet of cut-out slips to hand them out.

    A POST: printing the sheet issues new codes, which revoke the older ones."""
    require_change()
    content, filename = admin.issue_sheet(current_user, unit_id, args.get("people"))
    return download(content, filename, "application/pdf")

