"""Arguments and answers of the progress and recap endpoints.

Quantities, percentages and hours are computed as decimals and answered as JSON numbers, as
the activity API answers ``quantity`` (12, 7.5): quantities and hours with at most two decimal
places, percentages with one, not capped at 100.
"""

import re
from datetime import date
from decimal import Decimal

import marshmallow as ma
from flask_babel import gettext as _

from app.core.schemas import Schema
from app.org.schemas import PersonBrief


class Month(ma.fields.Field):
    """A calendar month written ``YYYY-MM``; loads as the first day of that month."""

    PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%Y-%m")

    def _deserialize(self, value, attr, data, **kwargs):
        match = self.PATTERN.match(value) if isinstance(value, str) else None
        if match is None or not 1 <= int(match.group(2)) <= 12 \
                or not 1900 <= int(match.group(1)) <= 2999:
            raise ma.ValidationError(_("Enter a month as YYYY-MM, for example 2026-03."))
        return date(int(match.group(1)), int(match.group(2)), 1)


def _month_field(description: str):
    return Month(metadata={"type": "string", "pattern": r"^\d{4}-\d{2}$",
                           "example": "2026-03", "description": description})


class Number(ma.fields.Decimal):
    """A rounded Decimal answered as a JSON number: 12 rather than 12.00, 62.5 as is."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


def _decimal(description: str, **kwargs):
    return Number(metadata={"description": description, "type": "number"}, **kwargs)


class PersonArgs(Schema):
    # Query strings are text: "3" parses, "3.5" and "2e-42" do not.
    person_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Default: the caller. Must be the caller or someone in their "
                                 "line (admins and pimpinan: their organisation)."})


class ProgressArgs(PersonArgs):
    period_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "An evaluation period of the organisation (a triwulan, a "
                                 "month): its dates, instead of from and to."})
    from_ = ma.fields.Date(data_key="from", metadata={
        "description": "First day (local), inclusive. Default: 1 January of the year."})
    to = ma.fields.Date(metadata={
        "description": "Last day (local), inclusive. Default: today in the person's time zone."})

    @ma.validates_schema
    def _period_or_dates(self, data, **kwargs):
        if "period_id" in data and ("from_" in data or "to" in data):
            raise ma.ValidationError(_("Give either a period or dates, not both."),
                                     "period_id")


class MonthlyArgs(PersonArgs):
    month = _month_field("Default: the current month in the person's time zone.")


class TeamMonthlyArgs(Schema):
    month = _month_field("Default: the current month in the person's time zone.")


class RealisationOut(Schema):
    quantity = _decimal("Kuantitas: sum of the activities' output quantities. Kualitas and "
                        "Waktu: the value (0 when nothing is judged yet)")
    count = ma.fields.Integer(metadata={"description": "Number of activities (Kualitas, "
                                                       "Waktu: of the whole RHK)"})
    value = _decimal("The realisation in the indicator's measure: a quantity, the quality "
                     "percentage (average mark x 25) or the share of outputs on time; null "
                     "when nothing can be judged yet", allow_none=True)
    percent = _decimal("Value as a percentage of the period's target (of a range's upper "
                       "end), one decimal, not capped; null without a target or a value",
                       allow_none=True)
    status = ma.fields.String(allow_none=True, metadata={
        "enum": ["below", "meets", "above", None],
        "description": "Against the target: above means beyond a range's upper end"})
    above_target = ma.fields.Boolean(metadata={"description": "Value exceeds the target"})


class QualityOut(Schema):
    marked = ma.fields.Integer(metadata={"description": "Approved activities with a mark"})
    average_mark = _decimal("Average quality mark, 1-4", allow_none=True)


class TimelinessOut(Schema):
    outputs = ma.fields.Integer(metadata={"description": "Approved outputs with a due date"})
    on_time = ma.fields.Integer()
    late = ma.fields.Integer()
    due_date = ma.fields.Date(allow_none=True, metadata={
        "description": "The indicator's due date (a period target may set its own)"})


class IndicatorProgressOut(Schema):
    indicator_id = ma.fields.Integer()
    skp_id = ma.fields.Integer()
    year = ma.fields.Integer()
    rhk_id = ma.fields.Integer()
    rhk_kind = ma.fields.String(metadata={"enum": ["utama", "tambahan"]})
    rhk_description = ma.fields.String()
    parent_rhk_id = ma.fields.Integer(allow_none=True, metadata={
        "description": "The supervisor's RHK this RHK supports"})
    aspect = ma.fields.String(metadata={"enum": ["kuantitas", "kualitas", "waktu", "biaya"]})
    measure = ma.fields.String(metadata={"enum": ["quantity", "quality", "timeliness"]})
    description = ma.fields.String()
    target_min = _decimal("The period's target, or a range's lower end (Kualitas, Waktu: a "
                          "percentage)", allow_none=True)
    target_max = _decimal("A range's upper end", allow_none=True)
    target_quantity = _decimal("Target (upper bound of a range)", allow_none=True)
    split = ma.fields.String(allow_none=True, metadata={
        "enum": ["quarter", "month", None],
        "description": "The yearly target is split over quarters or months"})
    unit = ma.fields.String()
    value_unit = ma.fields.String(metadata={
        "description": "What target and value are in: the unit, or % for Kualitas and Waktu"})
    quality = ma.fields.Nested(QualityOut, allow_none=True, metadata={
        "description": "Kualitas indicators only"})
    timeliness = ma.fields.Nested(TimelinessOut, allow_none=True, metadata={
        "description": "Waktu indicators only"})
    approved = ma.fields.Nested(RealisationOut, metadata={
        "description": "Realisation from approved activities"})
    submitted = ma.fields.Nested(RealisationOut, metadata={
        "description": "Submitted activities awaiting review (not included in approved)"})


class ProgressOut(Schema):
    person = ma.fields.Nested(PersonBrief)
    period_id = ma.fields.Integer(allow_none=True)
    from_ = ma.fields.Date(data_key="from", attribute="from")
    to = ma.fields.Date()
    indicators = ma.fields.List(ma.fields.Nested(IndicatorProgressOut))


class OutputOut(Schema):
    rhk_id = ma.fields.Integer()
    rhk_kind = ma.fields.String()
    rhk_description = ma.fields.String()
    indicator_id = ma.fields.Integer()
    description = ma.fields.String()
    unit = ma.fields.String()
    aspect = ma.fields.String(metadata={"enum": ["kuantitas", "kualitas", "waktu", "biaya"]})
    measure = ma.fields.String(metadata={"enum": ["quantity", "quality", "timeliness"]})
    value_unit = ma.fields.String(metadata={
        "description": "The unit of approved_quantity and target_quantity: the indicator's, "
                       "or % for quality and timeliness"})
    target_quantity = _decimal("The target (upper end of a range) for the month: the "
                               "yearly one, or the month's share of a split",
                               allow_none=True)
    count = ma.fields.Integer(metadata={"description": "Activities logged against this "
                                                      "indicator in the month, every status"})
    quantity = _decimal("Output logged in the month, every status; null unless the aspect "
                        "counts quantities", allow_none=True)
    approved_quantity = _decimal(
        "The month's approved realisation in value_unit: the quantity approved, the quality "
        "marks' average as a percentage, or the share of outputs on time; null when nothing "
        "can be judged yet", allow_none=True)
    percent = _decimal("approved_quantity against target_quantity, not capped",
                       allow_none=True)
    status = ma.fields.String(allow_none=True, metadata={"enum": ["below", "meets", "above",
                                                                  None]})


class StatusCounts(Schema):
    draft = ma.fields.Integer()
    submitted = ma.fields.Integer()
    approved = ma.fields.Integer()
    returned = ma.fields.Integer()


class WorkKindCounts(Schema):
    skp = ma.fields.Integer(metadata={"description": "Serving an SKP indicator"})
    tambahan = ma.fields.Integer(metadata={"description": "Additional duties"})
    lainnya = ma.fields.Integer(metadata={"description": "Other work"})


class MonthlyRecapOut(Schema):
    person = ma.fields.Nested(PersonBrief)
    month = ma.fields.String(metadata={"example": "2026-03"})
    days_logged = ma.fields.Integer(metadata={"description": "Distinct dates with activities"})
    days_excused = ma.fields.Integer(metadata={
        "description": "Working days of the month excused by an approved absence (cuti, "
                       "sakit, dinas luar, tugas belajar) with nothing logged"})
    activity_count = ma.fields.Integer()
    minutes = ma.fields.Integer()
    hours = _decimal("Minutes / 60, two decimals")
    by_status = ma.fields.Nested(StatusCounts)
    by_work_kind = ma.fields.Nested(WorkKindCounts)
    outputs = ma.fields.List(ma.fields.Nested(OutputOut), metadata={
        "description": "The indicators served in the month, and the Kualitas and Waktu "
                       "indicators of their RHK, each in its own measure"})


class TeamRecapOut(Schema):
    supervisor = ma.fields.Nested(PersonBrief)
    month = ma.fields.String(metadata={"example": "2026-03"})
    people = ma.fields.List(ma.fields.Nested(MonthlyRecapOut))
