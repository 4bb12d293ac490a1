"""Review pages: the reply form of an activity's thread, the team view (Tim), continuous
feedback. They call the same services as the API."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask import request as http_request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from marshmallow import ValidationError

from app.absences import services as absences
from app.absences.services import kind_label
from app.activities import services as activities
from app.core.forms import post_form
from app.errors import AppError
from app.feedback import services, team
from app.feedback.models import Value
from app.feedback.schemas import ApproveDayIn, CommentIn, FeedbackIn

bp = Blueprint("feedback", __name__)


@bp.post("/aktivitas/<activity_id>/komentar")
def comment(activity_id):
    """Add to the thread, then back to the activity; on error the typed text stays."""
    from app.activities.views import render_detail

    body = http_request.form.get("body") or ""
    if not body.strip():
        return render_detail(activity_id, comment=body, status=422,
                             comment_error=_("Write your feedback first."))
    posted = post_form(
        lambda args: services.add_comment(current_user, activity_id, **args), CommentIn(),
        data={"body": body})
    if isinstance(posted.error, AppError):
        return render_detail(activity_id, comment=body, comment_error=posted.message,
                             status=posted.status)
    if posted.failed:
        return render_detail(activity_id, comment=body, status=422,
                             comment_error=next(iter(posted.errors.values()), None)
                             or _("Write your feedback first."))
    flash(_("Feedback sent."), "success")
    return redirect(url_for("activities.detail", activity_id=activity_id, _anchor="comments"),
                    303)


# --- the team view ---------------------------------------------------------------------------

STATUSES = ("submitted", "draft", "approved", "returned")


def _filters() -> dict:
    """The team page's filters from the query string (bad values are dropped)."""
    args = http_request.args
    filters = {}
    try:
        if args.get("tanggal"):
            filters["on_date"] = date.fromisoformat(args["tanggal"])
    except ValueError:
        pass
    if args.get("status") in STATUSES:
        filters["status"] = args["status"]
    if args.get("orang", "").isdigit():
        filters["person_id"] = int(args["orang"])
    return filters


def _query_of(filters: dict) -> dict:
    """The filters back as query-string arguments."""
    query = {}
    if filters.get("on_date"):
        query["tanggal"] = filters["on_date"].isoformat()
    if filters.get("status"):
        query["status"] = filters["status"]
    if filters.get("person_id"):
        query["orang"] = filters["person_id"]
    return query


@bp.get("/tim")
def team_page():
    """Who logged today and who did not, what waits for review, by person and by date."""
    filters = _filters()
    view = team.team(current_user, **filters)
    everyone = team.team(current_user)["people"] if filters else view["people"]
    return render_template(
        "feedback/team.html", view=view, filters=filters, query=_query_of(filters),
        statuses=STATUSES, everyone=everyone,
        not_logged=[row["person"] for row in everyone
                    if not row["logged_today"] and not row["absence"]],
        away=[row for row in everyone if row["absence"]],
        absence_label=kind_label, decidable=absences.list_absences(current_user,
                                                                   decidable=True))


def _back_to_team():
    query = {key: value for key, value in http_request.form.items()
             if key in ("tanggal", "status", "orang") and value}
    return redirect(url_for("feedback.team_page", **query), 303)


def _team_act(action, success: str, schema=None, data=None):
    post_form(action, schema, data=data).flash(success)
    return _back_to_team()


@bp.post("/tim/aktivitas/<activity_id>/setujui")
def approve(activity_id):
    return _team_act(
        lambda: activities.approve_activity(current_user, activity_id,
                                            quality=http_request.form.get("quality")),
        _("Activity approved."))


@bp.post("/tim/aktivitas/<activity_id>/komentar")
def team_comment(activity_id):
    """Feedback on a team member's activity from the team list, back to the same list."""
    body = http_request.form.get("body") or ""
    if not body.strip():
        flash(_("Write your feedback first."), "error")
        return _back_to_team()
    return _team_act(lambda args: services.add_comment(current_user, activity_id, **args),
                     _("Feedback sent."), CommentIn(), {"body": body})


@bp.post("/tim/aktivitas/<activity_id>/kembalikan")
def return_(activity_id):
    reason = (http_request.form.get("reason") or "").strip()
    if not reason:
        flash(_("Write the reason for returning it."), "error")
        return _back_to_team()
    return _team_act(
        lambda: activities.return_activity(current_user, activity_id, reason=reason),
        _("Activity returned with your reason."))


@bp.post("/tim/setujui-hari")
def approve_day():
    """Approve one person's whole day."""
    try:
        args = ApproveDayIn().load({"person_id": int(http_request.form.get("person_id", "")),
                                    "date": http_request.form.get("date", "")})
    except (ValueError, ValidationError):
        abort(404)
    posted = post_form(lambda: team.approve_day(current_user, args["person_id"], args["date"]))
    if posted.failed:
        flash(posted.message, "error")
        return _back_to_team()
    approved = posted.result
    if approved:
        flash(ngettext("%(num)d activity approved.", "%(num)d activities approved.",
                       len(approved)), "success")
    else:
        flash(_("Nothing of that day waits for review."), "info")
    return _back_to_team()


# --- continuous feedback ---------------------------------------------------------------------

def _feedback_page(person_id: int, *, values=None, errors=None, status=200):
    year = http_request.args.get("year", type=int)
    found = services.feedback_for(current_user, person_id, year=year)
    skp = found["skp"]
    by_rhk = {rhk.id: [] for rhk in skp.rhks} if skp else {}
    by_value = {value: [] for value in Value}
    for item in found["items"]:
        if item.rhk_id is not None:
            by_rhk.setdefault(item.rhk_id, []).append(item)
        else:
            by_value[item.value].append(item)
    return render_template(
        "feedback/person.html", person=found["person"], year=found["year"], skp=skp,
        by_rhk=by_rhk, by_value=by_value, value_labels=services.VALUE_LABELS,
        can_write=services.may_supervise(current_user, person_id),
        values=values or {}, errors=errors or {}), status


@bp.get("/umpan-balik/<int:person_id>")
def person_feedback(person_id):
    """The person's continuous feedback of the year, by RHK and by BerAKHLAK value."""
    return _feedback_page(person_id)


@bp.post("/umpan-balik/<int:person_id>")
def give_feedback(person_id):
    form = http_request.form.to_dict()
    subject = form.get("subject", "")
    data = {"body": form.get("body", "")}
    if subject.startswith("rhk-") and subject[4:].isdigit():
        data["rhk_id"] = int(subject[4:])
    elif subject.startswith("value-"):
        data["value"] = subject[6:]
    if form.get("year", "").isdigit():
        data["year"] = int(form["year"])
    posted = post_form(
        lambda args: services.give_feedback(current_user, person_id, **args), FeedbackIn(),
        data=data)
    errors = dict(posted.errors)
    if not data.get("body", "").strip():
        errors["body"] = _("Write your feedback first.")
    if errors:
        if "rhk_id" in errors or "value" in errors:
            errors["subject"] = errors.pop("rhk_id", None) or errors.pop("value")
        return _feedback_page(person_id, values=form, errors=errors, status=422)
    flash(_("Feedback sent."), "success")
    return redirect(url_for("feedback.person_feedback", person_id=person_id,
                            year=data.get("year")), 303)
