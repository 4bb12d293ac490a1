"""Keberatan: the employee's objection to an assessment, decided by the atasan pejabat
penilai (the appraiser's own supervisor, or whoever acts for them today).

PermenPANRB 6/2022 names the atasan pejabat penilai on the evaluation form; DOMAIN.md marks the
objection procedure unverified, so its window is an organisation setting
(:class:`app.followup.models.FollowUpPolicy`, 14 calendar days after the assessment unless
set otherwise). One objection per evaluation. Filing it acknowledges that the employee has
seen the assessment, so the appraiser can no longer revise it; the decider keeps the ratings
or changes them, always with reasons, and the predikat follows the matrix again
(:func:`app.evaluations.rules.predikat`). Nobody else decides: not the appraiser, not an HR
administrator (unless they are the atasan), not anyone above in the line.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.errors import Forbidden, ValidationFailed
from app.evaluations import rules
from app.evaluations.models import Evaluation, EvaluationStatus
from app.evaluations.services import get_evaluation
from app.evaluations.services.common import bump as bump_evaluation
from app.evaluations.services.common import record as record_evaluation
from app.evaluations.services.common import state_error
from app.evaluations.signals import predikat_changed
from app.extensions import db
from app.followup.common import bump, check_version, load, record
from app.followup.models import DEFAULT_OBJECTION_DAYS, FollowUpPolicy, Objection, ObjectionStatus
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import acting_for
from app.org.models import Person, Role

SUBJECT = "objection"
POLICY = "follow_up_policy"


def _copy(objection: Objection) -> dict:
    from app.followup.schemas import ObjectionOut

    return ObjectionOut().dump(objection)


# --- the organisation's window --------------------------------------------------------------

def objection_days(org_id: int) -> int:
    policy = db.session.scalar(sa.select(FollowUpPolicy).where(FollowUpPolicy.org_id == org_id))
    return policy.objection_days if policy else DEFAULT_OBJECTION_DAYS


def set_policy(actor: Person, *, objection_days: int) -> dict:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(_("Only an HR administrator can change the follow-up settings."))
    policy = db.session.scalar(sa.select(FollowUpPolicy).where(
        FollowUpPolicy.org_id == actor.org_id))
    if policy is None:
        policy = FollowUpPolicy(org_id=actor.org_id)
        db.session.add(policy)
    policy.objection_days = objection_days
    db.session.flush()
    from app.audit import services as audit
    audit.record(actor.org_id, actor.id, actor.id, POLICY, policy.id, "update",
                 {"objection_days": objection_days})
    return {"objection_days": objection_days}


# --- who decides ----------------------------------------------------------------------------

def atasan_of(appraiser: Person | None) -> Person | None:
    """The atasan pejabat penilai: the appraiser's own supervisor."""
    if appraiser is None or appraiser.supervisor_id is None:
        return None
    return db.session.get(Person, appraiser.supervisor_id)


def may_decide(actor: Person, objection: Objection) -> bool:
    if actor.org_id != objection.org_id or actor.id in (objection.person_id,
                                                        objection.appraiser_id):
        return False
    return actor.id == objection.decider_id or objection.decider_id in acting_for(actor)


def deadline(evaluation: Evaluation):
    """The last moment (naive UTC) an objection to ``evaluation`` may be filed."""
    return evaluation.assessed_at + timedelta(days=objection_days(evaluation.org_id))


def objection_open(evaluation: Evaluation) -> bool:
    return (evaluation.status in (EvaluationStatus.ASSESSED, EvaluationStatus.ACKNOWLEDGED)
            and evaluation.assessed_at is not None and utcnow() <= deadline(evaluation))


# --- filing, reading, deciding --------------------------------------------------------------

def file_objection(actor: Person, evaluation_id: int, *, reasons: str) -> Objection:
    """The employee objects, with reasons, within the window after the assessment."""
    evaluation = get_evaluation(actor, evaluation_id)
    if actor.id != evaluation.person_id:
        raise Forbidden(_("Only the employee objects to their own assessment."))
    if evaluation.status not in (EvaluationStatus.ASSESSED, EvaluationStatus.ACKNOWLEDGED):
        raise state_error(evaluation, _("There is no assessment to object to."))
    if db.session.scalar(sa.select(Objection.id).where(
            Objection.evaluation_id == evaluation.id)) is not None:
        raise state_error(evaluation, _("An objection to this assessment was already filed."))
    if not objection_open(evaluation):
        raise state_error(evaluation, _(
            "Objections are accepted within %(days)s days after the assessment.",
            days=objection_days(evaluation.org_id)))
    decider = atasan_of(evaluation.appraiser)
    if decider is None or decider.id == evaluation.person_id:
        raise state_error(evaluation, _(
            "Your appraiser has no supervisor in the organisation to decide an objection."))
    objection = Objection(
        org_id=evaluation.org_id, evaluation_id=evaluation.id, person_id=actor.id,
        appraiser_id=evaluation.appraiser_id, decider_id=decider.id, reasons=reasons,
        hasil_kerja_before=evaluation.hasil_kerja,
        perilaku_kerja_before=evaluation.perilaku_kerja, predikat_before=evaluation.predikat)
    db.session.add(objection)
    if evaluation.status is EvaluationStatus.ASSESSED:
        # Objecting is having seen the assessment: the appraiser cannot revise it any more.
        evaluation.status = EvaluationStatus.ACKNOWLEDGED
        evaluation.acknowledged_at = utcnow()
        bump_evaluation(evaluation)
        record_evaluation(actor, evaluation, "acknowledge", {"status": evaluation.status})
        predikat_changed.send(evaluation, actor=actor)
    record(actor, objection, SUBJECT, "file", {"evaluation_id": evaluation.id,
                                               "reasons": reasons, "decider_id": decider.id})
    notify(decider, NotificationKind.SUBMITTED,
           title=_("%(name)s objects to the assessment of %(period)s",
                   name=actor.name, period=evaluation.period.name),
           body=reasons, url=f"/tindak-lanjut/keberatan/{objection.id}",
           data={"objection_id": objection.id})
    return objection


