"""Signed-in pages of the citizens' voice: the unit's inbox, the SKM report with its
follow-up plan, and officers' feedback (``/suara-warga``)."""

import marshmallow as ma
import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.citizen import inbox, officers, report
from app.citizen.models import MessageStatus
from app.citizen.questions import QUESTIONS
from app.citizen.schemas import AnswerIn, FollowUpIn, PeriodArgs
from app.core.forms import all_but, post_form
from app.errors import ValidationFailed, flatten_messages
from app.extensions import db
from app.org.lines import local_today
from app.org.models import Unit

bp = Blueprint("voice", __name__)

@bp.app_template_global()
def citizen_message_status(status) -> str:
    return {MessageStatus.NEW: _("New"), MessageStatus.ANSWERED: _("Answered"),
            MessageStatus.CLOSED: _("Closed")}[MessageStatus(status)]


@bp.app_template_global()
def reads_citizen_inbox() -> bool:
    return bool(inbox.units_of(current_user)) or inbox.is_admin(current_user)


@bp.get("/suara-warga")
def index():
    """The inbox: citizens' messages of the units the reader heads (an HR administrator: the
    organisation's), newest first, by status."""
    status = request.args.get("status") or None
    if status not in (None, *[s.value for s in MessageStatus]):
        status = None
    messages = inbox.list_messages(current_user, status)
    return render_template("citizen/inbox.html", messages=messages, status=status,
                           counts=inbox.counts(current_user), statuses=list(MessageStatus))


def _message_page(message_id: int, form=None, errors=None, status: int = 200):
    message = inbox.get_message(current_user, message_id)
    return render_template("citizen/message.html", message=message, form=form or {},
                           errors=errors or {}), status


@bp.get("/suara-warga/<int:message_id>")
def message(message_id):
    return _message_page(message_id)


@bp.post("/suara-warga/<int:message_id>/jawab")
def answer(message_id):
    """Answer a message; ticked, the answer is published on the unit's survey page."""
    posted = post_form(lambda args: inbox.answer_message(current_user, message_id, **args),
                       AnswerIn(), raise_for=(404,))
    if posted.failed:
        return _message_page(message_id, request.form, posted.errors, posted.status)
    flash(_("Answer saved.") if not posted.result.published
          else _("Answer saved and published on the survey page."), "success")
    return redirect(url_for("voice.message", message_id=message_id), 303)


@bp.post("/suara-warga/<int:message_id>/terbitkan")
def publish(message_id):
    published = request.form.get("publish") == "1"
    post_form(lambda: inbox.set_published(current_user, message_id, published)).flash(
        _("Published on the survey page.") if published else _("No longer published."))
    return redirect(url_for("voice.message", message_id=message_id), 303)


@bp.post("/suara-warga/<int:message_id>/tutup")
def close(message_id):
    post_form(lambda: inbox.close_message(current_user, message_id)).flash(
        _("Message closed."))
    return redirect(url_for("voice.message", message_id=message_id), 303)


# --- the SKM report and its follow-up plan ---------------------------------------------------

def _period_args(source) -> tuple[int | None, object, object, str | None]:
    try:
        args = PeriodArgs().load({key: value for key, value in source.items()
                                  if key in ("unit", "dari", "sampai", "format") and value})
    except ma.ValidationError as error:
        raise ValidationFailed(fields=flatten_messages(error.messages)) from error
    start, end = report.period(args["start"], args["end"], local_today(current_user))
    return args["unit"], start, end, args["format"]


@bp.get("/suara-warga/laporan")
def report_page():
    """The unit's SKM over a period: NRR per unsur, the weakest ones and their plans, and
    downloads (XLSX, PDF)."""
    inbox.require_inbox(current_user)
    unit_id, start, end, file_format = _period_args(request.args)
    built = report.build(current_user, unit_id, start, end)
    if file_format:
        return _download(built, file_format)
    units = sorted((unit for unit in _units()), key=lambda unit: unit.code)
    return render_template("citizen/report.html", report=built, units=units,
                           questions=QUESTIONS, errors={}, form={})


def _units() -> list[Unit]:
    ids = inbox.units_of(current_user)
    return list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids)))) if ids else []


def _download(built, file_format: str):
    name = f"skm-{built.unit.code}-{built.start:%Y%m%d}-{built.end:%Y%m%d}"
    if file_format == "xlsx":
        body, mime = report.to_xlsx(built), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mime = report.to_pdf(built), "application/pdf"
    response = current_app.response_class(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/suara-warga/laporan/tindak-lanjut")
def save_follow_up():
    """Write the follow-up plan of one unsur over the report's period."""
    inbox.require_inbox(current_user)
    unit_id, start, end, _format = _period_args(request.form)
    posted = post_form(lambda args: report.save_follow_up(current_user, unit_id, start, end,
                                                          **args),
                       FollowUpIn(), data=_follow_up_form(), raise_for=(404,))
    posted.flash(_("Follow-up plan saved."))
    return redirect(url_for("voice.report_page", unit=unit_id,
                            dari=start.isoformat(), sampai=end.isoformat()), 303)


def _follow_up_form() -> dict:
    return {key: request.form.get(key, "") for key in ("unsur", "plan", "due_on",
                                                       "responsible")}


# --- officers' feedback ------------------------------------------------------------------------

@bp.get("/suara-warga/petugas")
def officer_feedback():
    """What citizens said when they named an officer: the reader's own, and their team's."""
    today = local_today(current_user)
    _unit_id, start, end, _format = _period_args(request.args)
    return render_template("citizen/officers.html", start=start, end=end, today=today,
                           rows=officers.feedback(current_user, start, end),
                           serving=officers.is_serving_officer(current_user))


@bp.post("/profil/petugas-layanan")
def serving_officer():
    """Opt in (or out) of being named by citizens on the survey of one's unit."""
    serving = request.form.get("serving") == "1"
    post_form(lambda: officers.set_serving_officer(current_user, serving),
              raise_for=all_but()).flash(
        _("Citizens can now name you on the survey.") if serving
        else _("Citizens can no longer name you on the survey."))
    target = "voice.officer_feedback" if request.form.get("next") == "petugas" \
        else "home.profile"
    return redirect(url_for(target), 303)

