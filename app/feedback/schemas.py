"""Shapes of the review and feedback API."""

import marshmallow as ma

from app.activities.schemas import UtcDateTime
from app.core.schemas import Schema
from app.feedback.models import MAX_BODY


class AuthorOut(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class CommentIn(Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=MAX_BODY))


class CommentOut(Schema):
    id = ma.fields.Integer()
    activity_id = ma.fields.String()
    body = ma.fields.String()
    author = ma.fields.Nested(AuthorOut)
    created_at = UtcDateTime()
