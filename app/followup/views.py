"""Follow-up pages (/tindak-lanjut): dialogues, coaching plans, recognitions and objections,
for the phone first. They call the same services and load forms with the API's schemas."""

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin.access import may_change, require_change, require_view
from app.core.forms import post_form
from app.development.views import kind_labels, status_labels
from app.evaluations.labels import PREDIKAT_LABELS, RATING_LABELS
from app.evaluations.services import appraisees, get_evaluation, list_periods
from app.extensions import db
from app.followup import dialogs, objections, outcomes, trainings
from app.followup.models import (
    CoachingPlan,
    Objection,
    PlanResult,
    PlanStatus,
    Recognition,
)
from app.followup.schemas import (
    DialogIn,
    ObjectionDecisionIn,
    ObjectionIn,
    PlanCloseIn,
    PlanPatchIn,
    PlanTrainingAttachIn,
    PlanTrainingIn,
    PolicyIn,
    SessionIn,
    SessionPatchIn,
)
from app.org.lines import local_today
from app.targets.services import skp_of

bp = Blueprint("followup", __name__, url_prefix="/tindak-lanjut")

PLAN_STATUS_LABELS = {PlanStatus.OPEN: _l("Ongoing"), PlanStatus.CLOSED: _l("Closed"),
                      PlanStatus.CANCELLED: _l("Cancelled")}
RESULT_LABELS = {PlanResult.IMPROVED: _l("Improved"), PlanResult.PARTLY: _l("Partly improved"),
                 PlanResult.NOT_IMPROVED: _l("Not improved")}
OBJECTION_LABELS = {"pending": _l("Waiting for a decision"), "kept": _l("Ratings kept"),
                    "changed": _l("Ratings changed")}
#: Rows of agreed actions on the dialogue form.
ACTION_ROWS = 3


def _labels() -> dict:
    return {"predikat_labels": PREDIKAT_LABELS, "rating_labels": RATING_LABELS,
            "plan_status_labels": PLAN_STATUS_LABELS, "result_labels": RESULT_LABELS,
            "objection_labels": OBJECTION_LABELS}


@bp.app_template_global()
def follow_up_of(evaluation) -> dict:
    """What followed an evaluation, for its page: the objection (and whether one may be
    filed), the coaching plan and the recognition."""
    objection = db.session.scalar(db.select(Objection).where(
        Objection.evaluation_id == evaluation.id))
    return {
        "objection": objection,
        "can_object": (objection is None and evaluation.person_id == current_user.id
                       and objections.objection_open(evaluation)),
        "objection_until": (objections.deadline(evaluation).replace(tzinfo=UTC).astimezone(
            ZoneInfo(evaluation.person.timezone)) if evaluation.assessed_at else None),
        "plan": db.session.scalar(db.select(CoachingPlan).where(
            CoachingPlan.evaluation_id == evaluation.id)),
        "recognition": db.session.scalar(db.select(Recognition).where(
            Recognition.evaluation_id == evaluation.id, Recognition.revoked_at.is_(None))),
    }


@bp.get("")
def hub():
    """The caller's follow-up: dialogues, coaching plans, recognitions and objections."""
    return render_template(
        "followup/hub.html", dialogs=[dialogs.decorate(d, current_user)
                                      for d in dialogs.list_dialogs(current_user)],
        plans=outcomes.list_plans(current_user),
        recognitions=outcomes.list_recognitions(current_user),
        objections=[objections.decorate(o, current_user)
                    for o in objections.list_objections(current_user)], **_labels())


# --- dialogues ------------------------------------------------------------------------------

def _dialog_form(*, form=None, errors=None, status=200):
    today = local_today(current_user)
    form = form or {"held_on": today.isoformat(), "person_id": request.args.get("orang", "")}
    team = appraisees(current_user)
    chosen = str(form.get("person_id", ""))
    person = next((p for p in team if str(p.id) == chosen), current_user)
    skp = skp_of(person, today.year)
    return render_template("followup/dialog_form.html", form=form, errors=errors or {},
                           team=team, rows=range(ACTION_ROWS), person=person,
                           rhks=skp.rhks if skp else [],
                           periods=list_periods(current_user, None)), status


