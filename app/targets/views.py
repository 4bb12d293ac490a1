"""Target (SKP) pages: the year's SKP, its RHK and indicator forms, review by the supervisor."""

from datetime import date

import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.forms import all_but, post_form
from app.errors import AppError, Conflict, Forbidden
from app.extensions import db
from app.org.models import Role
from app.reports.rollup import team_rollup
from app.reports.services import progress_for
from app.targets import periods, planning, services
from app.targets.models import (
    Approach,
    Aspect,
    PeriodKind,
    Perspective,
    RhkKind,
    Skp,
    SkpStatus,
)
from app.targets.schemas import (
    AnnexIn,
    ExpectationsIn,
    IndicatorIn,
    PeriodSplitIn,
    ReturnIn,
    ReviewIn,
    RhkIn,
    SkpCreateIn,
    SkpUpdateIn,
    VersionIn,
    expectations_of,
)

bp = Blueprint("targets", __name__)

#: Status is always shown as text (and colour only as a hint).
STATUS_LABELS = {
    SkpStatus.DRAFT: _l("Draft"), SkpStatus.SUBMITTED: _l("Submitted"),
    SkpStatus.APPROVED: _l("Approved"), SkpStatus.RETURNED: _l("Returned"),
}
APPROACH_LABELS = {Approach.KUANTITATIF: _l("Quantitative (kuantitatif)"),
                   Approach.KUALITATIF: _l("Qualitative (kualitatif)")}
KIND_LABELS = {RhkKind.UTAMA: _l("Main (utama)"), RhkKind.TAMBAHAN: _l("Additional (tambahan)")}
#: The SKP's aspects (Kuantitas, Kualitas, Waktu, Biaya): "aspect" tells them apart from the
#: same English words used elsewhere (the activity's quantity, its time).
ASPECT_LABELS = {Aspect.KUANTITAS: lazy_pgettext("aspect", "Quantity"),
                 Aspect.KUALITAS: lazy_pgettext("aspect", "Quality"),
                 Aspect.WAKTU: lazy_pgettext("aspect", "Time"),
                 Aspect.BIAYA: lazy_pgettext("aspect", "Cost")}
PERSPECTIVE_LABELS = {
    Perspective.PENERIMA_LAYANAN: _l("Service users"),
    Perspective.PROSES_BISNIS: _l("Business process"),
    Perspective.PENGUATAN_INTERNAL: _l("Internal strengthening"),
    Perspective.ANGGARAN: _l("Budget"),
}
ACTION_LABELS = {
    "create": _l("SKP created"), "update": _l("Approach changed"),
    "rhk_add": _l("RHK added"), "rhk_update": _l("RHK changed"),
    "rhk_delete": _l("RHK deleted"), "indicator_add": _l("Indicator added"),
    "indicator_update": _l("Indicator changed"), "indicator_delete": _l("Indicator deleted"),
    "submit": _l("Submitted for approval"), "approve": _l("Approved"),
    "return": _l("Returned for revision"),
    "expectations": _l("Leader's expectations set"), "annex": _l("Annex changed"),
    "indicator_split": _l("Targets per period changed"),
}


def labels() -> dict:
    return {"status_labels": STATUS_LABELS, "approach_labels": APPROACH_LABELS,
            "kind_labels": KIND_LABELS, "aspect_labels": ASPECT_LABELS,
            "perspective_labels": PERSPECTIVE_LABELS, "action_labels": ACTION_LABELS,
            "number": lambda value: format_decimal(value) if value is not None else "",
            "show_team_link": bool(current_user.roles
                                   & {Role.ATASAN, Role.ADMIN, Role.PIMPINAN})}


def skp_page(skp: Skp, status=200, **context):
    """The SKP with everything the viewer may do on it."""
    context.setdefault("errors", {})
    context.setdefault("form", {})
    # Realisation so far this year, one aggregate query for every indicator of the SKP.
    year_start = date(skp.year, 1, 1)
    until = min(services.today_for(skp.person), date(skp.year, 12, 31))
    progress = {row["indicator_id"]: row
                for row in progress_for(skp.person, year_start, max(until, year_start))}
    # What the team's RHK that support each RHK achieved, on the same terms.
    rollup = team_rollup(skp, year_start, date(skp.year, 12, 31), until)
    return render_template(
        "targets/skp.html", skp=skp, history=services.history(skp), progress=progress,
        rollup=rollup,
        can_edit=services.can_edit(current_user, skp),
        can_review=(skp.status == SkpStatus.SUBMITTED
                    and services.can_review(current_user, skp)),
        is_owner=skp.person_id == current_user.id, expectations=expectations_of(skp),
        may_set_expectations=planning.may_set_expectations(current_user, skp),
        may_edit_annex=planning.may_edit_annex(current_user, skp),
        may_print=planning.may_print(current_user, skp), **labels(), **context), status


