"""/api/v1/skps, /rhks, /indicators and /targets.

Every change to an SKP, its RHKs or its indicators carries the SKP ``version`` the client saw;
a stale one gets 409 with the current SKP in ``error.current``.
"""

from flask_login import current_user

from app.core.blueprint import Blueprint
from app.extensions import db
from app.org.models import Person
from app.targets import document, periods, planning, services
from app.targets.models import Skp
from app.targets.schemas import (
    AnnexIn,
    AuditEntryOut,
    DocumentArgs,
    ExpectationsIn,
    IndicatorIn,
    IndicatorPatchIn,
    IndicatorWriteOut,
    PeriodSplitIn,
    PickerArgs,
    PickerTargetOut,
    ReturnIn,
    ReviewIn,
    RhkIn,
    RhkPatchIn,
    RhkWriteOut,
    SkpCreateIn,
    SkpDetailOut,
    SkpListArgs,
    SkpOut,
    SkpUpdateIn,
    VersionQuery,
)

blp = Blueprint("targets_api", __name__, url_prefix="", description="SKP, RHK and indicators",
                error_descriptions={
                    403: "Visible, but not yours to change or review",
                    404: "Not found or not visible to you",
                    409: "Stale version or a state that forbids this; error.current is the SKP",
                    422: "Invalid fields",
                })


def with_version(item, skp):
    item.skp_version = skp.version
    return item


@blp.get("/skps")
@blp.arguments(SkpListArgs, location="query")
@blp.response(200, SkpOut(many=True))
def list_skps(args):
    """SKPs you may see: yours, your supervisor's approved one, your line's (filterable)."""
    query = services.skps_visible_to(current_user)
    if args["person_id"] is not None:
        query = query.where(Skp.person_id == args["person_id"])
    if args["year"] is not None:
        query = query.where(Skp.year == args["year"])
    query = query.join(Person, Skp.person_id == Person.id).order_by(
        Skp.year.desc(), Person.name, Skp.id)
    return db.paginate(query, page=args["page"], per_page=args["per_page"],
                       error_out=False).items


@blp.post("/skps")
@blp.arguments(SkpCreateIn)
@blp.response(201, SkpDetailOut)
@blp.errors(422)
def create_skp(args):
    """Start your own SKP for a year (one per year); your supervisor becomes the appraiser."""
    skp = services.create_skp(current_user, args["year"], args["approach"])
    return skp


@blp.get("/skps/<int:skp_id>")
@blp.response(200, SkpDetailOut)
@blp.errors(404)
def get_skp(skp_id):
    """An SKP with its RHKs (utama first) and their indicators."""
    return services.get_skp(current_user, skp_id)


@blp.patch("/skps/<int:skp_id>")
@blp.arguments(SkpUpdateIn)
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def update_skp(args, skp_id):
    """Change the approach (kuantitatif/kualitatif) while draft or returned."""
    skp = services.get_skp(current_user, skp_id)
    services.update_skp(current_user, skp, args["version"], args["approach"])
    return skp


@blp.put("/skps/<int:skp_id>/expectations")
@blp.arguments(ExpectationsIn)
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def set_expectations(args, skp_id):
    """The leader's specific expectation (ekspektasi khusus pimpinan) per BerAKHLAK value,
    written by the appraiser before approval; the values not sent keep theirs."""
    skp = services.get_skp(current_user, skp_id)
    return planning.set_expectations(current_user, skp, args["version"], args["expectations"])


@blp.put("/skps/<int:skp_id>/annex")
@blp.arguments(AnnexIn)
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def set_annex(args, skp_id):
    """The lampiran (resource support, accountability scheme, consequences): the owner while
    editing, or the appraiser, before approval."""
    skp = services.get_skp(current_user, skp_id)
    return planning.set_annex(current_user, skp, args.pop("version"), args)


@blp.get("/skps/<int:skp_id>/document")
@blp.arguments(DocumentArgs, location="query")
@blp.doc(responses={"200": {"description": "The SKP as the regulation's document (PDF)",
                            "content": {"application/pdf": {}}}})
@blp.errors(403, 404, 422)
def skp_document(args, skp_id):
    """The SKP as an A4 PDF: both parties, RHK with indicators and targets, the leader's
    expectations, the lampiran and signature blocks. For the owner, their line above, the
    HR administrator and the head of the agency."""
    from app.documents.api import download

    content, name = document.document_pdf(current_user, skp_id, args["place"])
    return download(content, name, "application/pdf")


@blp.post("/skps/<int:skp_id>/rhks")
@blp.arguments(RhkIn)
@blp.response(201, RhkWriteOut)
@blp.errors(403, 404, 409, 422)
def add_rhk(args, skp_id):
    """Add an RHK: non-JPT link the supervisor's approved RHK, JPT give a perspective."""
    skp = services.get_skp(current_user, skp_id)
    rhk = services.add_rhk(current_user, skp, args.pop("version"), args)
    return with_version(rhk, skp)


