"""Who may use the administration pages: HR administrators change, pimpinan read."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.security import requires_role
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


#: Put right under the route decorator of an API write only HR administrators may call, above
#: ``@blp.arguments``: anyone else hears 403 before the body is read.
admin_only = requires_role(Role.ADMIN, message=_l("Only HR administrators may change this."))
