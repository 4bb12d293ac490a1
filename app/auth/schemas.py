import marshmallow as ma
from webargs.fields import DelimitedList

from app.core.schemas import Schema
from app.org.schemas import MeOut


class LoginIn(Schema):
    nip = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40),
                           metadata={"example": "198503122010011001"})
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(min=1, max=256))


class LoginOut(Schema):
    csrf_token = ma.fields.String(metadata={"description": "Send back as X-CSRFToken on writes"})
    person = ma.fields.Nested(MeOut)


class ChangePasswordIn(Schema):
    current_password = ma.fields.String(required=True, load_only=True,
                                        validate=ma.validate.Length(min=1, max=256))
    new_password = ma.fields.String(required=True, load_only=True,
                                    validate=ma.validate.Length(min=1, max=256))


class SignOutIn(Schema):
    """The sign-out form. The page fills in this device's push endpoint, if it has one, so
    that notifications for the person stop reaching a phone they have signed out of."""

    push_endpoint = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))


class TokenIn(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    expires_in_days = ma.fields.Integer(strict=True, load_default=None, allow_none=True,
                                        validate=ma.validate.Range(min=1, max=366))


class TokenOut(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String()
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    last_used_at = ma.fields.DateTime(allow_none=True)


class NewTokenOut(TokenOut):
    token = ma.fields.String(metadata={"description": "Shown only once"})


class ActivateIn(Schema):
    nip = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40),
                           metadata={"example": "198503122010011001"})
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40),
                            metadata={"description": "The activation code, in any case, with "
                                      "or without dashes", "example": "ABCD-EFGH-JK"})
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(min=1, max=256))


class IssueCodeIn(Schema):
    send_email = ma.fields.Boolean(load_default=False, metadata={
        "description": "Also send the code to the person's e-mail address (needs SMTP)"})


class IssuedCodeOut(Schema):
    code = ma.fields.String(metadata={"description": "Shown only once", "example":
                                      "ABCD-EFGH-JK"})
    expires_at = ma.fields.DateTime()
    purpose = ma.fields.String(metadata={"description": "activate (a first password) or "
                                         "reset (sessions and tokens were ended)"})
    emailed = ma.fields.Boolean(metadata={"description": "An e-mail with the code is sent "
                                          "after this answer"})


class SheetArgs(Schema):
    people = DelimitedList(ma.fields.Integer(strict=False),
                                     validate=ma.validate.Length(min=1, max=500), metadata={
                                         "description": "Only these people (ids, comma "
                                         "separated), of the unit or its sub-units"})
