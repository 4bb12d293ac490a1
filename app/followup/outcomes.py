"""Tindak lanjut after the predikat (PermenPANRB 6/2022, the fourth stage of performance
management: follow-up of the assessment by recognition and by coaching).

- *Sangat Baik*: a recognition (penghargaan) with a certificate the employee downloads, once
  the employee has acknowledged the assessment (it is final then);
- *Butuh Perbaikan*, *Kurang/Misconduct*, *Sangat Kurang*: a coaching plan (pembinaan) opens
  for the supervisor as soon as the predikat is given. The supervisor writes goals, the
  training asked, a review date, holds sessions and closes it with the outcome.

:func:`follow_up` runs after every change of a predikat (assessment, acknowledgement, an
objection's decision) and is idempotent: a later change revokes a recognition no longer due
and cancels an open plan no longer called for.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.evaluations.models import Evaluation, EvaluationPeriod, EvaluationStatus
from app.evaluations.services.common import appraisees
from app.extensions import db
from app.followup.common import bump, check_version, is_supervisor_of, load, oversees_org
from app.followup.common import record as _record
from app.followup.models import (
    PLAN_PREDIKAT,
    RECOGNISED_PREDIKAT,
    CoachingPlan,
    CoachingSession,
    PlanResult,
    PlanStatus,
    Recognition,
)
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person

PLAN = "coaching_plan"
RECOGNITION = "recognition"


def _plan_copy(plan: CoachingPlan) -> dict:
    from app.followup.schemas import CoachingPlanOut

    return CoachingPlanOut().dump(plan)


# --- after a predikat changes ---------------------------------------------------------------

def follow_up(evaluation: Evaluation, actor: Person) -> None:
    """Bring the recognition and the coaching plan in line with the evaluation's predikat."""
    predikat = evaluation.predikat
    recognition = db.session.scalar(sa.select(Recognition).where(
        Recognition.evaluation_id == evaluation.id))
    recognised = (predikat is RECOGNISED_PREDIKAT
                  and evaluation.status is EvaluationStatus.ACKNOWLEDGED)
    if recognised and recognition is None:
        _recognise(evaluation, actor)
    elif recognised and recognition.revoked_at is not None:
        recognition.revoked_at = None
        _record(actor, recognition, RECOGNITION, "restore", {})
    elif not recognised and recognition is not None and recognition.revoked_at is None \
            and predikat is not RECOGNISED_PREDIKAT:
        recognition.revoked_at = utcnow()
        _record(actor, recognition, RECOGNITION, "revoke", {"predikat": predikat})

    plan = db.session.scalar(sa.select(CoachingPlan).where(
        CoachingPlan.evaluation_id == evaluation.id))
    if predikat in PLAN_PREDIKAT:
        if plan is None:
            _open_plan(evaluation, actor)
        elif plan.status is PlanStatus.CANCELLED:
            plan.status = PlanStatus.OPEN
            plan.predikat = predikat
            _record(actor, plan, PLAN, "reopen", {"predikat": predikat})
        elif plan.predikat is not predikat:
            plan.predikat = predikat
            _record(actor, plan, PLAN, "predikat", {"predikat": predikat})
    elif plan is not None and plan.status is PlanStatus.OPEN:
        plan.status = PlanStatus.CANCELLED
        _record(actor, plan, PLAN, "cancel", {"predikat": predikat})


def _recognise(evaluation: Evaluation, actor: Person) -> Recognition:
    year = evaluation.period.year
    issued = db.session.scalar(
        sa.select(sa.func.count()).select_from(Recognition).join(
            Evaluation, Evaluation.id == Recognition.evaluation_id).join(
            EvaluationPeriod, EvaluationPeriod.id == Evaluation.period_id).where(
            Recognition.org_id == evaluation.org_id, EvaluationPeriod.year == year)) or 0
    recognition = Recognition(org_id=evaluation.org_id, evaluation_id=evaluation.id,
                              person_id=evaluation.person_id, predikat=evaluation.predikat,
                              number=f"PGH/{year}/{issued + 1:04d}/{evaluation.id}")
    db.session.add(recognition)
    _record(actor, recognition, RECOGNITION, "issue", {"number": recognition.number,
                                                      "evaluation_id": evaluation.id})
    notify(evaluation.person, NotificationKind.APPROVED,
           title=_("Congratulations: your performance of %(period)s is rated Very good",
                   period=evaluation.period.name),
           body=_("Your certificate of recognition is ready to download."),
           url=f"/tindak-lanjut/penghargaan/{recognition.id}",
           data={"recognition_id": recognition.id})
    return recognition


