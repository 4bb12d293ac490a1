"""Who is asking: the session cookie's person (Flask-Login) or a bearer token's.

A bearer token wins over any cookie that came along, and needs no CSRF token; the sign-in
requirement and CSRF are checked after this, by ``app.core.security``.
"""

from flask import g, request

from app.auth.services import person_for_session, person_for_token
from app.errors import Unauthorized
from app.extensions import login_manager


def authenticate_bearer():
    """before_request: sign in the person of an ``Authorization: Bearer`` token, or 401."""
    g.auth_kind = None
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer":
        return None
    person = person_for_token(authorization.token or "")
    if person is None:
        raise Unauthorized()
    login_manager._update_request_context_with_user(person)
    g.auth_kind = "token"
    return None


def init_auth(app) -> None:
    """Register the session cookie's user loader and the bearer token hook (which must run
    before the sign-in requirement's)."""
    login_manager.user_loader(person_for_session)
    login_manager.login_view = None  # app.core.security redirects or answers 401
    app.before_request(authenticate_bearer)
