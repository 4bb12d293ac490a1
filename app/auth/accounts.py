"""Pages for HR administrators: activation codes, password resets, activation sheets.

Pimpinan see who has activated, read-only; only HR administrators issue codes and sheets.
"""

import marshmallow as ma
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.access import may_change, require_change, require_view
from app.auth import accounts_services
from app.auth.activation import has_password
from app.auth.schemas import IssueCodeIn
from app.core import mail
from app.core.forms import post_form
from app.core.schemas import Schema
from app.documents.api import download
from app.org.services import units_of

bp = Blueprint("accounts", __name__, url_prefix="/admin/akun")


class SearchArgs(Schema):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))


class SheetFormIn(Schema):
    unit_id = ma.fields.Integer(required=True, strict=True)


def account_status(person) -> str:
    """"inactive", "active" (has a password) or "waiting" (for activation)."""
    if not person.active:
        return "inactive"
    return "active" if has_password(person) else "waiting"


@bp.get("", endpoint="index")
def index():
    """Find a person by name or NIP, see whether they activated, issue a code; print sheets."""
    require_view()
    try:
        args, errors = SearchArgs().load(request.args.to_dict()), {}
    except ma.ValidationError as error:
        args, errors = {"q": "", "page": 1}, {"q": error.messages}
    found = accounts_services.search(current_user, args["q"], args["page"])
    units = [unit for unit in units_of(current_user.org_id) if unit.active]
    return render_template(
        "accounts/index.html", found=found, query=request.args.get("q", ""), errors=errors,
        rows=[(person, account_status(person)) for person in found.people], units=units,
        may_change=may_change(current_user), mail_ready=mail.configured())


@bp.post("/<int:person_id>/kode", endpoint="issue")
def issue(person_id):
    """Issue a code (or a reset) and show it once, big enough to read out or copy."""
    require_change()
    posted = post_form(lambda args: accounts_services.issue_code(
        current_user, person_id, args["send_email"]), IssueCodeIn())
    if posted.failed:
        posted.flash("")
        return redirect(url_for("accounts.index", q=request.form.get("q", "")), 303)
    return render_template("accounts/code.html", issued=posted.result,
                           address=accounts_services.activation_address())


@bp.post("/lembar", endpoint="sheet")
def sheet():
    """The unit's activation sheet (PDF), with fresh codes for who has not activated."""
    require_change()
    posted = post_form(lambda args: accounts_services.issue_sheet(
        current_user, args["unit_id"]), SheetFormIn())
    if posted.failed:
        posted.flash("")
        return redirect(url_for("accounts.index"), 303)
    current_app.logger.info("Activation sheet issued by person %s", current_user.id)
    return download(*posted.result, "application/pdf")