def back_to(skp: Skp):
    if skp.person_id == current_user.id:
        return redirect(url_for("targets.index", year=skp.year), 303)
    return redirect(url_for("targets.detail", skp_id=skp.id), 303)


#: A target form shows a conflict (409) or what to correct (422); other errors have their page.
RAISED = all_but(409, 422)


def conflict(skp: Skp, error: Conflict):
    """Someone changed the SKP meanwhile, or its state forbids the change: show it as it is."""
    flash(error.message or _("This SKP was changed elsewhere."), "error")
    return back_to(skp)


@bp.get("/target")
def index():
    """The signed-in person's SKP of the year (this year by default), or the form to start it."""
    year = request.args.get("year", type=int) or services.today_for(current_user).year
    skp = services.skp_of(current_user, year)
    if skp is None:
        return render_template("targets/create.html", year=year, form={}, errors={},
                               **labels())
    return skp_page(skp)[0]


@bp.post("/target")
def create():
    posted = post_form(
        lambda args: services.create_skp(current_user, args["year"], args["approach"]),
        SkpCreateIn(), raise_for=())
    if posted.failed:
        form = request.form.to_dict()
        year = form.get("year") or services.today_for(current_user).year
        return render_template("targets/create.html", year=year, form=form,
                               errors=posted.errors, **labels()), 422
    flash(_("SKP started. Add your planned results (RHK)."), "success")
    return redirect(url_for("targets.index", year=posted.result.year), 303)


@bp.get("/target/tim")
def team():
    """SKPs of the people below the signed-in person (everyone's, for admins and pimpinan)."""
    year = request.args.get("year", type=int) or services.today_for(current_user).year
    others = [Skp.year == year, Skp.person_id != current_user.id]
    if not current_user.roles & {Role.ADMIN, Role.PIMPINAN}:
        # A supervisor's SKP is not "my team's"; an HR administrator's team is everyone.
        others.append(Skp.person_id != (current_user.supervisor_id or 0))
    skps = db.session.scalars(services.skps_visible_to(current_user).where(*others)
                              .order_by(Skp.status, Skp.id)).all()
    return render_template("targets/team.html", skps=skps, year=year, **labels())


@bp.get("/target/skp/<int:skp_id>")
def detail(skp_id):
    return skp_page(services.get_skp(current_user, skp_id))[0]


@bp.post("/target/skp/<int:skp_id>/pendekatan")
def update_approach(skp_id):
    skp = services.get_skp(current_user, skp_id)
    return _simple_action(
        skp, SkpUpdateIn(),
        lambda args: services.update_skp(current_user, skp, args["version"], args["approach"]),
        _("Approach saved."))


def _item_form(template: str, skp: Skp, schema: ma.Schema, save, **context):
    """GET shows the form; POST validates with the API schema, saves, or re-renders (422)."""
    context.update(skp=skp, parent_choices=services.parent_choices(skp), **labels())
    if request.method == "GET":
        return render_template(template, form=context.pop("initial", {}), errors={}, **context)
    posted = post_form(lambda args: save(args.pop("version"), args), schema, raise_for=RAISED)
    if isinstance(posted.error, Conflict):
        return conflict(skp, posted.error)
    if posted.failed:
        context.pop("initial", None)
        return render_template(template, form=request.form.to_dict(), errors=posted.errors,
                               **context), 422
    flash(_("Saved."), "success")
    return back_to(skp)


@bp.route("/target/skp/<int:skp_id>/rhk", methods=["GET", "POST"])
def add_rhk(skp_id):
    skp = services.get_skp(current_user, skp_id)
    return _item_form(
        "targets/rhk_form.html", skp, RhkIn(),
        lambda version, args: services.add_rhk(current_user, skp, version, args),
        rhk=None, initial={"kind": request.args.get("kind", RhkKind.UTAMA.value)})


@bp.route("/target/rhk/<int:rhk_id>", methods=["GET", "POST"])
def edit_rhk(rhk_id):
    rhk = services.get_rhk(current_user, rhk_id)
    initial = {"kind": rhk.kind.value, "description": rhk.description,
               "parent_rhk_id": rhk.parent_rhk_id or "",
               "perspective": rhk.perspective.value if rhk.perspective else "",
               "position": rhk.position}
    return _item_form(
        "targets/rhk_form.html", rhk.skp, RhkIn(),
        lambda version, args: services.update_rhk(current_user, rhk, version, args),
        rhk=rhk, initial=initial)


