"""The evaluation cycle: periods, self-evaluation, assessment, unit predicates, distribution.

Every function takes the acting person explicitly, flushes and never commits. Anything of
another organisation, or outside the caller's reach, is answered 404 as if it did not exist;
what the caller may see but not do is 403.

Who assesses: the person's direct supervisor (pejabat penilai), or whoever acts (Plt/Plh) for
that supervisor today; for the top of an organisation's line (no supervisor inside it) the HR
administrator records the decision, as for SKPs. Everyone above in the line, the HR
administrators and the head of agency may read an evaluation.
"""

import logging
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.activities import deadlines
from app.audit import services as audit
from app.core import uploads
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.evaluations import rules
from app.evaluations.berakhlak import VALUES
from app.evaluations.labels import (
    ORG_PREDIKAT_LABELS,
    PERIOD_KIND_LABELS,
    PREDIKAT_LABELS,
    RATING_LABELS,
    STATUS_LABELS,
)
from app.evaluations.models import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationEvidence,
    EvaluationIndicator,
    EvaluationPeriod,
    EvaluationRhk,
    EvaluationStatus,
    PeriodKind,
    UnitPredicate,
)
from app.evaluations.rules import OrgPredikat, Predikat, Rating
from app.extensions import db
from app.feedback.models import Value
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import acting_for, may_supervise
from app.org.models import Person, PositionKind, Role, Unit
from app.reports.services import progress_for
from app.targets.models import Indicator, RhkKind, Skp, SkpStatus

logger = logging.getLogger(__name__)

SUBJECT = "evaluation"
#: Working days after a period's end until its default batas pengisian.
DEFAULT_DEADLINE_WORKING_DAYS = 5
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
ROMAN = ("I", "II", "III", "IV")


class StateConflict(Conflict):
    """409: the evaluation's state does not allow this."""

    code = "invalid_state"


def _is_admin(actor: Person) -> bool:
    return actor.has_role(Role.ADMIN)


def _oversees_org(actor: Person) -> bool:
    return bool(actor.roles & {Role.ADMIN, Role.PIMPINAN})


def _require_admin(actor: Person) -> None:
    if not _is_admin(actor):
        raise Forbidden(_("Only an HR administrator can manage evaluation periods."))


# --- periods -------------------------------------------------------------------------------

def list_periods(actor: Person, year: int | None = None) -> list[EvaluationPeriod]:
    """The organisation's periods (of ``year``), by start date; the final period last."""
    query = sa.select(EvaluationPeriod).where(EvaluationPeriod.org_id == actor.org_id)
    if year is not None:
        query = query.where(EvaluationPeriod.year == year)
    return list(db.session.scalars(query.order_by(
        EvaluationPeriod.year, EvaluationPeriod.is_final, EvaluationPeriod.starts_on,
        EvaluationPeriod.ends_on.desc(), EvaluationPeriod.id)))


def get_period(actor: Person, period_id: int) -> EvaluationPeriod:
    """:raise NotFound: unless the period is of ``actor``'s organisation."""
    period = db.session.scalar(sa.select(EvaluationPeriod).where(
        EvaluationPeriod.id == period_id, EvaluationPeriod.org_id == actor.org_id))
    if period is None:
        raise NotFound(_("Period not found."))
    return period


def _check_period(org_id: int, values: dict, exclude_id: int | None = None) -> None:
    """start <= end <= deadline; no overlap with another period of the same kind."""
    if values["starts_on"] > values["ends_on"]:
        raise ValidationFailed(fields={"ends_on": _(
            "The end date must not be before the start date.")})
    if values["ends_on"] > values["deadline"]:
        raise ValidationFailed(fields={"deadline": _(
            "The input deadline must not be before the end of the period.")})
    overlap = db.session.scalar(sa.select(EvaluationPeriod).where(
        EvaluationPeriod.org_id == org_id, EvaluationPeriod.kind == values["kind"],
        EvaluationPeriod.id != (exclude_id or 0),
        EvaluationPeriod.starts_on <= values["ends_on"],
        EvaluationPeriod.ends_on >= values["starts_on"]).limit(1))
    if overlap is not None:
        raise ValidationFailed(fields={"starts_on": _(
            "These dates overlap the period %(name)s of the same kind.", name=overlap.name)})


def create_period(actor: Person, *, name: str, kind, starts_on: date, ends_on: date,
                  deadline: date | None = None, year: int | None = None,
                  is_final: bool = False) -> EvaluationPeriod:
    _require_admin(actor)
    values = {"name": name, "kind": PeriodKind(kind), "starts_on": starts_on,
              "ends_on": ends_on, "year": year or starts_on.year, "is_final": is_final,
              "deadline": deadline or deadlines.working_day_after(
                  ends_on, DEFAULT_DEADLINE_WORKING_DAYS)}
    _check_period(actor.org_id, values)
    period = EvaluationPeriod(org_id=actor.org_id, **values)
    db.session.add(period)
    db.session.flush()
    logger.info("Period %s (%s) created by %s", period.id, period.name, actor.id)
    return period


