"""Pages of the organisation's settings: acting supervisors (Plt/Plh), holidays and cuti
bersama, reminder rules and the review policy.

Each page loads its form with the API's own schema and calls the same service function as
the API, so the rules, the organisation scoping and the audit entries are the API's. HR
administrators change; pimpinan see the pages without forms; everyone else gets 403.
"""

import re

import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.activities.deadlines import holiday_names
from app.admin.access import may_change, require_change, require_view
from app.core.forms import post_form
from app.extensions import db
from app.feedback import services as feedback
from app.feedback.schemas import ReviewPolicyIn
from app.org import lines
from app.org.models import ActingKind, Person
from app.org.schemas import ActingIn
from app.org.services import people_visible_to
from app.reminders import holidays as reminder_holidays
from app.reminders import services as reminder_services
from app.reminders.models import ReminderKind
from app.reminders.schemas import HolidayArgs, HolidayIn, RulesIn

bp = Blueprint("settings", __name__, url_prefix="/admin")

KIND_LABELS = {ActingKind.PLT: _l("Plt (the post is vacant)"),
               ActingKind.PLH: _l("Plh (the holder is away)")}


def _page(template: str, status: int = 200, **context):
    """Render a settings page with whether the viewer may change it (pimpinan may not)."""
    return render_template(template, may_change=may_change(current_user), **context), status


# --- acting supervisors (Plt/Plh) -----------------------------------------------------------

def _acting_page(*, form=None, errors=None, status=200):
    today = lines.local_today(current_user)
    assignments = lines.list_acting(current_user)
    current = sorted((a for a in assignments if a.ends_on >= today),
                     key=lambda a: (a.starts_on, a.id))
    past = [a for a in assignments if a.ends_on < today]
    people = []
    if may_change(current_user):
        people = db.session.scalars(people_visible_to(current_user).where(
            Person.active.is_(True)).order_by(Person.name, Person.id)).all()
    return _page("settings/acting.html", status, current=current, past=past, today=today,
                 people=people, kinds=KIND_LABELS, form=form or {}, errors=errors or {})


@bp.get("/plt")
def acting():
    """Current and upcoming acting supervisors first; past ones folded away."""
    require_view()
    return _acting_page()


@bp.post("/plt")
def appoint_acting():
    """Appoint a Plt or Plh for a date range (the API's POST /acting-assignments)."""
    require_change()
    posted = post_form(lambda args: lines.create_acting(current_user, **args), ActingIn(),
                       raise_for=())
    if posted.failed:
        return _acting_page(form=request.form, errors=posted.errors, status=posted.status)
    flash(_("Acting supervisor appointed."), "success")
    return redirect(url_for("settings.acting"), 303)


@bp.post("/plt/<int:assignment_id>/hapus")
def delete_acting(assignment_id):
    """End an appointment by removing it; another organisation's id is 404."""
    require_change()
    post_form(lambda: lines.delete_acting(current_user, assignment_id)).flash(
        _("Acting assignment removed."))
    return redirect(url_for("settings.acting"), 303)


# --- holidays and cuti bersama --------------------------------------------------------------

def _year() -> int:
    """The year asked for (``?tahun=``), within the API's range; else this year."""
    try:
        year = HolidayArgs().load({"year": request.args.get("tahun", "")}).get("year")
    except ma.ValidationError:
        year = None
    return year or lines.local_today(current_user).year


def _holidays_page(year: int, *, form=None, errors=None, status=200):
    return _page("settings/holidays.html", status, year=year,
                 holidays=reminder_holidays.list_holidays(current_user, year),
                 national=sorted(holiday_names(year).items()),
                 form=form or {}, errors=errors or {})


@bp.get("/libur")
def holidays():
    """The organisation's own days off of a year, with the national calendar beside them."""
    require_view()
    return _holidays_page(_year())


@bp.post("/libur")
def add_holiday():
    """Add a day off (the API's POST /holidays); a day taken already is shown on the form."""
    require_change()
    posted = post_form(lambda args: reminder_holidays.add_holiday(current_user, **args),
                       HolidayIn(), raise_for=())
    if posted.failed:
        errors = posted.errors
        if posted.status == 409:
            errors = {"day": posted.message}
        return _holidays_page(_year(), form=request.form, errors=errors,
                              status=posted.status)
    flash(_("Holiday added."), "success")
    return redirect(url_for("settings.holidays", tahun=posted.result.day.year), 303)


@bp.post("/libur/<int:holiday_id>/hapus")
def delete_holiday(holiday_id):
    """Remove a day off; another organisation's id is 404."""
    require_change()
    holiday = reminder_holidays.get_holiday(current_user, holiday_id)
    year = holiday.day.year
    post_form(lambda: reminder_holidays.delete_holiday(current_user, holiday_id)).flash(
        _("Holiday removed."))
    return redirect(url_for("settings.holidays", tahun=year), 303)


# --- reminder rules -------------------------------------------------------------------------

