"""/api/v1: a person's reminder settings; the organisation's reminder rules and holidays."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.blueprint import Blueprint
from app.core.security import requires_role
from app.org.models import Role
from app.reminders import holidays, services
from app.reminders.schemas import (
    HolidayArgs,
    HolidayIn,
    HolidayOut,
    ReminderSettingsIn,
    ReminderSettingsOut,
    RuleOut,
    RulesIn,
)

#: Who may change what these endpoints change (checked before the body is read).
ADMINS_ONLY = _l("Only an HR administrator can change reminders and holidays.")

blp = Blueprint("reminders_api", __name__, url_prefix="", description="Reminders and holidays",
                error_descriptions={403: "Not an HR administrator",
                                    404: "Not this organisation's",
                                    409: "The day is a holiday already"})


@blp.get("/reminder-settings")
@blp.response(200, ReminderSettingsOut)
def get_settings():
    """The caller's muted reminder kinds and quiet hours."""
    return services.preferences(current_user)


@blp.put("/reminder-settings")
@blp.arguments(ReminderSettingsIn)
@blp.response(200, ReminderSettingsOut)
def put_settings(args):
    """Mute kinds of reminder and set quiet hours (local time; both or neither)."""
    saved = services.save_preferences(current_user, **args)
    return saved


@blp.get("/reminder-rules")
@blp.response(200, RuleOut(many=True))
@blp.errors(403)
def get_rules():
    """The organisation's reminder rules, one per kind (defaults where none was set)."""
    return services.rules_of(current_user)


@blp.put("/reminder-rules")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.arguments(RulesIn)
@blp.response(200, RuleOut(many=True))
@blp.errors(403)
def put_rules(args):
    """Change the rules of some kinds: enabled, local time, days (HR administrators)."""
    rules = services.save_rules(current_user, args["rules"])
    return rules


@blp.get("/holidays")
@blp.arguments(HolidayArgs, location="query")
@blp.response(200, HolidayOut(many=True))
def list_holidays(args):
    """The organisation's own days off (national holidays and cuti bersama come on top)."""
    return holidays.list_holidays(current_user, args.get("year"))


@blp.post("/holidays")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.arguments(HolidayIn)
@blp.response(201, HolidayOut)
@blp.errors(403, 409)
def add_holiday(args):
    """Add a day off for the organisation (HR administrators)."""
    holiday = holidays.add_holiday(current_user, **args)
    return holiday


@blp.get("/holidays/<int:holiday_id>")
@blp.response(200, HolidayOut)
@blp.errors(404)
def get_holiday(holiday_id):
    """One of the organisation's days off."""
    return holidays.get_holiday(current_user, holiday_id)


@blp.delete("/holidays/<int:holiday_id>")
@requires_role(Role.ADMIN, message=ADMINS_ONLY)
@blp.response(204)
@blp.errors(403, 404)
def delete_holiday(holiday_id):
    """Remove a day off (HR administrators)."""
    holidays.delete_holiday(current_user, holiday_id)
