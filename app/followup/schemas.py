"""Shapes of the follow-up API: dialogs, recognitions, coaching plans, objections."""

import marshmallow as ma

from app.core.schemas import Schema
from app.development.models import TrainingKind
from app.evaluations.rules import Rating
from app.followup.models import PlanResult, PlanStatus
from app.org.schemas import PersonBrief

RATINGS = [r.value for r in Rating]


def _id(**kwargs):
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1), **kwargs)


def _version(**kwargs):
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1), metadata={
        "description": "The version the change is based on; a stale one gets 409 with the "
                       "current item in error.current"}, **kwargs)


def _text(max_length: int, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(max=max_length), **kwargs)


def _required_text(max_length: int, **kwargs):
    return ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=max_length),
                            **kwargs)


# --- dialogs --------------------------------------------------------------------------------

class DialogActionIn(Schema):
    description = _required_text(500)
    due_on = ma.fields.Date(required=True, metadata={"description": "Due date (local)"})


class DialogIn(Schema):
    person_id = _id(allow_none=True, load_default=None, metadata={
        "description": "The employee (a supervisor recording with someone they assess); "
                       "omitted: the caller, with their supervisor"})
    held_on = ma.fields.Date(required=True)
    topic = _required_text(200)
    notes = _text(5000, load_default="")
    period_id = _id(allow_none=True, load_default=None)
    rhk_id = _id(allow_none=True, load_default=None, metadata={
        "description": "An RHK of the employee's SKP the dialogue is about"})
    actions = ma.fields.List(ma.fields.Nested(DialogActionIn), load_default=list,
                             validate=ma.validate.Length(max=20))


class DialogArgs(Schema):
    person_id = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "One person's dialogues (someone you may read)"})


class DialogActionOut(Schema):
    id = ma.fields.Integer()
    description = ma.fields.String()
    due_on = ma.fields.Date()
    done_at = ma.fields.DateTime(allow_none=True)


class DialogOut(Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip"))
    supervisor = ma.fields.Nested(PersonBrief, only=("id", "name", "nip"))
    period_id = ma.fields.Integer(allow_none=True)
    rhk_id = ma.fields.Integer(allow_none=True)
    held_on = ma.fields.Date()
    topic = ma.fields.String()
    notes = ma.fields.String()
    person_confirmed_at = ma.fields.DateTime(allow_none=True)
    supervisor_confirmed_at = ma.fields.DateTime(allow_none=True)
    confirmed = ma.fields.Boolean()
    actions = ma.fields.List(ma.fields.Nested(DialogActionOut))
    can_confirm = ma.fields.Boolean(dump_default=False)
    created_at = ma.fields.DateTime()


# --- recognitions ---------------------------------------------------------------------------

class YearArgs(Schema):
    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))


class RecognitionOut(Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip", "jabatan"))
    evaluation_id = ma.fields.Integer()
    period_id = ma.fields.Function(lambda r: r.evaluation.period_id,
                                  metadata={"type": "integer"})
    period_name = ma.fields.Function(lambda r: r.evaluation.period.name,
                                    metadata={"type": "string"})
    predikat = ma.fields.String()
    number = ma.fields.String()
    issued_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)


class FollowUpSummaryOut(Schema):
    year = ma.fields.Integer()
    needs_plan = ma.fields.Integer(metadata={
        "description": "People whose predikat this year calls for a coaching plan"})
    with_plan = ma.fields.Integer(metadata={"description": "Of them, those with a plan"})
    recognitions = ma.fields.List(ma.fields.Nested(RecognitionOut))


# --- coaching plans -------------------------------------------------------------------------

class PlanArgs(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in PlanStatus]))


class PlanPatchIn(Schema):
    version = _version(required=True)
    goals = _text(5000)
    training = _text(2000, metadata={"description": "The training asked (free text)"})
    review_on = ma.fields.Date(allow_none=True)


class SessionIn(Schema):
    scheduled_on = ma.fields.Date(required=True)
    notes = _text(5000, load_default="")


class SessionPatchIn(Schema):
    scheduled_on = ma.fields.Date()
    held_on = ma.fields.Date(allow_none=True, metadata={"description": "The day it was held"})
    notes = _text(5000)


class PlanCloseIn(Schema):
    version = _version(required=True)
    result = ma.fields.String(required=True, validate=ma.validate.OneOf(
        [r.value for r in PlanResult]))
    outcome = _required_text(5000)


