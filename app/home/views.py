"""Home (Beranda) and profile (Profil) pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.auth import services as auth_services
from app.core.security import public
from app.extensions import db
from app.models import utcnow
from app.org.schemas import PreferencesIn

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Today: the signed-in person and their place in the organisation."""
    return render_template("home/index.html", person=current_user, now=utcnow())


@bp.get("/profil")
def profile():
    tokens = auth_services.list_tokens(current_user)
    return render_template("home/profile.html", person=current_user, tokens=tokens)


@bp.post("/profil/bahasa")
def set_language():
    """Save the UI language; an empty choice follows the browser again."""
    try:
        args = PreferencesIn().load({"locale": request.form.get("locale") or None})
    except ValidationError:
        flash(_("Choose Bahasa Indonesia or English."), "error")
        return redirect(url_for("home.profile"), 303)
    current_user.locale = args["locale"]
    db.session.commit()
    flash(_("Language saved."), "success")
    return redirect(url_for("home.profile"), 303)


@bp.get("/healthz")
@public
def health():
    """Liveness for load balancers (no database work; also the benchmark's baseline)."""
    return {"status": "ok"}
