"""POST /auth/login, /auth/logout, /auth/password and personal access tokens."""

from datetime import timedelta

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from app.auth import activation, services
from app.auth.schemas import (
    ActivateIn,
    ChangePasswordIn,
    LoginIn,
    LoginOut,
    NewTokenOut,
    TokenIn,
    TokenOut,
)
from app.auth.throttle import note_failure, remember_device, throttled
from app.core.blueprint import Blueprint
from app.core.security import csrf_exempt_json, public
from app.errors import Forbidden, Unauthorized
from app.models import utcnow

blp = Blueprint("auth_api", __name__, url_prefix="/auth",
                description="Sign in and out, passwords, personal access tokens")


def sign_in(person) -> None:
    """Renew the session (new id, new CSRF token), record the login and remember the device
    (app.auth.throttle: a known device is not locked out by others' failed attempts)."""
    session.clear()
    services.start_session(person, request.headers.get("User-Agent", ""))
    login_user(person)
    session.permanent = True
    # The CSRF token is made now, not by whichever page renders a form first while other
    # requests of the same page are still on their way back with the session cookie.
    generate_csrf()
    remember_device(person.nip)


@blp.post("/login")
@blp.arguments(LoginIn)
@blp.response(200, LoginOut)
@blp.errors(401, 429, descriptions={401: "Wrong NIP or password",
                                    429: "Too many attempts; see Retry-After"})
@throttled("login")
@public
@csrf_exempt_json
def login(args):
    """Sign in with NIP and password; the answer carries the CSRF token for later writes."""
    person = services.authenticate(args["nip"], args["password"])
    if person is None:
        note_failure()
        raise Unauthorized(_("The NIP or password is wrong."))
    sign_in(person)
    return {"csrf_token": generate_csrf(), "person": person}


@blp.post("/activate")
@blp.arguments(ActivateIn)
@blp.response(200, LoginOut)
@blp.errors(422, 429, descriptions={
    422: "Wrong NIP or code, the code used or expired (one message for all), or a password "
         "the policy refuses (under fields.password)",
    429: "Too many attempts; see Retry-After"})
@throttled("activate")
@public
@csrf_exempt_json
def activate(args):
    """Set a first (or new) password with a one-time activation code, and sign in."""
    person = activation.activate(args["nip"], args["code"], args["password"])
    sign_in(person)
    return {"csrf_token": generate_csrf(), "person": person}


@blp.post("/logout")
@blp.response(204)
def logout():
    """End this login session on the server and clear the cookie."""
    if g.auth_kind == "token":
        raise Forbidden(_("An access token cannot sign out; revoke it instead."))
    services.end_session(current_user)
    logout_user()
    session.clear()


@blp.post("/password")
@blp.arguments(ChangePasswordIn)
@blp.response(204)
def change_password(args):
    """Change the password; every other session and every access token is ended."""
    services.change_password(current_user, args["current_password"], args["new_password"])


@blp.get("/tokens")
@blp.response(200, TokenOut(many=True))
def list_tokens():
    return services.list_tokens(current_user)


@blp.post("/tokens")
@blp.arguments(TokenIn)
@blp.response(201, NewTokenOut)
def create_token(args):
    """Create a personal access token; its value is in this answer and never again."""
    days = args.get("expires_in_days")
    expires = utcnow() + timedelta(days=days) if days else None
    pat = services.create_token(current_user, args["name"], expires)
    current_app.logger.info("Token %s issued", pat.prefix)
    return pat


@blp.delete("/tokens/<int:token_id>")
@blp.response(204)
def revoke_token(token_id):
    services.revoke_token(current_user, token_id)