@bp.get("/dialog/baru")
def new_dialog():
    return _dialog_form()


def _posted_dialog() -> dict:
    data = {key: request.form.get(key, "").strip() for key in
            ("held_on", "topic", "notes", "person_id", "period_id", "rhk_id")}
    data = {k: (int(v) if k.endswith("_id") and v.isdigit() else v) for k, v in data.items()
            if v != ""}
    actions = []
    for n in range(ACTION_ROWS):
        text = request.form.get(f"action-{n}", "").strip()
        due = request.form.get(f"due-{n}", "").strip()
        if text or due:
            actions.append({"description": text, "due_on": due})
    return {**data, "actions": actions}


@bp.post("/dialog")
def create_dialog():
    posted = post_form(lambda args: dialogs.create_dialog(current_user, **args), DialogIn(),
                       data=_posted_dialog(), raise_for=(404,))
    if posted.failed:
        return _dialog_form(form=request.form, errors=posted.errors, status=posted.status)
    flash(_("Performance dialogue recorded."), "success")
    return redirect(url_for("followup.dialog", dialog_id=posted.result.id), 303)


@bp.get("/dialog/<int:dialog_id>")
def dialog(dialog_id):
    item = dialogs.decorate(dialogs.get_dialog(current_user, dialog_id), current_user)
    return render_template("followup/dialog.html", dialog=item, today=local_today(
        current_user))


@bp.post("/dialog/<int:dialog_id>/konfirmasi")
def confirm_dialog(dialog_id):
    post_form(lambda: dialogs.confirm_dialog(current_user, dialog_id),
              raise_for=(403, 404)).flash(_("Dialogue confirmed."))
    return redirect(url_for("followup.dialog", dialog_id=dialog_id), 303)


@bp.post("/dialog/aksi/<int:action_id>/selesai")
def complete_action(action_id):
    posted = post_form(lambda: dialogs.complete_action(current_user, action_id),
                       raise_for=(403, 404))
    posted.flash(_("Action marked as done."))
    return redirect(url_for("followup.dialog", dialog_id=posted.result.dialog_id), 303)


# --- coaching plans -------------------------------------------------------------------------

def _plan_page(plan_id, *, form=None, errors=None, status=200):
    plan = outcomes.decorate_plan(outcomes.get_plan(current_user, plan_id), current_user)
    return render_template("followup/plan.html", plan=plan, form=form or {},
                           errors=errors or {}, results=RESULT_LABELS,
                           kinds=kind_labels(), training_status=status_labels(),
                           attachable=trainings.attachable(current_user, plan),
                           **_labels()), status


@bp.get("/pembinaan/<int:plan_id>")
def plan(plan_id):
    return _plan_page(plan_id)


def _plan_post(plan_id, action, schema, done: str):
    posted = post_form(action, schema, raise_for=(403, 404))
    if posted.failed:
        return _plan_page(plan_id, form=request.form, errors=posted.errors,
                          status=posted.status)
    flash(done, "success")
    return redirect(url_for("followup.plan", plan_id=plan_id), 303)


@bp.post("/pembinaan/<int:plan_id>")
def update_plan(plan_id):
    return _plan_post(plan_id, lambda args: outcomes.update_plan(current_user, plan_id, **args),
                      PlanPatchIn(), _("Coaching plan saved."))


@bp.post("/pembinaan/<int:plan_id>/sesi")
def add_session(plan_id):
    return _plan_post(plan_id, lambda args: outcomes.add_session(current_user, plan_id, **args),
                      SessionIn(), _("Session planned."))


