"""The survey form: nine answers on the 1-4 scale, an optional service name and comment."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from app.citizen.models import UNSUR_COLUMNS
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
