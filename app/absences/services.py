"""Absences: asked by the employee and decided by the supervisor, or entered by HR.

An approved absence *excuses* its days: no "nothing logged" reminder, and the day counts as
met in logging compliance. :func:`excused_days` is the one place that says which days are
excused; reminders, dashboards, recaps and documents all ask it (or :func:`excused_unlogged`,
built on it).

Who decides is the reporting line's business (:mod:`app.org.lines`): anyone who may review
the person's work may approve or reject their request; an HR administrator enters absences
for anyone of the organisation, approved at once. Every change is audited. Services flush,
never commit.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.absences.models import Absence, AbsenceKind, AbsenceStatus
from app.activities.models import Activity
from app.audit import services as audit
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.notifications.models import NotificationKind
from app.notifications.services import notify
from app.org.lines import may_supervise, reviewers_of, supervised_ids
from app.org.models import Person, Role

logger = logging.getLogger(__name__)

#: The longest absence in one entry: CLTN and tugas belajar run for years.
MAX_DAYS = 5 * 366

KIND_LABELS = {
    AbsenceKind.CUTI_TAHUNAN: _l("Annual leave"),
    AbsenceKind.CUTI_BESAR: _l("Long service leave"),
    AbsenceKind.CUTI_SAKIT: _l("Sick leave"),
    AbsenceKind.CUTI_MELAHIRKAN: _l("Maternity leave"),
    AbsenceKind.CUTI_ALASAN_PENTING: _l("Leave for important reasons"),
    AbsenceKind.CUTI_BERSAMA: _l("Collective leave"),
    AbsenceKind.CUTI_LUAR_TANGGUNGAN: _l("Unpaid leave (CLTN)"),
    AbsenceKind.SAKIT: _l("Sick"),
    AbsenceKind.DINAS_LUAR: _l("Official travel"),
    AbsenceKind.TUGAS_BELAJAR: _l("Study assignment"),
}

STATUS_LABELS = {
    AbsenceStatus.REQUESTED: _l("waiting for approval"),
    AbsenceStatus.APPROVED: _l("approved"),
    AbsenceStatus.REJECTED: _l("rejected"),
    AbsenceStatus.CANCELLED: _l("cancelled"),
}

#: Requests and approved absences block another one over the same days.
ACTIVE = (AbsenceStatus.REQUESTED, AbsenceStatus.APPROVED)


def kind_label(kind: AbsenceKind | str) -> str:
    return str(KIND_LABELS[AbsenceKind(kind)])


# --- the days an absence excuses -----------------------------------------------------------

def excused_days(org_id: int, first: date, last: date,
                 person_ids: Iterable[int] | None = None) -> dict[int, dict[date, AbsenceKind]]:
    """Per person, each day from ``first`` to ``last`` that an approved absence covers,
    with the absence's kind. ``person_ids`` narrows it (None: the whole organisation).

    Calendar days: the caller keeps those that are working days for it. One query.
    """
    query = sa.select(Absence.person_id, Absence.kind, Absence.starts_on, Absence.ends_on).where(
        Absence.org_id == org_id, Absence.status == AbsenceStatus.APPROVED,
        Absence.starts_on <= last, Absence.ends_on >= first)
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return {}
        query = query.where(Absence.person_id.in_(ids))
    days: dict[int, dict[date, AbsenceKind]] = {}
    for row in db.session.execute(query.order_by(Absence.starts_on, Absence.id)):
        day = max(row.starts_on, first)
        while day <= min(row.ends_on, last):
            days.setdefault(row.person_id, {})[day] = row.kind
            day += timedelta(days=1)
    return days


def excused_unlogged(org_id: int, days: Iterable[date],
                     person_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Per person, how many of ``days`` (their working days) are excused by an absence and
    have no activity: what compliance adds to the days logged, so a day is never counted
    twice. People without absences are left out."""
    days = sorted(set(days))
    if not days:
        return {}
    excused = excused_days(org_id, days[0], days[-1], person_ids)
    wanted = set(days)
    excused = {person: set(by_day) & wanted for person, by_day in excused.items()}
    excused = {person: found for person, found in excused.items() if found}
    if not excused:
        return {}
    logged = {(row.person_id, row.date) for row in db.session.execute(
        sa.select(Activity.person_id, Activity.date).where(
            Activity.person_id.in_(list(excused)),
            Activity.date.in_(set().union(*excused.values()))).distinct())}
    return {person: len([day for day in found if (person, day) not in logged])
            for person, found in excused.items()}


