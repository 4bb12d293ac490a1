"""Shapes of the evaluation API."""

import marshmallow as ma

from app.core.schemas import Schema, UtcDateTime
from app.evaluations.models import PeriodKind
from app.evaluations.rules import OrgPredikat, Rating
from app.feedback.models import Value
from app.org.schemas import PersonBrief

TEXT = 5000
RATINGS = [r.value for r in Rating]


def _enum(kind, **kwargs):
    return ma.fields.String(validate=ma.validate.OneOf([k.value for k in kind]), **kwargs)


def _version(**kwargs):
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1), metadata={
        "description": "The evaluation version the change is based on; a stale one gets 409 "
                       "with the current evaluation in error.current"}, **kwargs)


# --- periods -------------------------------------------------------------------------------

class PeriodIn(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    kind = _enum(PeriodKind, required=True)
    year = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=2000, max=2100))
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    deadline = ma.fields.Date(metadata={
        "description": "Batas pengisian (local date, input until 23:59); default 5 working "
                       "days after the end"})
    is_final = ma.fields.Boolean(load_default=False)


class PeriodPatchIn(Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    kind = _enum(PeriodKind)
    year = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=2000, max=2100))
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    deadline = ma.fields.Date()
    is_final = ma.fields.Boolean()


class GenerateIn(Schema):
    year = ma.fields.Integer(required=True, strict=True,
                             validate=ma.validate.Range(min=2000, max=2100))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(
        [PeriodKind.MONTHLY.value, PeriodKind.QUARTERLY.value, PeriodKind.SEMESTER.value]),
        metadata={"description": "The periodic kind; the annual final period is added"})


class PeriodYearArgs(Schema):
    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))


class PeriodOut(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    year = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    deadline = ma.fields.Date()
    is_final = ma.fields.Boolean()


# --- evaluations ---------------------------------------------------------------------------

class EvaluationPersonOut(PersonBrief):
    unit = ma.fields.String(attribute="unit.name")


class IndicatorSnapshotOut(Schema):
    indicator_id = ma.fields.Integer()
    rhk_id = ma.fields.Integer()
    aspect = ma.fields.String(attribute="indicator.aspect")
    description = ma.fields.String(attribute="indicator.description")
    unit = ma.fields.String(attribute="indicator.unit")
    target_quantity = ma.fields.Decimal(as_string=True, attribute="indicator.target_quantity",
                                        allow_none=True)
    approved_quantity = ma.fields.Decimal(as_string=True)
    approved_count = ma.fields.Integer()
    approved_percent = ma.fields.Decimal(as_string=True, allow_none=True)
    submitted_quantity = ma.fields.Decimal(as_string=True)
    submitted_count = ma.fields.Integer()
    submitted_percent = ma.fields.Decimal(as_string=True, allow_none=True)


class EvaluationEvidenceOut(Schema):
    id = ma.fields.Integer()
    rhk_id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "link or file"})
    url = ma.fields.String(allow_none=True)
    label = ma.fields.String()
    filename = ma.fields.String(allow_none=True)
    content_type = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class EvaluationRhkOut(Schema):
    rhk_id = ma.fields.Integer()
    kind = ma.fields.String(attribute="rhk.kind")
    description = ma.fields.String(attribute="rhk.description")
    realisation = ma.fields.String()
    reflection = ma.fields.String()
    feedback = ma.fields.String()
    rating = ma.fields.String(allow_none=True)


class EvaluationBehaviourOut(Schema):
    value = ma.fields.String()
    feedback = ma.fields.String()
    expectation = ma.fields.String()


