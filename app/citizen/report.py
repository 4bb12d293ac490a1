"""The unit's SKM report over a period (XLSX and PDF), with its follow-up plan.

PermenPANRB 14/2017 asks every unit to report its survey: respondents, the NRR of each of the
nine unsur, the index and its mutu, and the *rencana tindak lanjut* (follow-up plan) for the
weakest unsur: programme or activity, when, and who answers for it. The unit's head (or an
HR administrator) writes a plan for each of the :data:`WEAKEST` lowest unsur; the report
carries them, and says so when a plan is still missing. The citizens' messages of the period
are counted by status (the unit's handling of complaints, unsur 8).

Officers named by citizens (:class:`~app.citizen.models.OfficerMention`) are not part of the
report: they are feedback for the officer, never the unit's official index.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from app.citizen import services
from app.citizen.inbox import units_of
from app.citizen.models import UNSUR_COLUMNS, CitizenMessage, MessageStatus, SkmFollowUp
from app.documents import xlsx
from app.documents.pdf_base import Document
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.org.models import Person, Unit

#: How many of the lowest unsur the follow-up plan covers.
WEAKEST = 3


@dataclass
class SkmReport:
    unit: Unit
    start: date
    end: date
    skm: services.Skm | None
    #: Unsur columns (u1..u9) with the lowest NRR first, :data:`WEAKEST` of them.
    weakest: list[str]
    plans: dict[str, SkmFollowUp]
    messages: dict[str, int] = field(default_factory=dict)

    def unsur_name(self, column: str) -> str:
        return str(services.UNSUR_NAMES[UNSUR_COLUMNS.index(column)])

    def nrr(self, column: str) -> Decimal | None:
        return self.skm.nrr[UNSUR_COLUMNS.index(column)] if self.skm else None


def _unit(actor: Person, unit_id: int | None) -> Unit:
    allowed = units_of(actor)
    if unit_id is None:
        if len(allowed) != 1 and actor.unit_id not in allowed:
            raise ValidationFailed(fields={"unit": _("Choose a unit.")})
        unit_id = actor.unit_id if actor.unit_id in allowed else next(iter(allowed))
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.org_id != actor.org_id or unit.id not in allowed:
        raise NotFound(_("Service unit not found."))
    return unit


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The report's period: the given days, by default this year up to its end."""
    start = start or date(today.year, 1, 1)
    end = end or date(start.year, 12, 31)
    if end < start:
        raise ValidationFailed(fields={"sampai": _("The end must not be before the start.")})
    return start, end


def build(actor: Person, unit_id: int | None, start: date, end: date) -> SkmReport:
    """The report of a unit ``actor`` heads (an HR administrator: any of the organisation)."""
    unit = _unit(actor, unit_id)
    skm = services.index_of_unit(unit.org_id, unit.id, start, end, unit.timezone)
    weakest = []
    if skm is not None:
        ranked = sorted(range(9), key=lambda index: (skm.nrr[index], index))
        weakest = [UNSUR_COLUMNS[index] for index in ranked[:WEAKEST]]
    plans = {plan.unsur: plan for plan in db.session.scalars(
        sa.select(SkmFollowUp).where(SkmFollowUp.unit_id == unit.id,
                                     SkmFollowUp.starts_on == start,
                                     SkmFollowUp.ends_on == end))}
    first, after = services.period_bounds(start, end, unit.timezone)
    rows = db.session.execute(
        sa.select(CitizenMessage.status, sa.func.count())
        .where(CitizenMessage.unit_id == unit.id, CitizenMessage.received_at >= first,
               CitizenMessage.received_at < after)
        .group_by(CitizenMessage.status))
    messages = {status.value: 0 for status in MessageStatus}
    messages.update({MessageStatus(status).value: number for status, number in rows})
    return SkmReport(unit, start, end, skm, weakest, plans, messages)


