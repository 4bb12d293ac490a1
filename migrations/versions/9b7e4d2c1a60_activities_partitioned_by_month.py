"""Activities partitioned by month on PostgreSQL (nothing changes on SQLite).

The table is rebuilt as ``PARTITION BY RANGE (date)`` with one partition per month that
holds rows, the current month and three ahead, and a default partition; every row is copied
with its id. The primary key becomes (id, date); ``activity_keys`` keeps ids unique across
months and is what comments and attachments point at (see app/core/partitions.py).

Revision ID: 9b7e4d2c1a60
Revises: 7c41e2d9a0b5
Create Date: 2026-12-03 16:30:00.000000

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b7e4d2c1a60'
down_revision = '7c41e2d9a0b5'
branch_labels = None
depends_on = None

MONTHS_AHEAD = 3
#: The tables whose activity_id points at an activity, with their foreign key's name.
REFERRING = (("comments", "fk_comments_activity_id_activities"),
             ("attachments", "fk_attachments_activity_id_activities"))

#: BEFORE INSERT: claim the id in activity_keys. A taken id skips the row, as ON CONFLICT
#: DO NOTHING would, unless the row is an activity moving to another month's partition
#: (PostgreSQL deleted it from the old one first: no activity holds the id any more).
CLAIM = """
CREATE FUNCTION activity_key_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_keys (id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM activities WHERE id = NEW.id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$
"""
#: AFTER DELETE: release the id, unless the activity only moved to another partition (it
#: still exists) or rows are being moved out of the default partition.
RELEASE = """
CREATE FUNCTION activity_key_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('kinerjaku.moving_partition_rows', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    DELETE FROM activity_keys k WHERE k.id = OLD.id
        AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.id = OLD.id);
    RETURN NULL;
END $$
"""


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def shape(bind, table):
    """The indexes (name, definition) and foreign keys (name, definition) of ``table``,
    but not its primary key: the new table gets them under the same names."""
    indexes = bind.execute(sa.text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = :table AND indexname <> 'pk_activities' ORDER BY indexname"),
        {"table": table}).all()
    keys = bind.execute(sa.text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = CAST(:table AS regclass) AND contype = 'f' ORDER BY conname"),
        {"table": table}).all()
    return indexes, keys


def rebuild(bind, partitioned: bool):
    """Rename ``activities`` away, create the new one with the same columns, indexes and
    foreign keys, copy every row, drop the old one."""
    execute = op.execute
    old = "activities_partitioned" if partitioned else "activities_unpartitioned"
    indexes, keys = shape(bind, "activities")
    execute(f"ALTER TABLE activities RENAME TO {old}")
    execute(f"ALTER TABLE {old} RENAME CONSTRAINT pk_activities TO pk_{old}")
    for name, _definition in indexes:
        execute(f"ALTER INDEX {name} RENAME TO {name}_old")
    for name, _definition in keys:
        execute(f"ALTER TABLE {old} RENAME CONSTRAINT {name} TO {name}_old")
    execute(f"CREATE TABLE activities (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            + ("" if partitioned else " PARTITION BY RANGE (date)"))
    execute("ALTER TABLE activities ADD CONSTRAINT pk_activities PRIMARY KEY "
            + ("(id)" if partitioned else "(id, date)"))
    for name, definition in keys:
        execute(f"ALTER TABLE activities ADD CONSTRAINT {name} {definition}")
    for _name, definition in indexes:
        # Names the table "activities", now the new one (ONLY: a partitioned table's own).
        execute(definition.replace(" ON ONLY ", " ON "))
    return old


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    execute = op.execute
    first, last = bind.execute(sa.text(
        "SELECT min(date), max(date) FROM activities")).one()
    this_month = date.today().replace(day=1)
    low = min(first.replace(day=1), this_month) if first else this_month
    high = max(last.replace(day=1), add_months(this_month, MONTHS_AHEAD)) if last \
        else add_months(this_month, MONTHS_AHEAD)

    execute("LOCK TABLE activities IN ACCESS EXCLUSIVE MODE")
    for table, fk in REFERRING:
        execute(f"ALTER TABLE {table} DROP CONSTRAINT {fk}")
    old = rebuild(bind, partitioned=False)
    month = low
    while month <= high:
        following = add_months(month, 1)
        execute(f"CREATE TABLE activities_y{month.year:04d}m{month.month:02d} PARTITION OF "
                f"activities FOR VALUES FROM ('{month}') TO ('{following}')")
        month = following
    execute("CREATE TABLE activities_default PARTITION OF activities DEFAULT")

    execute("CREATE TABLE activity_keys (id VARCHAR(36) NOT NULL, "
            "CONSTRAINT pk_activity_keys PRIMARY KEY (id))")
    execute(f"INSERT INTO activity_keys (id) SELECT id FROM {old}")
    execute(f"INSERT INTO activities SELECT * FROM {old}")
    execute(f"DROP TABLE {old}")
    execute(CLAIM)
    execute(RELEASE)
    execute("CREATE TRIGGER activity_key_claim BEFORE INSERT ON activities "
            "FOR EACH ROW EXECUTE FUNCTION activity_key_claim()")
    execute("CREATE TRIGGER activity_key_release AFTER DELETE ON activities "
            "FOR EACH ROW EXECUTE FUNCTION activity_key_release()")
    for table, fk in REFERRING:
        execute(f"ALTER TABLE {table} ADD CONSTRAINT {fk} FOREIGN KEY (activity_id) "
                f"REFERENCES activity_keys (id)")
    execute("ANALYZE activities")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    execute = op.execute
    execute("LOCK TABLE activities IN ACCESS EXCLUSIVE MODE")
    for table, fk in REFERRING:
        execute(f"ALTER TABLE {table} DROP CONSTRAINT {fk}")
    old = rebuild(bind, partitioned=True)
    execute(f"INSERT INTO activities SELECT * FROM {old}")
    execute(f"DROP TABLE {old}")
    execute("DROP TABLE activity_keys")
    execute("DROP FUNCTION activity_key_claim()")
    execute("DROP FUNCTION activity_key_release()")
    for table, fk in REFERRING:
        execute(f"ALTER TABLE {table} ADD CONSTRAINT {fk} FOREIGN KEY (activity_id) "
                f"REFERENCES activities (id)")
