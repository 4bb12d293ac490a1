"""Reading the audit trail: one organisation's entries, filtered, newest first, a page at a
time or all of them for an export, and the chain verification in words.

Only HR administrators and pimpinan read it. Every query is scoped to the reader's
organisation; a person id of another organisation is refused with 404, as if it did not
exist. Date ranges are local days in the reader's own time zone.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from app.admin.access import may_view
from app.audit import labels
from app.audit.models import AuditEntry
from app.audit.services import Broken, Verification, verify_organisation
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.org.models import Person

PAGE_SIZE = 50
PAGE_SIZE_MAX = 200
#: People offered when a search matches several.
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Filters:
    """What narrows the trail; None means "any"."""

    actor_id: int | None = None
    #: Whose item the entry is about (the owner of the chain it belongs to).
    person_id: int | None = None
    item_type: str | None = None
    item_id: str | None = None
    action: str | None = None
    #: First and last local day, inclusive.
    start: date | None = None
    end: date | None = None

    @classmethod
    def of(cls, args: dict) -> "Filters":
        """The filters among validated arguments (others, like the page, are ignored)."""
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in args.items() if key in names})


def require_reader(actor: Person) -> None:
    """:raise Forbidden: unless ``actor`` is an HR administrator or pimpinan."""
    if not may_view(actor):
        raise Forbidden(_("Only HR administrators and pimpinan see the audit trail."))


def person_in_org(actor: Person, person_id: int) -> Person:
    """:raise NotFound: unless the person belongs to ``actor``'s organisation."""
    person = db.session.scalar(sa.select(Person).where(Person.id == person_id,
                                                       Person.org_id == actor.org_id))
    if person is None:
        raise NotFound(_("Person not found."))
    return person


def search_people(actor: Person, text: str) -> list[Person]:
    """People of the organisation whose name contains ``text`` or whose NIP starts with it."""
    pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(db.session.scalars(
        sa.select(Person).where(Person.org_id == actor.org_id, sa.or_(
            Person.name.ilike(f"%{pattern}%", escape="\\"),
            Person.nip.like(f"{pattern}%", escape="\\")))
        .order_by(Person.name, Person.id).limit(SEARCH_LIMIT + 1)))


def local_bounds(zone: str, start: date | None, end: date | None):
    """The naive UTC instants at which the local day ``start`` begins and the local day
    after ``end`` begins (the stored timestamps are naive UTC)."""
    tz = ZoneInfo(zone)

    def utc(day: date) -> datetime:
        return datetime.combine(day, time.min, tz).astimezone(UTC).replace(tzinfo=None)

    return (utc(start) if start else None,
            utc(end + timedelta(days=1)) if end else None)


_actor, _owner = so.aliased(Person), so.aliased(Person)


def _query(actor: Person, filters: Filters) -> sa.Select:
    """The organisation's entries matching ``filters``, with the names of whoever acted and
    whose item it is; checks the ids given."""
    require_reader(actor)
    for person_id in (filters.actor_id, filters.person_id):
        if person_id is not None:
            person_in_org(actor, person_id)
    where = [AuditEntry.org_id == actor.org_id]
    if filters.actor_id is not None:
        where.append(AuditEntry.actor_id == filters.actor_id)
    if filters.person_id is not None:
        where.append(AuditEntry.owner_id == filters.person_id)
    if filters.item_type:
        where.append(AuditEntry.subject_type == filters.item_type)
    if filters.item_id:
        where.append(AuditEntry.subject_id == filters.item_id)
    if filters.action:
        where.append(AuditEntry.action == filters.action)
    since, before = local_bounds(actor.timezone, filters.start, filters.end)
    if since is not None:
        where.append(AuditEntry.created_at >= since)
    if before is not None:
        where.append(AuditEntry.created_at < before)
    return (sa.select(AuditEntry.id, AuditEntry.created_at, AuditEntry.seq,
                      AuditEntry.owner_id, AuditEntry.actor_id, AuditEntry.subject_type,
                      AuditEntry.subject_id, AuditEntry.action, AuditEntry.changes,
                      _actor.name.label("actor_name"), _actor.nip.label("actor_nip"),
                      _owner.name.label("owner_name"), _owner.nip.label("owner_nip"))
            .outerjoin(_actor, _actor.id == AuditEntry.actor_id)
            .join(_owner, _owner.id == AuditEntry.owner_id)
            .where(*where))


