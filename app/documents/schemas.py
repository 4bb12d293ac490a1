"""Arguments of the document downloads and export jobs, and the job as answered."""

from datetime import date

import marshmallow as ma
from flask_babel import gettext as _

from app.core.schemas import Schema
from app.documents.models import ExportKind, ExportStatus
from app.reports.schemas import Month

ID = ma.validate.Range(min=1, max=2**31 - 1)


def _month(description: str, **kwargs):
    return Month(metadata={"type": "string", "pattern": r"^\d{4}-\d{2}$",
                           "example": "2026-11", "description": description}, **kwargs)


def _person_id():
    return ma.fields.Integer(
        validate=ID, metadata={"description": "Default: the caller. The caller, someone in "
                                              "their line, or (admins, pimpinan) anyone in "
                                              "their organisation."})


class MonthlyReportArgs(Schema):
    person_id = _person_id()
    month = _month("The month (YYYY-MM); default: the current month.")
    format = ma.fields.String(load_default="pdf", validate=ma.validate.OneOf(("pdf", "xlsx")))
    place = ma.fields.String(validate=ma.validate.Length(max=60),
                             metadata={"description": "Place printed before the date above "
                                                      "the supervisor's signature."})


class TeamRecapArgs(Schema):
    month = _month("The month (YYYY-MM); default: the current month.")


class EkinerjaArgs(Schema):
    person_id = _person_id()
    from_ = ma.fields.Date(data_key="from", required=True)
    to = ma.fields.Date(required=True)
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(("xlsx", "csv")))
    include_submitted = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Also list activities still waiting for approval."})

    @ma.validates_schema
    def check_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError(_("The end date must not be before the start date."),
                                     "to")


class ExportIn(Schema):
    """What to export; which fields are needed depends on ``kind``."""

    kind = ma.fields.String(required=True,
                            validate=ma.validate.OneOf([kind.value for kind in ExportKind]))
    month = _month("For monthly reports and recaps (YYYY-MM).")
    unit_id = ma.fields.Integer(validate=ID, strict=True,
                                metadata={"description": "For the unit recap."})
    person_id = ma.fields.Integer(validate=ID, strict=True)
    from_ = ma.fields.Date(data_key="from")
    to = ma.fields.Date()
    include_submitted = ma.fields.Boolean(load_default=False)
    place = ma.fields.String(validate=ma.validate.Length(max=60))

    NEEDS = {
        ExportKind.MONTHLY_PDF: ("month",), ExportKind.MONTHLY_XLSX: ("month",),
        ExportKind.TEAM_RECAP: ("month",), ExportKind.UNIT_RECAP: ("month", "unit_id"),
        ExportKind.EKINERJA_XLSX: ("from_", "to"), ExportKind.EKINERJA_CSV: ("from_", "to"),
    }

    @ma.validates_schema
    def check_needed(self, data, **kwargs):
        kind = data.get("kind")
        if kind is None:
            return
        missing = {("from" if name == "from_" else name): [_("This field is required.")]
                   for name in self.NEEDS[ExportKind(kind)] if data.get(name) is None}
        if missing:
            raise ma.ValidationError(missing)
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError(_("The end date must not be before the start date."),
                                     "to")


def job_parameters(args: dict) -> dict:
    """The loaded arguments as the JSON the job row keeps (dates as ISO text)."""
    params = {}
    for name, value in args.items():
        if name == "kind" or value is None:
            continue
        key = "from" if name == "from_" else name
        params[key] = value.isoformat() if isinstance(value, date) else value
    if "month" in params:
        params["month"] = params["month"][:7]
    return params


class ExportOut(Schema):
    id = ma.fields.String()
    kind = ma.fields.Enum(ExportKind, by_value=True)
    parameters = ma.fields.Dict()
    status = ma.fields.Enum(ExportStatus, by_value=True)
    progress = ma.fields.Integer()
    filename = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)
    file_url = ma.fields.Method("_file_url", allow_none=True)

    def _file_url(self, job):
        if job.status != ExportStatus.DONE:
            return None
        return f"/api/v1/exports/{job.id}/file"
