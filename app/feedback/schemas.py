"""Shapes of the review and feedback API."""

import marshmallow as ma

from app.activities.schemas import ActivityOut
from app.core.schemas import Schema, UtcDateTime
from app.feedback.models import MAX_BODY, Value
from app.org.schemas import PersonBrief


class CommentIn(Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=MAX_BODY))
    client_id = ma.fields.UUID(data_key="id", load_default=None, metadata={
        "description": "Client-generated; a repeat answers 200 with the stored comment"})


class CommentOut(Schema):
    id = ma.fields.Integer()
    client_id = ma.fields.String(allow_none=True)
    activity_id = ma.fields.String()
    body = ma.fields.String()
    author = ma.fields.Nested(PersonBrief, only=("id", "name"))
    created_at = UtcDateTime()


class TeamArgs(Schema):
    date = ma.fields.Date(metadata={"description": "Activities of this (local) date; default "
                                                   "today unless status is given"})
    status = ma.fields.String(validate=ma.validate.OneOf(
        ["draft", "submitted", "approved", "returned"]))
    person_id = ma.fields.Integer()


class TeamPersonOut(Schema):
    id = ma.fields.Integer(attribute="person.id")
    name = ma.fields.String(attribute="person.name")
    jabatan = ma.fields.String(attribute="person.jabatan")
    unit = ma.fields.String(attribute="person.unit.name")
    today = ma.fields.Date(metadata={"description": "The person's local date"})
    logged_today = ma.fields.Boolean()
    activities = ma.fields.List(ma.fields.Nested(ActivityOut))


class TeamOut(Schema):
    date = ma.fields.Date(allow_none=True)
    status = ma.fields.String(allow_none=True)
    people = ma.fields.List(ma.fields.Nested(TeamPersonOut))


class ApproveDayIn(Schema):
    person_id = ma.fields.Integer(required=True, strict=True)
    date = ma.fields.Date(required=True)


class ApproveDayOut(Schema):
    person_id = ma.fields.Integer()
    date = ma.fields.Date()
    approved = ma.fields.List(ma.fields.Nested(ActivityOut))


class FeedbackIn(Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=MAX_BODY))
    rhk_id = ma.fields.Integer(strict=True, allow_none=True)
    value = ma.fields.String(allow_none=True, validate=ma.validate.OneOf([v.value for v in
                                                                         Value]))
    year = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=2000, max=2100))


class FeedbackArgs(Schema):
    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))


class FeedbackOut(Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    skp_id = ma.fields.Integer()
    rhk_id = ma.fields.Integer(allow_none=True)
    value = ma.fields.String(allow_none=True)
    body = ma.fields.String()
    author = ma.fields.Nested(PersonBrief, only=("id", "name"))
    created_at = UtcDateTime()


class ReviewPolicyIn(Schema):
    auto_accept_after_working_days = ma.fields.Integer(
        required=True, strict=True, allow_none=True, validate=ma.validate.Range(min=1, max=60),
        metadata={"description": "null: off (the default)"})


class ReviewPolicyOut(Schema):
    auto_accept_after_working_days = ma.fields.Integer(allow_none=True)


class OwnCommentsArgs(Schema):
    since = ma.fields.Date(required=True, metadata={
        "description": "Comments on the caller's activities dated this day or later"})