class SessionOut(Schema):
    id = ma.fields.Integer()
    plan_id = ma.fields.Integer()
    scheduled_on = ma.fields.Date()
    held_on = ma.fields.Date(allow_none=True)
    notes = ma.fields.String()


class PlanTrainingIn(Schema):
    title = _required_text(300, metadata={"description": "The training asked"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(
        [k.value for k in TrainingKind]))
    hours = ma.fields.Integer(strict=True, allow_none=True, load_default=None,
                              validate=ma.validate.Range(min=1, max=1000),
                              metadata={"description": "The JP asked (optional)"})


class PlanTrainingAttachIn(Schema):
    training_id = _id(required=True, metadata={
        "description": "A training the employee recorded (competency development)"})


class AttachedTrainingOut(Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    hours = ma.fields.Integer(metadata={"description": "JP"})
    status = ma.fields.String(metadata={"description": "submitted, verified or rejected"})
    verified_at = ma.fields.DateTime(allow_none=True)


class PlanTrainingOut(Schema):
    id = ma.fields.Integer()
    plan_id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String()
    hours = ma.fields.Integer(allow_none=True, metadata={"description": "The JP asked"})
    asked_at = ma.fields.DateTime()
    state = ma.fields.String(metadata={
        "description": "asked (nothing attached, or the attached record was rejected), "
                       "recorded (attached, waiting for verification) or done (verified)"})
    training = ma.fields.Nested(AttachedTrainingOut, allow_none=True)
    attached_at = ma.fields.DateTime(allow_none=True)


class CoachingPlanOut(Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip"))
    supervisor = ma.fields.Nested(PersonBrief, only=("id", "name"), allow_none=True)
    evaluation_id = ma.fields.Integer()
    period_name = ma.fields.Function(lambda p: p.evaluation.period.name,
                                    metadata={"type": "string"})
    predikat = ma.fields.String()
    status = ma.fields.String()
    goals = ma.fields.String()
    training = ma.fields.String()
    review_on = ma.fields.Date(allow_none=True)
    result = ma.fields.String(allow_none=True)
    outcome = ma.fields.String()
    closed_at = ma.fields.DateTime(allow_none=True)
    sessions = ma.fields.List(ma.fields.Nested(SessionOut))
    trainings = ma.fields.List(ma.fields.Nested(PlanTrainingOut), metadata={
        "description": "The trainings asked and whether they are done"})
    version = ma.fields.Integer()
    can_edit = ma.fields.Boolean(dump_default=False)
    can_attach = ma.fields.Boolean(dump_default=False, metadata={
        "description": "The caller (the coached employee) may attach a training"})


# --- objections -----------------------------------------------------------------------------

class ObjectionIn(Schema):
    reasons = _required_text(5000)


class ObjectionDecisionIn(Schema):
    version = _version(required=True)
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["keep", "change"]))
    reasons = _required_text(5000)
    hasil_kerja = ma.fields.String(allow_none=True, load_default=None,
                                   validate=ma.validate.OneOf(RATINGS))
    perilaku_kerja = ma.fields.String(allow_none=True, load_default=None,
                                      validate=ma.validate.OneOf(RATINGS))


class ObjectionOut(Schema):
    id = ma.fields.Integer()
    evaluation_id = ma.fields.Integer()
    period_name = ma.fields.Function(lambda o: o.evaluation.period.name,
                                    metadata={"type": "string"})
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip"))
    appraiser = ma.fields.Nested(PersonBrief, only=("id", "name"))
    decider = ma.fields.Nested(PersonBrief, only=("id", "name"))
    reasons = ma.fields.String()
    status = ma.fields.String()
    hasil_kerja_before = ma.fields.String()
    perilaku_kerja_before = ma.fields.String()
    predikat_before = ma.fields.String()
    hasil_kerja_after = ma.fields.String(allow_none=True)
    perilaku_kerja_after = ma.fields.String(allow_none=True)
    predikat_after = ma.fields.String(allow_none=True)
    decision_reasons = ma.fields.String()
    decided_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    version = ma.fields.Integer()
    can_decide = ma.fields.Boolean(dump_default=False)


class PolicyIn(Schema):
    objection_days = ma.fields.Integer(required=True, strict=True,
                                       validate=ma.validate.Range(min=1, max=90))


class PolicyOut(Schema):
    objection_days = ma.fields.Integer()
