"""Audit entries for thousands of people at once, each in its own person's chain.

:func:`app.audit.services.entries` reads one chain head (and takes one lock) per owner: right
for a request, too slow for an import touching 10,000 people. Here the locks of all owners
are taken in one statement and their heads read in one more; the entries are then hashed
exactly as :mod:`app.audit.services` hashes them and inserted in one executemany, and the
heads are handed back to that module so any later entry in this transaction follows on.
"""

from types import SimpleNamespace

import sqlalchemy as sa

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.extensions import db
from app.models import utcnow
from app.org.imports import bulk

#: Ids per statement in the lock and head queries (well under every driver's limit).
CHUNK = 5000


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _lock_all(owner_ids: list[int]) -> None:
    """Take every owner's chain lock, in id order (two imports never wait on each other in
    a circle), in one statement per chunk (PostgreSQL; SQLite has one writer anyway)."""
    wanted = sorted(owner_id for owner_id in owner_ids if audit.lock_needed(owner_id))
    for chunk in _chunks(wanted):
        owners = sa.values(sa.column("owner_id", sa.Integer), name="owners").data(
            [(owner_id,) for owner_id in chunk])
        db.session.execute(sa.select(sa.func.count(audit.lock_column(owners.c.owner_id)))
                           .select_from(owners))
    for owner_id in wanted:
        audit.locked(owner_id)


def _heads(owner_ids: list[int]) -> dict[int, tuple[int, str]]:
    """(seq, hash) of each owner's last entry; owners without entries are left out."""
    heads = {}
    for chunk in _chunks(owner_ids):
        last = (sa.select(AuditEntry.owner_id, sa.func.max(AuditEntry.seq).label("seq"))
                .where(AuditEntry.owner_id.in_(chunk)).group_by(AuditEntry.owner_id)
                .subquery())
        rows = db.session.execute(
            sa.select(AuditEntry.owner_id, AuditEntry.seq, AuditEntry.hash)
            .join(last, sa.and_(last.c.owner_id == AuditEntry.owner_id,
                                last.c.seq == AuditEntry.seq)))
        heads.update({row.owner_id: (row.seq, row.hash) for row in rows})
    return heads


def append_many(org_id: int, actor_id: int, items: list[tuple[int, str, object, str, dict]],
                new_owners: set[int] = frozenset()) -> int:
    """Append one entry per item (owner id, subject type, subject id, action, changes), in
    order. ``changes`` are JSON-ready already (text, numbers, booleans, None, lists): the
    plans make them so. ``new_owners`` were created in this transaction and have no chain
    yet (no lock or head read needed). Returns the number of entries written."""
    if not items:
        return 0
    known = sorted({owner for owner, *_rest in items} - set(new_owners))
    _lock_all(known)
    heads = _heads(known)
    stamp, rows = utcnow(), []
    for owner_id, subject_type, subject_id, action, changes in items:
        seq, prev = heads.get(owner_id, (0, audit.GENESIS))
        row = SimpleNamespace(org_id=org_id, owner_id=owner_id, seq=seq + 1,
                              actor_id=actor_id, subject_type=subject_type,
                              subject_id=str(subject_id), action=action,
                              changes=changes,
                              created_at=stamp, prev_hash=prev)
        row.hash = audit.entry_hash(row)
        heads[owner_id] = (row.seq, row.hash)
        rows.append(vars(row))
    bulk.insert(AuditEntry.__table__, rows)
    for owner_id, (seq, hash_) in heads.items():
        audit.appended(owner_id, seq, hash_)
    return len(rows)