def _open_plan(evaluation: Evaluation, actor: Person) -> CoachingPlan:
    supervisor_id = evaluation.appraiser_id or evaluation.person.supervisor_id
    plan = CoachingPlan(org_id=evaluation.org_id, evaluation_id=evaluation.id,
                        person_id=evaluation.person_id, supervisor_id=supervisor_id,
                        predikat=evaluation.predikat)
    db.session.add(plan)
    _record(actor, plan, PLAN, "open", {"predikat": evaluation.predikat,
                                        "evaluation_id": evaluation.id})
    if supervisor_id is not None:
        notify(db.session.get(Person, supervisor_id), NotificationKind.SUBMITTED,
               title=_("A coaching plan for %(name)s is open", name=evaluation.person.name),
               body=_("Write the goals, plan the sessions and set a review date."),
               url=f"/tindak-lanjut/pembinaan/{plan.id}", data={"plan_id": plan.id})
    return plan


# --- recognitions ---------------------------------------------------------------------------

def get_recognition(actor: Person, recognition_id: int) -> Recognition:
    return load(actor, Recognition, recognition_id, _("Recognition not found."))


def list_recognitions(actor: Person, year: int | None = None) -> list[Recognition]:
    """The organisation's recognitions for those who oversee it; else the caller's own and
    those of the people they assess."""
    query = (sa.select(Recognition).join(Evaluation, Evaluation.id == Recognition.evaluation_id)
             .join(EvaluationPeriod, EvaluationPeriod.id == Evaluation.period_id)
             .where(Recognition.org_id == actor.org_id, Recognition.revoked_at.is_(None)))
    if year is not None:
        query = query.where(EvaluationPeriod.year == year)
    if not oversees_org(actor):
        ids = [actor.id, *(p.id for p in appraisees(actor))]
        query = query.where(Recognition.person_id.in_(ids))
    return list(db.session.scalars(query.order_by(Recognition.issued_at.desc(),
                                                  Recognition.id.desc())))


def certificate(actor: Person, recognition_id: int) -> tuple[bytes, str]:
    """The certificate of recognition as a PDF and its file name."""
    from app.documents.certificate_pdf import render_certificate
    from app.evaluations.labels import PREDIKAT_LABELS, period_name

    recognition = get_recognition(actor, recognition_id)
    if recognition.revoked_at is not None:
        raise NotFound(_("Recognition not found."))
    evaluation, person = recognition.evaluation, recognition.person
    content = render_certificate({
        "organisation": person.organisation.name, "number": recognition.number,
        "name": person.name, "nip": person.nip,
        "jabatan": person.jabatan, "unit": person.unit.name,
        "period": period_name(evaluation.period),
        "predikat": str(PREDIKAT_LABELS[recognition.predikat]),
        "issued_on": recognition.issued_at.date(),
        "appraiser": ({"name": evaluation.appraiser.name, "nip": evaluation.appraiser.nip}
                      if evaluation.appraiser else None)})
    return content, f"penghargaan-{person.nip}-{evaluation.period_id}.pdf"


# --- coaching plans -------------------------------------------------------------------------

def get_plan(actor: Person, plan_id: int) -> CoachingPlan:
    return load(actor, CoachingPlan, plan_id, _("Coaching plan not found."))


def may_run(actor: Person, plan: CoachingPlan) -> bool:
    return actor.id == plan.supervisor_id or is_supervisor_of(actor, plan.person)


def decorate_plan(plan: CoachingPlan, actor: Person) -> CoachingPlan:
    plan.can_edit = plan.status is PlanStatus.OPEN and may_run(actor, plan)
    plan.can_attach = plan.status is PlanStatus.OPEN and actor.id == plan.person_id
    return plan


def _runnable(actor: Person, plan_id: int, version: int | None = None) -> CoachingPlan:
    plan = get_plan(actor, plan_id)
    if not may_run(actor, plan):
        raise Forbidden(_("Only the supervisor runs the coaching plan."))
    if plan.status is not PlanStatus.OPEN:
        raise Conflict(_("This coaching plan is closed."), extra={"current": _plan_copy(plan)})
    check_version(plan, version, _plan_copy)
    return plan


def list_plans(actor: Person, status: str | None = None) -> list[CoachingPlan]:
    query = sa.select(CoachingPlan).where(CoachingPlan.org_id == actor.org_id)
    if status:
        query = query.where(CoachingPlan.status == PlanStatus(status))
    if not oversees_org(actor):
        ids = [p.id for p in appraisees(actor)]
        query = query.where(sa.or_(CoachingPlan.person_id == actor.id,
                                   CoachingPlan.supervisor_id == actor.id,
                                   CoachingPlan.person_id.in_(ids)))
    return list(db.session.scalars(query.order_by(CoachingPlan.created_at.desc(),
                                                  CoachingPlan.id.desc())))