# --- who may see and decide ----------------------------------------------------------------

def _is_admin(actor: Person) -> bool:
    return actor.has_role(Role.ADMIN)


def sees_organisation(actor: Person) -> bool:
    """HR administrators and pimpinan see every absence of their organisation."""
    return bool(actor.roles & {Role.ADMIN, Role.PIMPINAN})


def visible_to(actor: Person) -> sa.Select:
    """The absences ``actor`` may see: the organisation's (HR, pimpinan), else their own
    and those of everyone they may review."""
    query = sa.select(Absence).where(Absence.org_id == actor.org_id)
    if sees_organisation(actor):
        return query
    team = list(db.session.scalars(supervised_ids(actor)))
    return query.where(Absence.person_id.in_([actor.id, *team]))


def may_decide(actor: Person, absence: Absence) -> bool:
    """The person's reviewers (line and Plt/Plh) and HR administrators; never the owner."""
    if absence.person_id == actor.id:
        return False
    return _is_admin(actor) or may_supervise(actor, absence.person_id)


def list_absences(actor: Person, *, person_id: int | None = None, status: str | None = None,
                  start: date | None = None, end: date | None = None,
                  decidable: bool = False) -> list[Absence]:
    """Absences ``actor`` may see, newest first; ``decidable``: only requests they may
    approve."""
    query = visible_to(actor)
    if person_id is not None:
        query = query.where(Absence.person_id == person_id)
    if status is not None:
        query = query.where(Absence.status == AbsenceStatus(status))
    if start is not None:
        query = query.where(Absence.ends_on >= start)
    if end is not None:
        query = query.where(Absence.starts_on <= end)
    if decidable:
        query = query.where(Absence.status == AbsenceStatus.REQUESTED,
                            Absence.person_id != actor.id)
        if not _is_admin(actor):
            query = query.where(Absence.person_id.in_(
                list(db.session.scalars(supervised_ids(actor)))))
    return list(db.session.scalars(query.order_by(Absence.starts_on.desc(), Absence.id.desc())))


def get_absence(actor: Person, absence_id: int) -> Absence:
    """:raise NotFound: for an absence ``actor`` may not see (another organisation's)."""
    absence = db.session.scalar(visible_to(actor).where(Absence.id == absence_id))
    if absence is None:
        raise NotFound(_("Absence not found."))
    return absence


# --- asking, entering, deciding ------------------------------------------------------------

def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(fields={"ends_on": _("The end must not be before the start.")})
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise ValidationFailed(fields={"ends_on": _("Enter at most five years at a time.")})


def _check_no_overlap(person_id: int, starts_on: date, ends_on: date) -> None:
    other = db.session.scalar(sa.select(Absence).where(
        Absence.person_id == person_id, Absence.status.in_(ACTIVE),
        Absence.starts_on <= ends_on, Absence.ends_on >= starts_on).limit(1))
    if other is not None:
        raise Conflict(_("These days overlap another absence (%(kind)s, %(start)s – %(end)s).",
                         kind=kind_label(other.kind), start=format_date(other.starts_on),
                         end=format_date(other.ends_on)),
                       code="overlap", extra={"current": {"id": other.id}})


def _person_for(actor: Person, person_id: int | None) -> Person:
    """The person an absence is for: the actor, or (HR administrators) anyone of theirs."""
    if person_id is None or person_id == actor.id:
        return actor
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    if person is None:
        raise NotFound(_("Person not found."))
    if not _is_admin(actor):
        raise Forbidden(_("Only HR administrators enter absences for someone else."))
    return person


def _changes(absence: Absence) -> dict:
    return {"person_id": absence.person_id, "kind": absence.kind.value,
            "starts_on": absence.starts_on.isoformat(), "ends_on": absence.ends_on.isoformat(),
            "status": absence.status.value, "note": absence.note}


