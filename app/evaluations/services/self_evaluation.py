"""The self-evaluation: opened against the approved SKP, pre-filled from the logs, written
and submitted by the employee."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from app.audit import services as audit
from app.errors import Conflict, ValidationFailed
from app.evaluations.berakhlak import VALUES
from app.evaluations.models import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationIndicator,
    EvaluationRhk,
    EvaluationStatus,
)
from app.evaluations.services.common import (
    bump,
    get_evaluation,
    record,
    require_own_draft,
    rows_by_rhk,
    state_error,
)
from app.evaluations.services.periods import deadline_passed, get_period, list_periods
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person, PositionKind
from app.reports.services import progress_for
from app.targets.models import RhkKind, Skp, SkpStatus
from app.targets.planning import expectation_texts


def _sorted_rhks(skp: Skp):
    return sorted(skp.rhks, key=lambda r: (r.kind != RhkKind.UTAMA, r.position, r.id))


def _snapshot(evaluation: Evaluation) -> None:
    """Copy the realisation per indicator from the logs of the period."""
    period, existing = evaluation.period, {row.indicator_id: row
                                           for row in evaluation.indicators}
    rows = [row for row in progress_for(evaluation.person, period.starts_on, period.ends_on)
            if row["skp_id"] == evaluation.skp_id]
    for position, row in enumerate(rows):
        item = existing.get(row["indicator_id"])
        if item is None:
            item = EvaluationIndicator(indicator_id=row["indicator_id"], rhk_id=row["rhk_id"])
            evaluation.indicators.append(item)
        item.position = position
        item.approved_quantity = row["approved"]["quantity"]
        item.approved_count = row["approved"]["count"]
        item.approved_percent = row["approved"]["percent"]
        item.submitted_quantity = row["submitted"]["quantity"]
        item.submitted_count = row["submitted"]["count"]
        item.submitted_percent = row["submitted"]["percent"]
    evaluation.progress_at = utcnow()


def my_evaluations(actor: Person, year: int | None = None) -> list[dict]:
    """The organisation's periods (of ``year``) each with ``actor``'s evaluation, if any."""
    periods = list_periods(actor, year)
    mine = {e.period_id: e for e in db.session.scalars(sa.select(Evaluation).where(
        Evaluation.person_id == actor.id,
        Evaluation.period_id.in_([p.id for p in periods])))} if periods else {}
    return [{"period": period, "evaluation": mine.get(period.id)} for period in periods]


def open_evaluation(actor: Person, period_id: int) -> tuple[Evaluation, bool]:
    """``actor``'s evaluation of the period; made on first opening, pre-filled from the logs.

    Returns (evaluation, created). :raise Conflict: without an approved SKP of that year.
    """
    period = get_period(actor, period_id)
    evaluation = db.session.scalar(sa.select(Evaluation).where(
        Evaluation.person_id == actor.id, Evaluation.period_id == period.id))
    if evaluation is not None:
        return evaluation, False
    skp = db.session.scalar(sa.select(Skp).where(Skp.person_id == actor.id,
                                                 Skp.year == period.year))
    if skp is None or skp.status is not SkpStatus.APPROVED:
        raise Conflict(_("You need an approved SKP for %(year)s before the evaluation.",
                         year=period.year), code="no_approved_skp")
    evaluation = Evaluation(
        org_id=actor.org_id, person_id=actor.id, period=period, skp_id=skp.id,
        status=EvaluationStatus.DRAFT, version=1,
        is_jpt=skp.is_jpt or actor.position_kind is PositionKind.JPT)
    evaluation.person = actor
    evaluation.skp = skp
    for position, rhk in enumerate(_sorted_rhks(skp)):
        evaluation.rhks.append(EvaluationRhk(rhk_id=rhk.id, position=position,
                                             realisation="", reflection="", feedback=""))
    # The leader's expectations were agreed with the SKP: the assessment starts from them.
    expectations = expectation_texts(skp)
    for position, core in enumerate(VALUES):
        evaluation.behaviours.append(EvaluationBehaviour(
            value=core.value, position=position, feedback="",
            expectation=expectations.get(core.value, "")))
    db.session.add(evaluation)
    db.session.flush()
    _snapshot(evaluation)
    record(actor, evaluation, "create", {"period_id": period.id, "skp_id": skp.id,
                                         "status": evaluation.status})
    return evaluation, True


def refresh_from_logs(actor: Person, evaluation_id: int, version: int | None) -> Evaluation:
    """Recompute the realisation per indicator from the logs (drafts only)."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_own_draft(actor, evaluation, version)
    _snapshot(evaluation)
    bump(evaluation)
    record(actor, evaluation, "refresh", {})
    return evaluation


def save_self_evaluation(actor: Person, evaluation_id: int, *, version: int,
                         rhk: list[dict]) -> Evaluation:
    """Save the realisation and reflection per RHK (only the RHK sent change)."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_own_draft(actor, evaluation, version)
    changes = {}
    for row, item in rows_by_rhk(evaluation, rhk):
        values = {key: item[key] for key in ("realisation", "reflection") if key in item}
        diff = audit.diff(row, values)
        if diff:
            changes[str(row.rhk_id)] = diff
        for key, value in values.items():
            setattr(row, key, value)
    if changes:
        bump(evaluation)
        record(actor, evaluation, "update", changes)
    return evaluation


def require_realisations(evaluation: Evaluation) -> None:
    """The appraiser assesses what the person says they achieved: an RHK without a written
    realisation cannot be assessed, so the evaluation is not sent without one.

    :raise ValidationFailed: naming each empty ``realisation-<rhk_id>``.
    """
    empty = {f"realisation-{row.rhk_id}": _("Write the realisation of this RHK.")
             for row in evaluation.rhks if not (row.realisation or "").strip()}
    if empty:
        raise ValidationFailed(_("Write the realisation of every RHK before sending."),
                               fields=empty, code="realisation_missing")


def submit_evaluation(actor: Person, evaluation_id: int, version: int | None,
                      now: datetime | None = None) -> Evaluation:
    """Send the self-evaluation to the appraiser; after the deadline only when reopened."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_own_draft(actor, evaluation, version)
    if deadline_passed(evaluation.person, evaluation.period, now) and not evaluation.reopened:
        raise state_error(evaluation, _(
            "The input deadline of this period (%(date)s) has passed. Ask your supervisor to "
            "reopen it.", date=format_date(evaluation.period.deadline, "EEEE, d MMMM y")))
    require_realisations(evaluation)
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_at = utcnow()
    evaluation.return_reason = None
    bump(evaluation)
    record(actor, evaluation, "submit", {"status": evaluation.status})
    supervisor = evaluation.person.supervisor
    if supervisor is not None:
        notify(supervisor, NotificationKind.FEEDBACK,
               title=_("%(name)s submitted the self-evaluation of %(period)s",
                       name=actor.name, period=evaluation.period.name),
               url=f"/evaluasi/{evaluation.id}/penilaian",
               data={"evaluation_id": evaluation.id, "status": evaluation.status.value})
    return evaluation
