"""Template helpers: local dates and times in the person's zone, navigation."""

from datetime import UTC

from flask import request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    ngettext,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.org.models import TIME_ZONES, Role

#: Bottom navigation on phones, side navigation on wide screens: (endpoint, label, icon).
NAVIGATION = (
    ("home.index", _l("Home"), "home"),
    ("targets.index", _l("Targets"), "target"),
    ("feedback.team_page", _l("Team"), "team"),
    ("dashboards.team_page", _l("Dashboard"), "chart"),
    ("notifications.index", _l("Notifications"), "bell"),
    ("home.profile", _l("Profile"), "person"),
)


def _supervises_anyone(person) -> bool:
    from app.org.lines import supervises_anyone

    return supervises_anyone(person)


def _sees_a_dashboard(person) -> bool:
    return bool(person.roles & {Role.ADMIN, Role.PIMPINAN, Role.ATASAN}) \
        or _supervises_anyone(person)


#: Entries shown only to some people: endpoint -> who (a test on the signed-in person).
NAVIGATION_FOR = {
    "feedback.team_page": _supervises_anyone,
    "dashboards.team_page": _sees_a_dashboard,
}


def navigation_for(person) -> list[tuple]:
    """The navigation entries ``person`` gets (anonymous: those shown to everyone)."""
    signed_in = getattr(person, "is_authenticated", False)
    return [entry for entry in NAVIGATION if entry[0] not in NAVIGATION_FOR
            or (signed_in and NAVIGATION_FOR[entry[0]](person))]


#: "Senin, 23 November 2026": the day without a leading zero, in every language.
LONG_DATE = "EEEE, d MMMM y"

#: Activity states in the words of UX.md.
STATUS_LABELS = {
    "draft": _l("draft"),
    "submitted": _l("waiting for approval"),
    "approved": _l("approved"),
    "returned": _l("returned"),
}
#: Work that serves no SKP indicator.
WORK_KIND_LABELS = {
    "skp": _l("SKP target"),
    "tambahan": _l("Additional task"),
    "lainnya": _l("Other work"),
}
#: Audit actions as the history shows them.
ACTION_LABELS = {
    "create": _l("created"), "update": _l("edited"), "submit": _l("submitted"),
    "approve": _l("approved"), "return": _l("returned"), "attach": _l("added evidence"),
    "detach": _l("removed evidence"),
}

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
        today = None
        if current_user.is_authenticated:
            from app.activities.deadlines import local_today
            from app.models import utcnow

            today = local_today(current_user, utcnow()).isoformat()
        return {
            "local_today": today,
            "navigation": navigation_for(current_user),
            "current_locale": str(get_locale()),
            "active_endpoint": request.endpoint,
            "zone_label": zone_label,
            "role_labels": ROLE_LABELS,
            "status_labels": STATUS_LABELS,
            "work_kind_labels": WORK_KIND_LABELS,
            "action_labels": ACTION_LABELS,
        }

    @app.template_filter("longdate")
    def longdate(value):
        """"Senin, 23 November 2026" (in the UI language, the person's zone)."""
        return format_date(value, format=LONG_DATE) if value else ""

    @app.template_filter("number")
    def number(value):
        """"1.250" and "85,5" in Bahasa Indonesia, "1,250" and "85.5" in English."""
        return "" if value is None else format_decimal(value, format="#,##0.##")

    @app.template_filter("datetime_short")
    def datetime_short(value):
        """A stored (naive UTC) timestamp in the person's zone: "23 Nov 2026 15.30"."""
        return format_datetime(value.replace(tzinfo=UTC), format="d MMM y HH.mm") if value else ""

    @app.template_filter("longdatetime")
    def longdatetime(value):
        """"Sabtu, 5 Desember 2026 23.59 WIB" for an aware datetime, in its own zone."""
        if not value:
            return ""
        zone = str(value.tzinfo)
        return f"{format_date(value, format=LONG_DATE)} {value:%H.%M} {zone_label(zone)}".strip()

    @app.template_filter("duration_left")
    def duration_left(seconds):
        """"12 days left", "5 hours left", "40 minutes left"."""
        seconds = max(0, int(seconds or 0))
        if seconds >= 2 * 86400:
            return ngettext("%(num)d day left", "%(num)d days left", seconds // 86400)
        if seconds >= 3600:
            return ngettext("%(num)d hour left", "%(num)d hours left", seconds // 3600)
        return ngettext("%(num)d minute left", "%(num)d minutes left", seconds // 60)

    @app.template_filter("shorttime")
    def shorttime(value):
        """"15.30 WITA": the time in the person's zone followed by the zone's name."""
        if not value:
            return ""
        zone = current_user.timezone if current_user.is_authenticated else None
        return f"{format_time(value, format='short')} {zone_label(zone)}".strip()