@bp.route("/target/rhk/<int:rhk_id>/indikator", methods=["GET", "POST"])
def add_indicator(rhk_id):
    rhk = services.get_rhk(current_user, rhk_id)
    return _item_form(
        "targets/indicator_form.html", rhk.skp, IndicatorIn(),
        lambda version, args: services.add_indicator(current_user, rhk, version, args),
        rhk=rhk, indicator=None, initial={})


@bp.route("/target/indikator/<int:indicator_id>", methods=["GET", "POST"])
def edit_indicator(indicator_id):
    indicator = services.get_indicator(current_user, indicator_id)
    rhk = indicator.rhk
    number = labels()["number"]
    initial = {"aspect": indicator.aspect.value, "description": indicator.description,
               "target_min": number(indicator.target_min),
               "target_max": number(indicator.target_max), "unit": indicator.unit,
               "target_text": indicator.target_text or "", "position": indicator.position,
               "due_date": indicator.due_date.isoformat() if indicator.due_date else ""}
    return _item_form(
        "targets/indicator_form.html", rhk.skp, IndicatorIn(),
        lambda version, args: services.update_indicator(current_user, indicator, version,
                                                        args),
        rhk=rhk, indicator=indicator, initial=initial)


@bp.route("/target/indikator/<int:indicator_id>/periode", methods=["GET", "POST"])
def split_indicator(indicator_id):
    """The yearly target split over the quarters (or, ``?jenis=month``, the months)."""
    indicator = services.get_indicator(current_user, indicator_id)
    skp = indicator.rhk.skp
    kind = PeriodKind.MONTH if request.values.get("jenis") == "month" else PeriodKind.QUARTER
    count = periods.PARTS[kind][0]
    form, errors = _split_initial(indicator, kind, count), {}
    if request.method == "POST":
        form = request.form.to_dict()
        posted = post_form(
            lambda args: periods.set_split(current_user, indicator, args["version"],
                                           args.get("kind"), args["parts"]),
            PeriodSplitIn(), data=_split_data(form, kind, count), raise_for=RAISED)
        if isinstance(posted.error, Conflict):
            return conflict(skp, posted.error)
        if not posted.failed:
            flash(_("Targets per period saved."), "success")
            return back_to(skp)
        errors = _flat_errors(posted.errors)
    return render_template("targets/split_form.html", skp=skp, indicator=indicator,
                           kind=kind.value, count=count, form=form, errors=errors,
                           **labels()), 422 if errors else 200


def _split_initial(indicator, kind: PeriodKind, count: int) -> dict:
    number = labels()["number"]
    form = {}
    for part in indicator.period_targets:
        if part.kind is kind:
            form[f"target_{part.number}"] = number(part.target)
            form[f"due_{part.number}"] = part.due_date.isoformat() if part.due_date else ""
    return form


def _split_data(form: dict, kind: PeriodKind, count: int) -> dict:
    """The posted fields as the API's body; all parts empty clears the split."""
    parts = [{"number": number,
              "target": form.get(f"target_{number}", "").strip().replace(",", "."),
              "due_date": form.get(f"due_{number}", "").strip() or None}
             for number in range(1, count + 1)]
    filled = [part for part in parts if part["target"]]
    try:
        version = int(form.get("version", ""))
    except ValueError:
        version = form.get("version")
    return {"version": version, "kind": kind.value if filled else None,
            "parts": parts if filled else []}


def _flat_errors(errors: dict) -> dict:
    """Nested part errors ({"parts": {1: {"target": [...]}}}) as the form's field names."""
    flat = {key: value for key, value in errors.items() if key != "parts"}
    parts = errors.get("parts")
    if isinstance(parts, dict):
        for index, fields in parts.items():
            for name, message in (fields or {}).items():
                key = "target" if name == "target" else "due"
                flat[f"{key}_{int(index) + 1}"] = message
    elif parts:
        flat["_form"] = parts if isinstance(parts, str) else " ".join(parts)
    return flat


def _simple_action(skp: Skp, schema: ma.Schema, act, done: str):
    """A change on the SKP page (approach, delete, submit, approve, return); errors come back
    as messages there, with what was typed."""
    posted = post_form(act, schema, raise_for=RAISED)
    if isinstance(posted.error, Conflict):
        return conflict(skp, posted.error)
    errors = posted.errors
    if isinstance(posted.error, AppError):
        errors = {"_form": posted.error.message, **errors}
    if posted.failed:
        return skp_page(skp, 422, errors=errors, form=request.form.to_dict())
    flash(done, "success")
    return back_to(skp)


