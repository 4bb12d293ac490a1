"""Shapes of the notification centre and the stream's query."""

import marshmallow as ma

from app.core.schemas import Schema


class NotificationListArgs(Schema):
    unread = ma.fields.Boolean(metadata={"description": "true: unread only; false: read only"})
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class NotificationOut(Schema):
    id = ma.fields.Integer(metadata={"description": "Also the SSE event id"})
    kind = ma.fields.String(metadata={"description": "comment, approved, returned, feedback, "
                                                     "reminder or digest"})
    title = ma.fields.String()
    body = ma.fields.String()
    url = ma.fields.String(metadata={"description": "Where a tap leads (a path in the app)"})
    data = ma.fields.Dict(metadata={"description": "What an open page needs to update itself"})
    created_at = ma.fields.String(metadata={"description": "UTC, ISO 8601 with Z"})
    read = ma.fields.Boolean()


class ReadAllOut(Schema):
    updated = ma.fields.Integer(metadata={"description": "How many were unread"})
    unread = ma.fields.Integer()


class StreamArgs(Schema):
    last_event_id = ma.fields.Integer(
        strict=False, validate=ma.validate.Range(min=0),
        metadata={"description": "Resume after this event id (the Last-Event-ID header wins)"})
