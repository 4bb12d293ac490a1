"""The survey form (nine answers on the 1-4 scale, an optional service name, comment or
complaint and the officer who served), the unit's answers and follow-up plans."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from app.citizen.models import UNSUR_COLUMNS, MessageKind
from app.core.schemas import Schema


def _answer():
    return ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=1, max=4,
                                                  error=_l("Choose one of the four answers.")),
        error_messages={"required": _l("Choose one of the four answers."),
                        "invalid": _l("Choose one of the four answers.")})


class SurveyIn(Schema):
    u1, u2, u3, u4, u5, u6, u7, u8, u9 = (_answer() for _ in UNSUR_COLUMNS)
    service_name = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    comment = ma.fields.String(load_default=None, validate=ma.validate.Length(max=2000))
    kind = ma.fields.String(load_default="comment", validate=ma.validate.OneOf(
        [kind.value for kind in MessageKind], error=_l("Choose a suggestion or a complaint.")))
    officer_id = ma.fields.Integer(load_default=None, allow_none=True, error_messages={
        "invalid": _l("Choose an officer from the list.")})

    @ma.pre_load
    def blank_is_none(self, data, **kwargs):
        data = dict(data)
        if data.get("officer_id") in ("", None):
            data["officer_id"] = None
        if not data.get("kind"):
            data.pop("kind", None)
        return data


class AnswerIn(Schema):
    """The unit's answer to a citizen's message."""

    answer = ma.fields.String(required=True, validate=ma.validate.Length(
        min=1, max=4000, error=_l("Write an answer (at most 4000 characters).")))
    publish = ma.fields.Boolean(load_default=False)


class FollowUpIn(Schema):
    """One follow-up plan (rencana tindak lanjut) of an unsur over a period."""

    unsur = ma.fields.String(required=True, validate=ma.validate.OneOf(UNSUR_COLUMNS))
    plan = ma.fields.String(required=True, validate=ma.validate.Length(
        min=1, max=2000, error=_l("Describe the follow-up (at most 2000 characters).")))
    due_on = ma.fields.Date(load_default=None, allow_none=True)
    responsible = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))

    @ma.pre_load
    def blank_is_none(self, data, **kwargs):
        data = dict(data)
        if data.get("due_on") == "":
            data["due_on"] = None
        return data


class PeriodArgs(Schema):
    unit = ma.fields.Integer(load_default=None)
    start = ma.fields.Date(data_key="dari", load_default=None)
    end = ma.fields.Date(data_key="sampai", load_default=None)
    format = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["xlsx", "pdf"]))
