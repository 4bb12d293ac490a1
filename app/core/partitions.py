"""Monthly partitions of ``activities`` on PostgreSQL (see docs/scaling.md).

On PostgreSQL ``activities`` is partitioned by range of its ``date``, one partition per
month (``activities_y2026m12``), plus ``activities_default`` for a date no month partition
holds yet. SQLite keeps one plain table: the models are the same on both.

Three things a partitioned table cannot have are put back by a small table and triggers
(installed by migration 9b7e4d2c1a60):

- the primary key must contain the partition key, so it is ``(id, date)``; ``activity_keys``
  (``id`` primary key) keeps an activity's id unique across months;
- a foreign key must point at a unique key, so comments and attachments point at
  ``activity_keys(id)``;
- ``INSERT … ON CONFLICT (id)`` needs a unique index on ``id``: a create says ``ON CONFLICT DO
  NOTHING`` and the ``BEFORE INSERT`` trigger skips a row whose id is taken, exactly as the
  conflict clause did (the statement answers no row, the caller answers what is stored).

An activity whose date moves to another month moves to that month's partition (PostgreSQL
does it as a delete and an insert); the triggers recognise the move and keep its key.

:func:`ensure` creates the months ahead: the worker runs it every day, ``flask partitions
ensure`` on demand. A month whose rows landed in the default partition meanwhile is moved
out of it into its own partition, in one transaction.
"""

import logging
from datetime import date

import sqlalchemy as sa

logger = logging.getLogger(__name__)

TABLE = "activities"
DEFAULT = f"{TABLE}_default"
#: Set (transaction-local) while rows are moved out of the default partition: the key
#: triggers then leave ``activity_keys`` alone (the rows keep their ids).
MOVING = "kinerjaku.moving_partition_rows"
#: Months created ahead of today by the worker's daily run.
MONTHS_AHEAD = 3


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def is_partitioned(connection) -> bool:
    """Whether ``activities`` is a partitioned table here (never on SQLite)."""
    if connection.dialect.name != "postgresql":
        return False
    return connection.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
        "ON c.oid = p.partrelid WHERE c.relname = :name "
        "AND c.relnamespace = current_schema()::regnamespace)"), {"name": TABLE}).scalar()


def partitions(connection) -> list[str]:
    """The names of the partitions of ``activities``, in name order."""
    return list(connection.execute(sa.text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = CAST(:name AS regclass) ORDER BY c.relname"),
        {"name": TABLE}).scalars())


def ensure(connection, start: date, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Make sure the month of ``start`` and the ``months_ahead`` months after it have their
    partitions; returns the names created, in the transaction under way on ``connection``
    (its owner commits; each month's DDL is quick, a move out of the default partition
    locks the table meanwhile).

    Does nothing (returns []) where ``activities`` is not partitioned (SQLite)."""
    if not is_partitioned(connection):
        return []
    existing = set(partitions(connection))
    created = []
    first = month_start(start)
    for offset in range(months_ahead + 1):
        month = add_months(first, offset)
        name = partition_name(month)
        if name in existing:
            continue
        create_month(connection, month)
        created.append(name)
        logger.info("Partition %s created", name)
    return created


def create_month(connection, month: date) -> None:
    """Create the partition of ``month``. Rows of that month held by the default partition
    are moved into it first (the table is locked meanwhile; the rows keep their keys)."""
    name, low, high = partition_name(month), month, add_months(month, 1)
    bounds = f"FROM ('{low.isoformat()}') TO ('{high.isoformat()}')"
    waiting = connection.execute(sa.text(
        f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE date >= :low AND date < :high)"),
        {"low": low, "high": high}).scalar()
    if not waiting:
        connection.execute(sa.text(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} FOR VALUES {bounds}"))
        return
    connection.execute(sa.text(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE"))
    connection.execute(sa.text(f"SET LOCAL {MOVING} = 'on'"))
    connection.execute(sa.text(
        f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
    moved = connection.execute(sa.text(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE date >= :low AND date < :high "
        f"RETURNING *) INSERT INTO {name} SELECT * FROM moved"),
        {"low": low, "high": high}).rowcount
    connection.execute(sa.text(f"SET LOCAL {MOVING} = 'off'"))
    connection.execute(sa.text(
        f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {bounds}"))
    logger.warning("%s rows moved from %s to %s", moved, DEFAULT, name)


# --- Alembic: what the drift check leaves out ---------------------------------------------

def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: PostgreSQL's partitions, ``activity_keys`` and the
    foreign keys that point at it are the database's shape of the models, not drift."""
    if type_ == "table":
        return not (name == "activity_keys" or (name or "").startswith(f"{TABLE}_y")
                    or name == DEFAULT)
    if type_ == "foreign_key_constraint":
        referred = getattr(obj, "referred_table", None)
        return getattr(referred, "name", None) not in (TABLE, "activity_keys")
    return True


# --- bulk loads (the benchmarks' seeds, on a psycopg connection) ----------------------------

def prepare_bulk_load(conn, first: date, last: date) -> None:
    """Before loading activities dated ``first`` to ``last`` straight into the table (a
    psycopg connection): every month of the range gets its partition, so the rows do not
    land in the default partition. Nothing where activities is not partitioned."""
    if not _partitioned_raw(conn):
        return
    month = month_start(first)
    while month <= last:
        following = add_months(month, 1)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF "
                     f"{TABLE} FOR VALUES FROM ('{month}') TO ('{following}')")
        month = following


def finish_bulk_load(conn) -> None:
    """After a load that ran with triggers off (``session_replication_role = replica``):
    the ids the key trigger would have claimed go into ``activity_keys``."""
    if _partitioned_raw(conn):
        conn.execute("INSERT INTO activity_keys (id) SELECT id FROM activities "
                     "ON CONFLICT DO NOTHING")


def index_definition(definition: str) -> str:
    """An index of ``activities`` as ``pg_indexes`` shows it, to create again after a load:
    a partitioned table's own index reads ``ON ONLY``, which would leave its partitions
    without one."""
    return definition.replace(" ON ONLY ", " ON ")


def _partitioned_raw(conn) -> bool:
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
        "ON c.oid = p.partrelid WHERE c.relname = %s "
        "AND c.relnamespace = current_schema()::regnamespace)", (TABLE,)).fetchone()[0]
