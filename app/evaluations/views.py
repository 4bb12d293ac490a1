"""Evaluation pages: the person's list, the self-evaluation, the appraiser's team and
assessment, the acknowledgement, the distribution and the admin's periods. They call the same
services as the API; a form that fails keeps what was typed."""


import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.activities import deadlines
from app.core.forms import all_but, post_form
from app.errors import AppError
from app.evaluations import services
from app.evaluations.berakhlak import VALUES
from app.evaluations.labels import (
    ORG_PREDIKAT_LABELS,
    PERIOD_KIND_LABELS,
    PREDIKAT_LABELS,
    RATING_LABELS,
    STATUS_LABELS,
    period_name,
)
from app.evaluations.models import PeriodKind
from app.evaluations.rules import OrgPredikat, Rating
from app.evaluations.schemas import (
    AssessIn,
    EvaluationEvidenceIn,
    EvaluationReturnIn,
    GenerateIn,
    PeriodIn,
    PeriodPatchIn,
    SelfEvaluationIn,
)
from app.models import utcnow
from app.org.lines import supervises_anyone
from app.org.models import Role

bp = Blueprint("evaluations", __name__)
bp.add_app_template_filter(period_name, "period_name")

#: The unit predicate as the distribution form posts it.
ORG_PREDIKAT = ma.fields.Enum(OrgPredikat, by_value=True)


def labels() -> dict:
    return {"status_labels_eval": STATUS_LABELS, "rating_labels": RATING_LABELS,
            "predikat_labels": PREDIKAT_LABELS, "org_predikat_labels": ORG_PREDIKAT_LABELS,
            "period_kind_labels": PERIOD_KIND_LABELS, "core_values": VALUES}


def _today():
    return deadlines.local_today(current_user, utcnow())


def _period_arg(name="periode"):
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _default_period(periods):
    """The period running today (periodic before final), else the latest started."""
    today = _today()
    running = [p for p in periods if p.starts_on <= today <= p.ends_on]
    if running:
        return sorted(running, key=lambda p: (p.is_final, p.ends_on))[0]
    started = [p for p in periods if p.starts_on <= today]
    return started[-1] if started else (periods[0] if periods else None)


def _chosen_period():
    periods = services.list_periods(current_user)
    chosen = _period_arg()
    period = services.get_period(current_user, chosen) if chosen else _default_period(periods)
    return periods, period


# --- the person's list ---------------------------------------------------------------------

@bp.get("/evaluasi")
def index():
    """The person's periods with the status and predikat of their evaluations."""
    year = request.args.get("tahun", type=int) or _today().year
    rows = services.my_evaluations(current_user, year)

    return render_template("evaluations/index.html", rows=rows, year=year,
                           is_admin=current_user.has_role(Role.ADMIN),
                           oversees=bool(current_user.roles & {Role.ADMIN, Role.PIMPINAN}),
                           supervises=supervises_anyone(current_user), **labels())


@bp.post("/evaluasi/periode/<int:period_id>/buka")
def open_(period_id):
    posted = post_form(lambda: services.open_evaluation(current_user, period_id))
    if posted.failed:
        flash(posted.message, "error")
        return redirect(url_for("evaluations.index"), 303)
    evaluation, _created = posted.result
    return redirect(url_for("evaluations.detail", evaluation_id=evaluation.id), 303)


# --- the self-evaluation -------------------------------------------------------------------

def _detail_page(evaluation_id: int, *, typed=None, errors=None, status=200):
    evaluation = services.decorate(services.get_evaluation(current_user, evaluation_id),
                                   current_user)
    snapshot = {}
    for row in evaluation.indicators:
        snapshot.setdefault(row.rhk_id, []).append(row)
    evidence = {}
    for item in evaluation.evidence:
        evidence.setdefault(item.rhk_id, []).append(item)
    return render_template(
        "evaluations/detail.html", evaluation=evaluation, snapshot=snapshot,
        evidence=evidence, typed=typed or {}, errors=errors or {},
        behaviours={b.value: b for b in evaluation.behaviours},
        is_owner=evaluation.person_id == current_user.id,
        may_assess=services.may_assess(current_user, evaluation.person), **labels()), status


