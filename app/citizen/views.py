"""The public survey page of a service unit: no sign-in, CSRF-protected, rate-limited.

A citizen reaches it from the QR code at the counter: ``/survei/<org slug>/<unit code>``.
"""

import io

import segno
import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.citizen import services
from app.citizen.questions import QUESTIONS
from app.citizen.schemas import SurveyIn
from app.core.forms import post_form
from app.core.security import public
from app.errors import NotFound
from app.extensions import db, limiter
from app.org.models import Organisation, Unit

bp = Blueprint("citizen", __name__)


def _unit(org_slug: str, unit_code: str) -> Unit:
    unit = db.session.scalar(
        sa.select(Unit).join(Organisation, Unit.org_id == Organisation.id)
        .where(Organisation.slug == org_slug, Unit.code == unit_code))
    if unit is None:
        raise NotFound(_("Service unit not found."))
    return unit


def _page(unit: Unit, form: dict, errors: dict, status: int = 200):
    response = current_app.make_response((render_template(
        "citizen/survey.html", unit=unit, questions=QUESTIONS, form=form, errors=errors),
        status))
    # The page carries a CSRF token bound to this browser's session.
    response.headers["Cache-Control"] = "no-store"
    return response


def _survey_limit() -> str:
    return current_app.config.get("SURVEY_LIMIT_PER_IP", "20 per hour")


@bp.route("/survei/<org_slug>/<unit_code>", methods=["GET", "POST"])
@limiter.limit(_survey_limit, methods=["POST"])
@public
def survey(org_slug, unit_code):
    """The nine questions; a bad answer re-shows the form with every choice kept."""
    unit = _unit(org_slug, unit_code)
    if request.method == "GET":
        return _page(unit, {}, {})
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    posted = post_form(lambda answers: services.record(unit, answers), SurveyIn(), data=form)
    if posted.failed:
        return _page(unit, form, posted.errors, 422)
    return redirect(url_for("citizen.thanks", org_slug=org_slug, unit_code=unit_code), 303)


@bp.get("/survei/<org_slug>/<unit_code>/terima-kasih")
@public
def thanks(org_slug, unit_code):
    return render_template("citizen/thanks.html", unit=_unit(org_slug, unit_code))


def survey_url(unit: Unit) -> str:
    """The survey's full address, as the QR code at the counter carries it."""
    return url_for("citizen.survey", org_slug=unit.organisation.slug, unit_code=unit.code,
                   _external=True)


def qr_svg(url: str, title: str) -> bytes:
    """A QR code of ``url`` as SVG: error correction M (a poster may get a little worn),
    black on white with the standard quiet zone, scalable to any print size."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=4, dark="#000",
                                    light="#fff", xmldecl=False, title=title)
    return out.getvalue()


@bp.get("/survei/<org_slug>/<unit_code>/qr.svg")
@public
def qr(org_slug, unit_code):
    """The survey's address as a QR code, to print or to put on the unit's own posters."""
    unit = _unit(org_slug, unit_code)
    response = current_app.response_class(qr_svg(survey_url(unit), unit.name),
                                          mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/survei/<org_slug>/<unit_code>/poster")
@public
def poster(org_slug, unit_code):
    """An A4 poster for the service counter: the unit, the QR code and the address."""
    unit = _unit(org_slug, unit_code)
    return render_template("citizen/poster.html", unit=unit, link=survey_url(unit))
