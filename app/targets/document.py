"""The SKP as the regulation's document: who may print it, its data and its PDF."""

from datetime import UTC, date
from zoneinfo import ZoneInfo

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.errors import Forbidden
from app.evaluations.services.document import _person_block, _target_text
from app.org.models import Person
from app.targets import planning, services
from app.targets.models import Indicator, PeriodKind, RhkKind, Skp

ROMAN = ("I", "II", "III", "IV")


def printable_skp(actor: Person, skp_id: int) -> Skp:
    """:raise NotFound: out of sight (another organisation); Forbidden: visible, not printable."""
    skp = services.get_skp(actor, skp_id)
    if not planning.may_print(actor, skp):
        raise Forbidden(_("Only the owner, their supervisors, the HR administrator and the "
                          "head of the agency can print this SKP."))
    return skp


def _split_text(indicator: Indicator) -> str:
    """"TW I: 3; TW II: 3; ..." or "Jan: 1; ..." when the target is split over periods."""
    parts = []
    for part in indicator.period_targets:
        amount = format_decimal(part.target, format="#,##0.##")
        if part.kind is PeriodKind.QUARTER:
            parts.append(_("Q%(number)s: %(target)s", number=ROMAN[part.number - 1],
                           target=amount))
        else:
            parts.append(_("Month %(number)s: %(target)s", number=part.number, target=amount))
    return "; ".join(parts)


def _rhk_items(skp: Skp) -> list[dict]:
    from app.targets.views import ASPECT_LABELS, PERSPECTIVE_LABELS

    ordered = sorted(skp.rhks, key=lambda r: (r.kind != RhkKind.UTAMA, r.position, r.id))
    return [{
        "kind": rhk.kind.value, "text": rhk.description,
        "parent_text": rhk.parent.description if rhk.parent else None,
        "perspective": str(PERSPECTIVE_LABELS[rhk.perspective]) if rhk.perspective else None,
        "indicators": [{"aspect": str(ASPECT_LABELS[i.aspect]), "text": i.description,
                        "target": _target_text(i), "split": _split_text(i)}
                       for i in rhk.indicators]}
        for rhk in ordered]


def signed_on(skp: Skp) -> date | None:
    """The day of approval in the owner's zone (the day both parties agreed)."""
    if skp.approved_at is None:
        return None
    moment = skp.approved_at.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(skp.person.timezone)).date()


def document_data(skp: Skp, place: str | None = None) -> dict:
    """Everything the printed SKP shows, labels in the current language."""
    from app.targets.views import APPROACH_LABELS, STATUS_LABELS

    person = skp.person
    appraiser = skp.appraiser or person.supervisor
    return {
        "organisation": person.organisation.name, "year": skp.year,
        "approach": str(APPROACH_LABELS[skp.approach]), "status": str(STATUS_LABELS[skp.status]),
        "is_jpt": skp.is_jpt,
        "period": {"starts_on": date(skp.year, 1, 1), "ends_on": date(skp.year, 12, 31)},
        "employee": _person_block(person), "appraiser": _person_block(appraiser),
        "rhk": _rhk_items(skp),
        "expectations": [{"value": item["name"], "guides": item["guides"],
                          "text": item["text"]} for item in planning.expectations_of(skp)],
        "annex": {"resource_support": skp.resource_support,
                  "accountability": skp.accountability, "consequences": skp.consequences},
        "place": place, "signed_on": signed_on(skp),
    }


def document_pdf(actor: Person, skp_id: int, place: str | None = None) -> tuple[bytes, str]:
    """The SKP as a PDF, and a file name for it."""
    from app.documents.skp_pdf import render_skp_pdf

    skp = printable_skp(actor, skp_id)
    name = f"skp-{skp.year}-{skp.person.nip}.pdf"
    return render_skp_pdf(document_data(skp, place)), name