def _newest_first(query: sa.Select) -> sa.Select:
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def _person(person_id, name, nip) -> dict | None:
    return None if person_id is None else {"id": person_id, "name": name, "nip": nip}


def describe(row, words: labels.Wording, *, limit: int | None = labels.SHORT_VALUE) -> dict:
    """An entry as the API answers it, with its codes in ``words``."""
    return {
        "id": row.id, "created_at": row.created_at, "seq": row.seq,
        "actor": _person(row.actor_id, row.actor_name, row.actor_nip),
        "person": _person(row.owner_id, row.owner_name, row.owner_nip),
        "item_type": row.subject_type, "item_type_label": words.item_type(row.subject_type),
        "item_id": row.subject_id, "action": row.action,
        "action_label": words.action(row.action),
        "changes": row.changes or {},
        "summary": words.summary(row.action, row.changes, limit=limit),
    }


def trail_page(actor: Person, filters: Filters, page: int = 1,
               per_page: int = PAGE_SIZE) -> dict:
    """One page of the filtered trail, newest first: ``{"items", "pagination"}``."""
    query = _query(actor, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(_newest_first(query).limit(per_page)
                              .offset((page - 1) * per_page))
    words = labels.Wording()
    return {"items": [describe(row, words) for row in rows],
            "pagination": {"page": page, "per_page": per_page, "total": total,
                           "pages": max(1, -(-total // per_page))}}


def trail_rows(actor: Person, filters: Filters, limit: int) -> tuple[int, Iterator]:
    """(how many entries match, the newest ``limit`` of them as they are read), for an
    export that must not hold a large trail in memory."""
    query = _query(actor, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(_newest_first(query).limit(limit)
                              .execution_options(yield_per=2000))
    return total, rows


def item_types(actor: Person) -> list[tuple[str, str]]:
    """(code, words) of every kind of item in the organisation's trail, and the known ones."""
    require_reader(actor)
    present = db.session.scalars(sa.select(AuditEntry.subject_type).distinct()
                                 .where(AuditEntry.org_id == actor.org_id))
    codes, words = set(labels.ITEM_TYPES) | set(present), labels.Wording()
    return sorted(((code, words.item_type(code)) for code in codes),
                  key=lambda pair: pair[1].casefold())


def actions() -> list[tuple[str, str]]:
    """(code, words) of the known actions, by their words (one code per wording)."""
    seen, choices = set(), []
    for code, words in labels.ACTIONS.items():
        if str(words) not in seen:
            seen.add(str(words))
            choices.append((code, str(words)))
    return sorted(choices, key=lambda pair: pair[1].casefold())


# --- the chain verification ----------------------------------------------------------------

def entry_count(actor: Person) -> int:
    """How many entries the organisation's trail holds."""
    require_reader(actor)
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.org_id == actor.org_id))


def verification(actor: Person) -> Verification:
    """The verification of every chain of ``actor``'s organisation."""
    require_reader(actor)
    return verify_organisation(actor.org_id)


def broken_message(broken: Broken) -> str:
    """What is wrong with a broken entry, in the reader's language."""
    if broken.kind == "missing":
        return _("Entry %(expected)s of this person's chain is missing.",
                 expected=broken.expected_seq)
    if broken.kind == "out_of_order":
        return _("The entry does not follow the one before it (inserted, deleted or "
                 "reordered).")
    return _("The entry's content was changed after it was written.")


def verification_answer(actor: Person) -> dict:
    """``{"valid", "entries", "chains", "first_broken"}`` for the API and the page."""
    result = verification(actor)
    first = result.broken[0] if result.broken else None
    answer = {"valid": result.valid, "entries": result.entries, "chains": result.chains,
              "first_broken": None}
    if first is not None:
        owner = db.session.get(Person, first.owner_id)
        answer["first_broken"] = {
            "entry_id": first.entry_id, "seq": first.seq, "problem": first.kind,
            "message": broken_message(first),
            "person": _person(first.owner_id, owner.name if owner else None,
                              owner.nip if owner else None)}
    return answer
