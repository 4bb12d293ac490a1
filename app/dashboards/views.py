"""Dashboard pages: /dasbor for supervisors, /dasbor/organisasi for admins and pimpinan.

The charts are drawn here as SVG; the templates show the same numbers in tables.
"""

import marshmallow as ma
from babel import numbers
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.citizen.services import PERFORMANCE
from app.core.replica import replica_reads
from app.dashboards import charts, services
from app.evaluations.rules import Predikat
from app.followup import outcomes
from app.org.models import Role
from app.org.services import units_of
from app.reports.schemas import Month

bp = Blueprint("dashboards", __name__)

#: Predikat kinerja in the words of UX.md, best first.
PREDIKAT_LABELS = {
    Predikat.SANGAT_BAIK.value: _l("Very good"), Predikat.BAIK.value: _l("Good"),
    Predikat.BUTUH_PERBAIKAN.value: _l("Needs improvement"),
    Predikat.KURANG_MISCONDUCT.value: _l("Poor/Misconduct"),
    Predikat.SANGAT_KURANG.value: _l("Very poor"),
}


def _month_arg():
    """``?bulan=YYYY-MM``; a bad value is dropped (the current month is shown)."""
    try:
        return Month().deserialize(request.args["bulan"]) if request.args.get("bulan") \
            else None
    except ma.ValidationError:
        return None


def _page_arg() -> int:
    """``?halaman=N``; a bad value shows the first page."""
    try:
        return ma.fields.Integer(validate=ma.validate.Range(min=1)).deserialize(
            request.args.get("halaman", "1"))
    except ma.ValidationError:
        return 1


def _pct(value) -> str:
    """"85,5 %" in Bahasa Indonesia, "85.5 %" in English; "–" without a figure."""
    if value is None:
        return "–"
    return f"{numbers.format_decimal(value, format='#,##0.#', locale=get_locale())} %"


def _dec(value, places: int) -> str:
    """A decimal with exactly ``places`` decimals in the UI language ("88,31")."""
    return format_decimal(value, format="#,##0." + "0" * places)


@bp.get("/dasbor")
@replica_reads
def team_page():
    """The supervisor's dashboard (admins and pimpinan without a team go to theirs)."""
    if not services.may_see_team(current_user) and services.may_see_organisation(current_user):
        return redirect(url_for("dashboards.organisation_page"))
    view = services.team_dashboard(current_user, _month_arg(), page=_page_arg(),
                                   per_page=services.TEAM_PAGE_SIZE)
    compliance = charts.bar_chart(
        "chart-compliance", _("Logging compliance this month, per person"),
        [(row["person"]["name"], row["compliance_percent"],
          _pct(row["compliance_percent"])) for row in view["people"]],
        description=_("Working days with at least one activity, as a share of the working "
                      "days so far."))
    realisation = {
        row["person"]["id"]: charts.bar_chart(
            f"chart-realisation-{row['person']['id']}",
            _("Realisation of %(name)s per indicator", name=row["person"]["name"]),
            [(item["description"], item["percent"], _pct(item["percent"]))
             for item in row["indicators"]])
        for row in view["people"] if row["indicators"]}
    return render_template("dashboards/team.html", view=view,
                           month_label=format_date(view["month"], "MMMM y"), compliance=compliance,
                           realisation=realisation, pct=_pct,
                           show_organisation=services.may_see_organisation(current_user))


@bp.get("/dasbor/organisasi")
@replica_reads
def organisation_page():
    """Per unit: compliance, late submissions, the citizen survey index, predikat."""
    unit_id = request.args.get("unit", "")
    unit_id = int(unit_id) if unit_id.isdigit() and len(unit_id) < 10 else None
    view = services.organisation_dashboard(current_user, _month_arg(), unit_id)

    def label(unit):
        return "· " * unit["depth"] + unit["name"]

    units = view["units"]
    compliance = charts.bar_chart(
        "chart-unit-compliance", _("Logging compliance this month, per unit"),
        [(label(u), u["with_subunits"]["compliance_percent"],
          _pct(u["with_subunits"]["compliance_percent"])) for u in units],
        description=_("Each unit with the units below it."))
    most_late = max([u["with_subunits"]["late"] for u in units] or [0]) or 1
    late = charts.bar_chart(
        "chart-unit-late", _("Late submissions this month, per unit"),
        [(label(u), u["with_subunits"]["late"], str(u["with_subunits"]["late"]))
         for u in units], maximum=most_late,
        description=_("Each unit with the units below it."))
    surveyed = [u for u in units if u["survey"]]
    survey = charts.bar_chart(
        "chart-unit-survey", _("Citizen satisfaction index (SKM) per unit"),
        [(label(u), u["survey"]["value"],
          f"{format_decimal(u['survey']['value'], format='#,##0.00')} {u['survey']['grade']}")
         for u in surveyed],
        description=_("Unit value on the 25-100 scale and grade (A-D).")) if surveyed else None
    predikat = charts.stacked_bar_chart(
        "chart-unit-predikat", _("Predikat kinerja per unit"),
        [(label(u), u["predikat"]) for u in units if u["predikat"]],
        list(PREDIKAT_LABELS.items()), total_label=_("n =")) \
        if view["predikat_available"] else None
    follow_up = (outcomes.summary(current_user, view["month"].year)
                 if current_user.roles & {Role.ADMIN, Role.PIMPINAN} else None)
    return render_template(
        "dashboards/organisation.html", view=view, follow_up=follow_up, pct=_pct, dec=_dec,
        month_label=format_date(view["month"], "MMMM y"), compliance=compliance,
        late=late, survey=survey, predikat=predikat, predikat_labels=PREDIKAT_LABELS,
        performance=PERFORMANCE, all_units=units_of(current_user.org_id),
        org_slug=current_user.organisation.slug)