@blp.get("/rhks/<int:rhk_id>")
@blp.response(200, RhkWriteOut)
@blp.errors(404)
def get_rhk(rhk_id):
    rhk = services.get_rhk(current_user, rhk_id)
    return with_version(rhk, rhk.skp)


@blp.patch("/rhks/<int:rhk_id>")
@blp.arguments(RhkPatchIn)
@blp.response(200, RhkWriteOut)
@blp.errors(403, 404, 409, 422)
def update_rhk(args, rhk_id):
    rhk = services.get_rhk(current_user, rhk_id)
    services.update_rhk(current_user, rhk, args.pop("version"), args)
    return with_version(rhk, rhk.skp)


@blp.delete("/rhks/<int:rhk_id>")
@blp.arguments(VersionQuery, location="query")
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def delete_rhk(args, rhk_id):
    """Delete an RHK and its indicators (``?version=``); answers with the SKP."""
    rhk = services.get_rhk(current_user, rhk_id)
    skp = services.delete_rhk(current_user, rhk, args["version"])
    return skp


@blp.post("/rhks/<int:rhk_id>/indicators")
@blp.arguments(IndicatorIn)
@blp.response(201, IndicatorWriteOut)
@blp.errors(403, 404, 409, 422)
def add_indicator(args, rhk_id):
    """Add an indicator (IKI): aspect, target or range, unit; a narrative if kualitatif."""
    rhk = services.get_rhk(current_user, rhk_id)
    indicator = services.add_indicator(current_user, rhk, args.pop("version"), args)
    return with_version(indicator, rhk.skp)


@blp.get("/indicators/<int:indicator_id>")
@blp.response(200, IndicatorWriteOut)
@blp.errors(404)
def get_indicator(indicator_id):
    indicator = services.get_indicator(current_user, indicator_id)
    return with_version(indicator, indicator.rhk.skp)


@blp.patch("/indicators/<int:indicator_id>")
@blp.arguments(IndicatorPatchIn)
@blp.response(200, IndicatorWriteOut)
@blp.errors(403, 404, 409, 422)
def update_indicator(args, indicator_id):
    indicator = services.get_indicator(current_user, indicator_id)
    services.update_indicator(current_user, indicator, args.pop("version"), args)
    return with_version(indicator, indicator.rhk.skp)


@blp.put("/indicators/<int:indicator_id>/period-targets")
@blp.arguments(PeriodSplitIn)
@blp.response(200, IndicatorWriteOut)
@blp.errors(403, 404, 409, 422)
def split_indicator(args, indicator_id):
    """Split the yearly target over the quarters (triwulan I-IV) or months, or (no parts)
    go back to one yearly target. Progress for a period compares with its part."""
    indicator = services.get_indicator(current_user, indicator_id)
    periods.set_split(current_user, indicator, args["version"], args.get("kind"),
                      args["parts"])
    return with_version(indicator, indicator.rhk.skp)


@blp.delete("/indicators/<int:indicator_id>")
@blp.arguments(VersionQuery, location="query")
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def delete_indicator(args, indicator_id):
    """Delete an indicator (``?version=``); answers with the SKP."""
    indicator = services.get_indicator(current_user, indicator_id)
    skp = services.delete_indicator(current_user, indicator, args["version"])
    return skp


@blp.post("/skps/<int:skp_id>/submit")
@blp.arguments(ReviewIn)
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def submit_skp(args, skp_id):
    """Send your SKP to your supervisor (needs a main RHK with an indicator)."""
    skp = services.get_skp(current_user, skp_id)
    services.submit(current_user, skp, args["version"])
    return skp


@blp.post("/skps/<int:skp_id>/approve")
@blp.arguments(ReviewIn)
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409)
def approve_skp(args, skp_id):
    """Approve a submitted SKP of someone in your line; it cannot change afterwards."""
    skp = services.get_skp(current_user, skp_id)
    services.approve(current_user, skp, args["version"])
    return skp


@blp.post("/skps/<int:skp_id>/return")
@blp.arguments(ReturnIn)
@blp.response(200, SkpDetailOut)
@blp.errors(403, 404, 409, 422)
def return_skp(args, skp_id):
    """Return a submitted SKP to its owner with the reason."""
    skp = services.get_skp(current_user, skp_id)
    services.return_skp(current_user, skp, args["reason"], args["version"])
    return skp


@blp.get("/skps/<int:skp_id>/history")
@blp.response(200, AuditEntryOut(many=True))
@blp.errors(404)
def skp_history(skp_id):
    """Who created, changed, submitted, approved or returned the SKP, and when."""
    return services.history(services.get_skp(current_user, skp_id))


@blp.get("/targets")
@blp.arguments(PickerArgs, location="query")
@blp.response(200, PickerTargetOut(many=True))
def list_targets(args):
    """Your indicators for the date's year, most used first, for the activity form.

    From the approved SKP; until it is approved, from that year's SKP with
    ``provisional: true``.
    """
    on_date = args["date"] or services.today_for(current_user)
    return services.targets_for_picker(current_user, on_date).targets
