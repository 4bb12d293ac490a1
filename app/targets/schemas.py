"""Shapes of SKPs, RHKs, indicators and the target picker, for the API and the forms."""

from decimal import Decimal

import marshmallow as ma

from app.core.schemas import Schema
from app.evaluations.berakhlak import VALUES
from app.feedback.models import Value
from app.org.schemas import PersonBrief
from app.targets.models import Approach, Aspect, PeriodKind, Perspective, RhkKind

#: Targets are NUMERIC(14, 2): answered as decimal strings ("12.00"); sent as strings or numbers.
DECIMAL_DOC = {"type": "string", "format": "decimal", "example": "12.00"}
TARGET_MAX = Decimal("999999999999")


def _in_target_range(value):
    if not 0 <= value <= TARGET_MAX:
        raise ma.ValidationError("Must be greater than or equal to 0 and less than or equal "
                                 f"to {TARGET_MAX}.")


def _decimal(**kwargs):
    metadata = {**DECIMAL_DOC, **kwargs.pop("metadata", {})}
    return ma.fields.Decimal(as_string=True, places=2, validate=_in_target_range,
                             metadata=metadata, **kwargs)


def _decimal_out():
    return ma.fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_DOC)


def _version(**kwargs):
    return ma.fields.Integer(
        strict=True, validate=ma.validate.Range(min=1),
        metadata={"description": "The SKP version the change is based on; a stale one "
                                 "gets 409 with the current SKP"}, **kwargs)


def _enum(kind, **kwargs):
    return ma.fields.String(validate=ma.validate.OneOf([m.value for m in kind]), **kwargs)


# --- input --------------------------------------------------------------------------------

class SkpCreateIn(Schema):
    year = ma.fields.Integer(strict=True, required=True,
                             validate=ma.validate.Range(min=2000, max=2100))
    approach = _enum(Approach, load_default=Approach.KUANTITATIF.value)


class SkpUpdateIn(Schema):
    version = _version(required=True)
    approach = _enum(Approach, required=True)


class RhkIn(Schema):
    version = _version(required=True)
    kind = _enum(RhkKind, load_default=RhkKind.UTAMA.value)
    description = ma.fields.String(required=True,
                                   validate=ma.validate.Length(min=3, max=2000))
    #: The supervisor's RHK this one supports (non-JPT only).
    parent_rhk_id = ma.fields.Integer(strict=True, load_default=None, allow_none=True)
    #: The perspective (JPT only).
    perspective = _enum(Perspective, load_default=None, allow_none=True)
    position = ma.fields.Integer(strict=True, load_default=None, allow_none=True,
                                 validate=ma.validate.Range(min=0, max=10_000))


class IndicatorIn(Schema):
    version = _version(required=True)
    aspect = _enum(Aspect, required=True)
    description = ma.fields.String(required=True,
                                   validate=ma.validate.Length(min=3, max=2000))
    target_min = _decimal(load_default=None, allow_none=True,
                          metadata={"description": "The target, or the low end of a range"})
    target_max = _decimal(load_default=None, allow_none=True,
                          metadata={"description": "The high end of a range (optional)"})
    unit = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40),
                            metadata={"example": "dokumen"})
    #: The expectation as a narrative (kualitatif approach only).
    target_text = ma.fields.String(load_default=None, allow_none=True,
                                   validate=ma.validate.Length(max=2000))
    due_date = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Waktu: the day the RHK's outputs are due"})
    position = ma.fields.Integer(strict=True, load_default=None, allow_none=True,
                                 validate=ma.validate.Range(min=0, max=10_000))


class RhkPatchIn(Schema):
    """Only the fields sent change; the version is always required."""

    version = _version(required=True)
    kind = _enum(RhkKind)
    description = ma.fields.String(validate=ma.validate.Length(min=3, max=2000))
    parent_rhk_id = ma.fields.Integer(strict=True, allow_none=True)
    perspective = _enum(Perspective, allow_none=True)
    position = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=10_000))


