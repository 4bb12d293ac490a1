import marshmallow as ma

from app.core.schemas import Schema, UtcDateTime
from app.org.models import ActingKind


class UnitOut(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    parent_id = ma.fields.Integer(allow_none=True)
    timezone = ma.fields.String(metadata={"description": "IANA time zone of the unit"})
    zone_abbreviation = ma.fields.String(metadata={"example": "WITA"})


class OrganisationOut(Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    name = ma.fields.String()


class PersonBrief(Schema):
    id = ma.fields.Integer()
    nip = ma.fields.String()
    name = ma.fields.String()
    jabatan = ma.fields.String()


class PersonOut(PersonBrief):
    position_kind = ma.fields.String()
    golongan = ma.fields.String(allow_none=True)
    pangkat = ma.fields.String(allow_none=True)
    unit = ma.fields.Nested(UnitOut)
    supervisor = ma.fields.Nested(PersonBrief, allow_none=True)
    roles = ma.fields.Method("dump_roles")
    active = ma.fields.Boolean()

    def dump_roles(self, person):
        return sorted(role.value for role in person.roles)


class MeOut(PersonOut):
    organisation = ma.fields.Nested(OrganisationOut)
    unit_path = ma.fields.Method("dump_unit_path")
    timezone = ma.fields.String()
    locale = ma.fields.String(allow_none=True)

    def dump_unit_path(self, person):
        return [UnitOut().dump(unit) for unit in person.unit.path()]


class PersonListArgs(Schema):
    # Query strings are text: "3" parses, "3.5" and "2e-42" do not.
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=50,
                                 validate=ma.validate.Range(min=1, max=200))


class PreferencesIn(Schema):
    locale = ma.fields.String(required=True, allow_none=True,
                              validate=ma.validate.OneOf(["id", "en"]))


class ActingIn(Schema):
    acting_person_id = ma.fields.Integer(required=True, strict=True)
    for_person_id = ma.fields.Integer(required=True, strict=True,
                                      metadata={"description": "The supervisor replaced"})
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf([k.value for k in
                                                                      ActingKind]))


class ActingOut(Schema):
    id = ma.fields.Integer()
    acting_person = ma.fields.Nested(PersonBrief, only=("id", "name"))
    for_person = ma.fields.Nested(PersonBrief, only=("id", "name"))
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    kind = ma.fields.String()
    created_at = UtcDateTime()


class ActingArgs(Schema):
    active_on = ma.fields.Date()