@bp.get("/evaluasi/<int:evaluation_id>")
def detail(evaluation_id):
    return _detail_page(evaluation_id)


@bp.get("/evaluasi/<int:evaluation_id>/dokumen")
def document(evaluation_id):
    """Download the evaluation form as a PDF."""
    from app.documents.api import download

    content, name = services.document_pdf(current_user, evaluation_id)
    return download(content, name, "application/pdf")


@bp.post("/evaluasi/<int:evaluation_id>")
def save(evaluation_id):
    """Save the self-evaluation; ``action`` may also submit it or refresh from the logs."""
    form = request.form
    action = form.get("action", "save")
    evaluation = services.get_evaluation(current_user, evaluation_id)
    rhk = [{"rhk_id": row.rhk_id,
            "realisation": form.get(f"realisation-{row.rhk_id}", row.realisation),
            "reflection": form.get(f"reflection-{row.rhk_id}", row.reflection)}
           for row in evaluation.rhks]
    typed = {f"{key}-{item['rhk_id']}": item[key] for item in rhk
             for key in ("realisation", "reflection")}

    def save_and_act(args):
        saved = services.save_self_evaluation(current_user, evaluation_id, **args)
        if action == "refresh":
            services.refresh_from_logs(current_user, evaluation_id, saved.version)
        elif action == "submit":
            services.submit_evaluation(current_user, evaluation_id, saved.version)

    posted = post_form(save_and_act, SelfEvaluationIn(), data={
        "version": int(form.get("version") or 0) or None, "rhk": rhk})
    if isinstance(posted.error, AppError):
        return _detail_page(evaluation_id, typed=typed, status=posted.status,
                            errors={"_form": posted.message, **posted.error.fields})
    if posted.failed:
        return _detail_page(evaluation_id, typed=typed, errors=posted.errors, status=422)
    flash({"submit": _("Self-evaluation sent to your supervisor."),
           "refresh": _("Realisation recomputed from your logs.")}.get(action, _("Saved.")),
          "success")
    return redirect(url_for("evaluations.detail", evaluation_id=evaluation_id), 303)


def _simple(evaluation_id: int, act, done: str, target: str = "evaluations.detail"):
    post_form(act).flash(done)
    return redirect(url_for(target, evaluation_id=evaluation_id), 303)


@bp.post("/evaluasi/<int:evaluation_id>/bukti")
def add_evidence(evaluation_id):
    """A file (photo or PDF) when one is chosen, otherwise the link."""
    upload = request.files.get("file")

    def act():
        rhk_id = request.form.get("rhk_id", "")
        rhk_id = int(rhk_id) if rhk_id.isdigit() else 0
        label = request.form.get("label", "")
        if upload is not None and upload.filename:
            services.add_evidence_file(current_user, evaluation_id, rhk_id=rhk_id,
                                       stream=upload.stream, filename=upload.filename,
                                       label=label[:200])
            return
        args = EvaluationEvidenceIn().load({
            "rhk_id": rhk_id, "url": request.form.get("url", ""), "label": label})
        services.add_evidence(current_user, evaluation_id, **args)
    return _simple(evaluation_id, act, _("Evidence added."))


@bp.post("/evaluasi/bukti/<int:evidence_id>/hapus")
def delete_evidence(evidence_id):
    evaluation = services.delete_evidence(current_user, evidence_id)
    flash(_("Evidence removed."), "success")
    return redirect(url_for("evaluations.detail", evaluation_id=evaluation.id), 303)


@bp.post("/evaluasi/<int:evaluation_id>/terima")
def acknowledge(evaluation_id):
    version = request.form.get("version", "")
    return _simple(evaluation_id, lambda: services.acknowledge_evaluation(
        current_user, evaluation_id, int(version) if version.isdigit() else None),
        _("You have acknowledged the assessment."))


# --- the appraiser -------------------------------------------------------------------------

