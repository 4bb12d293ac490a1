"""Shapes of the absences API: asking or entering, deciding, listing, importing."""

import marshmallow as ma

from app.absences.models import AbsenceKind, AbsenceStatus
from app.absences.services import kind_label
from app.core.schemas import Schema
from app.org.schemas import PersonBrief

KINDS = [kind.value for kind in AbsenceKind]
STATUSES = [status.value for status in AbsenceStatus]


class AbsenceIn(Schema):
    person_id = ma.fields.Integer(strict=True, allow_none=True, metadata={
        "description": "Whose absence (HR administrators); left out: the caller's own request"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    starts_on = ma.fields.Date(required=True, metadata={"description": "First day (local)"})
    ends_on = ma.fields.Date(required=True, metadata={"description": "Last day, inclusive"})
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))


class AbsenceArgs(Schema):
    person_id = ma.fields.Integer(strict=False)
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    start = ma.fields.Date(data_key="from", metadata={"description": "Overlapping from"})
    end = ma.fields.Date(data_key="to", metadata={"description": "Overlapping until"})
    decidable = ma.fields.Boolean(metadata={
        "description": "Only requests the caller may approve or reject"})


class RejectIn(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class AbsenceOut(Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "nip"))
    kind = ma.fields.Function(lambda absence: absence.kind.value)
    kind_label = ma.fields.Function(lambda absence: kind_label(absence.kind))
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    days = ma.fields.Integer(metadata={"description": "Calendar days, both ends included"})
    note = ma.fields.String()
    status = ma.fields.Function(lambda absence: absence.status.value)
    decided_by = ma.fields.Nested(PersonBrief, only=("id", "name"), allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    decision_note = ma.fields.String()
    created_at = ma.fields.DateTime()


class ImportArgs(Schema):
    dry_run = ma.fields.Boolean(load_default=True, metadata={
        "description": "true (default): check and preview only; false: apply all or nothing"})


class ImportRowOut(Schema):
    row = ma.fields.Integer(metadata={"description": "Spreadsheet row number"})
    nip = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    kind = ma.fields.String(allow_none=True)
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)
    note = ma.fields.String()
    action = ma.fields.String(metadata={"description": "create, unchanged (already entered) "
                                                      "or error"})
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class ImportOut(Schema):
    dry_run = ma.fields.Boolean()
    applied = ma.fields.Boolean()
    created = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    errors = ma.fields.Integer()
    rows = ma.fields.List(ma.fields.Nested(ImportRowOut))
