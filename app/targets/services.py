"""Rules of the SKP: who sees which, who edits, the cascade, the workflow, the audit trail.

Every function takes the acting person explicitly, flushes and never commits: the request,
job or command around it commits once.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities.models import Activity
from app.audit import services as audit
from app.core import versions
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import is_in_line, line_below, reviewers_of
from app.org.models import Person, PositionKind, Role
from app.targets.models import (
    Approach,
    Aspect,
    Indicator,
    Perspective,
    Rhk,
    RhkKind,
    Skp,
    SkpStatus,
)

logger = logging.getLogger(__name__)

#: The audit trail's name for SKPs; RHK and indicator changes are recorded on their SKP.
SUBJECT = "skp"
EDITABLE = (SkpStatus.DRAFT, SkpStatus.RETURNED)


class StateConflict(Conflict):
    """409: the SKP's state does not allow this (approved, or waiting for review)."""

    code = "invalid_state"


def current_copy(skp: Skp) -> dict:
    """The SKP as the API shows it, for 409 answers."""
    from app.targets.schemas import SkpDetailOut

    return SkpDetailOut().dump(skp)


def today_for(person: Person) -> date:
    return datetime.now(ZoneInfo(person.timezone)).date()


# --- who sees what ------------------------------------------------------------------------

def skps_visible_to(actor: Person) -> sa.Select:
    """SKPs ``actor`` may see: their own, their supervisor's approved one, their line's.

    Admins and the head of agency (pimpinan) see every SKP of their organisation.
    """
    query = sa.select(Skp).where(Skp.org_id == actor.org_id)
    if actor.roles & {Role.ADMIN, Role.PIMPINAN}:
        return query
    below = line_below(actor.id)
    visible = sa.or_(Skp.person_id == actor.id, Skp.person_id.in_(sa.select(below.c.id)))
    if actor.supervisor_id is not None:
        visible = sa.or_(visible, sa.and_(Skp.person_id == actor.supervisor_id,
                                          Skp.status == SkpStatus.APPROVED))
    return query.where(visible)


def get_skp(actor: Person, skp_id: int) -> Skp:
    """:raise NotFound: unless ``actor`` may see the SKP (other organisations included)."""
    skp = db.session.scalar(skps_visible_to(actor).where(Skp.id == skp_id))
    if skp is None:
        raise NotFound(_("SKP not found."))
    return skp


def get_rhk(actor: Person, rhk_id: int) -> Rhk:
    """:raise NotFound: unless ``actor`` may see the RHK's SKP."""
    visible = skps_visible_to(actor).with_only_columns(Skp.id)
    rhk = db.session.scalar(sa.select(Rhk).where(Rhk.id == rhk_id, Rhk.skp_id.in_(visible)))
    if rhk is None:
        raise NotFound(_("RHK not found."))
    return rhk


def get_indicator(actor: Person, indicator_id: int) -> Indicator:
    """:raise NotFound: unless ``actor`` may see the indicator's SKP."""
    visible = skps_visible_to(actor).with_only_columns(Skp.id)
    indicator = db.session.scalar(
        sa.select(Indicator).join(Rhk).where(Indicator.id == indicator_id,
                                             Rhk.skp_id.in_(visible)))
    if indicator is None:
        raise NotFound(_("Indicator not found."))
    return indicator


def skp_of(person: Person, year: int) -> Skp | None:
    return db.session.scalar(sa.select(Skp).where(Skp.person_id == person.id, Skp.year == year))


def can_edit(actor: Person, skp: Skp) -> bool:
    return actor.id == skp.person_id and skp.status in EDITABLE


def can_review(actor: Person, skp: Skp) -> bool:
    """The direct supervisor or anyone above in the line approves or returns.

    The top of an organisation's line has its appraiser outside the organisation (the head of
    region); the HR administrator records that decision.
    """
    if actor.id == skp.person_id or actor.org_id != skp.org_id:
        return False
    if skp.person.supervisor_id is None:
        return actor.has_role(Role.ADMIN)
    return is_in_line(actor, skp.person_id)


def history(skp: Skp):
    return audit.history(SUBJECT, skp.id)


# --- editing ------------------------------------------------------------------------------

