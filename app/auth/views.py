"""Sign-in, sign-out, password and access-token pages."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from marshmallow import ValidationError

from app.auth import activation, services
from app.auth.api import sign_in
from app.auth.schemas import ActivateIn, ChangePasswordIn, LoginIn, SignOutIn, TokenIn
from app.auth.throttle import note_failure, throttled
from app.core.forms import all_but, post_form
from app.core.security import public
from app.errors import ValidationFailed

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def wait_message(seconds: int) -> str:
    """How long to wait, in the user's language: seconds under a minute, else whole minutes
    rounded up (never less than the real wait)."""
    wait = timedelta(seconds=seconds) if seconds < 60 else \
        timedelta(minutes=math.ceil(seconds / 60))
    return _("Too many attempts. Please wait %(time)s and try again.",
             time=format_timedelta(wait, threshold=2))


def refused_page(template: str, fields: tuple[str, ...]):
    """The ``refuse`` of :func:`throttled` for a page: the form again, with what was typed
    (never a password) and how long to wait, as 429."""
    def refuse(seconds: int):
        form = {name: request.form.get(name, "") for name in fields}
        html = render_template(template, form=form, errors={"_form": wait_message(seconds)})
        return current_app.response_class(html, status=429, mimetype="text/html")
    return refuse


@bp.route("/masuk", methods=["GET", "POST"], endpoint="login")
@throttled("login", refuse=refused_page("auth/login.html", ("nip",)))
@public
def login():
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return render_template("auth/login.html", form={}, errors={})
    form = request.form.to_dict()
    posted = post_form(lambda args: services.authenticate(args["nip"], args["password"]),
                       LoginIn(), data={"nip": form.get("nip", ""),
                                        "password": form.get("password", "")})
    if posted.failed:
        return render_template("auth/login.html", form=form, errors=posted.errors), 422
    person = posted.result
    if person is None:
        note_failure()
        return render_template("auth/login.html", form=form,
                               errors={"_form": _("The NIP or password is wrong.")}), 401
    sign_in(person)
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.route("/aktivasi", methods=["GET", "POST"], endpoint="activate_page")
@throttled("activate", refuse=refused_page("auth/activate.html", ("nip", "code")))
@public
def activate_page():
    """Set a first (or new) password with the code from the HR administrator; signed in."""
    if request.method == "GET":
        return render_template("auth/activate.html", form={}, errors={})
    form = {name: request.form.get(name, "") for name in ("nip", "code")}

    def activate(args):
        if request.form.get("confirm_password", "") != args["password"]:
            raise ValidationFailed(fields={
                "confirm_password": _("The two new passwords differ.")})
        return activation.activate(args["nip"], args["code"], args["password"])

    posted = post_form(activate, ActivateIn(), raise_for=(),
                       data={**form, "password": request.form.get("password", "")})
    if posted.failed:  # what was typed stays, except the passwords
        return render_template("auth/activate.html", form=form,
                               errors=posted.errors), posted.status
    sign_in(posted.result)
    flash(_("Your account is active. Welcome to Kinerjaku!"), "success")
    return redirect(url_for("home.index"), 303)


@bp.get("/lupa-kata-sandi", endpoint="forgot_password")
@public
def forgot_password():
    """Whom to ask for a new code; it says nothing about any account."""
    return render_template("auth/forgot.html")


@bp.post("/keluar")
def logout():
    try:
        endpoint = SignOutIn().load({"push_endpoint": request.form.get("push_endpoint", "")})[
            "push_endpoint"]
    except ValidationError:
        endpoint = ""  # a sign-out always goes through; the push service drops a stale device
    if endpoint:
        from app.notifications.push import forget_device

        forget_device(current_user, endpoint)
    services.end_session(current_user)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/profil/kata-sandi", methods=["GET", "POST"])
def password():
    if request.method == "GET":
        return render_template("auth/password.html", errors={})

    def change(args):
        if request.form.get("confirm_password", "") != args["new_password"]:
            raise ValidationFailed(fields={
                "confirm_password": _("The two new passwords differ.")})
        services.change_password(current_user, args["current_password"], args["new_password"])

    posted = post_form(change, ChangePasswordIn(), raise_for=(), data={
        "current_password": request.form.get("current_password", ""),
        "new_password": request.form.get("new_password", "")})
    if posted.failed:
        return render_template("auth/password.html", errors=posted.errors), posted.status
    flash(_("Password changed. Other devices have been signed out."), "success")
    return redirect(url_for("home.profile"), 303)


@bp.post("/profil/token")
def create_token():
    posted = post_form(lambda args: services.create_token(current_user, args["name"]),
                       TokenIn(), data={"name": request.form.get("name", "")},
                       raise_for=all_but())
    if posted.failed:
        flash(_("Give the token a name."), "error")
        return redirect(url_for("home.profile"), 303)
    # Shown once, on the page that answers this request; never stored in clear.
    return render_template("auth/token_created.html", token=posted.result)


@bp.post("/profil/token/<int:token_id>/cabut")
def revoke_token(token_id):
    services.revoke_token(current_user, token_id)
    flash(_("Token revoked."), "success")
    return redirect(url_for("home.profile"), 303)


@bp.get("/bahasa/<code>", endpoint="language")
@public
def language(code):
    """Choose the language before signing in (kept in a cookie for a year)."""
    response = redirect(url_for("auth.login"), 303)
    if code in ("id", "en"):
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response