@bp.post("/target/rhk/<int:rhk_id>/hapus")
def delete_rhk(rhk_id):
    rhk = services.get_rhk(current_user, rhk_id)
    return _simple_action(
        rhk.skp, VersionIn(),
        lambda args: services.delete_rhk(current_user, rhk, args["version"]),
        _("RHK deleted."))


@bp.post("/target/indikator/<int:indicator_id>/hapus")
def delete_indicator(indicator_id):
    indicator = services.get_indicator(current_user, indicator_id)
    return _simple_action(
        indicator.rhk.skp, VersionIn(),
        lambda args: services.delete_indicator(current_user, indicator, args["version"]),
        _("Indicator deleted."))


@bp.post("/target/skp/<int:skp_id>/kirim")
def submit(skp_id):
    skp = services.get_skp(current_user, skp_id)
    return _simple_action(skp, ReviewIn(),
                          lambda args: services.submit(current_user, skp, args["version"]),
                          _("SKP submitted to your supervisor."))


@bp.post("/target/skp/<int:skp_id>/setujui")
def approve(skp_id):
    skp = services.get_skp(current_user, skp_id)
    return _simple_action(skp, ReviewIn(),
                          lambda args: services.approve(current_user, skp, args["version"]),
                          _("SKP approved."))


@bp.post("/target/skp/<int:skp_id>/kembalikan")
def return_skp(skp_id):
    skp = services.get_skp(current_user, skp_id)
    return _simple_action(
        skp, ReturnIn(),
        lambda args: services.return_skp(current_user, skp, args["reason"], args["version"]),
        _("SKP returned with your reason."))



# --- planning: the leader's expectations and the lampiran ---------------------------------

def _planning_form(template: str, skp: Skp, allowed: bool, initial: dict, data, save,
                   schema: ma.Schema, done: str):
    """GET shows the form; POST validates with the API's schema and saves, or shows the form
    again with what was typed (422). Someone not allowed gets 403 as from the API."""
    if not allowed:
        raise Forbidden(_("You cannot change this part of the SKP."))
    form, errors = initial, {}
    if request.method == "POST":
        form = request.form.to_dict()
        posted = post_form(save, schema, data=data(form), raise_for=RAISED)
        if isinstance(posted.error, Conflict):
            return conflict(skp, posted.error)
        if not posted.failed:
            flash(done, "success")
            return back_to(skp)
        errors = posted.errors
        if isinstance(posted.error, AppError) and posted.error.message:
            errors = {"_form": posted.error.message, **errors}
    return render_template(template, skp=skp, form=form, errors=errors,
                           expectations=expectations_of(skp), **labels()), \
        422 if errors else 200


def _version_of(form: dict):
    value = form.get("version", "")
    return int(value) if value.isdigit() else value


@bp.route("/target/skp/<int:skp_id>/ekspektasi", methods=["GET", "POST"])
def set_expectations(skp_id):
    """The appraiser writes the leader's expectation for each BerAKHLAK value."""
    skp = services.get_skp(current_user, skp_id)
    initial = {f"expectation-{item['value']}": item["text"] for item in expectations_of(skp)}
    return _planning_form(
        "targets/expectations_form.html", skp, planning.may_set_expectations(current_user, skp),
        initial,
        lambda form: {"version": _version_of(form), "expectations": [
            {"value": item["value"], "text": form.get(f"expectation-{item['value']}", "")}
            for item in expectations_of(skp)]},
        lambda args: planning.set_expectations(current_user, skp, args["version"],
                                               args["expectations"]),
        ExpectationsIn(), _("The leader's expectations are saved."))


@bp.route("/target/skp/<int:skp_id>/lampiran", methods=["GET", "POST"])
def set_annex(skp_id):
    """The lampiran: resource support, accountability scheme, consequences."""
    skp = services.get_skp(current_user, skp_id)
    initial = {key: getattr(skp, key) or "" for key in planning.ANNEX_FIELDS}
    return _planning_form(
        "targets/annex_form.html", skp, planning.may_edit_annex(current_user, skp), initial,
        lambda form: {"version": _version_of(form),
                      **{key: form.get(key, "") for key in planning.ANNEX_FIELDS}},
        lambda args: planning.set_annex(current_user, skp, args.pop("version"), args),
        AnnexIn(), _("The annex is saved."))