def _require_owner(actor: Person, skp: Skp) -> None:
    if actor.id != skp.person_id:
        raise Forbidden(_("Only the owner of an SKP can change it."))


def _require_editable(actor: Person, skp: Skp, version: int | None) -> None:
    """Owner, draft or returned, and (when given) the version the client saw."""
    _require_owner(actor, skp)
    if skp.status not in EDITABLE:
        message = (_("This SKP is approved and can no longer be changed.")
                   if skp.status == SkpStatus.APPROVED else
                   _("This SKP is waiting for your supervisor and cannot be changed now."))
        raise StateConflict(message, extra={"current": current_copy(skp)})
    _check_version(skp, version)


#: Public names for the modules of this package that change an SKP (period targets).
def require_editable(actor: Person, skp: Skp, version: int | None) -> None:
    _require_editable(actor, skp, version)


def check_version(skp: Skp, version: int | None) -> None:
    _check_version(skp, version)


def bump(skp: Skp) -> list[int]:
    return _bump(skp)


def record(actor: Person, skp: Skp, action: str, changes: dict) -> None:
    _record(actor, skp, action, changes)


def flush() -> None:
    db.session.flush()


def _check_version(skp: Skp, version: int | None) -> None:
    if version is not None and version != skp.version:
        raise Conflict(_("This SKP was changed elsewhere. Here is the current version."),
                       extra={"current": current_copy(skp)})


def _bump(skp: Skp) -> list[int]:
    """Raise the version atomically; a concurrent writer that got there first wins."""
    old = skp.version
    versions.bump(skp, current_copy,
                  _("This SKP was changed elsewhere. Here is the current version."))
    return [old, old + 1]


def _record(actor: Person, skp: Skp, action: str, changes: dict) -> None:
    db.session.flush()
    audit.record(skp.org_id, skp.person_id, actor.id, SUBJECT, skp.id, action, changes)


def create_skp(actor: Person, year: int, approach=Approach.KUANTITATIF) -> Skp:
    """Start the actor's own SKP for ``year``; the appraiser is their current supervisor."""
    if skp_of(actor, year) is not None:
        raise ValidationFailed(fields={"year": _("You already have an SKP for %(year)s.",
                                                 year=year)})
    skp = Skp(org_id=actor.org_id, person_id=actor.id, appraiser_id=actor.supervisor_id,
              year=year, approach=Approach(approach),
              is_jpt=actor.position_kind == PositionKind.JPT, status=SkpStatus.DRAFT,
              version=1)
    db.session.add(skp)
    db.session.flush()
    _record(actor, skp, "create", {"year": year, "approach": skp.approach,
                                   "is_jpt": skp.is_jpt, "appraiser_id": skp.appraiser_id,
                                   "status": skp.status})
    logger.info("SKP %s (%s) created by %s", skp.id, year, actor.id)
    return skp


def update_skp(actor: Person, skp: Skp, version: int, approach) -> Skp:
    _require_editable(actor, skp, version)
    approach = Approach(approach)
    if approach == Approach.KUANTITATIF and any(
            i.target_min is None for rhk in skp.rhks for i in rhk.indicators):
        raise ValidationFailed(fields={"approach": _(
            "Give every indicator a numeric target before choosing the kuantitatif "
            "approach.")})
    changes = audit.diff(skp, {"approach": approach})
    if not changes:
        return skp
    changes["version"] = _bump(skp)
    skp.approach = approach
    _record(actor, skp, "update", changes)
    return skp


def parent_choices(skp: Skp) -> list[Rhk]:
    """The RHKs of the appraiser's approved SKP of the same year (what a non-JPT RHK supports)."""
    if skp.is_jpt or skp.appraiser_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Rhk).join(Skp).where(
            Skp.org_id == skp.org_id, Skp.person_id == skp.appraiser_id, Skp.year == skp.year,
            Skp.status == SkpStatus.APPROVED)
        .order_by(sa.case((Rhk.kind == RhkKind.UTAMA, 0), else_=1), Rhk.position, Rhk.id)))


