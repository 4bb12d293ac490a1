"""The app's navigation: which domain pages the menu offers, and to whom.

Bottom navigation on phones, side navigation on wide screens (templates/base.html). The
machinery is in ``app.core.templating``; the entries and who sees them are decided here, where
the domains meet.
"""

from flask_babel import lazy_gettext as _l

from app.admin.access import may_view
from app.core.templating import NavEntry
from app.org.lines import supervises_anyone
from app.org.models import Role


def sees_a_dashboard(person) -> bool:
    return bool(person.roles & {Role.ADMIN, Role.PIMPINAN, Role.ATASAN}) \
        or supervises_anyone(person)


ENTRIES = (
    NavEntry("home.index", _l("Home"), "home"),
    NavEntry("targets.index", _l("Targets"), "target"),
    NavEntry("feedback.team_page", _l("Team"), "team", visible=supervises_anyone),
    NavEntry("dashboards.team_page", _l("Dashboard"), "chart", visible=sees_a_dashboard),
    NavEntry("admin.index", _l("Admin"), "gear", visible=may_view),
    # "Alerts": "Notifications" does not fit a seventh of a phone's width in English.
    NavEntry("notifications.index", _l("Alerts"), "bell"),
    NavEntry("home.profile", _l("Profile"), "person"),
)
