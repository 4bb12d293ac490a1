"""Sign-in, sign-out, password and access-token pages."""

from math import ceil
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, logout_user
from marshmallow import ValidationError

from app.auth import activation, services
from app.auth.api import sign_in
from app.auth.schemas import ActivateIn, ChangePasswordIn, LoginIn, SignOutIn, TokenIn
from app.auth.throttle import activation_limits, login_limits
from app.core.forms import all_but, post_form
from app.core.security import public
from app.core.uow import keep_on_error
from app.errors import ValidationFailed, handle_rate_limit

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/masuk", methods=["GET", "POST"], endpoint="login")
@login_limits
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
        keep_on_error()  # the failed attempt counts towards the lockout
        return render_template("auth/login.html", form=form,
                               errors={"_form": _("The NIP or password is wrong.")}), 401
    sign_in(person)
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.route("/aktivasi", methods=["GET", "POST"], endpoint="activate_page")
@activation_limits
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


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(error):
    """The sign-in form again, with the NIP kept and the time left, not a bare error page."""
    response = handle_rate_limit(error)
    if request.endpoint != "auth.login":
        return response
    seconds = int(response.headers["Retry-After"])
    message = _("Too many wrong attempts. Try again in %(minutes)s minutes.",
                minutes=max(1, ceil(seconds / 60)))
    return render_template("auth/login.html", form={"nip": request.form.get("nip", "")},
                           errors={"_form": message}), 429, {"Retry-After": str(seconds)}


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