def get_objection(actor: Person, objection_id: int) -> Objection:
    """Readable by whoever may read the evaluation, and by its decider."""
    objection = db.session.scalar(sa.select(Objection).where(
        Objection.id == objection_id, Objection.org_id == actor.org_id))
    if objection is not None and may_decide(actor, objection):
        return objection
    return load(actor, Objection, objection_id, _("Objection not found."))


def decorate(objection: Objection, actor: Person) -> Objection:
    objection.can_decide = (objection.status is ObjectionStatus.PENDING
                            and may_decide(actor, objection))
    return objection


def list_objections(actor: Person) -> list[Objection]:
    """The caller's own objections and those they decide."""
    heads = [actor.id, *acting_for(actor)]
    return list(db.session.scalars(sa.select(Objection).where(
        Objection.org_id == actor.org_id,
        sa.or_(Objection.person_id == actor.id, Objection.decider_id.in_(heads)))
        .order_by(Objection.created_at.desc(), Objection.id.desc())))


def decide_objection(actor: Person, objection_id: int, *, version: int, decision: str,
                     reasons: str, hasil_kerja=None, perilaku_kerja=None) -> Objection:
    """Keep the ratings or change them, with reasons; the predikat follows the matrix."""
    objection = get_objection(actor, objection_id)
    if not may_decide(actor, objection):
        raise Forbidden(_("Only the appraiser's supervisor (atasan pejabat penilai) decides "
                          "an objection."))
    if objection.status is not ObjectionStatus.PENDING:
        raise state_error(objection.evaluation, _("This objection was already decided."))
    check_version(objection, version, _copy)
    evaluation = objection.evaluation
    if decision == "change":
        if hasil_kerja is None and perilaku_kerja is None:
            raise ValidationFailed(fields={"hasil_kerja": _(
                "Choose the new rating(s) to change the assessment.")})
        if evaluation.is_jpt and hasil_kerja and hasil_kerja != evaluation.hasil_kerja:
            raise ValidationFailed(fields={"hasil_kerja": _(
                "A JPT's results rating follows the unit's predicate: change that instead.")})
        new_hasil = rules.Rating(hasil_kerja or evaluation.hasil_kerja)
        new_perilaku = rules.Rating(perilaku_kerja or evaluation.perilaku_kerja)
        if (new_hasil, new_perilaku) == (evaluation.hasil_kerja, evaluation.perilaku_kerja):
            raise ValidationFailed(fields={"hasil_kerja": _(
                "These are the ratings as they are: choose to keep them instead.")})
        evaluation.hasil_kerja, evaluation.perilaku_kerja = new_hasil, new_perilaku
        evaluation.predikat = rules.predikat(new_hasil, new_perilaku)
        bump_evaluation(evaluation)
        record_evaluation(actor, evaluation, "objection_change", {
            "objection_id": objection.id, "hasil_kerja": new_hasil,
            "perilaku_kerja": new_perilaku, "predikat": evaluation.predikat,
            "reasons": reasons})
        objection.status = ObjectionStatus.CHANGED
    else:
        objection.status = ObjectionStatus.KEPT
    objection.hasil_kerja_after = evaluation.hasil_kerja
    objection.perilaku_kerja_after = evaluation.perilaku_kerja
    objection.predikat_after = evaluation.predikat
    objection.decision_reasons = reasons
    objection.decided_by_id = actor.id
    objection.decided_at = utcnow()
    bump(objection, _copy)
    record(actor, objection, SUBJECT, "decide", {
        "decision": objection.status, "reasons": reasons,
        "predikat_before": objection.predikat_before, "predikat_after": evaluation.predikat})
    if objection.status is ObjectionStatus.CHANGED:
        predikat_changed.send(evaluation, actor=actor)
    title = _("Your objection to the assessment of %(period)s was decided",
              period=evaluation.period.name)
    for recipient in (objection.person, objection.appraiser):
        notify(recipient, NotificationKind.FEEDBACK, title=title, body=reasons,
               url=f"/tindak-lanjut/keberatan/{objection.id}",
               data={"objection_id": objection.id})
    return objection
