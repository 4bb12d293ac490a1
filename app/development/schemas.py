"""Shapes of the competency development API: records, decisions, the year, mentoring."""

import marshmallow as ma

from app.core.schemas import Schema
from app.development.models import TrainingKind, TrainingStatus
from app.org.schemas import PersonBrief

KINDS = [kind.value for kind in TrainingKind]
STATUSES = [status.value for status in TrainingStatus]


class TrainingIn(Schema):
    person_id = ma.fields.Integer(strict=True, allow_none=True, load_default=None, metadata={
        "description": "Whose record (HR administrators); left out: the caller's own"})
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    provider = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                                metadata={"description": "Who organised it (penyelenggara)"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True, metadata={"description": "Last day, inclusive; "
                                                      "the year the hours count in"})
    hours = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(
        min=1, max=2000), metadata={"description": "Jam pelajaran (JP, 45 minutes each)"})


class TrainingArgs(Schema):
    person_id = ma.fields.Integer()
    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class TrainingDecisionIn(Schema):
    verified = ma.fields.Boolean(required=True, metadata={
        "description": "true: verified, counts towards the year; false: rejected"})
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=500), metadata={
        "description": "The reason, required when rejecting"})


class TrainingOut(Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip"))
    title = ma.fields.String()
    provider = ma.fields.String()
    kind = ma.fields.Function(lambda training: training.kind.value)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    hours = ma.fields.Integer()
    status = ma.fields.Function(lambda training: training.status.value)
    verified_by = ma.fields.Nested(PersonBrief, only=("id", "name"), allow_none=True)
    verified_at = ma.fields.DateTime(allow_none=True)
    decision_note = ma.fields.String()
    certificate = ma.fields.Method("_certificate", allow_none=True, metadata={
        "description": "The certificate's file name, size and SHA-256, or null"})
    created_at = ma.fields.DateTime()

    def _certificate(self, training):
        if not training.has_certificate:
            return None
        return {"filename": training.filename, "content_type": training.content_type,
                "size": training.size, "sha256": training.sha256}


class DevelopmentArgs(Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2000, max=2100))
    person_id = ma.fields.Integer()


class DevelopmentOut(Schema):
    person_id = ma.fields.Integer()
    year = ma.fields.Integer()
    jp_total = ma.fields.Integer(metadata={"description": "Verified JP of records ending in "
                                                          "the year"})
    jp_target = ma.fields.Integer(metadata={"description": "The organisation's yearly "
                                                           "target (default 20 JP)"})
    jp_pending = ma.fields.Integer(metadata={"description": "JP waiting for verification"})


class TargetIn(Schema):
    jp_target = ma.fields.Integer(strict=True, required=True,
                                  validate=ma.validate.Range(min=1, max=500))


class BelowTargetOut(Schema):
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip", "jabatan"))
    jp_total = ma.fields.Integer()
    jp_pending = ma.fields.Integer()
    jp_target = ma.fields.Integer()


class PairIn(Schema):
    mentor_id = ma.fields.Integer(strict=True, required=True)
    mentee_id = ma.fields.Integer(strict=True, required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))


class NotesIn(Schema):
    notes = ma.fields.String(required=True, validate=ma.validate.Length(max=4000))


class PairOut(Schema):
    id = ma.fields.Integer()
    mentor = ma.fields.Nested(PersonBrief, only=("id", "name"))
    mentee = ma.fields.Nested(PersonBrief, only=("id", "name"))
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    notes = ma.fields.String()
    created_at = ma.fields.DateTime()
