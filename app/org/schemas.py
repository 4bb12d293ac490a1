import marshmallow as ma

from app.core.i18n import TIME_ZONES
from app.core.schemas import Schema, UtcDateTime
from app.org.models import PANGKAT, PPPK_GOLONGAN, ActingKind, PositionKind, Role


class UnitOut(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    parent_id = ma.fields.Integer(allow_none=True)
    timezone = ma.fields.String(metadata={"description": "IANA time zone of the unit"})
    zone_abbreviation = ma.fields.String(metadata={"example": "WITA"})
    active = ma.fields.Boolean()


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
    q = ma.fields.String(validate=ma.validate.Length(max=200), metadata={
        "description": "A name containing this (any case), or a NIP starting with it"})
    unit_id = ma.fields.Integer(metadata={
        "description": "People directly in this unit (404 for an unknown unit)"})
    active = ma.fields.Boolean(metadata={
        "description": "true: active people only; false: deactivated only; absent: both"})


class PageOut(Schema):
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer(metadata={"description": "Matches on all pages"})
    pages = ma.fields.Integer()


class PersonPageOut(Schema):
    items = ma.fields.List(ma.fields.Nested(PersonOut), metadata={
        "description": "This page's people, by name"})
    pagination = ma.fields.Nested(PageOut)


# --- administration (HR administrators) ----------------------------------------------------

def _text(maximum: int, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=maximum), **kwargs)


def _id(**kwargs):
    return ma.fields.Integer(strict=True, **kwargs)


class UnitIn(Schema):
    code = _text(32, required=True, metadata={"description": "Unique in the organisation"})
    name = _text(200, required=True)
    parent_id = _id(allow_none=True, load_default=None,
                    metadata={"description": "None: a root unit"})
    timezone = ma.fields.String(validate=ma.validate.OneOf(list(TIME_ZONES)), metadata={
        "description": "IANA zone; default: the parent's (or the organisation's)"})


class UnitPatch(Schema):
    code = _text(32)
    name = _text(200)
    parent_id = _id(allow_none=True)
    timezone = ma.fields.String(validate=ma.validate.OneOf(list(TIME_ZONES)))
    active = ma.fields.Boolean(metadata={
        "description": "false deactivates: refused while active people are in it or below"})


GOLONGAN = [*PANGKAT, *PPPK_GOLONGAN]


class PersonIn(Schema):
    nip = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    name = _text(200, required=True)
    jabatan = _text(200, required=True)
    position_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(
        [kind.value for kind in PositionKind]))
    golongan = ma.fields.String(allow_none=True, load_default=None,
                                validate=ma.validate.OneOf(GOLONGAN),
                                metadata={"description": "PNS golongan/ruang or PPPK grade"})
    unit_id = _id(required=True, metadata={"description": "An active unit"})
    supervisor_id = _id(allow_none=True, load_default=None)
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(
        [role.value for role in Role])), load_default=lambda: [Role.PEGAWAI.value],
        validate=ma.validate.Length(min=1))
    email = ma.fields.Email(allow_none=True, load_default=None,
                            validate=ma.validate.Length(max=254))


class PersonPatch(PersonIn):
    """Every field optional; ``active`` false deactivates, true reactivates."""

    active = ma.fields.Boolean()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class PersonAdminOut(PersonOut):
    email = ma.fields.String(allow_none=True)


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


class PeoplePageArgs(Schema):
    """The query of the administration page's people list (``/admin/pegawai``)."""

    q = ma.fields.String(validate=ma.validate.Length(max=200))
    unit_id = ma.fields.Integer(data_key="unit")
    status = ma.fields.String(load_default="aktif",
                              validate=ma.validate.OneOf(["aktif", "nonaktif", "semua"]))
    page = ma.fields.Integer(data_key="halaman", load_default=1,
                             validate=ma.validate.Range(min=1))
