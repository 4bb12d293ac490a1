"""Base schema: unknown fields refused, surrounding whitespace stripped from every string,
text with a NUL character refused (PostgreSQL cannot store it; SQLite would)."""

from datetime import UTC

import marshmallow as ma
from flask_babel import gettext as _


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            refused = {key: [_("Enter text.")] for key, value in data.items()
                       if isinstance(value, str) and "\x00" in value}
            if refused:
                raise ma.ValidationError(refused)
            return {key: value.strip() if isinstance(value, str) else value
                    for key, value in data.items()}
        return data


class UtcDateTime(ma.fields.DateTime):
    """Stored timestamps are naive UTC; answer them with their offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.replace(tzinfo=UTC).isoformat(timespec="seconds")


class ErrorBody(Schema):
    code = ma.fields.String(metadata={"description": "Machine-readable error code"})
    message = ma.fields.String(metadata={"description": "Human-readable message"})
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                            metadata={"description": "Message per invalid field"})


class ErrorEnvelope(Schema):
    error = ma.fields.Nested(ErrorBody)
