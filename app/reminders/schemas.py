"""Shapes of the reminder API: a person's preferences, admins' rules and holidays."""

import marshmallow as ma

from app.core.schemas import Schema
from app.reminders.models import ReminderKind

KINDS = [kind.value for kind in ReminderKind]


class HourMinute(ma.fields.Time):
    """A local time of day, written ``HH:MM`` (seconds accepted on input, never shown)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")


class ReminderSettingsIn(Schema):
    muted = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(KINDS)),
                           required=True, validate=ma.validate.Length(max=len(KINDS)),
                           metadata={"description": "Kinds of reminder not to send"})
    quiet_from = HourMinute(required=True, allow_none=True, metadata={
        "description": "Local start of quiet hours (HH:MM); null with quiet_until: none"})
    quiet_until = HourMinute(required=True, allow_none=True, metadata={
        "description": "Local end of quiet hours; a reminder due inside waits until then"})


class ReminderSettingsOut(Schema):
    muted = ma.fields.List(ma.fields.String())
    quiet_from = HourMinute(allow_none=True)
    quiet_until = HourMinute(allow_none=True)


class RuleIn(Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    enabled = ma.fields.Boolean()
    at_time = HourMinute(metadata={"description": "Local time it goes out (HH:MM)"})
    days = ma.fields.List(
        ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=60)),
        validate=ma.validate.Length(min=1, max=5), metadata={
            "description": "deadline: days before the lock; reviews_waiting and "
                           "citizen_unanswered: working days of waiting; ignored by the "
                           "other kinds"})


class RulesIn(Schema):
    rules = ma.fields.List(ma.fields.Nested(RuleIn), required=True,
                           validate=ma.validate.Length(min=1, max=len(KINDS)))


class RuleOut(Schema):
    kind = ma.fields.Function(lambda rule: rule.kind.value)
    enabled = ma.fields.Boolean()
    at_time = HourMinute()
    days = ma.fields.List(ma.fields.Integer())
    default = ma.fields.Boolean(metadata={"description": "true: the built-in default"})


class HolidayArgs(Schema):
    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))


class HolidayIn(Schema):
    day = ma.fields.Date(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class HolidayOut(Schema):
    id = ma.fields.Integer()
    day = ma.fields.Date()
    name = ma.fields.String()
