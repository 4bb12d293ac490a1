"""What every step of an evaluation shares: who may read and assess it, loading it, its
version, its audit trail and the checks before a change.

Who assesses: the person's direct supervisor (pejabat penilai), or whoever acts (Plt/Plh) for
that supervisor today; for the top of an organisation's line (no supervisor inside it) the HR
administrator records the decision, as for SKPs. Everyone above in the line, the HR
administrators and the head of agency may read an evaluation.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.core import versions
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.evaluations import rules
from app.evaluations.models import Evaluation, EvaluationStatus
from app.evaluations.services.periods import deadline_passed
from app.extensions import db
from app.org.lines import acting_for, may_supervise
from app.org.models import Person, Role

SUBJECT = "evaluation"


class StateConflict(Conflict):
    """409: the evaluation's state does not allow this."""

    code = "invalid_state"


def is_admin(actor: Person) -> bool:
    return actor.has_role(Role.ADMIN)


def oversees_org(actor: Person) -> bool:
    return bool(actor.roles & {Role.ADMIN, Role.PIMPINAN})


# --- who assesses whom ---------------------------------------------------------------------

def may_assess(actor: Person, person: Person) -> bool:
    """The direct supervisor, whoever acts for them today, or (for the top of the line) an
    HR administrator."""
    if actor.id == person.id or actor.org_id != person.org_id:
        return False
    if person.supervisor_id is None:
        return is_admin(actor)
    return actor.id == person.supervisor_id or person.supervisor_id in acting_for(actor)


def may_read(actor: Person, person: Person) -> bool:
    if actor.org_id != person.org_id:
        return False
    return (actor.id == person.id or oversees_org(actor) or may_assess(actor, person)
            or may_supervise(actor, person.id))


def get_evaluation(actor: Person, evaluation_id: int) -> Evaluation:
    """:raise NotFound: unless ``actor`` may read the evaluation."""
    evaluation = db.session.scalar(sa.select(Evaluation).where(
        Evaluation.id == evaluation_id, Evaluation.org_id == actor.org_id))
    if evaluation is None or not may_read(actor, evaluation.person):
        raise NotFound(_("Evaluation not found."))
    return evaluation


def appraisees(actor: Person) -> list[Person]:
    """The people ``actor`` assesses today."""
    heads = [actor.id, *acting_for(actor)]
    condition = Person.supervisor_id.in_(heads)
    if is_admin(actor):
        condition = sa.or_(condition, Person.supervisor_id.is_(None))
    return list(db.session.scalars(
        sa.select(Person).where(Person.org_id == actor.org_id, Person.active,
                                Person.id != actor.id, condition)
        .order_by(Person.name, Person.id)))


# --- the evaluation as data ----------------------------------------------------------------

def current_copy(evaluation: Evaluation) -> dict:
    from app.evaluations.schemas import EvaluationOut

    return EvaluationOut().dump(decorate(evaluation))


def decorate(evaluation: Evaluation, actor: Person | None = None) -> Evaluation:
    """Attach what the API shows beside the columns: the suggestion and the permissions."""
    ratings = [(row.rhk.kind.value, row.rating) for row in evaluation.rhks if row.rating]
    evaluation.suggested_results_rating = rules.suggested_results_rating(ratings)
    evaluation.deadline_passed = deadline_passed(evaluation.person, evaluation.period)
    if actor is not None:
        evaluation.can_edit = (actor.id == evaluation.person_id
                               and evaluation.status is EvaluationStatus.DRAFT)
        evaluation.can_assess = (may_assess(actor, evaluation.person) and evaluation.status in
                                 (EvaluationStatus.SUBMITTED, EvaluationStatus.ASSESSED))
        evaluation.can_acknowledge = (actor.id == evaluation.person_id and
                                      evaluation.status is EvaluationStatus.ASSESSED)
    return evaluation


def check_version(evaluation: Evaluation, version: int | None) -> None:
    if version is not None and version != evaluation.version:
        raise Conflict(_("This evaluation was changed elsewhere. Here is the current version."),
                       extra={"current": current_copy(evaluation)})


def bump(evaluation: Evaluation) -> None:
    """Raise the version atomically; a concurrent writer that got there first wins."""
    versions.bump(evaluation, current_copy, _(
        "This evaluation was changed elsewhere. Here is the current version."))


def record(actor: Person, evaluation: Evaluation, action: str, changes: dict) -> None:
    db.session.flush()
    audit.record(evaluation.org_id, evaluation.person_id, actor.id, SUBJECT, evaluation.id,
                 action, changes)


def history(actor: Person, evaluation_id: int):
    return audit.history(SUBJECT, get_evaluation(actor, evaluation_id).id)


def state_error(evaluation: Evaluation, message: str) -> StateConflict:
    return StateConflict(message, extra={"current": current_copy(evaluation)})


# --- who may change it now ----------------------------------------------------------------

def require_own_draft(actor: Person, evaluation: Evaluation, version: int | None) -> None:
    if actor.id != evaluation.person_id:
        raise Forbidden(_("Only the employee writes their self-evaluation."))
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise state_error(evaluation, _(
            "This evaluation has been submitted and can no longer be changed."))
    check_version(evaluation, version)


def rows_by_rhk(evaluation: Evaluation, items: list[dict], field: str = "rhk") -> list:
    by_rhk = {row.rhk_id: row for row in evaluation.rhks}
    found = []
    for index, item in enumerate(items):
        row = by_rhk.get(item["rhk_id"])
        if row is None:
            raise ValidationFailed(fields={f"{field}.{index}.rhk_id": _(
                "This RHK is not part of the evaluation.")})
        found.append((row, item))
    return found


def require_appraiser(actor: Person, evaluation: Evaluation) -> None:
    if not may_assess(actor, evaluation.person):
        raise Forbidden(_("Only the employee's appraiser (pejabat penilai) can do this."))