class IndicatorPatchIn(Schema):
    """Only the fields sent change; the version is always required."""

    version = _version(required=True)
    aspect = _enum(Aspect)
    description = ma.fields.String(validate=ma.validate.Length(min=3, max=2000))
    target_min = _decimal(allow_none=True)
    target_max = _decimal(allow_none=True)
    unit = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    target_text = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    due_date = ma.fields.Date(allow_none=True)
    position = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=10_000))


class PeriodPartIn(Schema):
    number = ma.fields.Integer(strict=True, required=True,
                               validate=ma.validate.Range(min=1, max=12),
                               metadata={"description": "Quarter 1-4 or month 1-12"})
    target = _decimal(required=True, metadata={
        "description": "Kuantitas: the quantity for the part (the parts add up to the yearly "
                       "target); Kualitas, Waktu: the percentage expected"})
    due_date = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Waktu: when the part's outputs are due"})


class PeriodSplitIn(Schema):
    version = _version(required=True)
    kind = _enum(PeriodKind, load_default=None, allow_none=True, metadata={
        "description": "quarter (triwulan I-IV) or month; null: one yearly target again"})
    parts = ma.fields.List(ma.fields.Nested(PeriodPartIn), load_default=list,
                           validate=ma.validate.Length(max=12))


class ExpectationIn(Schema):
    value = _enum(Value, required=True, metadata={"description": "The BerAKHLAK value"})
    text = ma.fields.String(required=True, validate=ma.validate.Length(max=2000), metadata={
        "description": "The leader's specific expectation; empty removes it"})


class ExpectationsIn(Schema):
    version = _version(required=True)
    expectations = ma.fields.List(ma.fields.Nested(ExpectationIn), required=True,
                                  validate=ma.validate.Length(max=len(Value)))


def _annex_text(description: str):
    return ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000),
                            metadata={"description": description})


class AnnexIn(Schema):
    """The lampiran; only the fields sent change, empty or null clears one."""

    version = _version(required=True)
    resource_support = _annex_text("Dukungan sumber daya (resource support)")
    accountability = _annex_text("Skema pertanggungjawaban (accountability scheme)")
    consequences = _annex_text("Konsekuensi (consequences)")


class DocumentArgs(Schema):
    place = ma.fields.String(load_default=None, validate=ma.validate.Length(max=80),
                             metadata={"description": "Where it is signed (e.g. the city)"})


class VersionIn(Schema):
    version = _version(required=True)


class VersionQuery(Schema):
    """DELETE carries the version in the query string (?version=3)."""

    version = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))


class ReviewIn(Schema):
    """Approve or submit: the version is optional and checked when given."""

    version = _version(load_default=None, allow_none=True)


class ReturnIn(Schema):
    version = _version(load_default=None, allow_none=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=2000))


class SkpListArgs(Schema):
    person_id = ma.fields.Integer(load_default=None)
    year = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=2000, max=2100))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class PickerArgs(Schema):
    date = ma.fields.Date(load_default=None,
                          metadata={"description": "Local date; today in your zone if absent"})


# --- output -------------------------------------------------------------------------------

class IndicatorOut(Schema):
    id = ma.fields.Integer()
    rhk_id = ma.fields.Integer()
    aspect = ma.fields.String()
    description = ma.fields.String()
    target_min = _decimal_out()
    target_max = _decimal_out()
    target_quantity = _decimal_out()
    unit = ma.fields.String()
    target_text = ma.fields.String(allow_none=True)
    due_date = ma.fields.Date(allow_none=True)
    position = ma.fields.Integer()
    period_targets = ma.fields.Nested("PeriodPartOut", many=True)


class PeriodPartOut(Schema):
    kind = ma.fields.String(metadata={"enum": [kind.value for kind in PeriodKind]})
    number = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    target = _decimal_out()
    due_date = ma.fields.Date(allow_none=True)


