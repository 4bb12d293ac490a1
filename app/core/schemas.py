"""Base schema: unknown fields refused, surrounding whitespace stripped from every string,
text the database cannot store refused, whole numbers kept within its integer columns."""

from datetime import UTC, date

import marshmallow as ma
from flask_babel import gettext as _

#: The largest whole number an id, a page or a count may be: PostgreSQL's ``integer``.
MAX_INT = 2**31 - 1
#: The dates any input may name: a working life's, with room; beyond them the calendar
#: arithmetic around a date (its month's end, its lock day) would leave what Python can hold.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL byte, a lone surrogate), or None."""
    if "\x00" in value:
        return _("Remove the invisible NUL character from this text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("This text contains a character that cannot be stored.")
    return None


class Schema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name, field_obj):
        """Answers keep to their documentation. Every timestamp states its zone: stored
        timestamps are naive UTC, and a plain ``DateTime`` would send them without an offset,
        which the documented ``date-time`` format forbids, so any plain one is answered as
        :class:`UtcDateTime`. A decimal answered as a string is documented as a string."""
        if type(field_obj) is ma.fields.DateTime:
            field_obj.__class__ = UtcDateTime
        if isinstance(field_obj, ma.fields.Decimal) and field_obj.as_string \
                and "type" not in field_obj.metadata:
            # Answered as "12.50" (exact), so documented as such: not as a JSON number.
            field_obj.metadata = {**field_obj.metadata, "type": "string", "format": "decimal"}

    @ma.pre_load
    def strip_strings(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        problems = {key: problem for key, value in data.items()
                    if isinstance(value, str) and (problem := text_problem(value))}
        if problems:
            raise ma.ValidationError(problems)
        return {key: value.strip() if isinstance(value, str) else value
                for key, value in data.items()}

    @ma.post_load
    def check_whole_numbers(self, data, **kwargs):
        """An integer beyond the database's columns is invalid input, not a server error."""
        if not isinstance(data, dict):
            return data
        too_big = {field.data_key or name: _("Must be between %(low)s and %(high)s.",
                                             low=-MAX_INT, high=MAX_INT)
                   for name, field in self.fields.items()
                   if isinstance(field, ma.fields.Integer) and not field.dump_only
                   and isinstance(data.get(field.attribute or name), int)
                   and abs(data[field.attribute or name]) > MAX_INT}
        if too_big:
            raise ma.ValidationError(too_big)
        return data

    @ma.post_load
    def check_dates(self, data, **kwargs):
        """A date far outside any working life (9999-12-31) is invalid input."""
        if not isinstance(data, dict):
            return data
        outside = {field.data_key or name: _("Enter a date between %(low)s and %(high)s.",
                                             low=MIN_DATE.year, high=MAX_DATE.year)
                   for name, field in self.fields.items()
                   if type(field) is ma.fields.Date and not field.dump_only
                   and isinstance(data.get(field.attribute or name), date)
                   and not MIN_DATE <= data[field.attribute or name] <= MAX_DATE}
        if outside:
            raise ma.ValidationError(outside)
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
    # What some errors add (app.errors.AppError's ``extra``), so that a client can act on it.
    current = ma.fields.Dict(metadata={
        "description": "409: the item as the server has it now, shaped as the endpoint's "
                       "answer (retry the change against it)"})
    locked_at = UtcDateTime(metadata={
        "description": "The moment the period locked (a change to a locked month)"})
    retry_after = ma.fields.Integer(metadata={
        "description": "Seconds to wait before trying again (429, 503)"})


class ErrorEnvelope(Schema):
    error = ma.fields.Nested(ErrorBody)