def update_period(actor: Person, period_id: int, **changes) -> EvaluationPeriod:
    period = get_period(actor, period_id)
    _require_admin(actor)
    values = {key: getattr(period, key) for key in
              ("name", "kind", "starts_on", "ends_on", "deadline", "year", "is_final")}
    values.update({key: value for key, value in changes.items() if value is not None})
    values["kind"] = PeriodKind(values["kind"])
    _check_period(actor.org_id, values, exclude_id=period.id)
    for key, value in values.items():
        setattr(period, key, value)
    db.session.flush()
    return period


def delete_period(actor: Person, period_id: int) -> None:
    """:raise Conflict: once evaluations exist for the period."""
    period = get_period(actor, period_id)
    _require_admin(actor)
    used = db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)
                             .where(Evaluation.period_id == period.id))
    if used:
        raise Conflict(_("This period already has evaluations and cannot be deleted."),
                       code="period_in_use")
    db.session.execute(sa.delete(UnitPredicate).where(UnitPredicate.period_id == period.id))
    db.session.delete(period)
    db.session.flush()


def standard_periods(year: int, kind) -> list[dict]:
    """The standard set of ``kind`` for ``year`` plus the annual final period."""
    kind = PeriodKind(kind)

    def span(first_month: int, months: int) -> tuple[date, date]:
        start = date(year, first_month, 1)
        last = first_month + months
        end = (date(year + 1, 1, 1) if last > 12 else date(year, last, 1)) - timedelta(days=1)
        return start, end

    rows = []
    if kind is PeriodKind.MONTHLY:
        rows = [(f"{MONTHS[m - 1]} {year}", *span(m, 1)) for m in range(1, 13)]
    elif kind is PeriodKind.QUARTERLY:
        rows = [(f"Triwulan {ROMAN[q]} {year}", *span(1 + 3 * q, 3)) for q in range(4)]
    elif kind is PeriodKind.SEMESTER:
        rows = [(f"Semester {ROMAN[s]} {year}", *span(1 + 6 * s, 6)) for s in range(2)]
    periods = [{"name": name, "kind": kind, "starts_on": start, "ends_on": end,
                "is_final": False} for name, start, end in rows]
    periods.append({"name": f"Tahunan {year}", "kind": PeriodKind.ANNUAL,
                    "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31),
                    "is_final": True})
    for period in periods:
        period["year"] = year
        period["deadline"] = deadlines.working_day_after(period["ends_on"],
                                                         DEFAULT_DEADLINE_WORKING_DAYS)
    return periods


def generate_periods(actor: Person, year: int, kind) -> list[EvaluationPeriod]:
    """Create the standard periods of ``year``; those overlapping an existing period of the
    same kind are skipped, so generating twice creates nothing more."""
    _require_admin(actor)
    created = []
    for values in standard_periods(year, kind):
        try:
            _check_period(actor.org_id, values)
        except ValidationFailed:
            continue
        period = EvaluationPeriod(org_id=actor.org_id, **values)
        db.session.add(period)
        db.session.flush()
        created.append(period)
    logger.info("%s periods of %s generated by %s", len(created), year, actor.id)
    return created


def deadline_passed(person: Person, period: EvaluationPeriod, now: datetime | None = None
                    ) -> bool:
    """Input is allowed until 23:59 of the deadline, local to the person's unit."""
    return deadlines.local_today(person, now or utcnow()) > period.deadline


# --- who assesses whom ---------------------------------------------------------------------

def may_assess(actor: Person, person: Person) -> bool:
    """The direct supervisor, whoever acts for them today, or (for the top of the line) an
    HR administrator."""
    if actor.id == person.id or actor.org_id != person.org_id:
        return False
    if person.supervisor_id is None:
        return _is_admin(actor)
    return actor.id == person.supervisor_id or person.supervisor_id in acting_for(actor)


def may_read(actor: Person, person: Person) -> bool:
    if actor.org_id != person.org_id:
        return False
    return (actor.id == person.id or _oversees_org(actor) or may_assess(actor, person)
            or may_supervise(actor, person.id))


def get_evaluation(actor: Person, evaluation_id: int) -> Evaluation:
    """:raise NotFound: unless ``actor`` may read the evaluation."""
    evaluation = db.session.scalar(sa.select(Evaluation).where(
        Evaluation.id == evaluation_id, Evaluation.org_id == actor.org_id))
    if evaluation is None or not may_read(actor, evaluation.person):
        raise NotFound(_("Evaluation not found."))
    return evaluation


# --- the evaluation as data ----------------------------------------------------------------

def current_copy(evaluation: Evaluation) -> dict:
    from app.evaluations.schemas import EvaluationOut

    return EvaluationOut().dump(decorate(evaluation))