def _check_rhk(skp: Skp, values: dict) -> None:
    """Cascading for non-JPT (a parent from the supervisor's approved SKP), perspective for JPT."""
    errors = {}
    parent_id, perspective = values.get("parent_rhk_id"), values.get("perspective")
    if skp.is_jpt:
        if perspective is None:
            errors["perspective"] = _("Choose the perspective this RHK serves.")
        if parent_id is not None:
            errors["parent_rhk_id"] = _("A JPT's RHK takes a perspective, not a "
                                        "supervisor's RHK.")
    else:
        if perspective is not None:
            errors["perspective"] = _("Only JPT SKPs use perspectives.")
        choices = {rhk.id for rhk in parent_choices(skp)}
        if parent_id is None and skp.appraiser_id is not None:
            errors["parent_rhk_id"] = (
                _("Choose the supervisor's RHK this one supports.") if choices else
                _("Your supervisor's SKP for %(year)s is not approved yet. RHKs can be "
                  "added once it is.", year=skp.year))
        elif parent_id is not None and parent_id not in choices:
            errors["parent_rhk_id"] = _("Choose one of the RHKs of your supervisor's "
                                        "approved SKP for %(year)s.", year=skp.year)
    if errors:
        raise ValidationFailed(fields=errors)


def _next_position(items) -> int:
    return max((item.position for item in items), default=-1) + 1


RHK_FIELDS = ("kind", "description", "parent_rhk_id", "perspective", "position")


def _rhk_values(values: dict) -> dict:
    clean = {key: values[key] for key in RHK_FIELDS if key in values}
    if "kind" in clean:
        clean["kind"] = RhkKind(clean["kind"])
    if clean.get("perspective") is not None:
        clean["perspective"] = Perspective(clean["perspective"])
    return clean


def add_rhk(actor: Person, skp: Skp, version: int, values: dict) -> Rhk:
    _require_editable(actor, skp, version)
    clean = _rhk_values(values)
    clean.setdefault("kind", RhkKind.UTAMA)
    clean.setdefault("parent_rhk_id", None)
    clean.setdefault("perspective", None)
    _check_rhk(skp, clean)
    if clean.get("position") is None:
        clean["position"] = _next_position(r for r in skp.rhks if r.kind == clean["kind"])
    changes = {"version": _bump(skp)}
    rhk = Rhk(skp=skp, **clean)
    db.session.add(rhk)
    db.session.flush()
    changes.update({"rhk_id": rhk.id, **clean})
    _record(actor, skp, "rhk_add", changes)
    return rhk


def _apply_edit(actor: Person, skp: Skp, item, kind: str, clean: dict) -> None:
    """Write an edit of an RHK or indicator: audited, and the SKP's version raised, only when
    something really changed."""
    changes = audit.diff(item, clean)
    if not changes:
        return
    changes["version"] = _bump(skp)
    changes[f"{kind}_id"] = item.id
    for key, value in clean.items():
        setattr(item, key, value)
    _record(actor, skp, f"{kind}_update", changes)


def update_rhk(actor: Person, rhk: Rhk, version: int, values: dict) -> Rhk:
    skp = rhk.skp
    _require_editable(actor, skp, version)
    clean = _rhk_values(values)
    if clean.get("position", 0) is None:
        clean.pop("position")
    _check_rhk(skp, {key: getattr(rhk, key) for key in RHK_FIELDS} | clean)
    _apply_edit(actor, skp, rhk, "rhk", clean)
    return rhk


def _refuse_if_logged(indicator_ids: list[int]) -> None:
    """Activities point at indicators: those keep their target (edit it instead)."""
    if indicator_ids and db.session.scalar(sa.select(sa.exists().where(
            Activity.target_id.in_(indicator_ids)))):
        raise ValidationFailed(_("Activities are logged against this target; change its "
                                 "wording instead of deleting it."))


def delete_rhk(actor: Person, rhk: Rhk, version: int) -> Skp:
    skp = rhk.skp
    _require_editable(actor, skp, version)
    _refuse_if_logged([indicator.id for indicator in rhk.indicators])
    changes = {"version": _bump(skp), "rhk_id": rhk.id, "description": rhk.description,
               "indicators": len(rhk.indicators)}
    skp.rhks.remove(rhk)
    _record(actor, skp, "rhk_delete", changes)
    return skp