def update_plan(actor: Person, plan_id: int, *, version: int, **changes) -> CoachingPlan:
    """Goals, the training asked and the review date."""
    plan = _runnable(actor, plan_id, version)
    for key in ("goals", "training", "review_on"):
        if key in changes:
            setattr(plan, key, changes[key] if key == "review_on" else changes[key] or "")
    bump(plan, _plan_copy)
    _record(actor, plan, PLAN, "update", {
        k: (v.isoformat() if isinstance(v, date) else v) for k, v in changes.items()})
    return plan


def add_session(actor: Person, plan_id: int, *, scheduled_on: date,
                notes: str = "") -> CoachingSession:
    plan = _runnable(actor, plan_id)
    session = CoachingSession(plan=plan, scheduled_on=scheduled_on, notes=notes or "")
    db.session.add(session)
    bump(plan, _plan_copy)
    db.session.flush()
    _record(actor, plan, PLAN, "session_add", {"session_id": session.id,
                                               "scheduled_on": scheduled_on.isoformat()})
    notify(plan.person, NotificationKind.FEEDBACK,
           title=_("Coaching session planned on %(day)s", day=scheduled_on.isoformat()),
           url=f"/tindak-lanjut/pembinaan/{plan.id}", data={"plan_id": plan.id})
    return session


def get_session(actor: Person, session_id: int) -> CoachingSession:
    """:raise NotFound: unless ``actor`` may read the session's plan."""
    session = db.session.get(CoachingSession, session_id)
    if session is None or session.plan.org_id != actor.org_id:
        raise NotFound(_("Session not found."))
    get_plan(actor, session.plan_id)
    return session


def update_session(actor: Person, session_id: int, **changes) -> CoachingSession:
    """Reschedule, or record the session as held with its notes."""
    session = get_session(actor, session_id)
    plan = _runnable(actor, session.plan_id)
    for key in ("scheduled_on", "held_on", "notes"):
        if key in changes:
            setattr(session, key, changes[key] if key != "notes" else changes[key] or "")
    bump(plan, _plan_copy)
    _record(actor, plan, PLAN, "session_update", {"session_id": session.id, **{
        k: (v.isoformat() if isinstance(v, date) else v) for k, v in changes.items()}})
    return session


def close_plan(actor: Person, plan_id: int, *, version: int, result: str,
               outcome: str) -> CoachingPlan:
    """Close with the outcome: improved, partly or not improved, and what was seen."""
    plan = _runnable(actor, plan_id, version)
    if not plan.goals:
        raise ValidationFailed(fields={"goals": _("Write the plan's goals before closing it.")})
    plan.status = PlanStatus.CLOSED
    plan.result = PlanResult(result)
    plan.outcome = outcome
    plan.closed_at = utcnow()
    plan.closed_by_id = actor.id
    bump(plan, _plan_copy)
    _record(actor, plan, PLAN, "close", {"result": plan.result, "outcome": outcome})
    notify(plan.person, NotificationKind.FEEDBACK,
           title=_("Your coaching plan was closed"), body=outcome,
           url=f"/tindak-lanjut/pembinaan/{plan.id}", data={"plan_id": plan.id})
    return plan


# --- the organisation's figures -------------------------------------------------------------

def summary(actor: Person, year: int) -> dict:
    """For the organisation dashboard: people whose predikat in ``year`` calls for a plan and
    how many of them have one, open or closed; and the recognitions."""
    if not oversees_org(actor):
        raise Forbidden(_("Only HR administrators and the head of agency see these figures."))
    needing = (sa.select(Evaluation.person_id, Evaluation.id)
               .join(EvaluationPeriod, EvaluationPeriod.id == Evaluation.period_id)
               .where(Evaluation.org_id == actor.org_id, EvaluationPeriod.year == year,
                      Evaluation.predikat.in_(list(PLAN_PREDIKAT)),
                      Evaluation.status.in_((EvaluationStatus.ASSESSED,
                                             EvaluationStatus.ACKNOWLEDGED))))
    rows = db.session.execute(needing).all()
    people = {row.person_id for row in rows}
    planned = set(db.session.scalars(sa.select(CoachingPlan.person_id).where(
        CoachingPlan.evaluation_id.in_([row.id for row in rows]) if rows else sa.false(),
        CoachingPlan.status.in_((PlanStatus.OPEN, PlanStatus.CLOSED)))))
    return {"year": year, "needs_plan": len(people), "with_plan": len(people & planned),
            "recognitions": list_recognitions(actor, year)}