def decorate(evaluation: Evaluation, actor: Person | None = None) -> Evaluation:
    """Attach what the API shows beside the columns: the suggestion and the permissions."""
    ratings = [(row.rhk.kind.value, row.rating) for row in evaluation.rhks if row.rating]
    evaluation.suggested_results_rating = rules.suggested_results_rating(ratings)
    evaluation.deadline_passed = deadline_passed(evaluation.person, evaluation.period)
    if actor is not None:
        evaluation.can_edit = (actor.id == evaluation.person_id
                               and evaluation.status is EvaluationStatus.DRAFT)
        evaluation.can_assess = (may_assess(actor, evaluation.person) and evaluation.status in
                                 (EvaluationStatus.SUBMITTED, EvaluationStatus.ASSESSED))
        evaluation.can_acknowledge = (actor.id == evaluation.person_id and
                                      evaluation.status is EvaluationStatus.ASSESSED)
    return evaluation


def _check_version(evaluation: Evaluation, version: int | None) -> None:
    if version is not None and version != evaluation.version:
        raise Conflict(_("This evaluation was changed elsewhere. Here is the current version."),
                       extra={"current": current_copy(evaluation)})


def _bump(evaluation: Evaluation) -> None:
    """Raise the version atomically; a concurrent writer that got there first wins."""
    old = evaluation.version
    result = db.session.execute(
        sa.update(Evaluation).where(Evaluation.id == evaluation.id, Evaluation.version == old)
        .values(version=old + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(evaluation)
        raise Conflict(_("This evaluation was changed elsewhere. Here is the current version."),
                       extra={"current": current_copy(evaluation)})
    set_committed_value(evaluation, "version", old + 1)


def _record(actor: Person, evaluation: Evaluation, action: str, changes: dict) -> None:
    db.session.flush()
    audit.record(evaluation.org_id, evaluation.person_id, actor.id, SUBJECT, evaluation.id,
                 action, changes)


def history(actor: Person, evaluation_id: int):
    return audit.history(SUBJECT, get_evaluation(actor, evaluation_id).id)


def _state_error(evaluation: Evaluation, message: str) -> StateConflict:
    return StateConflict(message, extra={"current": current_copy(evaluation)})


# --- the self-evaluation -------------------------------------------------------------------

def _sorted_rhks(skp: Skp):
    return sorted(skp.rhks, key=lambda r: (r.kind != RhkKind.UTAMA, r.position, r.id))


def _snapshot(evaluation: Evaluation) -> None:
    """Copy the realisation per indicator from the logs of the period."""
    period, existing = evaluation.period, {row.indicator_id: row
                                           for row in evaluation.indicators}
    rows = [row for row in progress_for(evaluation.person, period.starts_on, period.ends_on)
            if row["skp_id"] == evaluation.skp_id]
    for position, row in enumerate(rows):
        item = existing.get(row["indicator_id"])
        if item is None:
            item = EvaluationIndicator(indicator_id=row["indicator_id"], rhk_id=row["rhk_id"])
            evaluation.indicators.append(item)
        item.position = position
        item.approved_quantity = row["approved"]["quantity"]
        item.approved_count = row["approved"]["count"]
        item.approved_percent = row["approved"]["percent"]
        item.submitted_quantity = row["submitted"]["quantity"]
        item.submitted_count = row["submitted"]["count"]
        item.submitted_percent = row["submitted"]["percent"]
    evaluation.progress_at = utcnow()


def my_evaluations(actor: Person, year: int | None = None) -> list[dict]:
    """The organisation's periods (of ``year``) each with ``actor``'s evaluation, if any."""
    periods = list_periods(actor, year)
    mine = {e.period_id: e for e in db.session.scalars(sa.select(Evaluation).where(
        Evaluation.person_id == actor.id,
        Evaluation.period_id.in_([p.id for p in periods])))} if periods else {}
    return [{"period": period, "evaluation": mine.get(period.id)} for period in periods]


def open_evaluation(actor: Person, period_id: int) -> tuple[Evaluation, bool]:
    """``actor``'s evaluation of the period; made on first opening, pre-filled from the logs.

    Returns (evaluation, created). :raise Conflict: without an approved SKP of that year.
    """
    period = get_period(actor, period_id)
    evaluation = db.session.scalar(sa.select(Evaluation).where(
        Evaluation.person_id == actor.id, Evaluation.period_id == period.id))
    if evaluation is not None:
        return evaluation, False
    skp = db.session.scalar(sa.select(Skp).where(Skp.person_id == actor.id,
                                                 Skp.year == period.year))
    if skp is None or skp.status is not SkpStatus.APPROVED:
        raise Conflict(_("You need an approved SKP for %(year)s before the evaluation.",
                         year=period.year), code="no_approved_skp")
    evaluation = Evaluation(
        org_id=actor.org_id, person_id=actor.id, period=period, skp_id=skp.id,
        status=EvaluationStatus.DRAFT, version=1,
        is_jpt=skp.is_jpt or actor.position_kind is PositionKind.JPT)
    evaluation.person = actor
    evaluation.skp = skp
    for position, rhk in enumerate(_sorted_rhks(skp)):
        evaluation.rhks.append(EvaluationRhk(rhk_id=rhk.id, position=position,
                                             realisation="", reflection="", feedback=""))
    for position, core in enumerate(VALUES):
        evaluation.behaviours.append(EvaluationBehaviour(value=core.value, position=position,
                                                         feedback="", expectation=""))
    db.session.add(evaluation)
    db.session.flush()
    _snapshot(evaluation)
    _record(actor, evaluation, "create", {"period_id": period.id, "skp_id": skp.id,
                                          "status": evaluation.status})
    return evaluation, True


def _require_own_draft(actor: Person, evaluation: Evaluation, version: int | None) -> None:
    if actor.id != evaluation.person_id:
        raise Forbidden(_("Only the employee writes their self-evaluation."))
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise _state_error(evaluation, _(
            "This evaluation has been submitted and can no longer be changed."))
    _check_version(evaluation, version)


def refresh_from_logs(actor: Person, evaluation_id: int, version: int | None) -> Evaluation:
    """Recompute the realisation per indicator from the logs (drafts only)."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_own_draft(actor, evaluation, version)
    _snapshot(evaluation)
    _bump(evaluation)
    _record(actor, evaluation, "refresh", {})
    return evaluation


def _rows_by_rhk(evaluation: Evaluation, items: list[dict], field: str = "rhk") -> list:
    by_rhk = {row.rhk_id: row for row in evaluation.rhks}
    found = []
    for index, item in enumerate(items):
        row = by_rhk.get(item["rhk_id"])
        if row is None:
            raise ValidationFailed(fields={f"{field}.{index}.rhk_id": _(
                "This RHK is not part of the evaluation.")})
        found.append((row, item))
    return found


def save_self_evaluation(actor: Person, evaluation_id: int, *, version: int,
                         rhk: list[dict]) -> Evaluation:
    """Save the realisation and reflection per RHK (only the RHK sent change)."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_own_draft(actor, evaluation, version)
    changes = {}
    for row, item in _rows_by_rhk(evaluation, rhk):
        values = {key: item[key] for key in ("realisation", "reflection") if key in item}
        diff = audit.diff(row, values)
        if diff:
            changes[str(row.rhk_id)] = diff
        for key, value in values.items():
            setattr(row, key, value)
    if changes:
        _bump(evaluation)
        _record(actor, evaluation, "update", changes)
    return evaluation


def add_evidence(actor: Person, evaluation_id: int, *, rhk_id: int, url: str,
                 label: str = "") -> EvaluationEvidence:
    """A link as bukti dukung of one RHK (drafts only)."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_own_draft(actor, evaluation, None)
    _rows_by_rhk(evaluation, [{"rhk_id": rhk_id}], field="evidence")
    item = EvaluationEvidence(rhk_id=rhk_id, url=url, label=label or "")
    evaluation.evidence.append(item)
    db.session.flush()
    _bump(evaluation)
    _record(actor, evaluation, "evidence_add", {"rhk_id": rhk_id, "url": url})
    return item


def add_evidence_file(actor: Person, evaluation_id: int, *, rhk_id: int, stream,
                      filename: str | None, label: str = "") -> EvaluationEvidence:
    """A photo or PDF as bukti dukung of one RHK, checked by its bytes as activity evidence
    is. :raise uploads.TooLarge: beyond EVIDENCE_MAX_BYTES; :raise uploads.UnsupportedType:
    unless a JPEG, PNG, WebP or PDF."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_own_draft(actor, evaluation, None)
    _rows_by_rhk(evaluation, [{"rhk_id": rhk_id}], field="evidence")
    upload = uploads.read(stream, filename)
    item = EvaluationEvidence(rhk_id=rhk_id, label=label or "",
                              **uploads.store(upload, uuid.uuid4().hex, prefix="evaluations/"))
    evaluation.evidence.append(item)
    db.session.flush()
    _bump(evaluation)
    _record(actor, evaluation, "evidence_add", {"rhk_id": rhk_id, "filename": item.filename,
                                                "sha256": item.sha256})
    return item


def get_evidence(actor: Person, evidence_id: int) -> EvaluationEvidence:
    """:raise NotFound: unless ``actor`` may read the evaluation it belongs to."""
    item = db.session.scalar(
        sa.select(EvaluationEvidence).join(Evaluation)
        .where(EvaluationEvidence.id == evidence_id, Evaluation.org_id == actor.org_id))
    if item is None or not may_read(actor, item.evaluation.person):
        raise NotFound(_("Evidence not found."))
    return item


def delete_evidence(actor: Person, evidence_id: int) -> Evaluation:
    """Remove evidence from ``actor``'s draft; its file is deleted once this is committed."""
    item = get_evidence(actor, evidence_id)
    if item.evaluation.person_id != actor.id:
        raise NotFound(_("Evidence not found."))
    evaluation = item.evaluation
    _require_own_draft(actor, evaluation, None)
    uploads.remove_after_commit(item.storage_key)
    evaluation.evidence.remove(item)
    db.session.flush()
    _bump(evaluation)
    _record(actor, evaluation, "evidence_delete", {"rhk_id": item.rhk_id, "url": item.url,
                                                   "filename": item.filename})
    return evaluation


def submit_evaluation(actor: Person, evaluation_id: int, version: int | None,
                      now: datetime | None = None) -> Evaluation:
    """Send the self-evaluation to the appraiser; after the deadline only when reopened."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_own_draft(actor, evaluation, version)
    if deadline_passed(evaluation.person, evaluation.period, now) and not evaluation.reopened:
        raise _state_error(evaluation, _(
            "The input deadline of this period (%(date)s) has passed. Ask your supervisor to "
            "reopen it.", date=format_date(evaluation.period.deadline, "EEEE, d MMMM y")))
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_at = utcnow()
    evaluation.return_reason = None
    _bump(evaluation)
    _record(actor, evaluation, "submit", {"status": evaluation.status})
    supervisor = evaluation.person.supervisor
    if supervisor is not None:
        notify(supervisor, NotificationKind.FEEDBACK,
               title=_("%(name)s submitted the self-evaluation of %(period)s",
                       name=actor.name, period=evaluation.period.name),
               url=f"/evaluasi/{evaluation.id}/penilaian",
               data={"evaluation_id": evaluation.id, "status": evaluation.status.value})
    return evaluation


def _require_appraiser(actor: Person, evaluation: Evaluation) -> None:
    if not may_assess(actor, evaluation.person):
        raise Forbidden(_("Only the employee's appraiser (pejabat penilai) can do this."))


def return_evaluation(actor: Person, evaluation_id: int, *, reason: str,
                      version: int | None = None) -> Evaluation:
    """Back to draft with a reason; the employee may submit again after the deadline."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_appraiser(actor, evaluation)
    if evaluation.status is not EvaluationStatus.SUBMITTED:
        raise _state_error(evaluation, _("Only a submitted evaluation can be returned."))
    _check_version(evaluation, version)
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.return_reason = reason
    evaluation.reopened = True
    _bump(evaluation)
    _record(actor, evaluation, "return", {"status": evaluation.status, "reason": reason})
    notify(evaluation.person, NotificationKind.RETURNED,
           title=_("%(name)s returned your self-evaluation of %(period)s",
                   name=actor.name, period=evaluation.period.name),
           body=reason, url=f"/evaluasi/{evaluation.id}",
           data={"evaluation_id": evaluation.id, "status": evaluation.status.value})
    return evaluation


def reopen_evaluation(actor: Person, evaluation_id: int) -> Evaluation:
    """Let a draft be submitted after the deadline."""
    evaluation = get_evaluation(actor, evaluation_id)
    _require_appraiser(actor, evaluation)
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise _state_error(evaluation, _("Only a draft evaluation can be reopened."))
    evaluation.reopened = True
    _bump(evaluation)
    _record(actor, evaluation, "reopen", {"reopened": True})
    return evaluation


def unit_predicate(unit_id: int, period_id: int) -> UnitPredicate | None:
    return db.session.scalar(sa.select(UnitPredicate).where(
        UnitPredicate.unit_id == unit_id, UnitPredicate.period_id == period_id))


def assess_evaluation(actor: Person, evaluation_id: int, *, version: int,
                      rhk: list[dict] = (), behaviour: list[dict] = (),
                      hasil_kerja=None, perilaku_kerja) -> Evaluation:
    """The appraiser's assessment; may be revised until the employee acknowledges it.

    A JPT's results rating follows their unit's predicate for the period; the predikat always
    comes from the matrix.
    """
    evaluation = get_evaluation(actor, evaluation_id)
    _require_appraiser(actor, evaluation)
    if evaluation.status not in (EvaluationStatus.SUBMITTED, EvaluationStatus.ASSESSED):
        message = (_("This evaluation has been acknowledged and can no longer be changed.")
                   if evaluation.status is EvaluationStatus.ACKNOWLEDGED else
                   _("The employee has not submitted this self-evaluation yet."))
        raise _state_error(evaluation, message)
    _check_version(evaluation, version)
    for row, item in _rows_by_rhk(evaluation, list(rhk)):
        if "feedback" in item:
            row.feedback = item["feedback"]
        if "rating" in item:
            row.rating = Rating(item["rating"]) if item["rating"] else None
    rows = {row.value: row for row in evaluation.behaviours}
    for item in behaviour:
        row = rows[Value(item["value"])]
        for key in ("feedback", "expectation"):
            if key in item:
                setattr(row, key, item[key])
    if evaluation.is_jpt:
        found = unit_predicate(evaluation.person.unit_id, evaluation.period_id)
        if found is None:
            raise ValidationFailed(fields={"hasil_kerja": _(
                "Set the predicate of the unit %(unit)s for this period first: a JPT's "
                "results rating follows it.", unit=evaluation.person.unit.name)})
        evaluation.unit_predikat = found.predikat
        hasil_kerja = rules.jpt_results_rating(found.predikat)
    elif hasil_kerja is None:
        raise ValidationFailed(fields={"hasil_kerja": _("Choose the results rating.")})
    evaluation.hasil_kerja = Rating(hasil_kerja)
    evaluation.perilaku_kerja = Rating(perilaku_kerja)
    evaluation.predikat = rules.predikat(evaluation.hasil_kerja, evaluation.perilaku_kerja)
    evaluation.status = EvaluationStatus.ASSESSED
    evaluation.appraiser_id = actor.id
    evaluation.assessed_at = utcnow()
    _bump(evaluation)
    _record(actor, evaluation, "assess", {
        "hasil_kerja": evaluation.hasil_kerja, "perilaku_kerja": evaluation.perilaku_kerja,
        "predikat": evaluation.predikat, "unit_predikat": evaluation.unit_predikat,
        "rhk": {str(r.rhk_id): [plain_rating(r.rating), r.feedback] for r in evaluation.rhks},
        "behaviour": {b.value.value: [b.feedback, b.expectation]
                      for b in evaluation.behaviours}})
    notify(evaluation.person, NotificationKind.FEEDBACK,
           title=_("%(name)s assessed your evaluation of %(period)s",
                   name=actor.name, period=evaluation.period.name),
           url=f"/evaluasi/{evaluation.id}",
           data={"evaluation_id": evaluation.id, "status": evaluation.status.value})
    return evaluation


def plain_rating(rating: Rating | None) -> str | None:
    return rating.value if rating else None


def acknowledge_evaluation(actor: Person, evaluation_id: int,
                           version: int | None) -> Evaluation:
    """The employee has seen the assessment (menerima/mengetahui); it is final afterwards."""
    evaluation = get_evaluation(actor, evaluation_id)
    if actor.id != evaluation.person_id:
        raise Forbidden(_("Only the employee acknowledges their assessment."))
    if evaluation.status is not EvaluationStatus.ASSESSED:
        raise _state_error(evaluation, _("There is no assessment to acknowledge."))
    _check_version(evaluation, version)
    evaluation.status = EvaluationStatus.ACKNOWLEDGED
    evaluation.acknowledged_at = utcnow()
    _bump(evaluation)
    _record(actor, evaluation, "acknowledge", {"status": evaluation.status})
    return evaluation


# --- the appraiser's team ------------------------------------------------------------------

def appraisees(actor: Person) -> list[Person]:
    """The people ``actor`` assesses today."""
    heads = [actor.id, *acting_for(actor)]
    condition = Person.supervisor_id.in_(heads)
    if _is_admin(actor):
        condition = sa.or_(condition, Person.supervisor_id.is_(None))
    return list(db.session.scalars(
        sa.select(Person).where(Person.org_id == actor.org_id, Person.active,
                                Person.id != actor.id, condition)
        .order_by(Person.name, Person.id)))


def team_evaluations(actor: Person, period_id: int) -> dict:
    """The period and, for each person ``actor`` assesses, their evaluation (or None)."""
    period = get_period(actor, period_id)
    people = appraisees(actor)
    found = {e.person_id: e for e in db.session.scalars(sa.select(Evaluation).where(
        Evaluation.period_id == period.id,
        Evaluation.person_id.in_([p.id for p in people])))} if people else {}
    return {"period": period, "people": [
        {"person": person, "evaluation": found.get(person.id)} for person in people]}


# --- unit predicates -----------------------------------------------------------------------

def unit_head(unit: Unit) -> Person | None:
    """Who leads the unit: its member whose supervisor is outside it (or who has none)."""
    boss = sa.orm.aliased(Person)
    return db.session.scalar(
        sa.select(Person).outerjoin(boss, Person.supervisor_id == boss.id)
        .where(Person.unit_id == unit.id, Person.active,
               sa.or_(Person.supervisor_id.is_(None), boss.unit_id != unit.id))
        .order_by(Person.supervisor_id.is_not(None), Person.id).limit(1))


def may_set_unit_predicate(actor: Person, unit: Unit) -> bool:
    """An HR administrator, or the next-higher leader: the supervisor of the unit's head."""
    if actor.org_id != unit.org_id:
        return False
    if _is_admin(actor):
        return True
    head = unit_head(unit)
    return head is not None and head.supervisor_id == actor.id


def unit_predicates(actor: Person, period_id: int) -> list[dict]:
    """Every unit of the organisation with its predicate for the period (or None)."""
    period = get_period(actor, period_id)
    units = list(db.session.scalars(sa.select(Unit).where(Unit.org_id == actor.org_id)
                                    .order_by(Unit.code)))
    found = {row.unit_id: row for row in db.session.scalars(sa.select(UnitPredicate).where(
        UnitPredicate.period_id == period.id))}
    return [{"unit": unit, "period_id": period.id,
             "predikat": found[unit.id].predikat if unit.id in found else None,
             "can_set": may_set_unit_predicate(actor, unit)} for unit in units]


def set_unit_predicate(actor: Person, period_id: int, unit_id: int, predikat) -> UnitPredicate:
    period = get_period(actor, period_id)
    unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id,
                                                   Unit.org_id == actor.org_id))
    if unit is None:
        raise NotFound(_("Unit not found."))
    if not may_set_unit_predicate(actor, unit):
        raise Forbidden(_("Only the next-higher leader or an HR administrator sets this "
                          "unit's predicate."))
    row = unit_predicate(unit.id, period.id)
    old = row.predikat if row else None
    if row is None:
        row = UnitPredicate(org_id=actor.org_id, unit_id=unit.id, period_id=period.id)
        db.session.add(row)
    row.predikat = OrgPredikat(predikat)
    row.set_by_id = actor.id
    row.set_at = utcnow()
    db.session.flush()
    head = unit_head(unit)
    audit.record(actor.org_id, head.id if head else actor.id, actor.id, "unit_predicate",
                 row.id, "set", {"unit_id": unit.id, "period_id": period.id,
                                 "predikat": [audit.plain(old), row.predikat.value]})
    return row


