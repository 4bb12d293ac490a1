"""Shapes of the activity API: what comes in, what goes out.

Numbers: ``quantity`` is accepted as a JSON number or a numeric string and always answered as a
JSON number. Times are ``HH:MM`` (``HH:MM:SS`` is accepted; seconds are dropped). Timestamps
are UTC in ISO 8601 with an offset.
"""

import re
from datetime import UTC, time
from decimal import Decimal

import marshmallow as ma

from app.activities.models import ActivityStatus, WorkKind
from app.core.schemas import QuickDoubt, Schema, UtcDateTime

MAX_DESCRIPTION = 2000
#: numeric(14, 2) holds less than this.
MAX_QUANTITY = 10**12
MAX_BATCH = 500
#: Where the activity blueprint is mounted (the public contract).
API_PREFIX = "/api/v1"


class ClockTime(ma.fields.Time):
    """A wall-clock time, ``HH:MM`` (or ``HH:MM:SS``), minute precision."""

    #: What ``strptime`` accepts for "%H:%M" or "%H:%M:%S" (its own patterns), without its
    #: cost on every create and edit.
    PATTERN = re.compile(r"(2[0-3]|[0-1]\d|\d):([0-5]\d|\d)(?::([0-5]\d|\d))?")

    def _deserialize(self, value, attr, data, **kwargs):
        match = self.PATTERN.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return time(int(match[1]), int(match[2]))

    @staticmethod
    def quick_check(field):
        """For the batch's quick load (``app.core.schemas.quick_load``): the same time, or a
        doubt that leaves the value to :meth:`_deserialize`."""
        fullmatch = ClockTime.PATTERN.fullmatch

        def convert(value):
            match = fullmatch(value) if type(value) is str else None
            if match is None:
                raise QuickDoubt
            return time(int(match[1]), int(match[2]))
        return convert

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")


class Quantity(ma.fields.Decimal):
    @staticmethod
    def quick_check(field):
        """For the batch's quick load: a whole number (what phones send) as ``_deserialize``
        makes it, to ``places``, without its detour through text; anything else by it."""
        places, rounding = field.places, field.rounding

        def convert(value):
            if type(value) is int and -MAX_QUANTITY < value < MAX_QUANTITY:
                return Decimal(value).quantize(places, rounding=rounding)
            return field._deserialize(value, None, None)
        return convert

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


def _quantity(**kwargs):
    return Quantity(places=2, allow_nan=False,
                    validate=ma.validate.Range(min=0, max=MAX_QUANTITY, max_inclusive=False),
                    **kwargs)


_kind = ma.validate.OneOf([kind.value for kind in WorkKind])


class ActivityFields(Schema):
    date = ma.fields.Date(metadata={"description": "Local date (the person's unit time zone)"})
    start_time = ClockTime(metadata={"example": "08:00"})
    end_time = ClockTime(metadata={"example": "09:30"})
    description = ma.fields.String(validate=ma.validate.Length(min=1, max=MAX_DESCRIPTION))
    quantity = _quantity(allow_none=True, metadata={"example": 1})
    unit = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=40),
                            metadata={"description": "Defaults to the indicator's unit"})
    target_id = ma.fields.Integer(strict=True, allow_none=True,
                                  metadata={"description": "The indicator (IKI) it serves"})
    work_kind = ma.fields.String(validate=_kind, metadata={
        "description": "skp (needs target_id), tambahan (additional duty) or lainnya"})


class ActivityCreateIn(ActivityFields):
    id = ma.fields.UUID(metadata={"description": "Client-generated; makes the create "
                                                "idempotent (a repeat answers 200)"})
    date = ma.fields.Date(required=True)
    start_time = ClockTime(required=True, metadata={"example": "08:00"})
    end_time = ClockTime(required=True, metadata={"example": "09:30"})
    description = ma.fields.String(required=True,
                                   validate=ma.validate.Length(min=1, max=MAX_DESCRIPTION))
    status = ma.fields.String(validate=ma.validate.OneOf([ActivityStatus.DRAFT.value,
                                                          ActivityStatus.SUBMITTED.value]),
                              metadata={"description": "submitted: save and submit at once"})


class ActivityUpdateIn(ActivityFields):
    version = ma.fields.Integer(strict=True, required=True,
                                validate=ma.validate.Range(min=1),
                                metadata={"description": "The version the edit is based on"})


