"""Append to and verify the audit chains.

Each person has one chain holding the entries about their own items (activities, SKP):
entry n stores the hash of entry n-1 and a hash over its own content plus that previous
hash. Changing, inserting, deleting or reordering any entry breaks every hash after it,
which ``flask audit-verify`` finds.

Appending holds the owner's lock until commit: on PostgreSQL a transaction-scoped advisory
lock on (namespace, owner id); SQLite serialises writers anyway. ``UNIQUE(owner_id, seq)``
backs both. Within one transaction the chain head is read once and then extended in
memory (a batch of a hundred entries reads it once); it is forgotten when the transaction
or a savepoint ends in a rollback, and on commit (which releases the lock).
"""

import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.audit.models import AuditEntry
from app.extensions import db
from app.models import utcnow

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
#: Namespace for PostgreSQL advisory locks taken while extending a chain.
_LOCK_NAMESPACE = 7_412_001
#: session.info keys: owner id -> (seq, hash) of the head; owners locked in this transaction.
_HEADS, _LOCKED = "audit_chain_heads", "audit_chain_locked"


def plain(value):
    """A JSON-safe form of a column value."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def entry_hash(entry) -> str:
    """The hash of an entry (an AuditEntry, or anything with its attributes)."""
    content = {
        "org_id": entry.org_id, "owner_id": entry.owner_id, "seq": entry.seq,
        "actor_id": entry.actor_id, "subject_type": entry.subject_type,
        "subject_id": str(entry.subject_id), "action": entry.action,
        "changes": entry.changes,
        "created_at": entry.created_at.isoformat(timespec="microseconds"),
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the owner's lock and the chain head ----------------------------------------------------

def _state(session) -> tuple[dict, set]:
    return session.info.setdefault(_HEADS, {}), session.info.setdefault(_LOCKED, set())


@sa.event.listens_for(so.Session, "after_commit")
@sa.event.listens_for(so.Session, "after_soft_rollback")
def _forget(session, *args) -> None:
    """Locks end with the transaction, and a rolled-back savepoint may have undone appends."""
    session.info.pop(_HEADS, None)
    session.info.pop(_LOCKED, None)


def _is_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_needed(owner_id: int) -> bool:
    """Whether this transaction must still take ``owner_id``'s chain lock (PostgreSQL)."""
    session = db.session()
    return _is_postgresql(session) and owner_id not in _state(session)[1]


def lock_column(owner_id):
    """A column expression taking the chain lock of ``owner_id`` (a value or a bind
    parameter), to ride along in a statement the caller sends anyway when
    :func:`lock_needed` (then call :func:`locked`).

    The chain head must be read by a *later* statement: a statement's snapshot is taken
    before the lock is granted.
    """
    return sa.func.pg_advisory_xact_lock(_LOCK_NAMESPACE, owner_id).label("audit_lock")


def locked(owner_id: int) -> None:
    """Note that a statement with :func:`lock_column` ran in this transaction."""
    _state(db.session())[1].add(owner_id)


def lock(owner_id: int) -> None:
    """Take ``owner_id``'s chain lock until the end of the transaction (PostgreSQL)."""
    if lock_needed(owner_id):
        db.session.execute(sa.select(lock_column(owner_id)))
        locked(owner_id)


@functools.cache
def _head_query() -> sa.Select:
    return (sa.select(AuditEntry.seq, AuditEntry.hash)
            .where(AuditEntry.owner_id == sa.bindparam("owner_id"))
            .order_by(AuditEntry.seq.desc()).limit(1))


@functools.cache
def _insert_statement():
    return sa.insert(AuditEntry.__table__)


def _head(owner_id: int) -> tuple[int, str]:
    """(seq, hash) of the owner's last entry, (0, GENESIS) for none; the lock must be held."""
    session = db.session()
    heads = _state(session)[0]
    head = heads.get(owner_id)
    if head is None:
        row = session.execute(_head_query(), {"owner_id": owner_id}).first()
        head = heads[owner_id] = (row.seq, row.hash) if row else (0, GENESIS)
    return head


def entries(org_id: int, owner_id: int, actor_id: int | None, items: list) -> list[dict]:
    """Rows extending ``owner_id``'s chain by ``items`` of (subject_type, subject_id, action,
    changes), in order; the caller inserts them in this transaction (see :func:`insert`)."""
    lock(owner_id)
    seq, prev = _head(owner_id)
    rows, stamp = [], utcnow()
    for subject_type, subject_id, action, changes in items:
        seq += 1
        row = _Row(org_id=org_id, owner_id=owner_id, seq=seq, actor_id=actor_id,
                   subject_type=subject_type, subject_id=str(subject_id), action=action,
                   changes={key: _plain_change(value) for key, value in changes.items()},
                   created_at=stamp, prev_hash=prev)
        row.hash = prev = entry_hash(row)
        rows.append(row.__dict__)
    _state(db.session())[0][owner_id] = (seq, prev)
    return rows


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


def insert(rows: list[dict]) -> None:
    """Insert rows made by :func:`entries` in one statement (Core: no ORM flush work)."""
    if rows:
        db.session.execute(_insert_statement(), rows)


def record(org_id: int, owner_id: int, actor_id: int | None, subject_type: str, subject_id,
           action: str, changes: dict) -> dict:
    """Append an entry to the chain of ``owner_id`` (whose item it is), after the change is
    flushed: the lock is taken as late as possible. Returns the row written."""
    rows = entries(org_id, owner_id, actor_id, [(subject_type, subject_id, action, changes)])
    insert(rows)
    return rows[0]


def _plain_change(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return plain(value)


def diff(obj, values: dict) -> dict:
    """{"field": [old, new]} for the fields of ``values`` that differ on ``obj``."""
    changed = {}
    for key, new in values.items():
        old = getattr(obj, key)
        if plain(old) != plain(new):
            changed[key] = [plain(old), plain(new)]
    return changed


def history(subject_type: str, subject_id) -> list[AuditEntry]:
    return list(db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.subject_type == subject_type,
                                    AuditEntry.subject_id == str(subject_id))
        .order_by(AuditEntry.seq, AuditEntry.id)))


@dataclass
class Verification:
    entries: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)


def verify_chain(org_id: int) -> tuple[int, list[str]]:
    """Check every chain of an organisation's people; returns (entries checked, problems)."""
    result = verify_organisation(org_id)
    return result.entries, result.problems


def verify_organisation(org_id: int) -> Verification:
    """Check the chain of each person of the organisation.

    Each owner's chain must run 1, 2, 3... with each entry naming its predecessor's hash and
    its own hash matching its content (which includes the owner and the position).
    """
    problems, checked, chains = [], 0, 0
    owner, expected_prev, expected_seq = None, GENESIS, 1
    query = (sa.select(AuditEntry).where(AuditEntry.org_id == org_id)
             .order_by(AuditEntry.owner_id, AuditEntry.seq)
             .execution_options(yield_per=1000))
    for entry in db.session.scalars(query):
        if entry.owner_id != owner:
            owner, expected_prev, expected_seq = entry.owner_id, GENESIS, 1
            chains += 1
        checked += 1
        where = f"person {owner}:"
        if entry.seq != expected_seq:
            problems.append(f"{where} entry {expected_seq} is missing (found {entry.seq})")
        if entry.prev_hash != expected_prev:
            problems.append(f"{where} entry {entry.seq} does not follow entry {entry.seq - 1}")
        if entry_hash(entry) != entry.hash:
            problems.append(f"{where} entry {entry.seq} was altered")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return Verification(checked, chains, problems)
