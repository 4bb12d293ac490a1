"""The "Pengingat" (reminders) section of the Profil page."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.forms import post_form
from app.reminders import services
from app.reminders.models import ReminderKind
from app.reminders.schemas import ReminderSettingsIn

bp = Blueprint("reminders", __name__)

#: What each kind is called on the page.
KIND_LABELS = {
    ReminderKind.DAILY_LOG: _l("Daily: nothing logged yet today"),
    ReminderKind.DEADLINE: _l("Before the monthly deadline"),
    ReminderKind.REVIEWS_WAITING: _l("Reviews waiting for me"),
    ReminderKind.SELF_EVALUATION: _l("Self-evaluation at period end"),
    ReminderKind.EVALUATIONS_DUE: _l("My team's evaluations are due"),
    ReminderKind.DIGEST: _l("End-of-day digest of my team"),
    ReminderKind.FOLLOW_UP: _l("Dialogue actions and coaching due today"),
}


@bp.app_template_global()
def reminder_preferences():
    """The signed-in person's reminder settings and the kinds, for the Profil page."""
    return {"settings": services.preferences(current_user),
            "kinds": [(kind.value, label) for kind, label in KIND_LABELS.items()]}


@bp.post("/profil/pengingat")
def save():
    """Save muted kinds and quiet hours from the Profil form."""
    form = {"muted": request.form.getlist("muted"),
            "quiet_from": request.form.get("quiet_from") or None,
            "quiet_until": request.form.get("quiet_until") or None}
    posted = post_form(lambda args: services.save_preferences(current_user, **args),
                       ReminderSettingsIn(), data=form, raise_for=())
    if posted.failed:
        flash(_l("Give both the start and the end of the quiet hours, or neither."), "error")
        return redirect(url_for("home.profile"), 303)
    flash(_l("Reminder settings saved."), "success")
    return redirect(url_for("home.profile") + "#reminders-title", 303)