# --- distribution --------------------------------------------------------------------------

def _percent(share: Decimal) -> str:
    return f"{format_decimal(share * 100, format='#,##0.#')}\u00a0%"


def explain(warning: rules.DistributionWarning) -> str:
    """A distribution warning in plain words: "Sangat Baik 80 % — paling banyak 70 %"."""
    names = " + ".join(str(PREDIKAT_LABELS[p]) for p in warning.predikat)
    actual, limit = _percent(warning.actual), _percent(warning.limit)
    if warning.code.startswith("most_"):
        return _("%(names)s should be the largest group (now %(actual)s).", names=names,
                 actual=actual)
    if warning.code == "min_butuh_perbaikan_or_kurang":
        return _("%(names)s: there must be some (now none).", names=names)
    if warning.is_minimum:
        return _("%(names)s %(actual)s — at least %(limit)s.", names=names, actual=actual,
                 limit=limit)
    if warning.limit == 0:
        return _("%(names)s %(actual)s — none allowed.", names=names, actual=actual)
    return _("%(names)s %(actual)s — at most %(limit)s.", names=names, actual=actual,
             limit=limit)


def _pattern(unit: Unit, period_id: int) -> tuple[OrgPredikat | None, Unit | None]:
    """The predicate of ``unit`` for the period, else of its nearest ancestor that has one."""
    for candidate in reversed(unit.path()):
        row = unit_predicate(candidate.id, period_id)
        if row is not None:
            return row.predikat, candidate
    return None, None


