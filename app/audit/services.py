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

On PostgreSQL a single write can also append its entry in the statement that writes the
item (:func:`chained_insert`): the head is read, the entry hashed (``sha256()`` over the
same canonical JSON, the two chain fields spliced in) and inserted by the database, in one
round trip instead of a head read plus an insert.
"""

import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from app.audit.models import AuditEntry
from app.core.prepared import Prepared
from app.extensions import db
from app.models import utcnow

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
#: Namespace for PostgreSQL advisory locks taken while extending a chain.
_LOCK_NAMESPACE = 7_412_001
#: session.info keys: owner id -> (seq, hash) of the head; owners locked in this transaction.
_HEADS, _LOCKED = "audit_chain_heads", "audit_chain_locked"


#: Values that are JSON already (exactly these types: an enum may subclass str or int).
_AS_IS = frozenset({str, int, float, bool, type(None)})


def _plain_decimal(value: Decimal) -> str:
    return str(value.normalize()) if value == value.to_integral() else str(value)


#: The common column types' plain forms, by exact type (what :func:`plain` would answer).
_PLAIN_BY_TYPE = {Decimal: _plain_decimal, date: date.isoformat, time: time.isoformat,
                  datetime: datetime.isoformat}


def plain(value):
    """A JSON-safe form of a column value."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    by_type = _PLAIN_BY_TYPE.get(kind)
    if by_type is not None:
        return by_type(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _content(entry, seq, prev_hash) -> dict:
    return {
        "org_id": entry.org_id, "owner_id": entry.owner_id, "seq": seq,
        "actor_id": entry.actor_id, "subject_type": entry.subject_type,
        "subject_id": str(entry.subject_id), "action": entry.action,
        "changes": entry.changes,
        "created_at": entry.created_at.isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
    }


#: Built once: ``json.dumps`` with options builds an encoder per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical(content: dict) -> str:
    return _CANONICAL.encode(content)


#: Values orjson writes byte for byte as ``_CANONICAL`` does (keys sorted, text unescaped but
#: for quotes, backslashes and control characters; tests/audit/test_chains.py holds it).
#: Floats, for one, it writes differently.
_SAME_IN_ORJSON = frozenset({str, int, bool, type(None)})


def _canonical_bytes(content: dict) -> bytes:
    """``_canonical(content).encode()``; in orjson when the content's values and its changes'
    values are plain text, whole numbers, booleans or null (several times faster: a batch
    hashes a hundred entries)."""
    changes = content["changes"]
    if type(changes) is dict and _SAME_IN_ORJSON.issuperset(map(type, changes.values())) \
            and _SAME_IN_ORJSON.issuperset(
                type(value) for key, value in content.items() if key != "changes"):
        try:
            return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # beyond 64 bits, a lone surrogate: as below
            pass
    return _canonical(content).encode()


def entry_hash(entry) -> str:
    """The hash of an entry (an AuditEntry, or anything with its attributes)."""
    return hashlib.sha256(_canonical_bytes(_content(entry, entry.seq, entry.prev_hash))
                          ).hexdigest()


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
    return sa.func.pg_advisory_xact_lock(sa.literal_column(str(_LOCK_NAMESPACE)),
                                         owner_id).label("audit_lock")


def locked(owner_id: int) -> None:
    """Note that a statement with :func:`lock_column` ran in this transaction."""
    _state(db.session())[1].add(owner_id)


def lock(owner_id: int) -> None:
    """Take ``owner_id``'s chain lock until the end of the transaction (PostgreSQL)."""
    if lock_needed(owner_id):
        _prepared("lock").all({"owner_id": owner_id})
        locked(owner_id)


def _prepared(name: str) -> Prepared:
    """The chain's own statements, prepared once per database: run many times a minute,
    they cost SQLAlchemy more than the database (the lock: PostgreSQL only)."""
    dialect = db.session.get_bind().dialect
    return _prepared_for(name, dialect)


@functools.cache
def _prepared_for(name: str, dialect) -> Prepared:
    statement = (sa.select(lock_column(sa.bindparam("owner_id", type_=sa.Integer)))
                 if name == "lock" else _head_query())
    return Prepared(statement, dialect)


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
        row = next(iter(_prepared("head").all({"owner_id": owner_id})), None)
        head = heads[owner_id] = (row.seq, row.hash) if row else (0, GENESIS)
    return head


def entries(org_id: int, owner_id: int, actor_id: int | None, items: list) -> list[dict]:
    """Rows extending ``owner_id``'s chain by ``items`` of (subject_type, subject_id, action,
    changes), in order; the caller inserts them in this transaction (see :func:`insert`)."""
    lock(owner_id)
    seq, prev = _head(owner_id)
    rows, stamp = [], utcnow()
    created_at = stamp.isoformat(timespec="microseconds")  # as _content writes it
    for subject_type, subject_id, action, changes in items:
        seq += 1
        subject_id = str(subject_id)
        changes = {key: _plain_change(value) for key, value in changes.items()}
        # What entry_hash hashes (_content), built here: a batch appends a hundred.
        canonical = _canonical_bytes({
            "org_id": org_id, "owner_id": owner_id, "seq": seq, "actor_id": actor_id,
            "subject_type": subject_type, "subject_id": subject_id, "action": action,
            "changes": changes, "created_at": created_at, "prev_hash": prev})
        row = {"org_id": org_id, "owner_id": owner_id, "seq": seq, "actor_id": actor_id,
               "subject_type": subject_type, "subject_id": subject_id, "action": action,
               "changes": changes, "created_at": stamp, "prev_hash": prev,
               "hash": hashlib.sha256(canonical).hexdigest()}
        prev = row["hash"]
        rows.append(row)
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


# --- appending inside the item's own statement (PostgreSQL) ---------------------------------

#: Stands in for the previous hash while the canonical JSON is split around the chain fields.
_MARK = "\u0000prev\u0000"
_SEQ_GLUE = '","seq":'


def hash_parts(entry) -> tuple[str, str] | None:
    """The canonical JSON of ``entry`` (see :func:`entry_hash`) cut around its chain fields:
    ``prefix + prev_hash + '","seq":' + str(seq) + suffix`` is what gets hashed.

    Keys are sorted, so ``prev_hash`` and ``seq`` are neighbours. None if the cut is not
    unique (then use :func:`record`).
    """
    canonical = _canonical(_content(entry, 0, _MARK))
    marker = '"prev_hash":' + json.dumps(_MARK) + ',"seq":0'
    if canonical.count(marker) != 1:
        return None
    before, after = canonical.split(marker)
    return before + '"prev_hash":"', after


def chained_params(org_id: int, owner_id: int, actor_id: int | None, subject_type: str,
                   subject_id, action: str, changes: dict, created_at=None) -> dict | None:
    """Bind values for :func:`chained_insert` (``e_*``); None when the entry cannot be
    hashed by the database (use :func:`record`)."""
    row = _Row(org_id=org_id, owner_id=owner_id, seq=0, actor_id=actor_id,
               subject_type=subject_type, subject_id=str(subject_id), action=action,
               changes={key: _plain_change(value) for key, value in changes.items()},
               created_at=created_at or utcnow(), prev_hash=GENESIS)
    parts = hash_parts(row)
    if parts is None:
        return None
    values = {f"e_{key}": value for key, value in row.__dict__.items()
              if key not in ("seq", "prev_hash")}
    values["e_hash_prefix"], values["e_hash_suffix"] = parts
    return values


def _constant(value: str) -> sa.ColumnElement:
    """A fixed text inline in the SQL (not a bind parameter: fewer parameters keep a long
    statement within the driver's cache of converted queries)."""
    assert "'" not in value
    return sa.literal_column(f"'{value}'", sa.String())


def chained_insert(subject: sa.CTE, name: str = "audit_entry", **columns) -> sa.CTE:
    """A CTE appending one entry to the chain of ``e_owner_id`` for each row of ``subject``
    (an INSERT ... RETURNING that yields a row only when it wrote): ``RETURNING seq, hash``.

    ``columns`` may give expressions (e.g. a bind parameter the statement has already) for
    entry columns instead of their ``e_*`` bind parameters.

    The owner's chain lock must be held when the entry is written: taken by an earlier
    statement, or by the statement itself before it writes ``subject``. Should the
    statement's snapshot predate the head (it waited for the lock), ``ON CONFLICT DO
    NOTHING`` on ``(owner_id, seq)`` makes that no row (then use :func:`record`) rather
    than an error.
    """
    from sqlalchemy.dialects.postgresql import insert

    table = AuditEntry.__table__
    c = table.c
    names = ["org_id", "owner_id", "actor_id", "subject_type", "subject_id", "action",
             "changes", "created_at"]
    given = {n: columns.get(n, sa.bindparam(f"e_{n}", type_=c[n].type)) for n in names}
    head = (sa.select(c.seq, c.hash).where(c.owner_id == given["owner_id"])
            .order_by(c.seq.desc()).limit(sa.literal_column("1")).subquery("head"))
    seq = sa.func.coalesce(head.c.seq, sa.literal_column("0")) + sa.literal_column("1")
    prev = sa.func.coalesce(head.c.hash, _constant(GENESIS))
    text = sa.String()
    canonical = (sa.bindparam("e_hash_prefix", type_=text) + prev
                 + _constant(_SEQ_GLUE) + sa.cast(seq, sa.Text)
                 + sa.bindparam("e_hash_suffix", type_=text))
    digest = sa.func.encode(sa.func.sha256(sa.func.convert_to(canonical, _constant("UTF8"))),
                            _constant("hex"))
    source = sa.select(*[given[n] for n in names], seq, prev, digest,
                       ).select_from(subject.outerjoin(head, sa.true()))
    return (insert(table).from_select([*names, "seq", "prev_hash", "hash"], source)
            .on_conflict_do_nothing(index_elements=["owner_id", "seq"])
            .returning(c.seq, c.hash).cte(name))


def appended(owner_id: int, seq: int, hash_: str) -> None:
    """Note the head after a :func:`chained_insert` wrote entry ``seq``."""
    _state(db.session())[0][owner_id] = (seq, hash_)


def _plain_change(value):
    kind = type(value)
    if kind in _AS_IS:
        return value
    by_type = _PLAIN_BY_TYPE.get(kind)
    if by_type is not None:
        return by_type(value)
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


@dataclass(frozen=True)
class Broken:
    """One place where a chain does not hold: the entry found there and what is wrong."""

    owner_id: int
    seq: int
    entry_id: int
    #: "missing" (a gap before this entry), "out_of_order" (it does not name its
    #: predecessor's hash) or "altered" (its content does not match its own hash).
    kind: str
    #: For "missing": the position the chain expected here.
    expected_seq: int = 0

    def __str__(self) -> str:
        where = f"person {self.owner_id}:"
        if self.kind == "missing":
            return f"{where} entry {self.expected_seq} is missing (found {self.seq})"
        if self.kind == "out_of_order":
            return f"{where} entry {self.seq} does not follow entry {self.seq - 1}"
        return f"{where} entry {self.seq} was altered"


@dataclass
class Verification:
    entries: int = 0
    chains: int = 0
    broken: list[Broken] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.broken

    @property
    def problems(self) -> list[str]:
        """The problems in words (the operator's CLI prints them)."""
        return [str(item) for item in self.broken]


def verify_chain(org_id: int) -> tuple[int, list[str]]:
    """Check every chain of an organisation's people; returns (entries checked, problems)."""
    result = verify_organisation(org_id)
    return result.entries, result.problems


def _check(entry, expected_seq: int, expected_prev: str) -> list[Broken]:
    """What is wrong with ``entry`` where its chain expects entry ``expected_seq``."""
    found = []
    if entry.seq != expected_seq:
        found.append(Broken(entry.owner_id, entry.seq, entry.id, "missing", expected_seq))
    if entry.prev_hash != expected_prev:
        found.append(Broken(entry.owner_id, entry.seq, entry.id, "out_of_order"))
    if entry_hash(entry) != entry.hash:
        found.append(Broken(entry.owner_id, entry.seq, entry.id, "altered"))
    return found


def verify_organisation(org_id: int) -> Verification:
    """Check the chain of each person of the organisation.

    Each owner's chain must run 1, 2, 3... with each entry naming its predecessor's hash and
    its own hash matching its content (which includes the owner and the position). Rows are
    read as plain tuples in batches (no ORM objects): the audit viewer runs this on every
    visit, over trails of a hundred thousand entries.
    """
    result = Verification()
    owner, expected_prev, expected_seq = None, GENESIS, 1
    query = (sa.select(*AuditEntry.__table__.c).where(AuditEntry.org_id == org_id)
             .order_by(AuditEntry.owner_id, AuditEntry.seq))
    for entry in db.session.execute(query.execution_options(yield_per=2000)):
        if entry.owner_id != owner:
            owner, expected_prev, expected_seq = entry.owner_id, GENESIS, 1
            result.chains += 1
        result.entries += 1
        result.broken.extend(_check(entry, expected_seq, expected_prev))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return result