INDICATOR_FIELDS = ("aspect", "description", "target_min", "target_max", "unit",
                    "target_text", "due_date", "position")


def _indicator_values(values: dict) -> dict:
    clean = {key: values[key] for key in INDICATOR_FIELDS if key in values}
    if "aspect" in clean:
        clean["aspect"] = Aspect(clean["aspect"])
    if "target_text" in clean and not clean["target_text"]:
        clean["target_text"] = None
    return clean


def _check_indicator(skp: Skp, values: dict) -> None:
    errors = {}
    low, high = values.get("target_min"), values.get("target_max")
    if skp.approach == Approach.KUANTITATIF:
        if low is None:
            errors["target_min"] = _("Enter the target.")
        if values.get("target_text"):
            errors["target_text"] = _("A narrative target is only for the kualitatif "
                                      "approach.")
    elif low is None and not values.get("target_text"):
        errors["target_text"] = _("Enter the target or describe the expectation.")
    if high is not None:
        if low is None:
            errors["target_min"] = _("A range needs its lower end.")
        elif Decimal(high) < Decimal(low):
            errors["target_max"] = _("The upper end of the range must not be below the "
                                     "lower end.")
    if errors:
        raise ValidationFailed(fields=errors)


def add_indicator(actor: Person, rhk: Rhk, version: int, values: dict) -> Indicator:
    skp = rhk.skp
    _require_editable(actor, skp, version)
    clean = _indicator_values(values)
    clean.setdefault("target_min", None)
    clean.setdefault("target_max", None)
    clean.setdefault("target_text", None)
    clean.setdefault("due_date", None)
    _check_indicator(skp, clean)
    if clean.get("position") is None:
        clean["position"] = _next_position(rhk.indicators)
    changes = {"version": _bump(skp)}
    indicator = Indicator(rhk=rhk, **clean)
    db.session.add(indicator)
    db.session.flush()
    changes.update({"rhk_id": rhk.id, "indicator_id": indicator.id, **clean})
    _record(actor, skp, "indicator_add", changes)
    return indicator


def update_indicator(actor: Person, indicator: Indicator, version: int,
                     values: dict) -> Indicator:
    skp = indicator.rhk.skp
    _require_editable(actor, skp, version)
    clean = _indicator_values(values)
    if clean.get("position", 0) is None:
        clean.pop("position")
    _check_indicator(skp, {key: getattr(indicator, key) for key in INDICATOR_FIELDS} | clean)
    _apply_edit(actor, skp, indicator, "indicator", clean)
    return indicator


def delete_indicator(actor: Person, indicator: Indicator, version: int) -> Skp:
    rhk = indicator.rhk
    skp = rhk.skp
    _require_editable(actor, skp, version)
    _refuse_if_logged([indicator.id])
    changes = {"version": _bump(skp), "rhk_id": rhk.id, "indicator_id": indicator.id,
               "description": indicator.description}
    rhk.indicators.remove(indicator)
    _record(actor, skp, "indicator_delete", changes)
    return skp


# --- workflow -----------------------------------------------------------------------------

def submit(actor: Person, skp: Skp, version: int | None = None) -> Skp:
    """Send a draft (or returned) SKP to the supervisor."""
    _require_editable(actor, skp, version)
    if not any(rhk.kind == RhkKind.UTAMA and rhk.indicators for rhk in skp.rhks):
        raise ValidationFailed(
            _("Add at least one main (utama) RHK with an indicator before submitting."),
            fields={"rhks": _("Add at least one main (utama) RHK with an indicator.")})
    changes = {"status": [skp.status, SkpStatus.SUBMITTED], "version": _bump(skp)}
    skp.status = SkpStatus.SUBMITTED
    skp.submitted_at = utcnow()
    _record(actor, skp, "submit", changes)
    for reviewer in reviewers_of(actor):
        notify(reviewer, NotificationKind.SUBMITTED,
               title=_("%(name)s submitted the SKP %(year)s for approval", name=actor.name,
                       year=skp.year),
               url=f"/target/skp/{skp.id}", data={"skp_id": skp.id, "person_id": actor.id,
                                                  "status": "submitted"})
    return skp


