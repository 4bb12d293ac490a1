"""Arguments and answers of the audit trail endpoints."""

import marshmallow as ma
from flask_babel import gettext as _

from app.audit.viewer import PAGE_SIZE, PAGE_SIZE_MAX
from app.core.schemas import MAX_INT, Schema, UtcDateTime
from app.org.schemas import PersonBrief

PERSON = ("id", "name", "nip")


def _id(description: str):
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_INT),
                             metadata={"description": description})


def _code(description: str):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=32),
                            metadata={"description": description})


class AuditFilterArgs(Schema):
    actor_id = _id("Only what this person did (404 if not of the caller's organisation)")
    person_id = _id("Only entries about this person's items (activities, SKP, evaluations,"
                    " their account); 404 if not of the caller's organisation")
    item_type = _code("Only items of this kind: activity, skp, evaluation, person, unit, ...")
    item_id = ma.fields.String(validate=ma.validate.Length(min=1, max=36),
                               metadata={"description": "Only this item (needs item_type)"})
    action = _code("Only this action: create, update, submit, approve, return, ...")
    start = ma.fields.Date(data_key="from", metadata={
        "description": "First day, in the caller's local time zone (inclusive)"})
    end = ma.fields.Date(data_key="to", metadata={
        "description": "Last day, in the caller's local time zone (inclusive)"})

    @ma.validates_schema
    def check_combination(self, data, **kwargs):
        if data.get("item_id") and not data.get("item_type"):
            raise ma.ValidationError(_("Choose the kind of item too."), "item_type")
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ma.ValidationError(_("The end must not be before the start."), "to")


class AuditPageArgs(AuditFilterArgs):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_INT),
                             metadata={"description": "Page, newest entries first (default 1)"})
    per_page = ma.fields.Integer(
        load_default=PAGE_SIZE, validate=ma.validate.Range(min=1, max=PAGE_SIZE_MAX),
        metadata={"description": f"Entries per page (default {PAGE_SIZE}, at most "
                                 f"{PAGE_SIZE_MAX})"})


class AuditTrailEntryOut(Schema):
    id = ma.fields.Integer()
    created_at = UtcDateTime()
    seq = ma.fields.Integer(metadata={"description": "Position in the person's chain"})
    actor = ma.fields.Nested(PersonBrief, only=PERSON, allow_none=True,
                             metadata={"description": "Who did it; null for the system"})
    person = ma.fields.Nested(PersonBrief, only=PERSON,
                              metadata={"description": "Whose item it is (the chain's owner)"})
    item_type = ma.fields.String()
    item_type_label = ma.fields.String()
    item_id = ma.fields.String()
    action = ma.fields.String()
    action_label = ma.fields.String()
    changes = ma.fields.Dict(metadata={
        "description": '{"field": [old, new]} for edits; the new values for creates'})
    summary = ma.fields.String(metadata={"description": "The change in words, shortened"})


class AuditPaginationOut(Schema):
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer(metadata={"description": "Entries matching the filters"})
    pages = ma.fields.Integer()


class AuditPageOut(Schema):
    items = ma.fields.List(ma.fields.Nested(AuditTrailEntryOut))
    pagination = ma.fields.Nested(AuditPaginationOut)


class AuditBrokenOut(Schema):
    entry_id = ma.fields.Integer()
    seq = ma.fields.Integer()
    problem = ma.fields.String(metadata={"enum": ["missing", "out_of_order", "altered"]})
    message = ma.fields.String()
    person = ma.fields.Nested(PersonBrief, only=PERSON, metadata={"description": "Whose chain"})


class AuditVerificationOut(Schema):
    valid = ma.fields.Boolean()
    entries = ma.fields.Integer(metadata={"description": "Entries verified"})
    chains = ma.fields.Integer(metadata={"description": "People's chains verified"})
    first_broken = ma.fields.Nested(AuditBrokenOut, allow_none=True, metadata={
        "description": "The first entry where a chain does not hold (by person, then "
                       "position); null when every chain holds"})
