"""The public survey page of a service unit: no sign-in, CSRF-protected, guarded against
floods (:mod:`app.citizen.throttle`), with the unit's published answers.

A citizen reaches it from the QR code at the counter: ``/survei/<org slug>/<unit code>``.
"""

import io
import logging

import segno
import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.citizen import inbox, services, throttle
from app.citizen.questions import QUESTIONS
from app.citizen.schemas import SurveyIn
from app.core.forms import post_form
from app.core.security import public
from app.errors import NotFound
from app.extensions import db
from app.org.models import Organisation, Unit

logger = logging.getLogger(__name__)
bp = Blueprint("citizen", __name__)


def _unit(org_slug: str, unit_code: str) -> Unit:
    unit = db.session.scalar(
        sa.select(Unit).join(Organisation, Unit.org_id == Organisation.id)
        .where(Organisation.slug == org_slug, Unit.code == unit_code))
    if unit is None:
        raise NotFound(_("Service unit not found."))
    return unit


def _page(unit: Unit, form: dict, errors: dict, status: int = 200, *, notice: str = "",
          headers: dict | None = None):
    device = throttle.device_for_form()
    response = current_app.make_response((render_template(
        "citizen/survey.html", unit=unit, questions=QUESTIONS, form=form, errors=errors,
        notice=notice, form_token=throttle.form_token(device, unit.id),
        officers=services.serving_officers(unit), answers=inbox.public_answers(unit)),
        status, headers or {}))
    # The page carries a CSRF token bound to this browser's session and a one-time token.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/survei/<org_slug>/<unit_code>", methods=["GET", "POST"])
@public
def survey(org_slug, unit_code):
    """The nine questions, and the unit's published answers to citizens.

    A bad answer re-shows the form with every choice kept; the flood guard
    (:mod:`app.citizen.throttle`) stands before anything is stored.
    """
    unit = _unit(org_slug, unit_code)
    if request.method == "GET":
        return _page(unit, {}, {})
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    token = form.pop(throttle.TOKEN_FIELD, None)
    if form.pop(throttle.HONEYPOT, ""):
        logger.info("Survey of unit %s: honeypot filled, answer dropped", unit.id)
        return _thanked(org_slug, unit_code)
    device = throttle.current_device()
    nonce = throttle.check_token(token, device, unit.id)
    if nonce is None:
        return _page(unit, form, {}, 400, notice=_(
            "This form has expired or was already sent. Please answer again."))
    seconds = throttle.wait_for(device, unit.id)
    if seconds:
        logger.warning("Survey of unit %s: answer refused for %d s (flood guard)", unit.id,
                       seconds)
        return _page(unit, form, {}, 429, headers={"Retry-After": str(seconds)}, notice=_(
            "Too many answers from here just now. Please try again in a few minutes."))
    posted = post_form(lambda answers: services.record(unit, answers), SurveyIn(), data=form,
                       raise_for=())
    if posted.failed:
        return _page(unit, form, posted.errors, 422)
    if not throttle.take_token(nonce):
        db.session.rollback()
        return _page(unit, form, {}, 400, notice=_(
            "This form has expired or was already sent. Please answer again."))
    throttle.count_answer(device, unit.id)
    return _thanked(org_slug, unit_code)


def _thanked(org_slug: str, unit_code: str):
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