class ActivityVersionIn(Schema):
    version = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1),
                                metadata={"description": "Optional: refuse if it changed"})


class ActivityApproveIn(ActivityVersionIn):
    quality = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(1, 4),
                                metadata={"description": "Optional quality mark, 1 (far below "
                                          "standard) to 4 (fully to standard): the Kualitas "
                                          "realisation averages them (mark x 25 = %)"})


class ActivityReturnIn(ActivityVersionIn):
    reason = ma.fields.String(required=True,
                              validate=ma.validate.Length(min=1, max=MAX_DESCRIPTION))


class ActivityRepeatIn(Schema):
    id = ma.fields.UUID(metadata={"description": "Client-generated id for the new draft"})
    date = ma.fields.Date(metadata={"description": "Defaults to today (local)"})
    start_time = ClockTime()
    end_time = ClockTime()


class AttachmentOut(Schema):
    id = ma.fields.String()
    kind = ma.fields.String()
    filename = ma.fields.String(allow_none=True)
    content_type = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String(allow_none=True)
    url = ma.fields.Method("dump_url", metadata={
        "description": "The link, or where to download the file"})
    created_at = UtcDateTime()

    def dump_url(self, attachment):
        if attachment.url:
            return attachment.url
        return f"{API_PREFIX}/attachments/{attachment.id}"


class EvidenceLinkIn(Schema):
    url = ma.fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                        validate=ma.validate.Length(max=2000))
    filename = ma.fields.String(validate=ma.validate.Length(max=255),
                                metadata={"description": "A label for the link"})


#: The name the pages use.
LinkIn = EvidenceLinkIn


class ActivityOut(Schema):
    id = ma.fields.String()
    person_id = ma.fields.Integer()
    date = ma.fields.Date()
    start_time = ClockTime()
    end_time = ClockTime()
    duration_minutes = ma.fields.Integer()
    description = ma.fields.String()
    quantity = Quantity(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    target_id = ma.fields.Integer(allow_none=True)
    work_kind = ma.fields.String()
    status = ma.fields.String()
    return_reason = ma.fields.String(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    is_late = ma.fields.Boolean()
    reviewed_at = UtcDateTime(allow_none=True)
    reviewed_by_id = ma.fields.Integer(allow_none=True)
    quality = ma.fields.Integer(allow_none=True, metadata={
        "description": "The quality mark (1-4) given at approval"})
    version = ma.fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    attachments = ma.fields.List(ma.fields.Nested(AttachmentOut))


class ActivityWithWarnings(ActivityOut):
    """An activity and the soft warnings of the write that saved it.

    Dumps a write's result (``services.Saved``: its ``activity`` and ``warnings``) or an
    activity carrying ``warnings``.
    """

    warnings = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Soft problems, e.g. {code: overlap, message, activity_id}"})

    @ma.pre_dump
    def _unwrap_saved(self, obj, **kwargs):
        activity = getattr(obj, "activity", None)
        if activity is None:
            return obj
        values = {name: getattr(activity, name) for name in ActivityOut._declared_fields}
        return {**values, "warnings": obj.warnings}


def _utc(value):
    return None if value is None else value.replace(tzinfo=UTC).isoformat(timespec="seconds")


def _quantity_out(value):
    if value is None:
        return None
    if type(value) is not Decimal:
        value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def activity_out(activity, warnings: list[dict]) -> dict:
    """What :class:`ActivityWithWarnings` dumps, for an activity without attachments (one just
    created), built directly: the create answers thousands of times a minute, and
    marshmallow's dump of twenty fields cost more than the rest of the answer. A test holds it
    equal to the schema's dump."""
    return row_out(activity.__dict__, warnings)


#: The last creation stamp :func:`row_out` put into words, and its words.
_last_stamp = (None, None)


def row_out(d: dict, warnings: list[dict]) -> dict:
    """:func:`activity_out` of a row's values (a new draft's row needs no model instance:
    the batch answers a hundred of them a request); review columns missing are unset."""
    global _last_stamp
    created_at, updated_at = d["created_at"], d["updated_at"]
    last = _last_stamp  # one tuple, replaced whole: threads may share it
    if last[0] is created_at:  # a batch's rows share one stamp: worded once
        created = last[1]
    else:
        created = _utc(created_at)
        _last_stamp = (created_at, created)
    return {
        "id": str(d["id"]), "person_id": d["person_id"], "date": d["date"].isoformat(),
        "start_time": d["start_time"].isoformat(timespec="minutes"),
        "end_time": d["end_time"].isoformat(timespec="minutes"),
        "duration_minutes": d["duration_minutes"], "description": d["description"],
        "quantity": _quantity_out(d["quantity"]), "unit": d["unit"],
        "target_id": d["target_id"], "work_kind": str(d["work_kind"]),
        "status": str(d["status"]), "return_reason": d.get("return_reason"),
        "submitted_at": _utc(d.get("submitted_at")), "is_late": bool(d["is_late"]),
        "reviewed_at": _utc(d.get("reviewed_at")), "reviewed_by_id": d.get("reviewed_by_id"),
        "quality": d.get("quality"),
        "version": d["version"], "created_at": created,
        "updated_at": created if updated_at is created_at else _utc(updated_at),
        "attachments": [],
        "warnings": [dict(warning) for warning in warnings],
    }


class ActivityListArgs(Schema):
    date_from = ma.fields.Date(data_key="from")
    date_to = ma.fields.Date(data_key="to")
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in ActivityStatus]))
    person_id = ma.fields.Integer(metadata={"description": "Default: the caller"})
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class ActivityDateArgs(Schema):
    date = ma.fields.Date(metadata={"description": "Local date; defaults to today"})