def _require_review(actor: Person, skp: Skp, version: int | None) -> None:
    if not can_review(actor, skp):
        raise Forbidden(_("Only the supervisor of the SKP's owner can review it."))
    if skp.status != SkpStatus.SUBMITTED:
        raise StateConflict(_("Only a submitted SKP can be approved or returned."),
                            extra={"current": current_copy(skp)})
    _check_version(skp, version)


def approve(actor: Person, skp: Skp, version: int | None = None) -> Skp:
    """The supervisor (or anyone above) approves; an approved SKP never changes again."""
    _require_review(actor, skp, version)
    changes = {"status": [skp.status, SkpStatus.APPROVED], "version": _bump(skp)}
    skp.status = SkpStatus.APPROVED
    skp.approved_at = utcnow()
    skp.return_reason = None
    _record(actor, skp, "approve", changes)
    logger.info("SKP %s approved by %s", skp.id, actor.id)
    return skp


def return_skp(actor: Person, skp: Skp, reason: str, version: int | None = None) -> Skp:
    """Send the SKP back to its owner with the reason, to edit and submit again."""
    _require_review(actor, skp, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("Say what should change.")})
    changes = {"status": [skp.status, SkpStatus.RETURNED], "version": _bump(skp),
               "reason": reason}
    skp.status = SkpStatus.RETURNED
    skp.return_reason = reason
    _record(actor, skp, "return", changes)
    return skp


# --- the activity form's target picker ----------------------------------------------------

@dataclass
class PickerTarget:
    """One indicator as the activity form offers it."""

    id: int
    rhk_id: int
    rhk: str
    rhk_kind: str
    aspect: str
    indicator: str
    target_min: Decimal | None
    target_max: Decimal | None
    target_quantity: Decimal | None
    unit: str
    usage: int
    skp_id: int
    skp_status: str
    provisional: bool


@dataclass
class TargetPicker:
    """The person's targets for a year, most used first; iterating yields the targets.

    ``provisional`` is True when the year's SKP is not approved yet (its draft, submitted
    or returned version is offered meanwhile).
    """

    skp: Skp | None
    provisional: bool
    targets: list[PickerTarget] = field(default_factory=list)

    def __iter__(self):
        return iter(self.targets)

    def __len__(self):
        return len(self.targets)

    def __bool__(self):
        return bool(self.targets)


def targets_for_picker(person: Person, on_date: date) -> TargetPicker:
    """The indicators ``person`` can log work against on ``on_date``, most used first.

    From the approved SKP of that year; without one, from that year's SKP in whatever
    state (flagged provisional). Usage counts the person's activities per indicator, in SQL.
    """
    skp = skp_of(person, on_date.year)
    if skp is None:
        return TargetPicker(skp=None, provisional=False)
    provisional = skp.status != SkpStatus.APPROVED
    usage = (sa.select(Activity.target_id, sa.func.count().label("uses"))
             .where(Activity.person_id == person.id, Activity.target_id.is_not(None))
             .group_by(Activity.target_id).subquery())
    uses = sa.func.coalesce(usage.c.uses, 0)
    rows = db.session.execute(
        sa.select(Indicator, Rhk, uses)
        .join(Rhk, Indicator.rhk_id == Rhk.id)
        .outerjoin(usage, usage.c.target_id == Indicator.id)
        .where(Rhk.skp_id == skp.id)
        .order_by(uses.desc(), sa.case((Rhk.kind == RhkKind.UTAMA, 0), else_=1),
                  Rhk.position, Rhk.id, Indicator.position, Indicator.id))
    targets = [
        PickerTarget(
            id=indicator.id, rhk_id=rhk.id, rhk=rhk.description, rhk_kind=rhk.kind.value,
            aspect=indicator.aspect.value, indicator=indicator.description,
            target_min=indicator.target_min, target_max=indicator.target_max,
            target_quantity=indicator.target_quantity, unit=indicator.unit, usage=count,
            skp_id=skp.id, skp_status=skp.status.value, provisional=provisional)
        for indicator, rhk, count in rows]
    return TargetPicker(skp=skp, provisional=provisional, targets=targets)
