"""Absence pages (/cuti): the employee asks and follows their requests, the supervisor
decides from the team view (/tim), HR enters and lists the organisation's at /cuti/semua
(pimpinan read it). They call the same services as the API."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.absences import imports, services
from app.absences.models import AbsenceKind, AbsenceStatus
from app.absences.schemas import AbsenceIn, RejectIn
from app.admin.access import may_change, require_change, require_view
from app.core.forms import post_form
from app.errors import ValidationFailed
from app.extensions import db
from app.org.models import Person
from app.org.services import people_visible_to

bp = Blueprint("absences", __name__, url_prefix="/cuti")


def _labels() -> dict:
    return {"kinds": {kind.value: services.kind_label(kind) for kind in AbsenceKind},
            "statuses": {status.value: str(label)
                         for status, label in services.STATUS_LABELS.items()}}


def _own_page(*, form=None, errors=None, status=200):
    mine = services.list_absences(current_user, person_id=current_user.id)
    return render_template("absences/own.html", absences=mine, form=form or {},
                           errors=errors or {}, **_labels()), status


@bp.get("")
def own():
    """The signed-in person's absences and the form to ask for one."""
    return _own_page()


@bp.post("")
def ask():
    """Ask for an absence: it waits for the supervisor; on error the form comes back."""
    posted = post_form(lambda args: services.create_absence(
        current_user, **{**args, "person_id": None}), AbsenceIn(), raise_for=())
    if posted.failed:
        errors = posted.errors
        if posted.status == 409:
            errors = {"starts_on": posted.message}
        return _own_page(form=request.form, errors=errors, status=posted.status)
    flash(_("Request sent to your supervisor.") if posted.result.status ==
          AbsenceStatus.REQUESTED else _("Absence entered."), "success")
    return redirect(url_for("absences.own"), 303)


def _back(default: str):
    """Back to the page the form was on (/tim, /cuti/semua), never off this site."""
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//")
                    else url_for(default), 303)


@bp.post("/<int:absence_id>/setujui")
def approve(absence_id):
    """The supervisor approves a request (from /tim)."""
    post_form(lambda: services.approve_absence(current_user, absence_id)).flash(
        _("Absence approved."))
    return _back("feedback.team_page")


@bp.post("/<int:absence_id>/tolak")
def reject(absence_id):
    """The supervisor rejects a request with a reason (from /tim)."""
    post_form(lambda args: services.reject_absence(current_user, absence_id, args["reason"]),
              RejectIn()).flash(_("Request rejected."))
    return _back("feedback.team_page")


@bp.post("/<int:absence_id>/batal")
def cancel(absence_id):
    """The employee withdraws their own request or absence; HR cancels any."""
    post_form(lambda: services.cancel_absence(current_user, absence_id)).flash(
        _("Absence cancelled."))
    return _back("absences.own")


# --- HR: the organisation's absences ---------------------------------------------------------

def _all_page(*, form=None, errors=None, status=200, imported=None, import_errors=None):
    wanted = request.args.get("status", "")
    status_filter = wanted if wanted in {s.value for s in AbsenceStatus} else None
    people = []
    if may_change(current_user):
        people = db.session.scalars(people_visible_to(current_user).where(
            Person.active.is_(True)).order_by(Person.name, Person.id)).all()
    return render_template(
        "absences/all.html", absences=services.list_absences(current_user,
                                                             status=status_filter),
        status_filter=status_filter or "", people=people, may_change=may_change(current_user),
        form=form or {}, errors=errors or {}, imported=imported,
        import_errors=import_errors or {}, **_labels()), status


@bp.get("/semua")
def all_absences():
    """Every absence of the organisation, newest first (HR administrators and pimpinan)."""
    require_view()
    return _all_page()


@bp.post("/semua")
def enter():
    """HR enters an absence for anyone of the organisation: approved at once."""
    require_change()
    posted = post_form(lambda args: services.create_absence(current_user, **args),
                       AbsenceIn(), raise_for=())
    if posted.failed:
        errors = posted.errors
        if posted.status == 409:
            errors = {"starts_on": posted.message}
        elif posted.status == 404:
            errors = {"person_id": posted.message}
        return _all_page(form=request.form, errors=errors, status=posted.status)
    flash(_("Absence entered."), "success")
    return redirect(url_for("absences.all_absences"), 303)


@bp.post("/semua/impor")
def import_file():
    """HR imports many absences from a spreadsheet: every row is checked, and all are entered
    or none. When any row is wrong the page lists the rows to correct and nothing is kept, so
    the user fixes their file and uploads it again."""
    require_change()
    upload = request.files.get("file")
    chosen = bool(upload and upload.filename)
    posted = post_form(lambda: imports.import_absences(
        current_user, upload.read(imports.MAX_BYTES + 1), dry_run=False)
        if chosen else _no_file(), raise_for=())
    if posted.failed:
        result = getattr(posted.error, "extra", {}).get("result")
        errors = dict(posted.errors)
        if result:
            errors["file"] = _("Nothing was imported from %(name)s: correct the rows below "
                               "in the file and upload it again.", name=upload.filename)
        return _all_page(imported=result, import_errors=errors, status=posted.status)
    result = posted.result
    flash(_("Imported: %(created)d new absences; %(unchanged)d were already entered.",
            created=result["created"], unchanged=result["unchanged"]), "success")
    return redirect(url_for("absences.all_absences"), 303)


def _no_file():
    raise ValidationFailed(fields={"file": _("Choose an XLSX file.")})