class RhkOut(Schema):
    id = ma.fields.Integer()
    skp_id = ma.fields.Integer()
    kind = ma.fields.String()
    description = ma.fields.String()
    parent_rhk_id = ma.fields.Integer(allow_none=True)
    parent_description = ma.fields.Method("dump_parent", allow_none=True)
    perspective = ma.fields.String(allow_none=True)
    position = ma.fields.Integer()
    indicators = ma.fields.Nested(IndicatorOut, many=True)

    def dump_parent(self, rhk):
        return rhk.parent.description if rhk.parent is not None else None


class SkpOut(Schema):
    id = ma.fields.Integer()
    person = ma.fields.Nested(PersonBrief)
    appraiser = ma.fields.Nested(PersonBrief, allow_none=True)
    year = ma.fields.Integer()
    approach = ma.fields.String()
    is_jpt = ma.fields.Boolean()
    status = ma.fields.String()
    return_reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(allow_none=True)
    approved_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    version = ma.fields.Integer()


class _GroupedRhks(ma.fields.Nested):
    """Utama (A) before tambahan (B), whatever the alphabet says."""

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        ordered = sorted(nested_obj or [],
                         key=lambda r: (r.kind != RhkKind.UTAMA, r.position, r.id))
        return super()._serialize(ordered, attr, obj, **kwargs)


class ExpectationOut(Schema):
    value = ma.fields.String(metadata={"enum": [value.value for value in Value]})
    name = ma.fields.String(metadata={"description": "The value's proper name"})
    guides = ma.fields.List(ma.fields.String(), metadata={
        "description": "Its three behaviour guides, in the current language"})
    text = ma.fields.String(metadata={"description": "The leader's specific expectation"})


def expectations_of(skp) -> list[dict]:
    """Every BerAKHLAK value in the form's order with its expectation ("" when none)."""
    texts = {row.value: row.text for row in skp.expectations}
    return [{"value": core.value.value, "name": core.name,
             "guides": [str(guide) for guide in core.guides],
             "text": texts.get(core.value, "")} for core in VALUES]


class _AllValues(ma.fields.Nested):
    """Every BerAKHLAK value in the form's order, with "" where no expectation is set."""

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        return super()._serialize(expectations_of(obj), attr, obj, **kwargs)


class SkpDetailOut(SkpOut):
    rhks = _GroupedRhks(RhkOut, many=True)
    expectations = _AllValues(ExpectationOut, many=True, metadata={
        "description": "The leader's specific expectation (ekspektasi khusus pimpinan) per "
                       "BerAKHLAK value"})
    resource_support = ma.fields.String(allow_none=True, metadata={
        "description": "Lampiran: dukungan sumber daya"})
    accountability = ma.fields.String(allow_none=True, metadata={
        "description": "Lampiran: skema pertanggungjawaban"})
    consequences = ma.fields.String(allow_none=True, metadata={
        "description": "Lampiran: konsekuensi"})


class RhkWriteOut(RhkOut):
    skp_version = ma.fields.Integer(metadata={"description": "The SKP's version after the change"})


class IndicatorWriteOut(IndicatorOut):
    skp_version = ma.fields.Integer(metadata={"description": "The SKP's version after the change"})


class AuditEntryOut(Schema):
    seq = ma.fields.Integer()
    action = ma.fields.String()
    actor = ma.fields.Nested(PersonBrief, allow_none=True)
    changes = ma.fields.Dict()
    created_at = ma.fields.DateTime()
    hash = ma.fields.String()


class PickerTargetOut(Schema):
    id = ma.fields.Integer(metadata={"description": "The indicator id; an activity's target_id"})
    rhk_id = ma.fields.Integer()
    rhk = ma.fields.String(metadata={"description": "The RHK's description"})
    rhk_kind = ma.fields.String()
    aspect = ma.fields.String()
    indicator = ma.fields.String(metadata={"description": "The indicator's description"})
    target_min = _decimal_out()
    target_max = _decimal_out()
    target_quantity = _decimal_out()
    unit = ma.fields.String()
    usage = ma.fields.Integer(metadata={"description": "How many of your activities use it"})
    skp_id = ma.fields.Integer()
    skp_status = ma.fields.String()
    provisional = ma.fields.Boolean(metadata={
        "description": "True when the SKP of that year is not approved yet"})
