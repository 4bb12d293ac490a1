"""Arguments and answers of the dashboard endpoints."""

import marshmallow as ma

from app.core.schemas import Schema
from app.dashboards.services import TEAM_PAGE_SIZE, TEAM_PAGE_SIZE_MAX
from app.org.schemas import PersonBrief
from app.reports.schemas import Month, Number


def _month():
    return Month(metadata={"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03",
                           "description": "Default: the current month (local time)."})


def _number(description: str):
    return Number(allow_none=True, metadata={"type": "number", "description": description})


class DashboardTeamArgs(Schema):
    month = _month()
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1),
                             metadata={"description": "Page of people, by name (default 1)"})
    per_page = ma.fields.Integer(load_default=TEAM_PAGE_SIZE,
                                 validate=ma.validate.Range(min=1, max=TEAM_PAGE_SIZE_MAX),
                                 metadata={"description": f"People per page (default "
                                                          f"{TEAM_PAGE_SIZE}, at most "
                                                          f"{TEAM_PAGE_SIZE_MAX})"})


class DashboardOrganisationArgs(Schema):
    month = _month()
    unit_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Only this unit and the units below it."})


class DashboardIndicatorOut(Schema):
    indicator_id = ma.fields.Integer()
    description = ma.fields.String()
    rhk = ma.fields.String(metadata={"description": "The RHK the indicator belongs to"})
    unit = ma.fields.String()
    aspect = ma.fields.String(metadata={"enum": ["kuantitas", "kualitas", "waktu", "biaya"]})
    measure = ma.fields.String(metadata={
        "enum": ["quantity", "quality", "timeliness"],
        "description": "What the figures measure: the quantity logged (Kuantitas, Biaya), "
                       "the average quality mark as a percentage (Kualitas), or the share "
                       "of outputs on time (Waktu)"})
    value_unit = ma.fields.String(metadata={
        "description": "The unit of target and realisation: the indicator's, or % for "
                       "quality and timeliness"})
    target_quantity = _number("Target (upper bound of a range) in value_unit; null for "
                              "kualitatif")
    approved_quantity = _number("Approved realisation from 1 January to the end of the "
                                "month, in value_unit (0 when nothing can be judged yet)")
    approved_value = _number("As approved_quantity, but null when nothing can be judged yet "
                             "(a Kualitas indicator with no marks, a Waktu one with no "
                             "outputs due)")
    approved_count = ma.fields.Integer()
    percent = _number("Realisation as a percentage of the target, not capped")
    status = ma.fields.String(allow_none=True, metadata={
        "enum": ["below", "meets", "above", None],
        "description": "Against the target: inside a range meets it"})


class DashboardTeamPersonOut(Schema):
    person = ma.fields.Nested(PersonBrief, only=("id", "name", "jabatan"))
    today = ma.fields.Date(metadata={"description": "Today in the person's time zone"})
    logged_today = ma.fields.Boolean()
    days_logged = ma.fields.Integer(metadata={
        "description": "Working days of the month so far with at least one activity"})
    days_excused = ma.fields.Integer(metadata={
        "description": "Working days so far excused by an approved absence, nothing logged"})
    working_days = ma.fields.Integer(metadata={"description": "Working days so far"})
    compliance_percent = _number("(days_logged + days_excused) / working_days, one decimal")
    activities = ma.fields.Integer(metadata={"description": "Activities of the month"})
    late = ma.fields.Integer(metadata={"description": "Of which submitted late"})
    waiting = ma.fields.Integer(metadata={"description": "Submitted, waiting for review"})
    indicators = ma.fields.List(ma.fields.Nested(DashboardIndicatorOut))


class DashboardOldestOut(Schema):
    activity_id = ma.fields.String()
    date = ma.fields.Date()
    submitted_at = ma.fields.DateTime(allow_none=True)
    description = ma.fields.String()
    person = ma.fields.Nested(PersonBrief, only=("id", "name"))


class DashboardReviewsOut(Schema):
    waiting = ma.fields.Integer()
    oldest = ma.fields.Nested(DashboardOldestOut, allow_none=True)


class DashboardPageOut(Schema):
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer(metadata={"description": "People in the whole team"})
    pages = ma.fields.Integer()


class DashboardTeamOut(Schema):
    month = Month()
    today = ma.fields.Date()
    working_days = ma.fields.Integer()
    people = ma.fields.List(ma.fields.Nested(DashboardTeamPersonOut),
                            metadata={"description": "This page's people, by name"})
    pagination = ma.fields.Nested(DashboardPageOut)
    logged_today = ma.fields.List(ma.fields.Nested(PersonBrief, only=("id", "name", "jabatan")))
    not_logged_today = ma.fields.List(ma.fields.Nested(PersonBrief, only=("id", "name", "jabatan")))
    reviews = ma.fields.Nested(DashboardReviewsOut)


class DashboardFiguresOut(Schema):
    people = ma.fields.Integer()
    days_logged = ma.fields.Integer()
    days_excused = ma.fields.Integer(metadata={
        "description": "Working days excused by an approved absence, nothing logged"})
    possible_days = ma.fields.Integer(metadata={"description": "people × working days"})
    compliance_percent = _number("(days_logged + days_excused) / possible_days")
    activities = ma.fields.Integer()
    late = ma.fields.Integer()
    late_percent = _number("late / activities")


class DashboardSurveyOut(Schema):
    responses = ma.fields.Integer()
    nrr = ma.fields.List(_number("NRR of an unsur"))
    skm = _number("Σ NRR × 1/9, on the 1-4 scale")
    value = _number("SKM × 25")
    grade = ma.fields.String(metadata={"enum": ["A", "B", "C", "D"]})
    performance = ma.fields.String()


class DashboardUnitOut(DashboardFiguresOut):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    parent_id = ma.fields.Integer(allow_none=True)
    depth = ma.fields.Integer()
    with_subunits = ma.fields.Nested(DashboardFiguresOut)
    survey = ma.fields.Nested(DashboardSurveyOut, allow_none=True)
    predikat = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                              allow_none=True)


class DashboardOrganisationOut(Schema):
    month = Month()
    today = ma.fields.Date()
    working_days = ma.fields.Integer()
    unit_id = ma.fields.Integer(allow_none=True)
    survey_from = ma.fields.Date()
    survey_to = ma.fields.Date()
    units = ma.fields.List(ma.fields.Nested(DashboardUnitOut))
    totals = ma.fields.Nested(DashboardFiguresOut)
    predikat_available = ma.fields.Boolean()
    #: The evaluation period the predikat distribution is of.
    predikat_period = ma.fields.String(allow_none=True)