def _subtree(unit: Unit) -> list[int]:
    units = list(db.session.scalars(sa.select(Unit).where(Unit.org_id == unit.org_id)))
    return [u.id for u in units if unit in u.path()]


def distribution(actor: Person, period_id: int, unit_id: int | None = None) -> dict:
    """Counts and shares of each predikat among the assessed people against the pattern.

    Without ``unit_id``: the people ``actor`` assesses, against the predicate of ``actor``'s
    unit (or the nearest above). With it: the people of that unit and the units below it, its
    head excepted (admins and the head of agency: any unit; otherwise the unit's head or the
    leader who sets its predicate).
    """
    period = get_period(actor, period_id)
    if unit_id is None:
        unit = actor.unit
        person_ids = [p.id for p in appraisees(actor)]
    else:
        unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id,
                                                       Unit.org_id == actor.org_id))
        if unit is None:
            raise NotFound(_("Unit not found."))
        head = unit_head(unit)
        if not (_oversees_org(actor) or (head is not None and head.id == actor.id)
                or may_set_unit_predicate(actor, unit)):
            raise Forbidden(_("You may see the distribution of your own team or unit only."))
        person_ids = list(db.session.scalars(sa.select(Person.id).where(
            Person.unit_id.in_(_subtree(unit)), Person.id != (head.id if head else 0))))
    predicates = list(db.session.scalars(sa.select(Evaluation.predikat).where(
        Evaluation.period_id == period.id, Evaluation.person_id.in_(person_ids),
        Evaluation.status.in_([EvaluationStatus.ASSESSED, EvaluationStatus.ACKNOWLEDGED]),
        Evaluation.predikat.is_not(None)))) if person_ids else []
    pattern, pattern_unit = _pattern(unit, period.id)
    total = len(predicates)
    counts = []
    for kind in Predikat:
        count = sum(1 for p in predicates if p is kind)
        share = (Decimal(count) / total).quantize(Decimal("0.0001")) if total else Decimal(0)
        counts.append({"predikat": kind, "label": str(PREDIKAT_LABELS[kind]), "count": count,
                       "share": share, "percent": _percent(share)})
    warnings = [{"code": w.code, "predikat": list(w.predikat), "limit": w.limit,
                 "actual": w.actual, "message": explain(w)}
                for w in (rules.distribution_warnings(pattern, predicates) if pattern else [])]
    return {"period": period, "unit": unit if unit_id is not None else None,
            "scope": "unit" if unit_id is not None else "team",
            "pattern": pattern, "pattern_label": str(ORG_PREDIKAT_LABELS[pattern])
            if pattern else None, "pattern_unit": pattern_unit,
            "people": len(person_ids), "total": total, "counts": counts,
            "warnings": warnings}


