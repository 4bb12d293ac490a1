"""Base schema: unknown fields refused, surrounding whitespace stripped from every string,
text the database cannot store refused, whole numbers kept within its integer columns."""

import uuid
from collections.abc import Callable
from datetime import UTC

import marshmallow as ma
from flask_babel import gettext as _

#: The largest whole number an id, a page or a count may be: PostgreSQL's ``integer``.
MAX_INT = 2**31 - 1


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


class ErrorEnvelope(Schema):
    error = ma.fields.Nested(ErrorBody)


class _Doubt(Exception):
    """The quick load cannot vouch for a value: marshmallow's load decides."""


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


def _mapping(field):
    def convert(value):
        if type(value) is not dict:
            raise _Doubt
        return dict(value)
    return convert


#: Field types whose load is plain enough to check inline (exactly these types: a subclass
#: may deserialize differently); any other field is deserialized by marshmallow's field.
_QUICK = {ma.fields.String: _text, ma.fields.Integer: _whole_number, ma.fields.UUID: _uuid}


def _converter(field: ma.fields.Field, key: str) -> Callable:
    """``value -> loaded value`` for one field, raising on anything it is unsure of."""
    quick = _QUICK.get(type(field))
    if type(field) is ma.fields.Dict and field.key_field is None and field.value_field is None:
        quick = _mapping
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
    own_hooks = {"strip_strings", "check_whole_numbers"}
    if schema.many or schema.partial or schema.unknown != ma.RAISE or any(
            name not in own_hooks for tag in ("pre_load", "post_load", "validates_schema",
                                              "validates")
            for name, *_rest in schema._hooks[tag]):
        return None
    plan = {}
    for name, field in schema.load_fields.items():
        key, attribute = field.data_key or name, field.attribute or name
        if "." in attribute or field.pre_load or field.post_load:
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
    required = tuple(key for key, (_a, _c, field) in plan.items() if field.required)
    defaults = tuple((key, attribute, field.load_default)
                     for key, (attribute, _c, field) in plan.items()
                     if not field.required and field.load_default is not ma.missing)
    whole_numbers = any(isinstance(field, ma.fields.Integer) for *_a, field in plan.values())

    def load(data):
        if type(data) is not dict:
            return schema.load(data)
        try:
            clean = {}
            for key, value in data.items():
                if type(value) is str:
                    if "\x00" in value or not value.isascii() and text_problem(value):
                        raise _Doubt
                    value = value.strip()
                clean[key] = value
            loaded = {}
            for key, value in clean.items():
                attribute, convert, field = plan[key]  # KeyError: an unknown key
                if value is None:
                    if not field.allow_none:
                        raise _Doubt
                    loaded[attribute] = None
                else:
                    loaded[attribute] = convert(value, clean)
            for key in required:
                if key not in clean:
                    raise _Doubt
            for key, attribute, default in defaults:
                if key not in clean:
                    loaded[attribute] = default() if callable(default) else default
            if whole_numbers:
                schema.check_whole_numbers(loaded)
        except (_Doubt, KeyError, ValueError, TypeError, ma.ValidationError):
            return schema.load(data)
        return loaded
    return load
