"""Editing a draft or returned activity, based on the version the edit started from."""

from datetime import datetime

from flask_babel import gettext as _

from app.activities.models import Activity, WorkKind
from app.activities.services.queries import get_own_activity
from app.activities.services.rules import (
    CONTENT_FIELDS,
    Saved,
    check_all,
    check_date,
    check_editable,
    check_open,
    check_quantity,
    check_version,
    indicator_for,
    minutes_between,
    overlap_warnings,
    record,
    resolve_kind,
)
from app.audit import services as audit
from app.errors import ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import Person


def update_activity(actor: Person, activity_id, *, version: int,
                    now: datetime | None = None, **changes) -> Saved:
    """Edit a draft or returned activity of ``actor``'s, based on ``version``.

    ``changes`` are any of CONTENT_FIELDS. The version is checked first: see the package
    docstring for why a replayed edit gets a 409 whose ``current`` equals what it sent.
    """
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: _("This field is not expected here.")
                                       for name in unknown})
    now = now or utcnow()
    activity = get_own_activity(actor, activity_id)
    check_version(activity, version)
    check_editable(activity)
    check_open(actor, activity.date, now)
    values = _merged_values(actor, activity, changes, now)
    changed = audit.diff(activity, values)
    if not changed:
        return Saved(activity)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.version += 1
    db.session.flush()
    record(actor, activity, "update", changed)
    warnings = overlap_warnings(actor, activity.date, activity.start_time, activity.end_time,
                                exclude_id=activity.id)
    return Saved(activity, warnings=warnings)


def _merged_values(actor: Person, activity: Activity, changes: dict, now: datetime) -> dict:
    merged = {name: getattr(activity, name) for name in CONTENT_FIELDS}
    merged.update(changes)
    if changes.get("target_id") is not None and "work_kind" not in changes:
        merged["work_kind"] = WorkKind.SKP
    if changes.get("work_kind") not in (None, WorkKind.SKP) and "target_id" not in changes:
        merged["target_id"] = None
    for required in ("date", "start_time", "end_time", "description"):
        if merged[required] is None:
            raise ValidationFailed(fields={required: _("This field is required.")})
    checks = [lambda: minutes_between(merged["start_time"], merged["end_time"]),
              lambda: resolve_kind(merged["target_id"], merged["work_kind"])]
    if merged["date"] != activity.date:
        checks.insert(0, lambda: check_date(actor, merged["date"], now))
    check_all(checks)
    merged["work_kind"] = resolve_kind(merged["target_id"], merged["work_kind"])
    if merged["target_id"] is not None and (
            merged["target_id"] != activity.target_id or merged["date"] != activity.date):
        indicator = indicator_for(actor, merged["target_id"], merged["date"])
        if merged["unit"] is None:
            merged["unit"] = indicator.unit
    if merged["target_id"] is not None and ("quantity" in changes or "target_id" in changes):
        check_quantity(indicator_for(actor, merged["target_id"], merged["date"]).aspect,
                       merged["quantity"])
    merged["unit"] = merged["unit"] or None
    merged["duration_minutes"] = minutes_between(merged["start_time"], merged["end_time"])
    return merged