@bp.get("/evaluasi/tim")
def team():
    """The people the caller assesses, with their evaluation of the chosen period."""
    periods, period = _chosen_period()
    view = services.team_evaluations(current_user, period.id) if period else None
    return render_template("evaluations/team.html", periods=periods, period=period,
                           view=view, **labels())


def _assess_page(evaluation_id: int, *, typed=None, errors=None, status=200):
    evaluation = services.decorate(services.get_evaluation(current_user, evaluation_id),
                                   current_user)
    if not services.may_assess(current_user, evaluation.person):
        from app.errors import Forbidden

        raise Forbidden(_("Only the employee's appraiser (pejabat penilai) can do this."))
    snapshot = {}
    for row in evaluation.indicators:
        snapshot.setdefault(row.rhk_id, []).append(row)
    unit_row = services.unit_predicate(evaluation.person.unit_id, evaluation.period_id)
    return render_template(
        "evaluations/assess.html", evaluation=evaluation, snapshot=snapshot,
        behaviours={b.value: b for b in evaluation.behaviours}, typed=typed or {},
        errors=errors or {}, unit_predikat=unit_row.predikat if unit_row else None,
        ratings=list(Rating), **labels()), status


@bp.get("/evaluasi/<int:evaluation_id>/penilaian")
def assess_form(evaluation_id):
    return _assess_page(evaluation_id)


@bp.post("/evaluasi/<int:evaluation_id>/penilaian")
def assess(evaluation_id):
    form = request.form
    evaluation = services.get_evaluation(current_user, evaluation_id)
    data = {
        "version": int(form["version"]) if form.get("version", "").isdigit() else None,
        "hasil_kerja": form.get("hasil_kerja") or None,
        "perilaku_kerja": form.get("perilaku_kerja", ""),
        "rhk": [{"rhk_id": row.rhk_id, "feedback": form.get(f"feedback-{row.rhk_id}", ""),
                 "rating": form.get(f"rating-{row.rhk_id}") or None}
                for row in evaluation.rhks],
        "behaviour": [{"value": core.value.value,
                       "feedback": form.get(f"bfeedback-{core.value.value}", ""),
                       "expectation": form.get(f"expectation-{core.value.value}", "")}
                      for core in VALUES],
    }
    posted = post_form(
        lambda args: services.assess_evaluation(current_user, evaluation_id, **args),
        AssessIn(), data=data)
    if posted.failed:
        return _assess_page(evaluation_id, typed=form.to_dict(), errors=posted.errors,
                            status=posted.status)
    flash(_("Assessment saved. The employee has been told."), "success")
    return redirect(url_for("evaluations.detail", evaluation_id=evaluation_id), 303)


@bp.post("/evaluasi/<int:evaluation_id>/kembalikan")
def return_(evaluation_id):
    def act():
        args = EvaluationReturnIn().load({"reason": request.form.get("reason", "")})
        services.return_evaluation(current_user, evaluation_id, **args)
    return _simple(evaluation_id, act, _("Self-evaluation returned with your reason."))


@bp.post("/evaluasi/<int:evaluation_id>/buka-kembali")
def reopen(evaluation_id):
    return _simple(evaluation_id,
                   lambda: services.reopen_evaluation(current_user, evaluation_id),
                   _("Reopened: the employee may submit after the deadline."))


# --- distribution and unit predicates ------------------------------------------------------

@bp.get("/evaluasi/distribusi")
def distribution():
    periods, period = _chosen_period()
    unit_id = request.args.get("unit", "")
    unit_id = int(unit_id) if unit_id.isdigit() else None
    view = services.distribution(current_user, period.id, unit_id) if period else None
    units = services.unit_predicates(current_user, period.id) if period else []
    return render_template("evaluations/distribution.html", periods=periods, period=period,
                           view=view, units=units, unit_id=unit_id,
                           oversees=bool(current_user.roles & {Role.ADMIN, Role.PIMPINAN}),
                           org_predicates=list(OrgPredikat), **labels())


