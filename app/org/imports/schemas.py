"""Arguments and answers of the import API."""

import marshmallow as ma

from app.core.schemas import Schema, UtcDateTime
from app.org.imports.plan import ACTIONS
from app.org.models import ImportKind, ImportStatus


class ImportArgs(Schema):
    dry_run = ma.fields.Boolean(load_default=True, metadata={
        "description": "true: only the plan, nothing written; false: apply, all or nothing"})
    deactivate_missing = ma.fields.Boolean(load_default=False, metadata={
        "description": "Deactivate the organisation's people (units) missing from the file"})


class ApplyArgs(Schema):
    deactivate_missing = ma.fields.Boolean(load_default=False)


class ImportRow(Schema):
    row = ma.fields.Integer(allow_none=True, metadata={
        "description": "Row number in the file (the header is row 1); null for deactivate"})
    nip = ma.fields.String(allow_none=True, metadata={"description": "People imports"})
    code = ma.fields.String(allow_none=True, metadata={"description": "Unit imports"})
    action = ma.fields.String(validate=ma.validate.OneOf(ACTIONS))
    changes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Raw()),
                             metadata={"description": "field: [old, new]"})
    errors = ma.fields.List(ma.fields.String())


class ImportSummary(Schema):
    create = ma.fields.Integer()
    update = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    deactivate = ma.fields.Integer()
    errors = ma.fields.Integer()


class ImportResult(Schema):
    summary = ma.fields.Nested(ImportSummary)
    rows = ma.fields.List(ma.fields.Nested(ImportRow))


class ImportJobOut(Schema):
    id = ma.fields.String()
    kind = ma.fields.Enum(ImportKind, by_value=True)
    dry_run = ma.fields.Boolean()
    deactivate_missing = ma.fields.Boolean()
    status = ma.fields.Enum(ImportStatus, by_value=True)
    progress = ma.fields.Integer()
    filename = ma.fields.String(allow_none=True)
    result = ma.fields.Nested(ImportResult, allow_none=True)
    error = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)
