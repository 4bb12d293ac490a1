"""May the caller ask this: the sign-in requirement, CSRF, the response headers.

Who is asking is the auth package's business (``app.auth.login``): its hook runs first and
signs in a bearer token's person (``g.auth_kind = "token"``, which needs no CSRF token);
otherwise Flask-Login's session cookie does. Every endpoint needs a signed-in person unless
marked :func:`public`. Every state-changing request authenticated by the cookie must carry the
CSRF token.
"""

from functools import wraps

from flask import current_app, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from app.errors import Unauthorized
from app.extensions import csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def public(view):
    """Mark a view as reachable without signing in."""
    view.is_public = True
    return view


def csrf_exempt_json(view):
    """Exempt a JSON view from the CSRF token (only for sign-in, which has no session yet).

    It still demands ``Content-Type: application/json``, which a cross-site form cannot send.
    """
    view.csrf_json_only = True
    return view


class SessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure whenever the request itself came over HTTPS."""

    def get_cookie_secure(self, app):
        from flask import has_request_context

        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def _view_function():
    if request.url_rule is None:
        return None
    return current_app.view_functions.get(request.endpoint)


def authenticate_request():
    """before_request: the sign-in requirement, then CSRF (a bearer token needs neither)."""
    if g.setdefault("auth_kind", None) == "token":
        return None
    if request.endpoint == "static":
        return None
    # Who is asking is settled here, for every other answer (an unknown URL's too): a
    # database that is away fails now, into its 503, rather than in an error page's menu.
    signed_in = current_user.is_authenticated
    view = _view_function()
    if view is None:
        return None
    is_public = getattr(view, "is_public", False) or getattr(
        getattr(view, "view_class", None), "is_public", False)
    if not is_public and not signed_in:
        if request.path.startswith("/api/"):
            raise Unauthorized()
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if signed_in:
        g.auth_kind = "session"
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        if getattr(view, "csrf_json_only", False):
            return None
        csrf.protect()
    return None


def fixed_headers(secure: bool, private: bool) -> list[tuple[str, str]]:
    """The headers every answer carries (unless the view set its own): over HTTPS, HSTS;
    for personal data (``private``), no caching."""
    headers = [("Content-Security-Policy", CONTENT_SECURITY_POLICY),
               ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "strict-origin-when-cross-origin"),
               ("X-Frame-Options", "DENY"),
               ("Cross-Origin-Opener-Policy", "same-origin")]
    if secure:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    if private:
        # Personal data: never kept by shared caches or the back/forward cache.
        headers.append(("Cache-Control", "no-store"))
    return headers


def security_headers(response):
    headers = response.headers
    private = request.path.startswith("/api/") or bool(g.get("auth_kind"))
    for name, value in fixed_headers(request.is_secure, private):
        headers.setdefault(name, value)
    if private:
        headers.add("Vary", "Cookie")
    return response


def buffer_static(response):
    """Hand our small static files to the compressor as bytes (it skips file streams)."""
    if request.endpoint == "static" and response.status_code == 200 \
            and response.direct_passthrough:
        response.direct_passthrough = False
        response.set_data(response.get_data())
    return response


def init_security(app):
    app.session_interface = SessionInterface()
    app.before_request(authenticate_request)
    app.after_request(security_headers)
    # After-request hooks run last-registered first: this one runs before the compressor's.
    app.after_request(buffer_static)


def requires_role(*roles, message=None):
    """Refuse with 403 unless the signed-in person has one of ``roles``.

    Put it right under the route decorator, above ``@blp.arguments``: a caller who may not
    use the endpoint at all hears 403 before anything is read of a body they may not send
    (and learns nothing of what a valid one looks like). ``message`` says who may. The view
    keeps the roles as ``required_roles`` for tests that enumerate such endpoints.
    """
    from app.errors import Forbidden

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.roles.intersection(roles):
                raise Forbidden(str(message) if message else None)
            return view(*args, **kwargs)

        wrapper.required_roles = frozenset(roles)
        return wrapper

    return decorate
