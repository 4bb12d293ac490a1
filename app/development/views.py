"""Pages of competency development: ``/pengembangan`` (one's records, the team's to verify,
who is below the year's target, mentoring pairs) and the progress bar on Profil."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import uploads
from app.core.forms import all_but, post_form
from app.development import services
from app.development.models import TrainingKind
from app.development.schemas import PairIn, TargetIn, TrainingDecisionIn, TrainingIn
from app.extensions import db
from app.org.lines import local_today, supervises_anyone
from app.org.models import Person

bp = Blueprint("development", __name__)


def kind_labels() -> dict[str, str]:
    return {TrainingKind.TRAINING.value: _("Training"), TrainingKind.COURSE.value: _("Course"),
            TrainingKind.SEMINAR.value: _("Seminar or workshop"),
            TrainingKind.MENTORING.value: _("Mentoring or coaching"),
            TrainingKind.OTHER.value: _("Other")}


def status_labels() -> dict[str, str]:
    return {"submitted": _("Waiting for verification"), "verified": _("Verified"),
            "rejected": _("Rejected")}


@bp.app_template_global()
def development_summary():
    """The signed-in person's JP this year against the target, for the Profil page."""
    year = local_today(current_user).year
    summary = services.development(current_user, year)
    target = summary["jp_target"] or 1
    summary["percent"] = min(100, round(100 * summary["jp_total"] / target))
    return summary


def _year() -> int:
    value = request.args.get("tahun", "")
    today = local_today(current_user)
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today.year


def _page(form=None, errors=None, status: int = 200):
    year = _year()
    looks_after = services.is_admin(current_user) or supervises_anyone(current_user)
    people = list(db.session.scalars(db.select(Person).where(
        Person.org_id == current_user.org_id, Person.active).order_by(Person.name))) \
        if looks_after else []
    return render_template(
        "development/index.html", year=year, summary=services.development(current_user, year),
        trainings=services.list_trainings(current_user, year=year),
        waiting=services.to_verify(current_user) if looks_after else [],
        below=services.below_target(current_user, year) if looks_after else [],
        pairs=services.list_pairs(current_user), people=people, looks_after=looks_after,
        is_admin=services.is_admin(current_user),
        kinds=kind_labels(), statuses=status_labels(), form=form or {},
        errors=errors or {}), status


@bp.get("/pengembangan")
def index():
    return _page()


@bp.post("/pengembangan")
def record():
    """Record a development activity, with its certificate when one is chosen."""
    upload = request.files.get("certificate")

    def create(args):
        training = services.create_training(current_user, **args)
        if upload is not None and upload.filename:
            services.add_certificate(current_user, training.id, stream=upload.stream,
                                     filename=upload.filename)
        return training

    posted = post_form(create, TrainingIn(), raise_for=(404,))
    if posted.failed:
        return _page(request.form, posted.errors, posted.status)
    posted.flash(_("Recorded. It counts once your supervisor verifies it."))
    return redirect(url_for("development.index"), 303)


@bp.post("/pengembangan/<int:training_id>/keputusan")
def decide(training_id):
    services.get_training(current_user, training_id)  # another's: 404 before the form
    posted = post_form(lambda args: services.decide(current_user, training_id, **args),
                       TrainingDecisionIn(), raise_for=(404,))
    posted.flash(_("Decision saved."))
    return redirect(url_for("development.index"), 303)


@bp.get("/pengembangan/<int:training_id>/sertifikat")
def certificate(training_id):
    return uploads.send(services.certificate(current_user, training_id))


@bp.post("/pengembangan/mentoring")
def pair():
    posted = post_form(lambda args: services.create_pair(current_user, **args), PairIn(),
                       raise_for=all_but(422, 403))
    if posted.failed:
        return _page(request.form, posted.errors, posted.status)
    posted.flash(_("Mentoring pair saved."))
    return redirect(url_for("development.index"), 303)


@bp.post("/pengembangan/target")
def set_target():
    """The organisation's yearly JP target (HR administrators)."""
    post_form(lambda args: services.set_jp_target(current_user, args["jp_target"]),
              TargetIn(), raise_for=()).flash(_("Yearly target saved."))
    return redirect(url_for("development.index"), 303)
