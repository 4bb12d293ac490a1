"""Base schema: unknown fields refused, surrounding whitespace stripped from every string,
text the database cannot store refused, whole numbers kept within its integer columns."""

import re
import uuid
from collections.abc import Callable
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
    if value.isascii():  # the common case: no surrogate can hide in it
        return None
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
        """One pass over the values: each string checked, then stripped."""
        if not isinstance(data, dict):
            return data
        stripped, problems = {}, None
        for key, value in data.items():
            if isinstance(value, str):
                if (problem := text_problem(value)) is not None:
                    problems = problems or {}
                    problems[key] = problem
                value = value.strip()
            stripped[key] = value
        if problems:
            raise ma.ValidationError(problems)
        return stripped

    @ma.post_load
    def check_whole_numbers(self, data, **kwargs):
        """An integer beyond the database's columns is invalid input, not a server error."""
        if not isinstance(data, dict):
            return data
        too_big = {key: _("Must be between %(low)s and %(high)s.", low=-MAX_INT, high=MAX_INT)
                   for key, attribute in self._whole_number_fields()
                   if isinstance(value := data.get(attribute), int) and abs(value) > MAX_INT}
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

    def _whole_number_fields(self) -> list[tuple[str, str]]:
        """(input key, attribute) of the integer fields a load fills, found once per schema
        instance: every load of every request asks."""
        found = self.__dict__.get("_whole_numbers")
        if found is None:
            found = self.__dict__["_whole_numbers"] = [
                (field.data_key or name, field.attribute or name)
                for name, field in self.fields.items()
                if isinstance(field, ma.fields.Integer) and not field.dump_only]
        return found


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


class QuickDoubt(Exception):
    """The quick load cannot vouch for a value: marshmallow's load decides."""


_Doubt = QuickDoubt


def _text(field):
    def convert(value):
        if type(value) is not str:
            raise _Doubt
        return value
    return convert


def _whole_number(field):
    def convert(value):
        if type(value) is not int or abs(value) > MAX_INT:
            raise _Doubt
        return value
    return convert


def _uuid(field):
    def convert(value):
        if type(value) is not str:
            raise _Doubt
        return uuid.UUID(value)  # ValueError: a doubt
    return convert


#: The plain ISO form of a date; anything else (``20260309``, ``2026-W10-1``) is left to
#: marshmallow's field, whose ``date.fromisoformat`` has the last word.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(field):
    def convert(value):
        if type(value) is not str or not _ISO_DATE.fullmatch(value):
            raise _Doubt
        loaded = date.fromisoformat(value)  # ValueError (2026-02-30): a doubt
        if not MIN_DATE <= loaded <= MAX_DATE:  # Schema.check_dates refuses it
            raise _Doubt
        return loaded
    return convert


def _mapping(field):
    def convert(value):
        if type(value) is not dict:
            raise _Doubt
        return dict(value)
    return convert


#: Field types whose load is plain enough to check inline (exactly these types: a subclass
#: may deserialize differently); any other field is deserialized by marshmallow's field,
#: unless its class itself (not a parent) offers ``quick_check(field)``: a function of the
#: value that returns what its ``_deserialize`` would, or raises ``QuickDoubt`` (see
#: ``ClockTime``).
_QUICK = {ma.fields.String: _text, ma.fields.Integer: _whole_number, ma.fields.UUID: _uuid}


def _converter(field: ma.fields.Field, key: str) -> Callable:
    """``value -> loaded value`` for one field, raising on anything it is unsure of."""
    quick = _QUICK.get(type(field)) or type(field).__dict__.get("quick_check")
    if type(field) is ma.fields.Dict and field.key_field is None and field.value_field is None:
        quick = _mapping
    if type(field) is ma.fields.Date and field.format in ("iso", "iso8601"):
        quick = _iso_date
    if quick is None:
        def convert(value, data):
            return field.deserialize(value, key, data)
        return convert
    check, validators = quick(field), tuple(field.validators)

    def convert(value, data):
        value = check(value)
        for validator in validators:
            validator(value)
        return value
    return convert


def _quick_plan(schema: Schema) -> dict | None:
    """{input key: (attribute, converter, field)} when the schema's load is only its fields'
    and the core hooks, else None."""
    # check_dates: every date it checks is loaded by _iso_date, which keeps to its range
    # (a date field of another format leaves the load to marshmallow).
    own_hooks = {"strip_strings", "check_whole_numbers", "check_dates"}
    if schema.many or schema.partial or schema.unknown != ma.RAISE or any(
            name not in own_hooks for tag in ("pre_load", "post_load", "validates_schema",
                                              "validates")
            for name, *_rest in schema._hooks[tag]):
        return None
    plan = {}
    for name, field in schema.load_fields.items():
        key, attribute = field.data_key or name, field.attribute or name
        # A field that reads the other values (its deserialize's ``data``) would get them
        # unstripped here: marshmallow's load decides for such schemas.
        if "." in attribute or field.pre_load or field.post_load or isinstance(
                field, ma.fields.Method | ma.fields.Function | ma.fields.Nested) or (
                type(field) is ma.fields.Date and field.format not in ("iso", "iso8601")):
            return None
        plan[key] = (attribute, _converter(field, key), field)
    return plan


def quick_load(schema: Schema) -> Callable[[object], dict]:
    """``schema.load`` for input that passes, in one pass of plain checks.

    The offline batch loads two schemas per entry, hundreds of entries a request, and
    marshmallow's machinery around each field cost more than the checks themselves. The
    quick load does what the schema's load does — unknown keys refused, strings checked for
    what the database cannot store and stripped, each field converted and validated, integers
    kept within ``MAX_INT``, defaults filled — and whenever a value is refused or not plainly
    of the expected type it hands the input to ``schema.load``, so every error (its messages,
    its field names) is marshmallow's own. A test holds both equal.
    """
    plan = _quick_plan(schema)
    if plan is None:
        return schema.load
    required = frozenset(key for key, (_a, _c, field) in plan.items() if field.required)
    defaults = tuple((key, attribute, field.load_default)
                     for key, (attribute, _c, field) in plan.items()
                     if not field.required and field.load_default is not ma.missing)
    # Integers loaded by _whole_number are within MAX_INT already; any other integer field
    # (a subclass) is checked after the load, as the schema's hook does.
    whole_numbers = any(isinstance(field, ma.fields.Integer) and type(field) is not
                        ma.fields.Integer for *_a, field in plan.values())

    steps = {key: (attribute, convert, field.allow_none)
             for key, (attribute, convert, field) in plan.items()}

    def load(data):
        if type(data) is not dict:
            return schema.load(data)
        try:
            loaded = {}
            for key, value in data.items():
                attribute, convert, allow_none = steps[key]  # KeyError: an unknown key
                if value is None:
                    if not allow_none:
                        raise _Doubt
                    loaded[attribute] = None
                    continue
                if type(value) is str:
                    if "\x00" in value or not value.isascii() and text_problem(value):
                        raise _Doubt
                    value = value.strip()
                loaded[attribute] = convert(value, data)
            if not required <= data.keys():
                raise _Doubt
            for key, attribute, default in defaults:
                if key not in data:
                    loaded[attribute] = default() if callable(default) else default
            if whole_numbers:
                schema.check_whole_numbers(loaded)
        except (_Doubt, KeyError, ValueError, TypeError, ma.ValidationError):
            return schema.load(data)
        return loaded
    return load
