"""/api/v1/trainings, /api/v1/development and /api/v1/mentoring: competency development."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.core import uploads
from app.core.blueprint import Blueprint
from app.development import services
from app.development.schemas import (
    BelowTargetOut,
    DevelopmentArgs,
    DevelopmentOut,
    NotesIn,
    PairIn,
    PairOut,
    TargetIn,
    TrainingArgs,
    TrainingDecisionIn,
    TrainingIn,
    TrainingOut,
)
from app.errors import ValidationFailed

blp = Blueprint("development_api", __name__, url_prefix="",
                description="Competency development: trainings, the yearly JP, mentoring",
                error_descriptions={403: "Not the person, their supervisor or an HR "
                                         "administrator",
                                    404: "Not this organisation's, or not visible to the "
                                         "caller (a colleague's record)",
                                    409: "Already decided"})


@blp.get("/trainings")
@blp.arguments(TrainingArgs, location="query")
@blp.response(200, TrainingOut(many=True))
@blp.errors(404)
def list_trainings(args):
    """A person's development records (default: the caller's), newest first."""
    return services.list_trainings(current_user, **args)


@blp.post("/trainings")
@blp.arguments(TrainingIn)
@blp.response(201, TrainingOut)
@blp.errors(403, 404)
def create_training(args):
    """Record a training, course, seminar or mentoring done; it waits for the supervisor."""
    return services.create_training(current_user, **args)


@blp.get("/trainings/waiting")
@blp.response(200, TrainingOut(many=True))
def trainings_waiting():
    """Records of the caller's team waiting for their verification."""
    return services.to_verify(current_user)


@blp.get("/trainings/<int:training_id>")
@blp.response(200, TrainingOut)
@blp.errors(404)
def get_training(training_id):
    """One record: the person's own, their supervisors' and HR's; anyone else 404."""
    return services.get_training(current_user, training_id)


@blp.post("/trainings/<int:training_id>/certificate")
@blp.response(200, TrainingOut)
@blp.errors(403, 404, 409, 413, 415)
@blp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {
        "type": "string", "format": "binary",
        "description": "The certificate: JPEG, PNG, WebP or PDF (checked by content)"}}}}}})
def add_certificate(training_id):
    """Attach or replace the certificate (sertifikat) of a record not yet verified."""
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(fields={"file": _("This field is required.")})
    return services.add_certificate(current_user, training_id, stream=upload.stream,
                                    filename=upload.filename)


@blp.get("/trainings/<int:training_id>/certificate")
@blp.alt_response(200, description="The file")
@blp.errors(404)
@blp.doc(**uploads.DOWNLOAD_DOC)
def download_certificate(training_id):
    """The certificate file, for those who may see the record."""
    return uploads.send(services.certificate(current_user, training_id))


@blp.post("/trainings/<int:training_id>/decision")
@blp.arguments(TrainingDecisionIn)
@blp.response(200, TrainingOut)
@blp.errors(403, 404, 409)
def decide(args, training_id):
    """Verify (it counts towards the year) or reject with a reason: the supervisor or a
    Plt/Plh standing in."""
    return services.decide(current_user, training_id, **args)


@blp.get("/development")
@blp.arguments(DevelopmentArgs, location="query")
@blp.response(200, DevelopmentOut)
@blp.errors(404)
def development(args):
    """The year's verified JP against the target (PP 11/2017 as amended: 20 JP by default)."""
    return services.development(current_user, args["year"], args.get("person_id"))


@blp.get("/development/below-target")
@blp.arguments(DevelopmentArgs, location="query")
@blp.response(200, BelowTargetOut(many=True))
def below_target(args):
    """Who is below the year's target: a supervisor's line, an HR administrator's whole
    organisation (anyone else: an empty list)."""
    return services.below_target(current_user, args["year"])


@blp.put("/development/target")
@blp.arguments(TargetIn)
@blp.response(200, TargetIn)
@blp.errors(403)
def set_target(args):
    """Set the organisation's yearly JP target (HR administrators)."""
    return {"jp_target": services.set_jp_target(current_user, args["jp_target"])}


@blp.get("/mentoring")
@blp.response(200, PairOut(many=True))
def list_pairs():
    """Mentoring pairs the caller is in, or looks after."""
    return services.list_pairs(current_user)


@blp.post("/mentoring")
@blp.arguments(PairIn)
@blp.response(201, PairOut)
@blp.errors(403, 404)
def create_pair(args):
    """Pair a mentor with a mentee for a period (the mentee's supervisor or HR)."""
    return services.create_pair(current_user, **args)


@blp.get("/mentoring/<int:pair_id>")
@blp.response(200, PairOut)
@blp.errors(404)
def get_pair(pair_id):
    return services.get_pair(current_user, pair_id)


@blp.patch("/mentoring/<int:pair_id>")
@blp.arguments(NotesIn)
@blp.response(200, PairOut)
@blp.errors(403, 404)
def update_pair(args, pair_id):
    """Keep the pair's notes (the mentor, the mentee's supervisor or HR)."""
    return services.update_pair_notes(current_user, pair_id, args["notes"])
