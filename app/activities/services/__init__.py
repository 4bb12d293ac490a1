"""Rules of the daily log: who may log, change, submit and review an activity, and when.

A package of modules by job, whose public names are all here, so that callers keep writing
``from app.activities import services`` and ``services.create_activity(...)``:

- :mod:`.rules`: the checks every write makes, and :class:`Saved`, what a write answers;
- :mod:`.queries`: who sees what, lists, the form's defaults;
- :mod:`.create`: the create, the reference path; :mod:`.fastpath`: its PostgreSQL fast path
  (one statement, also the WSGI lane's), held equal to the reference by a test;
- :mod:`.edit`, :mod:`.review` (submit, approve, return), :mod:`.templates` (repeat and
  templates), :mod:`.batch` (the offline outbox).

Services take the acting person explicitly, flush and never commit: the request, command or
job calling them commits once (``app.core.uow``). The one exception is documented where it
is: the fast path's create may be a statement that commits by itself, when the caller says
the create is all it writes. Every create, edit and state change is appended to the
organisation's audit chain after it is flushed.

Offline replay safety (the outbox of the PWA replays queued writes, possibly twice):

* A create may carry a client-generated UUID. Replaying it answers the stored activity with
  ``created=False`` (HTTP 200) and never a duplicate, also when two identical requests race:
  the row is written with ``INSERT ... ON CONFLICT DO NOTHING``. The same id owned by
  someone else is a plain 409 ``conflict``, the same whichever organisation holds it, that
  reveals nothing about that activity.
* An edit names the ``version`` it is based on. The version is compared *before* anything else
  (status, lock), so an edit that was applied and is then replayed with the old version gets
  409 ``conflict`` whose ``current`` copy carries exactly the values the client sent: the client
  can compare and treat the entry as done.
* A submit of an activity that is already submitted or approved answers it unchanged.
"""

from app.activities.services.batch import BATCH_RESULTS, apply_batch
from app.activities.services.create import create_activity
from app.activities.services.edit import update_activity
from app.activities.services.queries import (
    activities_visible_to,
    day_end,
    form_defaults,
    get_activity,
    get_own_activity,
    history,
    list_activities,
    may_see_person,
    normalise_id,
    recent_descriptions,
)
from app.activities.services.review import (
    activity_reviewed,
    approve_activity,
    return_activity,
    submit_activity,
)
from app.activities.services.rules import (
    CONTENT_FIELDS,
    EDITABLE,
    OVERSEERS,
    PeriodLocked,
    Saved,
    check_date,
    check_editable,
    check_open,
    check_version,
    current_copy,
    indicator_for,
    minutes_between,
    overlap_warnings,
)
from app.activities.services.templates import (
    create_template,
    delete_template,
    list_templates,
    repeat_activity,
)

__all__ = [
    "BATCH_RESULTS", "CONTENT_FIELDS", "EDITABLE", "OVERSEERS", "PeriodLocked", "Saved",
    "activities_visible_to", "activity_reviewed", "apply_batch", "approve_activity",
    "check_date", "check_editable", "check_open", "check_version", "create_activity",
    "create_template", "current_copy", "day_end", "delete_template", "form_defaults",
    "get_activity", "get_own_activity", "history", "indicator_for", "list_activities",
    "list_templates", "may_see_person", "minutes_between", "normalise_id",
    "overlap_warnings", "recent_descriptions", "repeat_activity", "return_activity",
    "submit_activity", "update_activity",
]