RULE_LABELS = {
    ReminderKind.DAILY_LOG: (_l("Daily log"), _l(
        "On working days, to people who have logged nothing yet that day.")),
    ReminderKind.DEADLINE: (_l("Monthly deadline"), _l(
        "Before the input deadline of the month, to everyone.")),
    ReminderKind.REVIEWS_WAITING: (_l("Reviews waiting"), _l(
        "To supervisors whose team's activities wait for review.")),
    ReminderKind.SELF_EVALUATION: (_l("Self-evaluation"), _l(
        "At the end of a period, to fill in the self-evaluation.")),
    ReminderKind.EVALUATIONS_DUE: (_l("Evaluations due"), _l(
        "To supervisors when their team's evaluations are due.")),
    ReminderKind.DIGEST: (_l("Supervisor's digest"), _l(
        "End of day: who in the team has still logged nothing.")),
    ReminderKind.FOLLOW_UP: (_l("Follow-up"), _l(
        "On the day a dialogue action, a coaching session or a plan review is due.")),
    ReminderKind.CITIZEN_UNANSWERED: (_l("Citizens' messages"), _l(
        "To unit heads whose citizens' messages wait for an answer.")),
}
#: The kinds whose rule has a number of days, and what the days mean.
DAYS_HINTS = {
    ReminderKind.DEADLINE: _l("Days before the deadline, separated by commas, e.g. 3, 1."),
    ReminderKind.REVIEWS_WAITING: _l("Working days an activity has waited, e.g. 2."),
    ReminderKind.CITIZEN_UNANSWERED: _l("Working days a message has waited, e.g. 3."),
}
#: What the days mean, beside them on the read-only page: the hints without their example.
DAYS_LABELS = {
    ReminderKind.DEADLINE: _l("Days before the deadline"),
    ReminderKind.REVIEWS_WAITING: _l("Working days an activity has waited"),
    ReminderKind.CITIZEN_UNANSWERED: _l("Working days a message has waited"),
}


def _rules_form(rules) -> dict:
    """The form's fields filled from the rules as they are."""
    form = {}
    for rule in rules.values():
        kind = rule.kind.value
        form[f"enabled-{kind}"] = "1" if rule.enabled else "0"
        form[f"at_time-{kind}"] = rule.at_time.strftime("%H:%M")
        form[f"days-{kind}"] = ", ".join(map(str, rule.days))
    return form


def _number(text: str):
    return int(text) if text.isdigit() else text


def _posted_rules(form) -> dict:
    """The posted form as the API's body: one change per kind; days a list of numbers (what
    is not a number is left for the schema to refuse)."""
    changes = []
    for kind in ReminderKind:
        change = {"kind": kind.value, "enabled": form.get(f"enabled-{kind}") == "1",
                  "at_time": form.get(f"at_time-{kind}", "").strip()}
        if kind in DAYS_HINTS:
            parts = re.split(r"[\s,;]+", form.get(f"days-{kind}", "").strip())
            change["days"] = [_number(part) for part in parts if part]
        changes.append(change)
    return {"rules": changes}


def _rule_errors(errors: dict) -> dict:
    """Messages keyed ``rules.<index>.<field>...`` moved to the form's ``<field>-<kind>``."""
    kinds = list(ReminderKind)
    moved = {}
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) >= 3 and parts[0] == "rules" and parts[1].isdigit():
            moved.setdefault(f"{parts[2]}-{kinds[int(parts[1])].value}", message)
        else:
            moved.setdefault("_form", message)
    return moved


def _reminders_page(*, form=None, errors=None, status=200):
    rules = reminder_services.rules_for(current_user.org_id)
    return _page("settings/reminders.html", status, rules=rules, labels=RULE_LABELS,
                 days_hints=DAYS_HINTS, days_labels=DAYS_LABELS, form=form or _rules_form(rules),
                 errors=errors or {})


@bp.get("/pengingat")
def reminders():
    """When the organisation's people are reminded of what, one card per kind."""
    require_view()
    return _reminders_page()


@bp.post("/pengingat")
def save_reminders():
    """Save every kind's rule at once (the API's PUT /reminder-rules)."""
    require_change()
    posted = post_form(lambda args: reminder_services.save_rules(current_user, args["rules"]),
                       RulesIn(), data=_posted_rules(request.form), raise_for=())
    if posted.failed:
        return _reminders_page(form=request.form, errors=_rule_errors(posted.errors),
                               status=posted.status)
    flash(_("Reminder rules saved."), "success")
    return redirect(url_for("settings.reminders"), 303)


# --- review policy --------------------------------------------------------------------------

def _policy_page(*, form=None, errors=None, status=200):
    policy = feedback.review_policy(current_user.org_id)
    days = policy.auto_accept_after_working_days if policy else None
    form = form if form is not None else {
        "auto_accept_after_working_days": "" if days is None else str(days)}
    return _page("settings/review_policy.html", status, days=days, form=form,
                 errors=errors or {})


@bp.get("/kebijakan-tinjauan")
def review_policy():
    """Whether activities no one reviewed are accepted automatically, and after how long."""
    require_view()
    return _policy_page()


@bp.post("/kebijakan-tinjauan")
def save_review_policy():
    """Save the policy (the API's PUT /review-policy); empty turns it off."""
    require_change()
    posted = post_form(lambda args: feedback.set_review_policy(current_user, **args),
                       ReviewPolicyIn(), raise_for=())
    if posted.failed:
        return _policy_page(form=request.form, errors=posted.errors, status=posted.status)
    flash(_("Review policy saved."), "success")
    return redirect(url_for("settings.review_policy"), 303)
