"""The reporting line: who supervises whom today.

Everyone above a person in the supervisor chain may see, comment on, approve and return their
work. So may an acting supervisor (Plt/Plh, :class:`~app.org.models.ActingAssignment`) standing
in for someone above them, on the days of the assignment only. Every package asks this module;
none keeps its own copy of the rule.

Services take the acting person explicitly, flush and never commit.
"""

import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.errors import Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import ActingAssignment, ActingKind, Person, Role

logger = logging.getLogger(__name__)
K = TypeVar("K")


def local_today(person: Person, now: datetime | None = None) -> date:
    """The date in ``person``'s own zone (their unit's) at ``now`` (default: this moment)."""
    now = now or utcnow()
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    return now.astimezone(ZoneInfo(person.timezone)).date()


# --- the supervisor chain --------------------------------------------------------------------

def line_below(person_id: int) -> sa.CTE:
    """Recursive CTE of the ids of everyone below ``person_id`` in the reporting line."""
    below = (sa.select(Person.id.label("id"))
             .where(Person.supervisor_id == person_id)
             .cte("line_below", recursive=True))
    return below.union_all(sa.select(Person.id).join(below, Person.supervisor_id == below.c.id))


def is_in_line(supervisor: Person, person_id: int) -> bool:
    """Whether ``person_id`` is somewhere below ``supervisor`` (acting assignments aside)."""
    below = line_below(supervisor.id)
    return db.session.scalar(sa.select(sa.exists().where(below.c.id == person_id)))


def supervisor_loop(supervisor_of: Mapping[K, K | None], start: K) -> list[K] | None:
    """The loop that following supervisors from ``start`` runs into, or None.

    ``supervisor_of`` maps each person (an id, a NIP: any key) to their supervisor's key; the
    loop is listed from ``start``'s first supervisor on the loop back to that supervisor, e.g.
    ``[a, b, c, a]``. Used before a change is written: a reporting line must stay a tree.
    """
    seen: dict[K, int] = {}
    path: list[K] = []
    key: K | None = start
    while key is not None and key not in seen:
        seen[key] = len(path)
        path.append(key)
        key = supervisor_of.get(key)
    if key is None:
        return None
    return path[seen[key]:] + [key]


def _below(heads: list[int] | sa.Select) -> sa.CTE:
    """Recursive CTE of the ids of everyone below any of ``heads`` (may repeat an id)."""
    below = (sa.select(Person.id.label("id")).where(Person.supervisor_id.in_(heads))
             .cte("supervised", recursive=True))
    return below.union_all(sa.select(Person.id).join(below, Person.supervisor_id == below.c.id))


# --- acting supervisors on a date ------------------------------------------------------------

def _acting_heads(actor: Person, on_date: date | None = None) -> sa.Select:
    """A select of the supervisors ``actor`` stands in for (Plt/Plh) on ``on_date`` (default:
    today, local)."""
    on_date = on_date or local_today(actor)
    return sa.select(ActingAssignment.for_person_id).where(
        ActingAssignment.org_id == actor.org_id,
        ActingAssignment.acting_person_id == actor.id,
        ActingAssignment.starts_on <= on_date, ActingAssignment.ends_on >= on_date).distinct()


def acting_for(actor: Person, on_date: date | None = None) -> list[int]:
    """Ids of the supervisors ``actor`` stands in for (Plt/Plh) on ``on_date`` (default:
    today, local)."""
    return list(db.session.scalars(_acting_heads(actor, on_date)))


def acting_line(actor: Person, on_date: date | None = None) -> sa.Select:
    """A select of the ids of everyone below the supervisors ``actor`` stands in for on
    ``on_date`` (default: today), to use inside a larger query."""
    below = _below(_acting_heads(actor, on_date))
    return sa.select(below.c.id)


# --- who may review whom ---------------------------------------------------------------------

def supervised_ids(actor: Person, on_date: date | None = None) -> sa.Select:
    """A select of the ids of everyone ``actor`` may review on ``on_date`` (default: today):
    their line below, and the lines below the supervisors they act for; never themself."""
    below = _below([actor.id, *acting_for(actor, on_date)])
    return sa.select(below.c.id).where(below.c.id != actor.id).distinct()


