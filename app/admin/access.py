"""Who may use the administration pages: HR administrators change, pimpinan read."""

from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Forbidden
from app.org.models import Role


def may_view(person) -> bool:
    return bool(person.roles & {Role.ADMIN, Role.PIMPINAN})


def may_change(person) -> bool:
    return person.has_role(Role.ADMIN)


def require_view() -> None:
    """403 unless the signed-in person is an HR administrator or pimpinan."""
    if not may_view(current_user):
        raise Forbidden(_("Only HR administrators and pimpinan see this page."))


def require_change() -> None:
    """403 unless the signed-in person is an HR administrator of their organisation."""
    if not may_change(current_user):
        raise Forbidden(_("Only HR administrators may change this."))
