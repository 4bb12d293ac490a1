"""Home (Beranda) and profile (Profil) pages."""

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.activities import deadlines
from app.activities import services as activity_services
from app.activities.models import Activity
from app.auth import services as auth_services
from app.core.forms import all_but, post_form
from app.core.security import public
from app.extensions import db
from app.models import utcnow
from app.org.schemas import PreferencesIn
from app.reports.services import progress_for

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Beranda: the day's activities, the deadline, templates and this month's progress."""
    now = utcnow()
    today = deadlines.local_today(current_user, now)
    try:
        day = date.fromisoformat(request.args["tanggal"]) if "tanggal" in request.args \
            else today
    except ValueError:
        day = today
    activities = db.session.scalars(activity_services.list_activities(
        current_user, date_from=day, date_to=day).order_by(None).order_by(
        Activity.start_time, Activity.created_at)).all()
    month_start = day.replace(day=1)
    return render_template(
        "home/index.html", person=current_user, now=now, day=day, today=today,
        activities=activities, previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1) if day < today else None,
        deadline=deadlines.summary(current_user, day, now),
        templates=activity_services.list_templates(current_user)[:6],
        progress=progress_for(current_user, month_start, day))


@bp.get("/profil")
def profile():
    tokens = auth_services.list_tokens(current_user)
    return render_template("home/profile.html", person=current_user, tokens=tokens)


@bp.post("/profil/bahasa")
def set_language():
    """Save the UI language; an empty choice follows the browser again."""
    def save(args):
        current_user.locale = args["locale"]

    posted = post_form(save, PreferencesIn(), data={"locale": request.form.get("locale") or None},
                       raise_for=all_but())
    if posted.failed:
        flash(_("Choose Bahasa Indonesia or English."), "error")
        return redirect(url_for("home.profile"), 303)
    flash(_("Language saved."), "success")
    return redirect(url_for("home.profile"), 303)


@bp.get("/healthz")
@public
def health():
    """Liveness for load balancers (no database work; also the benchmark's baseline)."""
    return {"status": "ok"}
