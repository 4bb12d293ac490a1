"""Training asked in a coaching plan and seen done (issue: "coaching plans can ask for
training and see it done").

The supervisor who runs an open plan asks a training (a title, its kind, the JP if any); the
employee records the training as competency development (:mod:`app.development`) and
attaches that record to the request; the request is done once the supervisor verified the
record. Reading follows the plan's rule (:func:`app.followup.outcomes.get_plan`): a colleague
or another organisation gets 404.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.development import services as development
from app.development.models import Training, TrainingKind, TrainingStatus
from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.followup.common import bump
from app.followup.common import record as _record
from app.followup.models import CoachingPlan, PlanStatus, PlanTraining
from app.followup.outcomes import PLAN, _plan_copy, _runnable, get_plan
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person


def ask_training(actor: Person, plan_id: int, *, title: str, kind: str,
                 hours: int | None = None) -> PlanTraining:
    """The supervisor asks a training in an open plan; the employee is told."""
    plan = _runnable(actor, plan_id)
    item = PlanTraining(plan=plan, title=title.strip(), kind=TrainingKind(kind), hours=hours,
                        asked_by_id=actor.id)
    db.session.add(item)
    bump(plan, _plan_copy)
    db.session.flush()
    _record(actor, plan, PLAN, "training_ask", {"plan_training_id": item.id,
                                                "title": item.title, "hours": hours})
    notify(plan.person, NotificationKind.FEEDBACK,
           title=_("Training asked in your coaching plan: %(title)s", title=item.title),
           url=f"/tindak-lanjut/pembinaan/{plan.id}", data={"plan_id": plan.id})
    return item


def get_item(actor: Person, item_id: int) -> PlanTraining:
    """:raise NotFound: unless ``actor`` may read the request's plan."""
    item = db.session.get(PlanTraining, item_id)
    if item is None or item.plan.org_id != actor.org_id:
        raise NotFound(_("Training request not found."))
    get_plan(actor, item.plan_id)
    return item


def attach_training(actor: Person, item_id: int, *, training_id: int) -> PlanTraining:
    """The employee answers a request with a training they recorded (not yet answering
    another request); a record that was rejected may be replaced by another."""
    item = get_item(actor, item_id)
    plan = item.plan
    if actor.id != plan.person_id:
        raise Forbidden(_("Only the coached employee attaches their training."))
    if plan.status is not PlanStatus.OPEN:
        raise Conflict(_("This coaching plan is closed."))
    if item.state != "asked":
        raise Conflict(_("A training is already attached to this request."))
    training = development.get_training(actor, training_id)
    if training.person_id != actor.id:
        raise NotFound(_("Training not found."))
    if training.status is TrainingStatus.REJECTED:
        raise Conflict(_("This training was not accepted; record it again."))
    taken = db.session.scalar(sa.select(PlanTraining.id).where(
        PlanTraining.training_id == training.id, PlanTraining.id != item.id))
    if taken is not None:
        raise Conflict(_("This training already answers another request."))
    item.training = training
    item.attached_at = utcnow()
    db.session.flush()
    _record(actor, plan, PLAN, "training_attach", {"plan_training_id": item.id,
                                                   "training_id": training.id})
    return item


def attachable(actor: Person, plan: CoachingPlan) -> list[Training]:
    """The employee's own records that may answer a request of ``plan`` (none for others)."""
    if actor.id != plan.person_id or plan.status is not PlanStatus.OPEN:
        return []
    used = sa.select(PlanTraining.training_id).where(PlanTraining.training_id.is_not(None))
    return list(db.session.scalars(
        sa.select(Training).where(Training.org_id == actor.org_id,
                                  Training.person_id == actor.id,
                                  Training.status != TrainingStatus.REJECTED,
                                  Training.id.not_in(used))
        .order_by(Training.ends_on.desc(), Training.id.desc())))
