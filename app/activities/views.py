"""Activity pages: the activity form, an activity's detail, and its actions.

The pages call the same services as the API. Forms carry a server-made UUID, so a double tap
or a resent form never logs the same activity twice.
"""

import uuid
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.activities import deadlines, evidence, services
from app.activities.models import ActivityStatus, WorkKind
from app.activities.schemas import ActivityCreateIn, ActivityUpdateIn, LinkIn
from app.activities.services import withdraw
from app.audit import services as audit
from app.core.forms import post_form
from app.errors import AppError
from app.feedback.services import thread
from app.models import utcnow
from app.org.lines import may_supervise
from app.targets.services import targets_for_picker

bp = Blueprint("activities", __name__)

#: Where work sits when it serves no SKP indicator (the picker's last choices).
OTHER_WORK = (WorkKind.TAMBAHAN.value, WorkKind.LAINNYA.value)
DEFAULT_START = time(7, 30)


def _today() -> date:
    return deadlines.local_today(current_user, utcnow())


def _parse_date(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else _today()
    except ValueError:
        abort(404)


def _form_values(form) -> tuple[dict, dict]:
    """Form fields -> the API schema's input (and per-field errors the schema cannot see)."""
    values, errors = {}, {}
    for name in ("date", "start_time", "end_time", "description", "quantity", "unit"):
        text = (form.get(name) or "").strip()
        if text or name in ("date", "description"):
            values[name] = text
    target = form.get("target", "")
    if target in OTHER_WORK:
        values["work_kind"] = target
    elif target.isdigit():
        values["target_id"] = int(target)
    else:
        errors["target"] = _("Choose the RHK this work serves, or additional/other work.")
    if "quantity" in values:
        values["quantity"] = values["quantity"].replace(",", ".")
    return values, errors


def _schema_errors(errors: dict) -> dict:
    """The schema's messages under the form's names (one picker sets either field)."""
    fields = dict(errors)
    if "target_id" in fields or "work_kind" in fields:
        fields["target"] = fields.pop("target_id", None) or fields.pop("work_kind")
    return fields


def _render_form(values: dict, errors: dict, *, activity=None, status=200):
    on_date = values.get("date") or _today()
    if isinstance(on_date, str):
        try:
            on_date = date.fromisoformat(on_date)
        except ValueError:
            on_date = _today()
    picker = targets_for_picker(current_user, on_date)
    defaults = services.form_defaults(current_user, on_date=on_date)
    return render_template(
        "activities/form.html", values=values, errors=errors, activity=activity,
        picker=picker, recent=defaults["recent_descriptions"], other_work=OTHER_WORK,
        deadline=deadlines.summary(current_user, on_date, utcnow()),
        templates=services.list_templates(current_user)), status


def _initial_values(on_date: date) -> dict:
    start = services.day_end(current_user, on_date) or DEFAULT_START
    end = (datetime.combine(on_date, start) + timedelta(hours=1)).time()
    if end < start:
        end = time(23, 59)
    return {"id": str(uuid.uuid4()), "date": on_date.isoformat(),
            "start_time": start.strftime("%H:%M"), "end_time": end.strftime("%H:%M")}


def _copy_from(source, values: dict) -> dict:
    """Pre-fill from an earlier activity or a template ("Ulangi")."""
    values.update(description=source.description, unit=source.unit or "",
                  quantity="" if source.quantity is None else f"{source.quantity.normalize():f}",
                  target=str(source.target_id) if source.target_id else source.work_kind.value)
    duration = getattr(source, "duration_minutes", None)
    if duration:
        start = datetime.combine(date.today(), time.fromisoformat(values["start_time"]))
        values["end_time"] = min(start + timedelta(minutes=duration),
                                 datetime.combine(date.today(), time(23, 59))).strftime("%H:%M")
    return values


@bp.get("/aktivitas/baru")
def new():
    """The activity form, pre-filled from a template or an earlier activity when asked."""
    values = _initial_values(_parse_date(request.args.get("tanggal")))
    if request.args.get("ulangi"):
        values = _copy_from(services.get_activity(current_user, request.args["ulangi"]), values)
    elif request.args.get("templat", "").isdigit():
        template = next((t for t in services.list_templates(current_user)
                         if t.id == int(request.args["templat"])), None)
        if template is None:
            abort(404)
        values = _copy_from(template, values)
    return _render_form(values, {})


@bp.post("/aktivitas/baru")
def create():
    form = request.form.to_dict()
    values, errors = _form_values(form)
    upload = request.files.get("evidence")
    submit = form.get("action") == "submit"

    def save(data):
        saved = services.create_activity(current_user, **data)
        if upload and upload.filename and saved.created:
            evidence.add_file(current_user, saved.activity.id, stream=upload.stream,
                              filename=upload.filename)
        if submit and saved.activity.status in (ActivityStatus.DRAFT, ActivityStatus.RETURNED):
            services.submit_activity(current_user, saved.activity.id)
        return saved

    posted = post_form(save, ActivityCreateIn(), errors=errors, raise_for=(), data={
        **values, "id": form.get("id") or str(uuid.uuid4())})
    if isinstance(posted.error, AppError):
        errors = posted.error.fields or {
            "_form": posted.error.message or _("The activity was not saved.")}
        if "target_id" in errors:
            errors["target"] = errors.pop("target_id")
        if upload and upload.filename:
            errors.setdefault("evidence", _("Choose the file again."))
        return _render_form(form, errors, status=posted.status)
    if posted.failed:
        return _render_form(form, _schema_errors(posted.errors), status=422)
    saved = posted.result
    flash("activity-form:new", "clear-draft")
    flash(_("Activity submitted for review.") if submit else _("Activity saved as a draft."),
          "success")
    for warning in saved.warnings:
        flash(warning.get("message", _("This activity overlaps another one.")), "warning")
    return redirect(url_for("home.index", tanggal=saved.activity.date.isoformat()), 303)


@bp.get("/aktivitas/<activity_id>")
def detail(activity_id):
    return render_detail(activity_id)


def render_detail(activity_id, *, comment: str = "", comment_error: str | None = None,
                  status: int = 200):
    """The activity with its history and comment thread (``comment``: the reply being typed,
    kept when it could not be saved)."""
    activity = services.get_activity(current_user, activity_id)  # Plt/Plh included
    reviewer = may_supervise(current_user, activity.person_id)
    return render_template(
        "activities/detail.html", activity=activity,
        history=audit.history("activity", activity.id),
        is_owner=activity.person_id == current_user.id,
        can_review=reviewer and activity.status == ActivityStatus.SUBMITTED,
        in_thread=reviewer or activity.person_id == current_user.id,
        comments=thread(activity), comment=comment, comment_error=comment_error,
        withdrawable=(activity.status == ActivityStatus.SUBMITTED
                      and not withdraw.reviewed_since_sent(activity)),
        deadline=deadlines.summary(activity.person, activity.date, utcnow())), status


@bp.get("/aktivitas/<activity_id>/ubah")
def edit(activity_id):
    activity = services.get_own_activity(current_user, activity_id, for_update=False)
    values = {"date": activity.date.isoformat(), "version": activity.version,
              "start_time": activity.start_time.strftime("%H:%M") if activity.start_time else "",
              "end_time": activity.end_time.strftime("%H:%M") if activity.end_time else "",
              "description": activity.description, "unit": activity.unit or "",
              "quantity": "" if activity.quantity is None
              else f"{activity.quantity.normalize():f}",
              "target": str(activity.target_id) if activity.target_id
              else activity.work_kind.value}
    return _render_form(values, {}, activity=activity)


@bp.post("/aktivitas/<activity_id>/ubah")
def update(activity_id):
    activity = services.get_own_activity(current_user, activity_id, for_update=False)
    form = request.form.to_dict()
    values, errors = _form_values(form)
    version = form.get("version", "")
    submit = form.get("action") == "submit"

    def save(data):
        saved = services.update_activity(current_user, activity_id, **data)
        if submit:
            services.submit_activity(current_user, activity_id)
        return saved

    posted = post_form(save, ActivityUpdateIn(), errors=errors, raise_for=(), data={
        **values, "version": int(version) if version.isdigit() else version})
    if isinstance(posted.error, AppError):
        error = posted.error
        if error.status == 409 and "current" in error.extra:
            # Someone (another device) changed it: keep the typed values, show the newest.
            form["version"] = error.extra["current"]["version"]
        return _render_form(form, error.fields or {"_form": error.message}, activity=activity,
                            status=error.status)
    if posted.failed:
        return _render_form(form, _schema_errors(posted.errors), activity=activity, status=422)
    saved = posted.result
    flash(f"activity-form:{activity_id}", "clear-draft")
    flash(_("Activity submitted for review.") if submit else _("Changes saved."), "success")
    return redirect(url_for("activities.detail", activity_id=saved.activity.id), 303)


@bp.post("/aktivitas/<activity_id>/kirim")
def submit(activity_id):
    return _act(activity_id, lambda: services.submit_activity(current_user, activity_id),
                _("Activity submitted for review."))


@bp.post("/aktivitas/<activity_id>/tarik")
def withdraw_(activity_id):
    return _act(activity_id, lambda: withdraw.withdraw(current_user, activity_id),
                _("Activity withdrawn: it is a draft again."))


@bp.post("/aktivitas/<activity_id>/hapus")
def delete_draft(activity_id):
    posted = post_form(lambda: withdraw.delete_draft(current_user, activity_id))
    if posted.failed:
        posted.flash("")
        return redirect(url_for("activities.detail", activity_id=activity_id), 303)
    flash(_("Draft deleted."), "success")
    return redirect(url_for("home.index"), 303)


@bp.post("/aktivitas/<activity_id>/setujui")
def approve(activity_id):
    return _act(activity_id,
                lambda: services.approve_activity(current_user, activity_id,
                                                  quality=request.form.get("quality")),
                _("Activity approved."))


@bp.post("/aktivitas/<activity_id>/kembalikan")
def return_(activity_id):
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        flash(_("Write the reason for returning it."), "error")
        return redirect(url_for("activities.detail", activity_id=activity_id), 303)
    return _act(activity_id,
                lambda: services.return_activity(current_user, activity_id, reason=reason),
                _("Activity returned with your reason."))


@bp.post("/aktivitas/<activity_id>/bukti")
def add_evidence(activity_id):
    upload = request.files.get("evidence")
    link = (request.form.get("url") or "").strip()

    def attach():
        if upload and upload.filename:
            evidence.add_file(current_user, activity_id, stream=upload.stream,
                              filename=upload.filename)
        elif link:
            try:
                data = LinkIn().load({"url": link})
            except ValidationError:
                raise AppError(_("Enter a link that starts with http:// or https://."),
                               status=422) from None
            evidence.add_link(current_user, activity_id, url=data["url"])
        else:
            raise AppError(_("Choose a photo or PDF, or enter a link."), status=422)

    return _act(activity_id, attach, _("Evidence added."))


@bp.post("/aktivitas/<activity_id>/templat")
def save_template(activity_id):
    activity = services.get_own_activity(current_user, activity_id, for_update=False)
    name = (request.form.get("name") or activity.description)[:100]
    return _act(activity_id, lambda: services.create_template(
        current_user, name=name, description=activity.description,
        target_id=activity.target_id, work_kind=activity.work_kind.value,
        quantity=activity.quantity, unit=activity.unit,
        duration_minutes=activity.duration_minutes or None), _("Saved as a template."))


def _act(activity_id, action, success: str):
    """Run a state change, then back to the activity with the outcome as a message."""
    post_form(action).flash(success)
    return redirect(url_for("activities.detail", activity_id=activity_id), 303)
