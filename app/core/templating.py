"""Template helpers: local dates and times in the person's zone, navigation."""

from flask import request
from flask_babel import format_date, format_time, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.org.models import TIME_ZONES, Role

#: Bottom navigation on phones, side navigation on wide screens: (endpoint, label, icon).
NAVIGATION = (
    ("home.index", _l("Home"), "home"),
    ("targets.index", _l("Targets"), "target"),
    ("home.profile", _l("Profile"), "person"),
)


#: Role names as the UI shows them.
ROLE_LABELS = {
    Role.PEGAWAI: _l("Employee"),
    Role.ATASAN: _l("Supervisor"),
    Role.ADMIN: _l("HR administrator"),
    Role.PIMPINAN: _l("Head of agency"),
}


def zone_label(timezone: str | None) -> str:
    return TIME_ZONES.get(timezone or "", timezone or "")


def init_templating(app):
    @app.context_processor
    def inject():
        return {
            "navigation": NAVIGATION,
            "current_locale": str(get_locale()),
            "active_endpoint": request.endpoint,
            "zone_label": zone_label,
            "role_labels": ROLE_LABELS,
        }

    @app.template_filter("longdate")
    def longdate(value):
        """"Senin, 23 November 2026" (in the UI language, the person's zone)."""
        return format_date(value, format="full") if value else ""

    @app.template_filter("shorttime")
    def shorttime(value):
        """"15.30 WITA": the time in the person's zone followed by the zone's name."""
        if not value:
            return ""
        zone = current_user.timezone if current_user.is_authenticated else None
        return f"{format_time(value, format='short')} {zone_label(zone)}".strip()