# --- the evaluation document ---------------------------------------------------------------

def _person_block(person: Person | None) -> dict | None:
    if person is None:
        return None
    pangkat = ", ".join(part for part in (person.pangkat, person.golongan) if part)
    return {"name": person.name, "nip": person.nip, "pangkat": pangkat,
            "jabatan": person.jabatan, "unit": person.unit.name}


def _target_text(indicator: Indicator) -> str:
    if indicator.target_min is None:
        return indicator.target_text or ""
    low = format_decimal(indicator.target_min, format="#,##0.##")
    if indicator.target_max is not None and indicator.target_max != indicator.target_min:
        low = f"{low}–{format_decimal(indicator.target_max, format='#,##0.##')}"
    return f"{low} {indicator.unit}".strip()


def _realisation_text(row: EvaluationIndicator | None, indicator: Indicator) -> str:
    if row is None:
        return ""
    text = f"{format_decimal(row.approved_quantity, format='#,##0.##')} {indicator.unit}"
    if row.approved_percent is not None:
        text += f" ({_percent(Decimal(row.approved_percent) / 100)})"
    return text.strip()


def _local_date(moment: datetime | None, person: Person) -> date | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(person.timezone)).date()


def document_data(actor: Person, evaluation_id: int) -> dict:
    """Everything the evaluation form (PDF) shows, labels in the current language."""
    from app.targets.views import ASPECT_LABELS, PERSPECTIVE_LABELS

    evaluation = get_evaluation(actor, evaluation_id)
    person, period = evaluation.person, evaluation.period
    appraiser = evaluation.appraiser or person.supervisor
    snapshot = {row.indicator_id: row for row in evaluation.indicators}
    rhk_items = []
    for row in evaluation.rhks:
        rhk = row.rhk
        rhk_items.append({
            "kind": rhk.kind.value, "text": rhk.description,
            "parent_text": rhk.parent.description if rhk.parent else None,
            "perspective": str(PERSPECTIVE_LABELS[rhk.perspective]) if rhk.perspective
            else None,
            "indicators": [{"aspect": str(ASPECT_LABELS[i.aspect]), "text": i.description,
                            "target": _target_text(i),
                            "realisation": _realisation_text(snapshot.get(i.id), i)}
                           for i in rhk.indicators],
            "realisation": row.realisation or "", "feedback": row.feedback or "",
            "rating": str(RATING_LABELS[row.rating]) if row.rating else None})
    behaviours = {row.value: row for row in evaluation.behaviours}
    behaviour_items = []
    for core in VALUES:
        row = behaviours.get(core.value)
        behaviour_items.append({"value": core.name, "guides": [str(g) for g in core.guides],
                                "expectation": row.expectation if row else "",
                                "feedback": row.feedback if row else ""})
    unit_row = unit_predicate(person.unit_id, period.id) if evaluation.is_jpt else None
    unit_value = evaluation.unit_predikat or (unit_row.predikat if unit_row else None)
    return {
        "organisation": person.organisation.name, "unit": person.unit.name,
        "period": {"name": period.name, "kind": str(PERIOD_KIND_LABELS[period.kind]),
                   "starts_on": period.starts_on, "ends_on": period.ends_on},
        "employee": _person_block(person),
        "appraiser": _person_block(appraiser),
        "appraiser_superior": _person_block(appraiser.supervisor if appraiser else None),
        "is_jpt": evaluation.is_jpt,
        "unit_predikat": str(ORG_PREDIKAT_LABELS[unit_value]) if unit_value else None,
        "rhk": rhk_items,
        "behaviour": behaviour_items,
        "hasil_kerja": str(RATING_LABELS[evaluation.hasil_kerja])
        if evaluation.hasil_kerja else None,
        "perilaku_kerja": str(RATING_LABELS[evaluation.perilaku_kerja])
        if evaluation.perilaku_kerja else None,
        "predikat": str(PREDIKAT_LABELS[evaluation.predikat]) if evaluation.predikat else None,
        "status": str(STATUS_LABELS[evaluation.status]),
        "assessed_on": _local_date(evaluation.assessed_at, person),
        "acknowledged_on": _local_date(evaluation.acknowledged_at, person),
    }



def document_pdf(actor: Person, evaluation_id: int) -> tuple[bytes, str]:
    """The evaluation form as a PDF, and a file name for it."""
    from app.documents.evaluation_pdf import render_evaluation_pdf

    data = document_data(actor, evaluation_id)
    evaluation = get_evaluation(actor, evaluation_id)
    name = f"evaluasi-kinerja-{evaluation.person.nip}-{evaluation.period_id}.pdf"
    return render_evaluation_pdf(data), name
