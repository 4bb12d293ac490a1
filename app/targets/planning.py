"""The rest of planning an SKP: the leader's specific expectations and the lampiran.

PermenPANRB 6/2022 has the appraiser write an *ekspektasi khusus pimpinan* for each BerAKHLAK
value when the SKP is agreed, so the employee knows it all year and the assessment starts
from it; the lampiran (dukungan sumber daya, skema pertanggungjawaban, konsekuensi) is
agreed at the same time. Both change only before approval, raise the SKP's version and are
audited like the rest of the SKP.
"""

from flask_babel import gettext as _

from app.audit import services as audit
from app.errors import Forbidden, ValidationFailed
from app.feedback.models import Value
from app.org.lines import is_in_line
from app.org.models import Person, Role
from app.targets import services
from app.targets.models import Skp, SkpExpectation, SkpStatus
from app.targets.schemas import expectations_of

__all__ = ["expectations_of", "expectation_texts", "may_set_expectations", "may_edit_annex",
           "may_print", "set_expectations", "set_annex"]

ANNEX_FIELDS = ("resource_support", "accountability", "consequences")


def expectation_texts(skp: Skp | None) -> dict[Value, str]:
    """{value: text} of the SKP's expectations, for the assessment's pre-fill."""
    return {row.value: row.text for row in skp.expectations} if skp is not None else {}


def may_set_expectations(actor: Person, skp: Skp) -> bool:
    """The appraiser's line (who approves the SKP) writes them, before approval."""
    return skp.status is not SkpStatus.APPROVED and services.can_review(actor, skp)


def may_edit_annex(actor: Person, skp: Skp) -> bool:
    """The owner while they may edit, or the reviewer before approval: both agree on it."""
    return services.can_edit(actor, skp) or may_set_expectations(actor, skp)


def may_print(actor: Person, skp: Skp) -> bool:
    """The owner, anyone above them in the line, the HR administrator and the head of the
    agency (pimpinan). A subordinate sees their supervisor's SKP but does not print it."""
    return (actor.id == skp.person_id or is_in_line(actor, skp.person_id)
            or bool(actor.roles & {Role.ADMIN, Role.PIMPINAN}))


def _require_planning(actor: Person, skp: Skp, version: int, allowed: bool,
                      message: str) -> None:
    if skp.status is SkpStatus.APPROVED:
        raise services.StateConflict(_("This SKP is approved and can no longer be changed."),
                                     extra={"current": services.current_copy(skp)})
    if not allowed:
        raise Forbidden(message)
    services.check_version(skp, version)


def set_expectations(actor: Person, skp: Skp, version: int, items: list[dict]) -> Skp:
    """Write the expectations sent (one per value at most); an empty text removes one."""
    _require_planning(actor, skp, version, may_set_expectations(actor, skp),
                      _("Only the appraiser of this SKP sets the leader's expectations."))
    seen = [item["value"] for item in items]
    if len(seen) != len(set(seen)):
        raise ValidationFailed(fields={"expectations": _("Give each value at most once.")})
    rows = {row.value: row for row in skp.expectations}
    changes = {}
    for item in items:
        value, text = Value(item["value"]), (item.get("text") or "").strip()
        row = rows.get(value)
        old = row.text if row is not None else ""
        if old == text:
            continue
        changes[value.value] = [old, text]
        if row is None:
            skp.expectations.append(SkpExpectation(value=value, text=text))
        elif text:
            row.text = text
        else:
            skp.expectations.remove(row)
    if changes:
        changes["version"] = services.bump(skp)
        services.record(actor, skp, "expectations", changes)
    return skp


def set_annex(actor: Person, skp: Skp, version: int, values: dict) -> Skp:
    """Write the lampiran fields sent; empty text clears one."""
    allowed = may_edit_annex(actor, skp)
    if not allowed and actor.id == skp.person_id:
        services.require_editable(actor, skp, version)  # tells the owner why they must wait
    _require_planning(actor, skp, version, allowed,
                      _("Only the owner of the SKP or its appraiser can change the annex."))
    clean = {key: (values[key] or "").strip() or None for key in ANNEX_FIELDS if key in values}
    changes = audit.diff(skp, clean)
    if changes:
        changes["version"] = services.bump(skp)
        for key, value in clean.items():
            setattr(skp, key, value)
        services.record(actor, skp, "annex", changes)
    return skp
