"""/api/v1: evaluation periods, self-evaluations, assessments, unit predicates, distribution.

Every change to an evaluation carries the ``version`` the client saw; a stale one gets 409
with the current evaluation in ``error.current``.
"""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.activities.api import UPLOAD_ERRORS
from app.core import uploads
from app.core.blueprint import Blueprint
from app.core.security import requires_role
from app.errors import AppError
from app.evaluations import services
from app.evaluations.schemas import (
    AssessIn,
    DistributionArgs,
    DistributionOut,
    EvaluationEvidenceIn,
    EvaluationEvidenceOut,
    EvaluationOut,
    EvaluationReturnIn,
    EvaluationTeamOut,
    EvaluationVersionIn,
    EvidenceFileIn,
    GenerateIn,
    MyPeriodOut,
    PeriodIn,
    PeriodOut,
    PeriodPatchIn,
    PeriodYearArgs,
    SelfEvaluationIn,
    UnitPredicateIn,
    UnitPredicateOut,
)
from app.org.models import Role

#: Who may change what these endpoints change (checked before the body is read).
ADMINS_ONLY = _l("Only an HR administrator can manage evaluation periods.")

blp = Blueprint("evaluations_api", __name__, url_prefix="", description="Period evaluation",
                error_descriptions={
                    403: "Visible, but not yours to do",
                    404: "Not found or not visible to you",
                    409: "Stale version or a state that forbids this; error.current is the "
                         "evaluation",
                    422: "Invalid fields",
                    **UPLOAD_ERRORS,
                })


def _out(evaluation):
    return services.decorate(evaluation, current_user)


# --- periods -------------------------------------------------------------------------------

@blp.get("/periods")
@blp.arguments(PeriodYearArgs, location="query")
@blp.response(200, PeriodOut(many=True))
def list_periods(args):
    """The organisation's evaluation periods (of ``year``)."""
    return services.list_periods(current_user, args.get("year"))


@blp.post("/periods")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.arguments(PeriodIn)
@blp.response(201, PeriodOut)
@blp.errors(403, 422)
def create_period(args):
    """A period (HR administrators): start <= end <= deadline, no overlap within its kind."""
    period = services.create_period(current_user, **args)
    return period


@blp.post("/periods/generate")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.arguments(GenerateIn)
@blp.response(201, PeriodOut(many=True))
@blp.errors(403, 422)
def generate_periods(args):
    """The standard periods of a year (12 months, 4 quarters or 2 semesters) plus the annual
    final period; periods that already exist are skipped."""
    created = services.generate_periods(current_user, args["year"], args["kind"])
    return created


@blp.get("/periods/<int:period_id>")
@blp.response(200, PeriodOut)
@blp.errors(404)
def get_period(period_id):
    return services.get_period(current_user, period_id)


@blp.patch("/periods/<int:period_id>")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.arguments(PeriodPatchIn)
@blp.response(200, PeriodOut)
@blp.errors(403, 404, 422)
def update_period(args, period_id):
    period = services.update_period(current_user, period_id, **args)
    return period


@blp.delete("/periods/<int:period_id>")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.response(204)
@blp.errors(403, 404, 409)
def delete_period(period_id):
    """Refused (409) once the period has evaluations."""
    services.delete_period(current_user, period_id)


# --- the caller's evaluations --------------------------------------------------------------

@blp.get("/evaluations")
@blp.arguments(PeriodYearArgs, location="query")
@blp.response(200, MyPeriodOut(many=True))
def my_evaluations(args):
    """Each period of the organisation with the caller's evaluation (or null)."""
    return services.my_evaluations(current_user, args.get("year"))


@blp.post("/periods/<int:period_id>/evaluation")
@blp.response(201, EvaluationOut)
@blp.alt_response(200, schema=EvaluationOut, description="It existed already")
@blp.errors(404, 409)
def open_evaluation(period_id):
    """Open the caller's self-evaluation of the period: made on first opening against the
    approved SKP of that year, pre-filled with the realisation from the logs."""
    evaluation, created = services.open_evaluation(current_user, period_id)
    return _out(evaluation), 201 if created else 200


@blp.get("/evaluations/<int:evaluation_id>")
@blp.response(200, EvaluationOut)
@blp.errors(404)
def get_evaluation(evaluation_id):
    return _out(services.get_evaluation(current_user, evaluation_id))


@blp.get("/evaluations/<int:evaluation_id>/document")
@blp.doc(responses={"200": {"description": "The evaluation form (PDF)",
                            "content": {"application/pdf": {}}}})
@blp.errors(404)
def evaluation_document(evaluation_id):
    """The evaluation form (*Evaluasi Kinerja Pegawai*) as a PDF."""
    from app.documents.api import download

    content, name = services.document_pdf(current_user, evaluation_id)
    return download(content, name, "application/pdf")


@blp.patch("/evaluations/<int:evaluation_id>")
@blp.arguments(SelfEvaluationIn)
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409, 422)
def save_self_evaluation(args, evaluation_id):
    """Save the realisation and reflection per RHK (drafts only)."""
    evaluation = services.save_self_evaluation(current_user, evaluation_id, **args)
    return _out(evaluation)


@blp.post("/evaluations/<int:evaluation_id>/refresh")
@blp.arguments(EvaluationVersionIn)
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409)
def refresh(args, evaluation_id):
    """Recompute the realisation per indicator from the logs (drafts only)."""
    evaluation = services.refresh_from_logs(current_user, evaluation_id, args["version"])
    return _out(evaluation)


