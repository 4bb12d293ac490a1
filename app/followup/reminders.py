"""Follow-up reminders, sent by the reminder clock (:mod:`app.reminders.services`) under the
``follow_up`` rule, each exactly once by its key:

- an action agreed in a performance dialogue, on its due date, to the employee and the
  supervisor while it is not done (key ``act:<id>``);
- a coaching session on its date, to the supervisor and the employee while it is not held
  (``ses:<id>``);
- a coaching plan's review date, to the supervisor while the plan is open (``rev:<id>:<date>``).

"Due" is the person's local date (their unit's zone); the rule's time of day applies.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.followup.models import (
    CoachingPlan,
    CoachingSession,
    DialogAction,
    PerformanceDialog,
    PlanStatus,
)


def due(org_id: int, members, rule, make_due) -> list:
    """The follow-up reminders due now for ``members`` (the reminder clock's view of the
    organisation's people); ``make_due(member, key, facts)`` builds each."""
    ready = {m.id: m for m in members if m.ready(rule)}
    if not ready:
        return []
    days = {m.today for m in ready.values()}
    found = []
    actions = db.session.execute(
        sa.select(DialogAction.id, DialogAction.description, DialogAction.due_on,
                  PerformanceDialog.id.label("dialog_id"), PerformanceDialog.person_id,
                  PerformanceDialog.supervisor_id)
        .join(PerformanceDialog, PerformanceDialog.id == DialogAction.dialog_id)
        .where(PerformanceDialog.org_id == org_id, DialogAction.done_at.is_(None),
               DialogAction.due_on.in_(days)))
    for row in actions:
        for pid in (row.person_id, row.supervisor_id):
            member = ready.get(pid)
            if member and member.today == row.due_on:
                found.append(make_due(member, f"act:{row.id}", {
                    "what": "action", "text": row.description,
                    "url": f"/tindak-lanjut/dialog/{row.dialog_id}"}))
    sessions = db.session.execute(
        sa.select(CoachingSession.id, CoachingSession.scheduled_on, CoachingPlan.id.label(
            "plan_id"), CoachingPlan.person_id, CoachingPlan.supervisor_id)
        .join(CoachingPlan, CoachingPlan.id == CoachingSession.plan_id)
        .where(CoachingPlan.org_id == org_id, CoachingPlan.status == PlanStatus.OPEN,
               CoachingSession.held_on.is_(None), CoachingSession.scheduled_on.in_(days)))
    for row in sessions:
        for pid in (row.supervisor_id, row.person_id):
            member = ready.get(pid)
            if member and member.today == row.scheduled_on:
                found.append(make_due(member, f"ses:{row.id}", {
                    "what": "session", "url": f"/tindak-lanjut/pembinaan/{row.plan_id}"}))
    reviews = db.session.execute(
        sa.select(CoachingPlan.id, CoachingPlan.review_on, CoachingPlan.supervisor_id)
        .where(CoachingPlan.org_id == org_id, CoachingPlan.status == PlanStatus.OPEN,
               CoachingPlan.review_on.in_(days)))
    for row in reviews:
        member = ready.get(row.supervisor_id)
        if member and member.today == row.review_on:
            found.append(make_due(member, f"rev:{row.id}:{row.review_on:%Y%m%d}", {
                "what": "review", "url": f"/tindak-lanjut/pembinaan/{row.id}"}))
    return found


def message(facts: dict) -> dict:
    """Title, body and link, in the current locale (the reminder clock sets it)."""
    if facts["what"] == "action":
        return {"title": _("An action from your performance dialogue is due today"),
                "body": facts["text"], "url": facts["url"]}
    if facts["what"] == "session":
        return {"title": _("A coaching session is planned for today"),
                "body": _("Record it as held, with notes, once it has taken place."),
                "url": facts["url"]}
    return {"title": _("A coaching plan is due for review today"),
            "body": _("Review the plan and close it with the outcome, or plan more "
                      "sessions."), "url": facts["url"]}
