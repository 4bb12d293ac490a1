"""Template helpers: local dates and times in the person's zone, the navigation."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from flask import request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    ngettext,
)
from flask_login import current_user

from app.core.i18n import TIME_ZONES


@dataclass(frozen=True)
class NavEntry:
    """One entry of the bottom navigation (phones) and the side navigation (wide screens)."""

    endpoint: str
    label: str
    icon: str
    #: Shown only to the signed-in people for whom this is true; None: to everyone.
    visible: Callable | None = None


#: The entries, in the order shown; the app factory fills it (app/navigation.py).
NAVIGATION: list[NavEntry] = []


def set_navigation(entries) -> None:
    NAVIGATION[:] = entries


def navigation_for(person) -> list[tuple]:
    """The navigation entries ``person`` gets as (endpoint, label, icon); anonymous: those
    shown to everyone."""
    signed_in = getattr(person, "is_authenticated", False)
    return [(entry.endpoint, entry.label, entry.icon) for entry in NAVIGATION
            if entry.visible is None or (signed_in and entry.visible(person))]


#: "Senin, 23 November 2026": the day without a leading zero, in every language.
LONG_DATE = "EEEE, d MMMM y"


def clock(value: time | datetime | None) -> str:
    """A wall-clock time in the language's one format: "15.30" in Bahasa Indonesia, "3:30 PM"
    in English, so no page mixes the two. A datetime's own wall-clock time is used as is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.time()
    return format_time(value, format="short")

def zone_label(timezone: str | None) -> str:
    return TIME_ZONES.get(timezone or "", timezone or "")


def init_templating(app):
    """The filters and the context every page gets; each domain adds its own context (its
    labels, the person's local date) with ``app.context_processor`` in its ``templating``."""
    @app.context_processor
    def inject():
        return {
            "navigation": navigation_for(current_user),
            "current_locale": str(get_locale()),
            "active_endpoint": request.endpoint,
            "zone_label": zone_label,
        }

    @app.template_filter("longdate")
    def longdate(value):
        """"Senin, 23 November 2026" (in the UI language, the person's zone)."""
        return format_date(value, format=LONG_DATE) if value else ""

    @app.template_filter("number")
    def number(value):
        """"1.250" and "85,5" in Bahasa Indonesia, "1,250" and "85.5" in English."""
        return "" if value is None else format_decimal(value, format="#,##0.##")

    app.add_template_filter(clock, "clock")

    @app.template_filter("datetime_short")
    def datetime_short(value, zoned=False):
        """A stored (naive UTC) timestamp in the person's zone: "23 Nov 2026 15.30", and with
        ``zoned`` the zone's name after it ("23 Nov 2026 15.30 WITA"), as :func:`shorttime`."""
        if not value:
            return ""
        moment = value.replace(tzinfo=UTC)
        shown = f"{format_datetime(moment, format='d MMM y')} {format_time(moment, format='short')}"
        if zoned:
            zone = current_user.timezone if current_user.is_authenticated else None
            shown = f"{shown} {zone_label(zone)}".strip()
        return shown

    @app.template_filter("longdatetime")
    def longdatetime(value):
        """"Sabtu, 5 Desember 2026 23.59 WIB" for an aware datetime, in its own zone."""
        if not value:
            return ""
        zone = str(value.tzinfo)
        return f"{format_date(value, format=LONG_DATE)} {clock(value)} {zone_label(zone)}".strip()

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