class ActivityDefaultsOut(Schema):
    date = ma.fields.Date()
    start_time = ClockTime(allow_none=True)
    recent_descriptions = ma.fields.List(ma.fields.String())


class ActivityDeadlineOut(Schema):
    date = ma.fields.Date()
    timezone = ma.fields.String()
    late_after = ma.fields.DateTime(metadata={"description": "Submitting from then on is late"})
    locks_at = ma.fields.DateTime()
    locked = ma.fields.Boolean()
    late_if_submitted_now = ma.fields.Boolean()
    seconds_left = ma.fields.Integer(metadata={"description": "Until the period locks"})
    working_day = ma.fields.Boolean()
    holiday = ma.fields.String(allow_none=True)


class ActivityHistoryOut(Schema):
    seq = ma.fields.Integer()
    action = ma.fields.String()
    actor_id = ma.fields.Integer(allow_none=True)
    actor_name = ma.fields.Function(lambda e: e.actor.name if e.actor else None)
    changes = ma.fields.Dict()
    created_at = UtcDateTime()
    hash = ma.fields.String()


class ActivityTemplateIn(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    description = ma.fields.String(required=True,
                                   validate=ma.validate.Length(min=1, max=MAX_DESCRIPTION))
    target_id = ma.fields.Integer(strict=True, allow_none=True)
    work_kind = ma.fields.String(validate=_kind)
    quantity = _quantity(allow_none=True)
    unit = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=40))
    duration_minutes = ma.fields.Integer(strict=True, allow_none=True,
                                         validate=ma.validate.Range(min=1, max=24 * 60))


class ActivityTemplateOut(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String()
    target_id = ma.fields.Integer(allow_none=True)
    work_kind = ma.fields.String()
    quantity = Quantity(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    duration_minutes = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class ActivityBatchIn(Schema):
    entries = ma.fields.List(ma.fields.Raw(), required=True,
                             validate=ma.validate.Length(min=1, max=MAX_BATCH), metadata={
                                 "description": 'Each {"op": "create"|"update"|"submit", '
                                                '"id": uuid, "version"?: n, "data"?: {...}}; '
                                                "each entry is checked on its own"})


class ActivityBatchEntryIn(Schema):
    op = ma.fields.String(required=True,
                          validate=ma.validate.OneOf(["create", "update", "submit"]))
    id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1))
    data = ma.fields.Dict(load_default=dict)


class ActivityBatchResultOut(Schema):
    id = ma.fields.Raw()
    result = ma.fields.String(metadata={
        "description": "created, existing, updated, submitted, conflict, invalid, locked, "
                       "not_found, forbidden"})
    status = ma.fields.Integer(metadata={"description": "The status a single request gets"})
    activity = ma.fields.Raw(allow_none=True, metadata={
        "description": "The activity as GET /activities/{id} answers it, with warnings"})
    error = ma.fields.Dict(allow_none=True)


class ActivityBatchOut(Schema):
    results = ma.fields.List(ma.fields.Nested(ActivityBatchResultOut))