@bp.post("/evaluasi/distribusi/predikat-unit")
def set_unit_predicate():
    form = request.form
    period_id = int(form["period_id"]) if form.get("period_id", "").isdigit() else 0
    unit_id = int(form["unit_id"]) if form.get("unit_id", "").isdigit() else 0
    post_form(lambda: services.set_unit_predicate(
        current_user, period_id, unit_id, ORG_PREDIKAT.deserialize(form.get("predikat", ""))),
    ).flash(_("Unit predicate saved."))
    return redirect(url_for("evaluations.distribution", periode=period_id or None,
                            unit=form.get("back_unit") or None), 303)


# --- the admin's periods -------------------------------------------------------------------

def _periods_page(*, form=None, errors=None, status=200):
    year = request.args.get("tahun", type=int) or _today().year
    return render_template("evaluations/periods.html", periods=services.list_periods(
        current_user, year), year=year, form=form or {}, errors=errors or {},
        kinds=list(PeriodKind), may_change=current_user.has_role(Role.ADMIN), **labels()), status


def _require_admin():
    if not current_user.has_role(Role.ADMIN):
        from app.errors import Forbidden

        raise Forbidden(_("Only an HR administrator can manage evaluation periods."))


@bp.get("/evaluasi/periode")
def periods():
    """The organisation's periods: HR administrators manage them, pimpinan see them."""
    if not current_user.roles & {Role.ADMIN, Role.PIMPINAN}:
        _require_admin()
    return _periods_page()


def _period_form(form) -> dict:
    data = {key: form.get(key, "") for key in ("name", "kind", "starts_on", "ends_on",
                                               "deadline")}
    data = {key: value for key, value in data.items() if value != "" or key == "name"}
    data["is_final"] = form.get("is_final") == "1"
    return data


@bp.post("/evaluasi/periode")
def create_period():
    _require_admin()
    form = request.form.to_dict()
    posted = post_form(lambda args: services.create_period(current_user, **args), PeriodIn(),
                       data=_period_form(form), raise_for=())
    if posted.failed:
        return _periods_page(form=form, errors=posted.errors, status=posted.status)
    flash(_("Period added."), "success")
    return redirect(url_for("evaluations.periods"), 303)


@bp.post("/evaluasi/periode/buat")
def generate_periods():
    _require_admin()
    form = request.form
    posted = post_form(
        lambda args: (args["year"], services.generate_periods(current_user, args["year"],
                                                              args["kind"])),
        GenerateIn(), raise_for=all_but(), data={
            "year": int(form["year"]) if form.get("year", "").isdigit() else 0,
            "kind": form.get("kind", "")})
    if posted.failed:
        flash(posted.message, "error")
        return redirect(url_for("evaluations.periods"), 303)
    year, created = posted.result
    flash(ngettext("%(num)d period created.", "%(num)d periods created.", len(created))
          if created else
          _("All these periods exist already."), "success")
    return redirect(url_for("evaluations.periods", tahun=year), 303)


@bp.get("/evaluasi/periode/<int:period_id>/ubah")
def edit_period(period_id):
    _require_admin()
    period = services.get_period(current_user, period_id)
    return render_template("evaluations/period_form.html", period=period, form={},
                           errors={}, kinds=list(PeriodKind), **labels())


@bp.post("/evaluasi/periode/<int:period_id>/ubah")
def update_period(period_id):
    _require_admin()
    period = services.get_period(current_user, period_id)
    form = request.form.to_dict()
    posted = post_form(lambda args: services.update_period(current_user, period_id, **args),
                       PeriodPatchIn(), data=_period_form(form))
    if posted.failed:
        return render_template("evaluations/period_form.html", period=period, form=form,
                               errors=posted.errors, kinds=list(PeriodKind), **labels()), 422
    flash(_("Saved."), "success")
    return redirect(url_for("evaluations.periods", tahun=period.year), 303)


@bp.post("/evaluasi/periode/<int:period_id>/hapus")
def delete_period(period_id):
    _require_admin()
    post_form(lambda: services.delete_period(current_user, period_id),
              raise_for=all_but(409)).flash(_("Period deleted."))
    return redirect(url_for("evaluations.periods"), 303)


