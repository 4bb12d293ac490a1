"""The appraiser's part: returning, reopening and assessing a self-evaluation, the
employee's acknowledgement, and the team to assess."""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.errors import Forbidden, ValidationFailed
from app.evaluations import rules
from app.evaluations.models import Evaluation, EvaluationStatus
from app.evaluations.rules import Rating
from app.evaluations.services.common import (
    appraisees,
    bump,
    check_version,
    get_evaluation,
    record,
    require_appraiser,
    rows_by_rhk,
    state_error,
)
from app.evaluations.services.periods import get_period
from app.evaluations.services.units import unit_predicate
from app.evaluations.signals import predikat_changed
from app.extensions import db
from app.feedback.models import Value
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person


def return_evaluation(actor: Person, evaluation_id: int, *, reason: str,
                      version: int | None = None) -> Evaluation:
    """Back to draft with a reason; the employee may submit again after the deadline."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_appraiser(actor, evaluation)
    if evaluation.status is not EvaluationStatus.SUBMITTED:
        raise state_error(evaluation, _("Only a submitted evaluation can be returned."))
    check_version(evaluation, version)
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.return_reason = reason
    evaluation.reopened = True
    bump(evaluation)
    record(actor, evaluation, "return", {"status": evaluation.status, "reason": reason})
    notify(evaluation.person, NotificationKind.RETURNED,
           title=_("%(name)s returned your self-evaluation of %(period)s",
                   name=actor.name, period=evaluation.period.name),
           body=reason, url=f"/evaluasi/{evaluation.id}",
           data={"evaluation_id": evaluation.id, "status": evaluation.status.value})
    return evaluation


def reopen_evaluation(actor: Person, evaluation_id: int) -> Evaluation:
    """Let a draft be submitted after the deadline."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_appraiser(actor, evaluation)
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise state_error(evaluation, _("Only a draft evaluation can be reopened."))
    evaluation.reopened = True
    bump(evaluation)
    record(actor, evaluation, "reopen", {"reopened": True})
    return evaluation


def assess_evaluation(actor: Person, evaluation_id: int, *, version: int,
                      rhk: list[dict] = (), behaviour: list[dict] = (),
                      hasil_kerja=None, perilaku_kerja) -> Evaluation:
    """The appraiser's assessment; may be revised until the employee acknowledges it.

    A JPT's results rating follows their unit's predicate for the period; the predikat always
    comes from the matrix.
    """
    evaluation = get_evaluation(actor, evaluation_id)
    require_appraiser(actor, evaluation)
    if evaluation.status not in (EvaluationStatus.SUBMITTED, EvaluationStatus.ASSESSED):
        message = (_("This evaluation has been acknowledged and can no longer be changed.")
                   if evaluation.status is EvaluationStatus.ACKNOWLEDGED else
                   _("The employee has not submitted this self-evaluation yet."))
        raise state_error(evaluation, message)
    check_version(evaluation, version)
    for row, item in rows_by_rhk(evaluation, list(rhk)):
        if "feedback" in item:
            row.feedback = item["feedback"]
        if "rating" in item:
            row.rating = Rating(item["rating"]) if item["rating"] else None
    rows = {row.value: row for row in evaluation.behaviours}
    for item in behaviour:
        row = rows[Value(item["value"])]
        for key in ("feedback", "expectation"):
            if key in item:
                setattr(row, key, item[key])
    if evaluation.is_jpt:
        found = unit_predicate(evaluation.person.unit_id, evaluation.period_id)
        if found is None:
            raise ValidationFailed(fields={"hasil_kerja": _(
                "Set the predicate of the unit %(unit)s for this period first: a JPT's "
                "results rating follows it.", unit=evaluation.person.unit.name)})
        evaluation.unit_predikat = found.predikat
        hasil_kerja = rules.jpt_results_rating(found.predikat)
    elif hasil_kerja is None:
        raise ValidationFailed(fields={"hasil_kerja": _("Choose the results rating.")})
    evaluation.hasil_kerja = Rating(hasil_kerja)
    evaluation.perilaku_kerja = Rating(perilaku_kerja)
    evaluation.predikat = rules.predikat(evaluation.hasil_kerja, evaluation.perilaku_kerja)
    evaluation.status = EvaluationStatus.ASSESSED
    evaluation.appraiser_id = actor.id
    evaluation.assessed_at = utcnow()
    bump(evaluation)
    record(actor, evaluation, "assess", {
        "hasil_kerja": evaluation.hasil_kerja, "perilaku_kerja": evaluation.perilaku_kerja,
        "predikat": evaluation.predikat, "unit_predikat": evaluation.unit_predikat,
        "rhk": {str(r.rhk_id): [plain_rating(r.rating), r.feedback] for r in evaluation.rhks},
        "behaviour": {b.value.value: [b.feedback, b.expectation]
                      for b in evaluation.behaviours}})
    notify(evaluation.person, NotificationKind.FEEDBACK,
           title=_("%(name)s assessed your evaluation of %(period)s",
                   name=actor.name, period=evaluation.period.name),
           url=f"/evaluasi/{evaluation.id}",
           data={"evaluation_id": evaluation.id, "status": evaluation.status.value})
    predikat_changed.send(evaluation, actor=actor)
    return evaluation


def plain_rating(rating: Rating | None) -> str | None:
    return rating.value if rating else None


def acknowledge_evaluation(actor: Person, evaluation_id: int,
                           version: int | None) -> Evaluation:
    """The employee has seen the assessment (menerima/mengetahui); it is final afterwards."""
    evaluation = get_evaluation(actor, evaluation_id)
    if actor.id != evaluation.person_id:
        raise Forbidden(_("Only the employee acknowledges their assessment."))
    if evaluation.status is not EvaluationStatus.ASSESSED:
        raise state_error(evaluation, _("There is no assessment to acknowledge."))
    check_version(evaluation, version)
    evaluation.status = EvaluationStatus.ACKNOWLEDGED
    evaluation.acknowledged_at = utcnow()
    bump(evaluation)
    record(actor, evaluation, "acknowledge", {"status": evaluation.status})
    predikat_changed.send(evaluation, actor=actor)
    return evaluation


# --- the appraiser's team ------------------------------------------------------------------

def team_evaluations(actor: Person, period_id: int) -> dict:
    """The period and, for each person ``actor`` assesses, their evaluation (or None)."""
    period = get_period(actor, period_id)
    people = appraisees(actor)
    found = {e.person_id: e for e in db.session.scalars(sa.select(Evaluation).where(
        Evaluation.period_id == period.id,
        Evaluation.person_id.in_([p.id for p in people])))} if people else {}
    return {"period": period, "people": [
        {"person": person, "evaluation": found.get(person.id)} for person in people]}