def create_absence(actor: Person, *, kind: str, starts_on: date, ends_on: date,
                   note: str = "", person_id: int | None = None) -> Absence:
    """Ask for an absence (for oneself: it waits for the supervisor), or enter one for
    anyone (HR administrators: approved at once)."""
    person = _person_for(actor, person_id)
    _check_dates(starts_on, ends_on)
    _check_no_overlap(person.id, starts_on, ends_on)
    entered = _is_admin(actor)
    absence = Absence(org_id=actor.org_id, person_id=person.id, kind=AbsenceKind(kind),
                      starts_on=starts_on, ends_on=ends_on, note=note or "",
                      status=AbsenceStatus.APPROVED if entered else AbsenceStatus.REQUESTED,
                      created_by_id=actor.id, decided_by_id=actor.id if entered else None,
                      decided_at=utcnow() if entered else None, decision_note="")
    db.session.add(absence)
    db.session.flush()
    audit.record(actor.org_id, person.id, actor.id, "absence", absence.id,
                 "enter" if entered else "request", _changes(absence))
    if not entered:
        _tell_reviewers(person, absence)
    logger.info("Absence %s (%s) for %s by %s", absence.id, absence.status, person.id, actor.id)
    return absence


def _period(absence: Absence) -> str:
    if absence.starts_on == absence.ends_on:
        return format_date(absence.starts_on, "d MMMM y")
    first, last = (format_date(day, "d MMMM y") for day in (absence.starts_on, absence.ends_on))
    return f"{first} – {last}"


def _tell_reviewers(person: Person, absence: Absence) -> None:
    for reviewer in reviewers_of(person):
        notify(reviewer, NotificationKind.SUBMITTED,
               title=_("%(name)s asks for %(kind)s: %(period)s", name=person.name,
                       kind=kind_label(absence.kind).lower(), period=_period(absence)),
               url="/tim", data={"absence_id": absence.id, "person_id": person.id,
                                 "status": absence.status.value})


def _require_requested(absence: Absence) -> None:
    if absence.status != AbsenceStatus.REQUESTED:
        raise Conflict(_("Only a request waiting for approval can be decided."),
                       code="state_conflict", extra={"status": absence.status.value})


def _decide(actor: Person, absence_id: int, status: AbsenceStatus, reason: str = "") -> Absence:
    absence = get_absence(actor, absence_id)
    if not may_decide(actor, absence):
        raise Forbidden(_("Only the supervisor or an HR administrator decides this request."))
    _require_requested(absence)
    absence.status = status
    absence.decided_by_id, absence.decided_at = actor.id, utcnow()
    absence.decision_note = reason or ""
    db.session.flush()
    audit.record(actor.org_id, absence.person_id, actor.id, "absence", absence.id,
                 status.value, {"status": ["requested", status.value], "reason": reason})
    approved = status == AbsenceStatus.APPROVED
    title = (_("%(name)s approved your %(kind)s: %(period)s", name=actor.name,
               kind=kind_label(absence.kind).lower(), period=_period(absence)) if approved else
             _("%(name)s rejected your %(kind)s: %(period)s", name=actor.name,
               kind=kind_label(absence.kind).lower(), period=_period(absence)))
    notify(absence.person, NotificationKind.APPROVED if approved else NotificationKind.RETURNED,
           title=title, body=reason or "", url="/cuti",
           data={"absence_id": absence.id, "status": status.value})
    return absence


def approve_absence(actor: Person, absence_id: int) -> Absence:
    """Approve a request: its days are excused from now on."""
    return _decide(actor, absence_id, AbsenceStatus.APPROVED)


def reject_absence(actor: Person, absence_id: int, reason: str) -> Absence:
    """Refuse a request, with the reason the employee reads."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": _("Say why the request is rejected.")})
    return _decide(actor, absence_id, AbsenceStatus.REJECTED, reason.strip())


def cancel_absence(actor: Person, absence_id: int) -> Absence:
    """Withdraw a request or an approved absence: by its owner, or an HR administrator."""
    absence = get_absence(actor, absence_id)
    if absence.person_id != actor.id and not _is_admin(actor):
        raise Forbidden(_("Only the employee or an HR administrator cancels an absence."))
    if absence.status not in ACTIVE:
        raise Conflict(_("This absence is not active."), code="state_conflict",
                       extra={"status": absence.status.value})
    old = absence.status.value
    absence.status = AbsenceStatus.CANCELLED
    absence.decided_by_id, absence.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor.org_id, absence.person_id, actor.id, "absence", absence.id, "cancel",
                 {"status": [old, "cancelled"]})
    return absence