@blp.post("/evaluations/<int:evaluation_id>/evidence")
@blp.response(201, EvaluationEvidenceOut)
@blp.errors(403, 404, 409, 422, 413, 415)
@blp.doc(requestBody={"content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file", "rhk_id"],
                                       "properties": {
        "file": {"type": "string", "format": "binary"}, "rhk_id": {"type": "integer"},
        "label": {"type": "string"}}}},
    "application/json": {"schema": {"type": "object", "required": ["rhk_id", "url"],
                                    "properties": {
        "rhk_id": {"type": "integer"}, "url": {"type": "string", "format": "uri"},
        "label": {"type": "string"}}}}}})
def add_evidence(evaluation_id):
    """Bukti dukung of one RHK: a multipart ``file`` (photo or PDF, checked by its content,
    as activity evidence) or a JSON link."""
    upload = request.files.get("file")
    if upload is not None:
        args = EvidenceFileIn().load({key: request.form.get(key) for key in
                                      ("rhk_id", "label") if key in request.form})
        item = services.add_evidence_file(current_user, evaluation_id, stream=upload.stream,
                                          filename=upload.filename, **args)
    elif request.is_json:
        args = EvaluationEvidenceIn().load(request.get_json())
        item = services.add_evidence(current_user, evaluation_id, **args)
    else:
        raise AppError(_("Send a file (multipart field \"file\") or a JSON link."),
                       status=422, code="invalid",
                       fields={"file": _("This field is required.")})
    return item


@blp.get("/evaluation-evidence/<int:evidence_id>")
@blp.alt_response(200, description="The file")
@blp.errors(404)
@blp.doc(**uploads.DOWNLOAD_DOC)
def download_evidence(evidence_id):
    """The evidence file, for those who may read the evaluation; never rendered in the
    app's own context."""
    return uploads.send(services.get_evidence(current_user, evidence_id))


@blp.delete("/evaluation-evidence/<int:evidence_id>")
@blp.response(204)
@blp.errors(404, 409)
def delete_evidence(evidence_id):
    services.delete_evidence(current_user, evidence_id)


@blp.post("/evaluations/<int:evaluation_id>/submit")
@blp.arguments(EvaluationVersionIn)
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409)
def submit(args, evaluation_id):
    """Send to the appraiser; after the deadline only when reopened (409 otherwise)."""
    evaluation = services.submit_evaluation(current_user, evaluation_id, args["version"])
    return _out(evaluation)


@blp.post("/evaluations/<int:evaluation_id>/return")
@blp.arguments(EvaluationReturnIn)
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409, 422)
def return_(args, evaluation_id):
    """The appraiser sends it back to draft with a reason (and allows a late resubmission)."""
    evaluation = services.return_evaluation(current_user, evaluation_id, **args)
    return _out(evaluation)


@blp.post("/evaluations/<int:evaluation_id>/reopen")
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409)
def reopen(evaluation_id):
    """The appraiser allows a draft to be submitted after the deadline."""
    evaluation = services.reopen_evaluation(current_user, evaluation_id)
    return _out(evaluation)


@blp.post("/evaluations/<int:evaluation_id>/assess")
@blp.arguments(AssessIn)
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409, 422)
def assess(args, evaluation_id):
    """Feedback and rating per RHK, feedback and expectation per BerAKHLAK value, the two
    ratings; the predikat follows from the matrix. Revisable until acknowledged."""
    evaluation = services.assess_evaluation(current_user, evaluation_id, **args)
    return _out(evaluation)


@blp.post("/evaluations/<int:evaluation_id>/acknowledge")
@blp.arguments(EvaluationVersionIn)
@blp.response(200, EvaluationOut)
@blp.errors(403, 404, 409)
def acknowledge(args, evaluation_id):
    """The employee has seen the assessment; it cannot change afterwards."""
    evaluation = services.acknowledge_evaluation(current_user, evaluation_id, args["version"])
    return _out(evaluation)


# --- the appraiser's view, unit predicates, distribution -----------------------------------

@blp.get("/periods/<int:period_id>/team")
@blp.response(200, EvaluationTeamOut)
@blp.errors(404)
def team(period_id):
    """The people the caller assesses, each with their evaluation of the period (or null)."""
    return services.team_evaluations(current_user, period_id)


@blp.get("/periods/<int:period_id>/unit-predicates")
@blp.response(200, UnitPredicateOut(many=True))
@blp.errors(404)
def unit_predicates(period_id):
    """Every unit with its predicate for the period and whether the caller may set it."""
    return services.unit_predicates(current_user, period_id)


@blp.put("/periods/<int:period_id>/unit-predicates/<int:unit_id>")
@blp.arguments(UnitPredicateIn)
@blp.response(200, UnitPredicateOut)
@blp.errors(403, 404, 422)
def set_unit_predicate(args, period_id, unit_id):
    """Set a unit's predicate (the supervisor of the unit's head, or an HR administrator)."""
    row = services.set_unit_predicate(current_user, period_id, unit_id, args["predikat"])
    return {"unit": row.unit, "period_id": row.period_id, "predikat": row.predikat,
            "can_set": True}


@blp.get("/periods/<int:period_id>/distribution")
@blp.arguments(DistributionArgs, location="query")
@blp.response(200, DistributionOut)
@blp.errors(403, 404)
def distribution(args, period_id):
    """Counts and shares of each predikat against the pattern of the unit's predicate, with
    the warnings of SE MenPANRB 3/2023 in plain words."""
    return services.distribution(current_user, period_id, args.get("unit_id"))
