"""/api/v1: what follows the assessment (PermenPANRB 6/2022): performance dialogues,
recognitions and their certificates, coaching plans, objections and the organisation's
follow-up policy."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.blueprint import Blueprint
from app.core.security import requires_role
from app.followup import dialogs, objections, outcomes, trainings
from app.followup.schemas import (
    CoachingPlanOut,
    DialogActionOut,
    DialogArgs,
    DialogIn,
    DialogOut,
    FollowUpSummaryOut,
    ObjectionDecisionIn,
    ObjectionIn,
    ObjectionOut,
    PlanArgs,
    PlanCloseIn,
    PlanPatchIn,
    PlanTrainingAttachIn,
    PlanTrainingIn,
    PlanTrainingOut,
    PolicyIn,
    PolicyOut,
    RecognitionOut,
    SessionIn,
    SessionOut,
    SessionPatchIn,
    YearArgs,
)
from app.org.lines import local_today
from app.org.models import Role

blp = Blueprint("followup_api", __name__, url_prefix="", description="Follow-up of the "
                "assessment: dialogues, recognition, coaching, objections",
                error_descriptions={
                    403: "Visible, but not yours to do",
                    404: "Not found or not visible to you",
                    409: "Stale version or a state that forbids this",
                    422: "Invalid fields",
                })


# --- dialog kinerja -------------------------------------------------------------------------

@blp.get("/dialogs")
@blp.arguments(DialogArgs, location="query")
@blp.response(200, DialogOut(many=True))
@blp.errors(404)
def list_dialogs(args):
    """One person's performance dialogues, or the caller's own and those they held."""
    return [dialogs.decorate(d, current_user)
            for d in dialogs.list_dialogs(current_user, args.get("person_id"))]


@blp.post("/dialogs")
@blp.arguments(DialogIn)
@blp.response(201, DialogOut)
@blp.errors(403, 422)
def create_dialog(args):
    """Record a dialogue (the employee with their supervisor, or the supervisor with someone
    they assess); the recording side has confirmed it."""
    return dialogs.decorate(dialogs.create_dialog(current_user, **args), current_user)


@blp.get("/dialogs/<int:dialog_id>")
@blp.response(200, DialogOut)
@blp.errors(404)
def get_dialog(dialog_id):
    return dialogs.decorate(dialogs.get_dialog(current_user, dialog_id), current_user)


@blp.post("/dialogs/<int:dialog_id>/confirm")
@blp.response(200, DialogOut)
@blp.errors(403, 404)
def confirm_dialog(dialog_id):
    """The other side confirms the record."""
    return dialogs.decorate(dialogs.confirm_dialog(current_user, dialog_id), current_user)


@blp.post("/dialog-actions/<int:action_id>/done")
@blp.response(200, DialogActionOut)
@blp.errors(403, 404)
def complete_action(action_id):
    """An agreed action is done (either side)."""
    return dialogs.complete_action(current_user, action_id)


# --- recognitions ---------------------------------------------------------------------------

@blp.get("/recognitions")
@blp.arguments(YearArgs, location="query")
@blp.response(200, RecognitionOut(many=True))
def list_recognitions(args):
    """Recognitions for a Sangat Baik predikat: the organisation's (HR, head of agency), or
    the caller's own and their team's."""
    return outcomes.list_recognitions(current_user, args.get("year"))


@blp.get("/recognitions/<int:recognition_id>")
@blp.response(200, RecognitionOut)
@blp.errors(404)
def get_recognition(recognition_id):
    return outcomes.get_recognition(current_user, recognition_id)


@blp.get("/recognitions/<int:recognition_id>/certificate")
@blp.doc(responses={"200": {"description": "The certificate of recognition (PDF)",
                            "content": {"application/pdf": {}}}})
@blp.errors(404)
def certificate(recognition_id):
    """The certificate of recognition (*piagam penghargaan*) as a PDF."""
    from app.documents.api import download

    content, name = outcomes.certificate(current_user, recognition_id)
    return download(content, name, "application/pdf")


@blp.get("/follow-up/summary")
@blp.arguments(YearArgs, location="query")
@blp.response(200, FollowUpSummaryOut)
@blp.errors(403)
def summary(args):
    """For HR and the head of agency: people whose predikat calls for a coaching plan, how
    many have one, and the recognitions of the year (default: this year)."""
    year = args.get("year") or local_today(current_user).year
    return outcomes.summary(current_user, year)


# --- coaching plans -------------------------------------------------------------------------

def _plan(plan):
    return outcomes.decorate_plan(plan, current_user)


@blp.get("/coaching-plans")
@blp.arguments(PlanArgs, location="query")
@blp.response(200, CoachingPlanOut(many=True))
def list_plans(args):
    """Coaching plans the caller runs, is coached by, or oversees."""
    return [_plan(p) for p in outcomes.list_plans(current_user, args.get("status"))]


@blp.get("/coaching-plans/<int:plan_id>")
@blp.response(200, CoachingPlanOut)
@blp.errors(404)
def get_plan(plan_id):
    return _plan(outcomes.get_plan(current_user, plan_id))


@blp.patch("/coaching-plans/<int:plan_id>")
@blp.arguments(PlanPatchIn)
@blp.response(200, CoachingPlanOut)
@blp.errors(403, 404, 409, 422)
def update_plan(args, plan_id):
    """Goals, the training asked and the review date (the supervisor, while open)."""
    return _plan(outcomes.update_plan(current_user, plan_id, **args))


@blp.post("/coaching-plans/<int:plan_id>/sessions")
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
@blp.errors(403, 404, 409, 422)
def add_session(args, plan_id):
    """Plan a coaching session (reminded on its day)."""
    return outcomes.add_session(current_user, plan_id, **args)


@blp.patch("/coaching-sessions/<int:session_id>")
@blp.arguments(SessionPatchIn)
@blp.response(200, SessionOut)
@blp.errors(403, 404, 409, 422)
def update_session(args, session_id):
    """Reschedule a session, or record it as held with notes."""
    return outcomes.update_session(current_user, session_id, **args)


@blp.post("/coaching-plans/<int:plan_id>/trainings")
@blp.arguments(PlanTrainingIn)
@blp.response(201, PlanTrainingOut)
@blp.errors(403, 404, 409, 422)
def ask_training(args, plan_id):
    """The supervisor asks a training in the plan (title, kind, optional JP); the employee
    is told."""
    return trainings.ask_training(current_user, plan_id, **args)


@blp.post("/coaching-plan-trainings/<int:plan_training_id>/attach")
@blp.arguments(PlanTrainingAttachIn)
@blp.response(200, PlanTrainingOut)
@blp.errors(403, 404, 409, 422)
def attach_training(args, plan_training_id):
    """The coached employee answers a request with a training they recorded (POST
    /trainings); the request is done once the supervisor verified that record."""
    return trainings.attach_training(current_user, plan_training_id, **args)


@blp.post("/coaching-plans/<int:plan_id>/close")
@blp.arguments(PlanCloseIn)
@blp.response(200, CoachingPlanOut)
@blp.errors(403, 404, 409, 422)
def close_plan(args, plan_id):
    """Close the plan with its outcome."""
    return _plan(outcomes.close_plan(current_user, plan_id, **args))


# --- objections -----------------------------------------------------------------------------

def _objection(objection):
    return objections.decorate(objection, current_user)


@blp.post("/evaluations/<int:evaluation_id>/objection")
@blp.arguments(ObjectionIn)
@blp.response(201, ObjectionOut)
@blp.errors(403, 404, 409, 422)
def file_objection(args, evaluation_id):
    """The employee objects to the assessment, with reasons, within the organisation's
    number of days after it (409 after that, or when already filed)."""
    return _objection(objections.file_objection(current_user, evaluation_id, **args))


@blp.get("/objections")
@blp.response(200, ObjectionOut(many=True))
def list_objections():
    """The caller's own objections and those they decide."""
    return [_objection(o) for o in objections.list_objections(current_user)]


@blp.get("/objections/<int:objection_id>")
@blp.response(200, ObjectionOut)
@blp.errors(404)
def get_objection(objection_id):
    return _objection(objections.get_objection(current_user, objection_id))


@blp.post("/objections/<int:objection_id>/decide")
@blp.arguments(ObjectionDecisionIn)
@blp.response(200, ObjectionOut)
@blp.errors(403, 404, 409, 422)
def decide_objection(args, objection_id):
    """The atasan pejabat penilai keeps or changes the ratings, with reasons; the predikat
    follows the matrix. Nobody else may decide."""
    return _objection(objections.decide_objection(current_user, objection_id, **args))


@blp.get("/follow-up-policy")
@blp.response(200, PolicyOut)
def get_policy():
    """The organisation's follow-up settings (days to object after the assessment)."""
    return {"objection_days": objections.objection_days(current_user.org_id)}


@blp.put("/follow-up-policy")
@requires_role(Role.ADMIN, message=_l("Only an HR administrator can change the follow-up "
                                      "settings."))
@blp.arguments(PolicyIn)
@blp.response(200, PolicyOut)
@blp.errors(403, 422)
def put_policy(args):
    return objections.set_policy(current_user, **args)