class EvaluationSummaryOut(Schema):
    id = ma.fields.Integer()
    period_id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    status = ma.fields.String()
    predikat = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class EvaluationOut(EvaluationSummaryOut):
    person = ma.fields.Nested(EvaluationPersonOut)
    period = ma.fields.Nested(PeriodOut)
    skp_id = ma.fields.Integer()
    appraiser_id = ma.fields.Integer(allow_none=True)
    is_jpt = ma.fields.Boolean()
    reopened = ma.fields.Boolean()
    deadline_passed = ma.fields.Boolean()
    return_reason = ma.fields.String(allow_none=True)
    hasil_kerja = ma.fields.String(allow_none=True)
    perilaku_kerja = ma.fields.String(allow_none=True)
    unit_predikat = ma.fields.String(allow_none=True)
    suggested_results_rating = ma.fields.String(allow_none=True, metadata={
        "description": "From the ratings per RHK; a suggestion, the appraiser decides"})
    progress_at = UtcDateTime(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    assessed_at = UtcDateTime(allow_none=True)
    acknowledged_at = UtcDateTime(allow_none=True)
    rhks = ma.fields.List(ma.fields.Nested(EvaluationRhkOut))
    indicators = ma.fields.List(ma.fields.Nested(IndicatorSnapshotOut))
    behaviours = ma.fields.List(ma.fields.Nested(EvaluationBehaviourOut))
    evidence = ma.fields.List(ma.fields.Nested(EvaluationEvidenceOut))
    can_edit = ma.fields.Boolean()
    can_assess = ma.fields.Boolean()
    can_acknowledge = ma.fields.Boolean()


class MyPeriodOut(Schema):
    period = ma.fields.Nested(PeriodOut)
    evaluation = ma.fields.Nested(EvaluationSummaryOut, allow_none=True)


class SelfRhkIn(Schema):
    rhk_id = ma.fields.Integer(required=True, strict=True)
    realisation = ma.fields.String(validate=ma.validate.Length(max=TEXT))
    reflection = ma.fields.String(validate=ma.validate.Length(max=TEXT))


class SelfEvaluationIn(Schema):
    version = _version(required=True)
    rhk = ma.fields.List(ma.fields.Nested(SelfRhkIn), load_default=list)


class EvaluationVersionIn(Schema):
    version = _version(required=True)


class EvaluationReturnIn(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    version = _version()


class EvidenceFileIn(Schema):
    """The form fields beside a multipart ``file``."""

    rhk_id = ma.fields.Integer(required=True)
    label = ma.fields.String(validate=ma.validate.Length(max=200), load_default="")


class EvaluationEvidenceIn(Schema):
    rhk_id = ma.fields.Integer(required=True, strict=True)
    url = ma.fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                        validate=ma.validate.Length(max=2000))
    label = ma.fields.String(validate=ma.validate.Length(max=200), load_default="")


class AssessRhkIn(Schema):
    rhk_id = ma.fields.Integer(required=True, strict=True)
    feedback = ma.fields.String(validate=ma.validate.Length(max=TEXT))
    rating = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(RATINGS))


class AssessBehaviourIn(Schema):
    value = _enum(Value, required=True)
    feedback = ma.fields.String(validate=ma.validate.Length(max=TEXT))
    expectation = ma.fields.String(validate=ma.validate.Length(max=TEXT))


class AssessIn(Schema):
    version = _version(required=True)
    rhk = ma.fields.List(ma.fields.Nested(AssessRhkIn), load_default=list)
    behaviour = ma.fields.List(ma.fields.Nested(AssessBehaviourIn), load_default=list)
    hasil_kerja = ma.fields.String(allow_none=True, load_default=None,
                                   validate=ma.validate.OneOf(RATINGS), metadata={
                                       "description": "Ignored for a JPT: follows the unit "
                                                      "predicate"})
    perilaku_kerja = ma.fields.String(required=True, validate=ma.validate.OneOf(RATINGS))


class EvaluationTeamRowOut(Schema):
    person = ma.fields.Nested(EvaluationPersonOut)
    evaluation = ma.fields.Nested(EvaluationSummaryOut, allow_none=True)


class EvaluationTeamOut(Schema):
    period = ma.fields.Nested(PeriodOut)
    people = ma.fields.List(ma.fields.Nested(EvaluationTeamRowOut))


# --- unit predicates and distribution ------------------------------------------------------

class UnitPredicateOut(Schema):
    unit_id = ma.fields.Integer(attribute="unit.id")
    unit = ma.fields.String(attribute="unit.name")
    period_id = ma.fields.Integer()
    predikat = ma.fields.String(allow_none=True)
    can_set = ma.fields.Boolean()


class UnitPredicateIn(Schema):
    predikat = _enum(OrgPredikat, required=True)


class DistributionArgs(Schema):
    unit_id = ma.fields.Integer(metadata={"description": "A unit (and those below it); "
                                                         "default: the caller's team"})


class PredikatCountOut(Schema):
    predikat = ma.fields.String()
    label = ma.fields.String()
    count = ma.fields.Integer()
    share = ma.fields.Decimal(as_string=True)
    percent = ma.fields.String()


class DistributionWarningOut(Schema):
    code = ma.fields.String()
    predikat = ma.fields.List(ma.fields.String())
    limit = ma.fields.Decimal(as_string=True)
    actual = ma.fields.Decimal(as_string=True)
    message = ma.fields.String()


class DistributionOut(Schema):
    period = ma.fields.Nested(PeriodOut)
    scope = ma.fields.String()
    unit_id = ma.fields.Integer(attribute="unit.id", allow_none=True)
    pattern = ma.fields.String(allow_none=True, metadata={
        "description": "The unit (or organisation) predicate the pattern follows"})
    pattern_label = ma.fields.String(allow_none=True)
    pattern_unit_id = ma.fields.Integer(attribute="pattern_unit.id", allow_none=True)
    people = ma.fields.Integer()
    total = ma.fields.Integer(metadata={"description": "Assessed people counted"})
    counts = ma.fields.List(ma.fields.Nested(PredikatCountOut))
    warnings = ma.fields.List(ma.fields.Nested(DistributionWarningOut))