def may_supervise(actor: Person, person_id: int, on_date: date | None = None) -> bool:
    """Whether ``actor`` may review ``person_id``'s work on ``on_date`` (default: today): they
    are above the person in the reporting line, or act (Plt/Plh) for someone who is."""
    if person_id == actor.id:
        return False
    if is_in_line(actor, person_id):
        return True
    heads = acting_for(actor, on_date)
    if not heads:
        return False
    below = _below(heads)
    return bool(db.session.scalar(sa.select(sa.exists().where(below.c.id == person_id))))


def reviewers_of(person: Person) -> list[Person]:
    """Who is told when ``person`` sends something for review: their direct supervisor and
    whoever stands in for that supervisor (Plt/Plh) today."""
    supervisor = person.supervisor
    if supervisor is None:
        return []
    today = local_today(supervisor)
    acting = sa.select(ActingAssignment.acting_person_id).where(
        ActingAssignment.for_person_id == supervisor.id,
        ActingAssignment.starts_on <= today, ActingAssignment.ends_on >= today)
    return [supervisor, *db.session.scalars(sa.select(Person).where(
        Person.org_id == person.org_id, Person.active, Person.id.in_(acting),
        Person.id != supervisor.id))]


def supervises_anyone(actor: Person) -> bool:
    """Whether ``actor`` has someone to review today (a line below, or as Plt/Plh)."""
    ids = supervised_ids(actor)
    return bool(db.session.scalar(sa.select(sa.exists(ids.limit(1)))))


# --- appointing acting supervisors (Plt/Plh) -------------------------------------------------

def _admin_only(actor: Person) -> None:
    if Role.ADMIN not in actor.roles:
        raise Forbidden(_("Only an HR administrator can manage acting supervisors."))


def _person_in_org(actor: Person, person_id: int, field: str) -> Person:
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    if person is None:
        raise ValidationFailed(fields={field: _("Person not found.")})
    return person


def create_acting(actor: Person, *, acting_person_id: int, for_person_id: int,
                  starts_on: date, ends_on: date, kind: str) -> ActingAssignment:
    """Appoint an acting supervisor for a date range (HR administrators only)."""
    _admin_only(actor)
    acting = _person_in_org(actor, acting_person_id, "acting_person_id")
    replaced = _person_in_org(actor, for_person_id, "for_person_id")
    if acting.id == replaced.id:
        raise ValidationFailed(fields={"acting_person_id": _(
            "Choose someone other than the supervisor being replaced.")})
    if ends_on < starts_on:
        raise ValidationFailed(fields={"ends_on": _("The end must not be before the start.")})
    assignment = ActingAssignment(org_id=actor.org_id, acting_person=acting,
                                  for_person=replaced, starts_on=starts_on, ends_on=ends_on,
                                  kind=ActingKind(kind), created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record(actor.org_id, replaced.id, actor.id, "acting_assignment", assignment.id,
                 "create", {"acting_person_id": acting.id, "for_person_id": replaced.id,
                            "starts_on": starts_on.isoformat(),
                            "ends_on": ends_on.isoformat(), "kind": assignment.kind.value})
    logger.info("Acting assignment %s: %s for %s", assignment.id, acting.id, replaced.id)
    return assignment


def list_acting(actor: Person, *, active_on: date | None = None) -> list[ActingAssignment]:
    """The organisation's acting assignments for administrators and pimpinan (who see the
    settings pages read-only); for anyone else, those naming them."""
    query = sa.select(ActingAssignment).where(ActingAssignment.org_id == actor.org_id)
    if not actor.roles & {Role.ADMIN, Role.PIMPINAN}:
        query = query.where(sa.or_(ActingAssignment.acting_person_id == actor.id,
                                   ActingAssignment.for_person_id == actor.id))
    if active_on is not None:
        query = query.where(ActingAssignment.starts_on <= active_on,
                            ActingAssignment.ends_on >= active_on)
    return list(db.session.scalars(query.order_by(ActingAssignment.starts_on.desc(),
                                                  ActingAssignment.id)))


def delete_acting(actor: Person, assignment_id: int) -> None:
    """End an appointment early by removing it (HR administrators only)."""
    assignment = db.session.scalar(sa.select(ActingAssignment).where(
        ActingAssignment.id == assignment_id, ActingAssignment.org_id == actor.org_id))
    if assignment is None:
        raise NotFound(_("Acting assignment not found."))
    _admin_only(actor)
    audit.record(actor.org_id, assignment.for_person_id, actor.id, "acting_assignment",
                 assignment.id, "delete", {"acting_person_id": assignment.acting_person_id})
    db.session.delete(assignment)
    db.session.flush()
