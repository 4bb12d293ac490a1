"""Append to and verify the audit chain.

Each organisation has one chain: entry n stores the hash of entry n-1 and a hash over its own
content plus that previous hash. Changing, inserting or deleting any entry breaks every hash
after it, which ``flask audit-verify`` finds.
"""

import hashlib
import json
import logging
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.models import utcnow

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
#: Namespace for PostgreSQL advisory locks taken while extending a chain.
_LOCK_NAMESPACE = 7_412_001


def plain(value):
    """A JSON-safe form of a column value."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def entry_hash(entry: AuditEntry) -> str:
    content = {
        "org_id": entry.org_id, "seq": entry.seq, "actor_id": entry.actor_id,
        "subject_type": entry.subject_type, "subject_id": str(entry.subject_id),
        "action": entry.action, "changes": entry.changes,
        "created_at": entry.created_at.isoformat(timespec="microseconds"),
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(org_id: int, actor_id: int | None, subject_type: str, subject_id, action: str,
           changes: dict) -> AuditEntry:
    """Append an entry to the organisation's chain (call after the change is flushed).

    On PostgreSQL a transaction-scoped advisory lock serialises appends per organisation
    until commit; SQLite serialises writers anyway. ``UNIQUE(org_id, seq)`` backs both.
    """
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_NAMESPACE, org_id)))
    last = session.execute(
        sa.select(AuditEntry.seq, AuditEntry.hash).where(AuditEntry.org_id == org_id)
        .order_by(AuditEntry.seq.desc()).limit(1)).first()
    entry = AuditEntry(
        org_id=org_id, seq=(last.seq + 1) if last else 1, actor_id=actor_id,
        subject_type=subject_type, subject_id=str(subject_id), action=action,
        changes={key: _plain_change(value) for key, value in changes.items()},
        created_at=utcnow(), prev_hash=last.hash if last else GENESIS)
    entry.hash = entry_hash(entry)
    session.add(entry)
    return entry


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
        .order_by(AuditEntry.seq)))


def verify_chain(org_id: int) -> tuple[int, list[str]]:
    """Check an organisation's chain; returns (entries checked, problems found)."""
    problems, expected_prev, expected_seq, checked = [], GENESIS, 1, 0
    query = (sa.select(AuditEntry).where(AuditEntry.org_id == org_id)
             .order_by(AuditEntry.seq).execution_options(yield_per=1000))
    for entry in db.session.scalars(query):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing (found {entry.seq})")
        if entry.prev_hash != expected_prev:
            problems.append(f"entry {entry.seq} does not follow entry {entry.seq - 1}")
        if entry_hash(entry) != entry.hash:
            problems.append(f"entry {entry.seq} was altered")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return checked, problems
