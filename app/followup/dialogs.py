"""Dialog kinerja (PermenPANRB 6/2022: performance management is run through an intensive
dialogue between leader and employee, with continuous feedback and coaching).

The supervisor (the pejabat penilai, or who acts for them) or the employee records the
conversation: its date, its topic, the RHK or period it is about, notes and the actions agreed,
each with a due date. Whoever records it confirms it by doing so; the other side confirms it
afterwards. An action due today is reminded to both (:mod:`app.followup.reminders`).
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.errors import Forbidden, NotFound, ValidationFailed
from app.evaluations.models import EvaluationPeriod
from app.evaluations.services import may_read
from app.extensions import db
from app.followup.common import is_supervisor_of, load, record
from app.followup.models import DialogAction, PerformanceDialog
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.models import Person
from app.targets.models import Rhk, Skp

SUBJECT = "dialog"


def _person(actor: Person, person_id: int | None) -> Person:
    if person_id is None or person_id == actor.id:
        return actor
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    if person is None or not may_read(actor, person):
        raise ValidationFailed(fields={"person_id": _("No such person in your team.")})
    return person


def _check_subject(actor: Person, person: Person, period_id, rhk_id) -> None:
    if period_id is not None and db.session.scalar(sa.select(EvaluationPeriod.id).where(
            EvaluationPeriod.id == period_id, EvaluationPeriod.org_id == actor.org_id)) is None:
        raise ValidationFailed(fields={"period_id": _("No such period.")})
    if rhk_id is not None and db.session.scalar(
            sa.select(Rhk.id).join(Skp, Skp.id == Rhk.skp_id).where(
                Rhk.id == rhk_id, Skp.person_id == person.id,
                Skp.org_id == actor.org_id)) is None:
        raise ValidationFailed(fields={"rhk_id": _("This RHK is not in the person's SKP.")})


def create_dialog(actor: Person, *, held_on, topic: str, notes: str = "",
                  person_id: int | None = None, period_id: int | None = None,
                  rhk_id: int | None = None, actions: list[dict] = ()) -> PerformanceDialog:
    """Record a dialog; the side that records it has confirmed it."""
    person = _person(actor, person_id)
    if person.id == actor.id:
        if person.supervisor_id is None:
            raise ValidationFailed(fields={"person_id": _(
                "You have no supervisor to hold a performance dialogue with.")})
        supervisor_id = person.supervisor_id
    elif is_supervisor_of(actor, person):
        supervisor_id = actor.id
    else:
        raise Forbidden(_("Only the employee and their supervisor record a performance "
                          "dialogue."))
    _check_subject(actor, person, period_id, rhk_id)
    now = utcnow()
    dialog = PerformanceDialog(
        org_id=actor.org_id, person_id=person.id, supervisor_id=supervisor_id,
        created_by_id=actor.id, period_id=period_id, rhk_id=rhk_id, held_on=held_on,
        topic=topic, notes=notes or "",
        person_confirmed_at=now if actor.id == person.id else None,
        supervisor_confirmed_at=None if actor.id == person.id else now,
        actions=[DialogAction(position=n, description=a["description"], due_on=a["due_on"])
                 for n, a in enumerate(actions)])
    db.session.add(dialog)
    record(actor, dialog, SUBJECT, "create", {
        "held_on": held_on.isoformat(), "topic": topic, "period_id": period_id,
        "rhk_id": rhk_id, "actions": [[a["description"], a["due_on"].isoformat()]
                                      for a in actions]})
    other = dialog.supervisor_id if actor.id == person.id else person.id
    notify(db.session.get(Person, other), NotificationKind.FEEDBACK,
           title=_("%(name)s recorded a performance dialogue: %(topic)s",
                   name=actor.name, topic=topic),
           body=_("Read it and confirm it."), url=f"/tindak-lanjut/dialog/{dialog.id}",
           data={"dialog_id": dialog.id})
    return dialog


def get_dialog(actor: Person, dialog_id: int) -> PerformanceDialog:
    return load(actor, PerformanceDialog, dialog_id, _("Performance dialogue not found."))


def _side(actor: Person, dialog: PerformanceDialog) -> str | None:
    if actor.id == dialog.person_id:
        return "person"
    if actor.id == dialog.supervisor_id or is_supervisor_of(actor, dialog.person):
        return "supervisor"
    return None


def decorate(dialog: PerformanceDialog, actor: Person) -> PerformanceDialog:
    side = _side(actor, dialog)
    dialog.can_confirm = bool(side) and getattr(dialog, f"{side}_confirmed_at") is None
    dialog.can_act = side is not None
    return dialog


def confirm_dialog(actor: Person, dialog_id: int) -> PerformanceDialog:
    """The other side confirms the record (again is harmless)."""
    dialog = get_dialog(actor, dialog_id)
    side = _side(actor, dialog)
    if side is None:
        raise Forbidden(_("Only the employee and their supervisor confirm the dialogue."))
    column = f"{side}_confirmed_at"
    if getattr(dialog, column) is None:
        setattr(dialog, column, utcnow())
        record(actor, dialog, SUBJECT, "confirm", {"side": side})
    return dialog


def complete_action(actor: Person, action_id: int) -> DialogAction:
    """Mark an agreed action done (either side)."""
    action = db.session.get(DialogAction, action_id)
    if action is None or action.dialog.org_id != actor.org_id:
        raise NotFound(_("Action not found."))
    dialog = get_dialog(actor, action.dialog_id)
    if _side(actor, dialog) is None:
        raise Forbidden(_("Only the employee and their supervisor update the actions."))
    if action.done_at is None:
        action.done_at = utcnow()
        record(actor, dialog, SUBJECT, "action_done", {"action_id": action.id,
                                                       "description": action.description})
    return action


def list_dialogs(actor: Person, person_id: int | None = None) -> list[PerformanceDialog]:
    """One person's dialogs (someone the caller may read), or the caller's own and those
    they held as supervisor."""
    query = sa.select(PerformanceDialog).where(PerformanceDialog.org_id == actor.org_id)
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None or person.org_id != actor.org_id or not may_read(actor, person):
            raise NotFound(_("Person not found."))
        query = query.where(PerformanceDialog.person_id == person_id)
    else:
        query = query.where(sa.or_(PerformanceDialog.person_id == actor.id,
                                   PerformanceDialog.supervisor_id == actor.id))
    return list(db.session.scalars(query.order_by(PerformanceDialog.held_on.desc(),
                                                  PerformanceDialog.id.desc())))