def save_follow_up(actor: Person, unit_id: int | None, start: date, end: date, *,
                   unsur: str, plan: str, due_on: date | None,
                   responsible: str) -> SkmFollowUp:
    """Write (or rewrite) the plan of one unsur over the period."""
    unit = _unit(actor, unit_id)
    row = db.session.scalar(sa.select(SkmFollowUp).where(
        SkmFollowUp.unit_id == unit.id, SkmFollowUp.starts_on == start,
        SkmFollowUp.ends_on == end, SkmFollowUp.unsur == unsur))
    if row is None:
        row = SkmFollowUp(org_id=unit.org_id, unit_id=unit.id, starts_on=start, ends_on=end,
                          unsur=unsur)
        db.session.add(row)
    row.plan, row.due_on, row.responsible = plan.strip(), due_on, responsible.strip()
    row.written_by_id = actor.id
    db.session.flush()
    return row


# --- the files -------------------------------------------------------------------------------

def _day(value: date | None) -> str:
    return format_date(value, "d MMMM y") if value else "-"


def _dec(value, places: int) -> str:
    return "-" if value is None else f"{value:.{places}f}".replace(".", ",")


def title(report: SkmReport) -> str:
    return _("SKM report of %(unit)s", unit=report.unit.name)


def _period_line(report: SkmReport) -> str:
    return _("Period %(start)s to %(end)s", start=_day(report.start), end=_day(report.end))


def _plan_rows(report: SkmReport) -> list[list[str]]:
    rows = []
    for number, column in enumerate(report.weakest, start=1):
        plan = report.plans.get(column)
        rows.append([str(number), report.unsur_name(column), _dec(report.nrr(column), 2),
                     plan.plan if plan else _("Not set yet"),
                     _day(plan.due_on) if plan else "-",
                     (plan.responsible or "-") if plan else "-"])
    return rows


def _summary(report: SkmReport) -> list[tuple[str, str]]:
    skm = report.skm
    return [(_("Service unit"), f"{report.unit.code} {report.unit.name}"),
            (_("Organisation"), report.unit.organisation.name),
            (_("Period"), f"{_day(report.start)} - {_day(report.end)}"),
            (_("Respondents"), str(skm.responses) if skm else "0"),
            (_("Index (25-100)"), _dec(skm.value, 2) if skm else "-"),
            (_("Grade"), f"{skm.grade} ({skm.performance})" if skm else "-"),
            (_("Citizens' messages"), _("%(new)s new, %(answered)s answered, %(closed)s closed",
                                        **report.messages))]


def to_xlsx(report: SkmReport) -> bytes:
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = "SKM"
    xlsx.title_rows(sheet, [title(report), _period_line(report)])
    row = 4
    for label, value in _summary(report):
        xlsx.put(sheet, row, 1, label).font = xlsx.HEADER_FONT
        xlsx.put(sheet, row, 2, value)
        row += 1
    row += 1
    nrr_rows = [[column.upper(), report.unsur_name(column), report.nrr(column)]
                for column in UNSUR_COLUMNS]
    row = xlsx.table(sheet, row, [_("Unsur"), _("Name"), "NRR"], nrr_rows,
                     widths=[22, 42, 12, 50, 16, 24], formats={3: "0.0000"}, freeze=False)
    row += 2
    xlsx.put(sheet, row, 1, _("Follow-up plan (rencana tindak lanjut)")).font = \
        xlsx.HEADER_FONT
    xlsx.table(sheet, row + 1, ["No", _("Unsur"), "NRR", _("Programme or activity"),
                                _("When"), _("Responsible")], _plan_rows(report),
               wrap=(2, 4), freeze=False)
    return xlsx.save(book)


def to_pdf(report: SkmReport) -> bytes:
    document = Document(title(report))
    document.heading(_("SURVEY KEPUASAN MASYARAKAT"))
    document.heading(title(report), size=10.5)
    document.line_text(_period_line(report), align="C")
    document.ln(3)
    document.fields(_summary(report))
    document.section(_("Service value per unsur"))
    document.grid([_("Unsur"), _("Name"), "NRR"],
                  [[column.upper(), report.unsur_name(column), _dec(report.nrr(column), 4)]
                   for column in UNSUR_COLUMNS], [20, 120, 40], aligns=["C", "L", "R"])
    document.section(_("Follow-up plan (rencana tindak lanjut)"))
    rows = _plan_rows(report)
    if rows:
        document.grid(["No", _("Unsur"), "NRR", _("Programme or activity"), _("When"),
                       _("Responsible")], rows, [9, 38, 14, 64, 25, 30])
    else:
        document.line_text(_("No survey answers in this period."))
    return document.render()