@bp.post("/pembinaan/sesi/<int:session_id>")
def update_session(session_id):
    plan_id = outcomes.get_session(current_user, session_id).plan_id
    return _plan_post(plan_id, lambda args: outcomes.update_session(
        current_user, session_id, **args), SessionPatchIn(), _("Session recorded."))


@bp.post("/pembinaan/<int:plan_id>/pelatihan")
def ask_training(plan_id):
    return _plan_post(plan_id, lambda args: trainings.ask_training(current_user, plan_id,
                                                                   **args),
                      PlanTrainingIn(), _("Training asked."))


@bp.post("/pembinaan/pelatihan/<int:plan_training_id>")
def attach_training(plan_training_id):
    plan_id = trainings.get_item(current_user, plan_training_id).plan_id
    return _plan_post(plan_id, lambda args: trainings.attach_training(
        current_user, plan_training_id, **args),
                      PlanTrainingAttachIn(), _("Training attached."))


@bp.post("/pembinaan/<int:plan_id>/tutup")
def close_plan(plan_id):
    return _plan_post(plan_id, lambda args: outcomes.close_plan(current_user, plan_id, **args),
                      PlanCloseIn(), _("Coaching plan closed."))


# --- recognitions ---------------------------------------------------------------------------

@bp.get("/penghargaan/<int:recognition_id>")
def certificate(recognition_id):
    """The certificate of recognition (PDF)."""
    from app.documents.api import download

    content, name = outcomes.certificate(current_user, recognition_id)
    return download(content, name, "application/pdf")


# --- objections -----------------------------------------------------------------------------

@bp.post("/evaluasi/<int:evaluation_id>/keberatan")
def file_objection(evaluation_id):
    """The employee objects (from the evaluation page)."""
    get_evaluation(current_user, evaluation_id)
    posted = post_form(lambda args: objections.file_objection(current_user, evaluation_id,
                                                              **args), ObjectionIn(),
                       raise_for=(403, 404))
    if posted.failed:
        flash(posted.message, "error")
        return redirect(url_for("evaluations.detail", evaluation_id=evaluation_id), 303)
    flash(_("Your objection was sent to your appraiser's supervisor."), "success")
    return redirect(url_for("followup.objection", objection_id=posted.result.id), 303)


def _objection_page(objection_id, *, form=None, errors=None, status=200):
    item = objections.decorate(objections.get_objection(current_user, objection_id),
                               current_user)
    return render_template("followup/objection.html", objection=item, form=form or {},
                           errors=errors or {}, **_labels()), status


@bp.get("/keberatan/<int:objection_id>")
def objection(objection_id):
    return _objection_page(objection_id)


@bp.post("/keberatan/<int:objection_id>")
def decide_objection(objection_id):
    posted = post_form(lambda args: objections.decide_objection(current_user, objection_id,
                                                                **args), ObjectionDecisionIn(),
                       raise_for=(403, 404))
    if posted.failed:
        return _objection_page(objection_id, form=request.form, errors=posted.errors,
                               status=posted.status)
    flash(_("Objection decided."), "success")
    return redirect(url_for("followup.objection", objection_id=objection_id), 303)


# --- the organisation's setting -------------------------------------------------------------

def _settings_page(*, form=None, errors=None, status=200):
    days = objections.objection_days(current_user.org_id)
    return render_template("followup/settings.html", days=days,
                           form=form or {"objection_days": str(days)}, errors=errors or {},
                           may_change=may_change(current_user)), status


@bp.get("/pengaturan")
def settings():
    """The objection window (HR administrators change it; pimpinan read it)."""
    require_view()
    return _settings_page()


@bp.post("/pengaturan")
def save_settings():
    require_change()
    posted = post_form(lambda args: objections.set_policy(current_user, **args), PolicyIn(),
                       raise_for=())
    if posted.failed:
        return _settings_page(form=request.form, errors=posted.errors, status=posted.status)
    flash(_("Follow-up settings saved."), "success")
    return redirect(url_for("followup.settings"), 303)
