"""Activities partitioned by month on PostgreSQL (app/core/partitions.py, migration
9b7e4d2c1a60): the migration keeps every row, ids stay unique and referable across months,
months are made ahead, and a query naming a date range reads only its months."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.dialects.postgresql import insert

from app.activities.models import Activity, Attachment, AttachmentKind
from app.core import partitions
from app.core.queue import huey
from app.extensions import db
from app.feedback.models import Comment
from tests import support
from tests.dashboards.support import log
from tests.factories import build_world

BEFORE = "7c41e2d9a0b5"


@pytest.fixture
def pg_app(make_app):
    if not support.postgres_available():
        from tests.conftest import unavailable
        unavailable("PostgreSQL is not reachable")
    with support.temporary_postgres_database() as url:
        app = make_app({"DATABASE_URL": url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def scalar(sql, **params):
    return db.session.execute(sa.text(sql), params).scalar()


def partition_of(activity_id: str) -> str:
    return scalar("SELECT tableoid::regclass::text FROM activities WHERE id = :id",
                  id=activity_id)


def comment(activity, author, body="Bagus"):
    db.session.add(Comment(org_id=activity.org_id, activity_id=activity.id,
                           author_id=author.id, body=body))


def made(first: date, months: int):
    """The partitions of ``first``'s month and ``months`` after it, committed."""
    with db.engine.connect() as connection:
        partitions.ensure(connection, first, months)
        connection.commit()


def snapshot(table: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        sa.text(f"SELECT * FROM {table} ORDER BY id")).all()]


def test_the_migration_partitions_a_database_that_holds_data(pg_app):
    upgrade(revision=BEFORE)
    world = build_world(db)
    people = [world.one.staff_a1, world.one.sup_a, world.two.staff_b1]
    days = [date(2024, 1, 31), date(2025, 6, 1), date(2026, 2, 28), date(2026, 3, 1),
            date.today()]
    for person in people:
        for day in days:
            activity = log(person, day)
            comment(activity, person)
            db.session.add(Attachment(activity_id=activity.id, kind=AttachmentKind.LINK,
                                      url="https://example.org/bukti"))
    db.session.commit()
    before = {table: snapshot(table) for table in ("activities", "comments", "attachments")}
    assert len(before["activities"]) == 15 and len(before["comments"]) == 15
    org_id, author_id = world.one.org.id, world.one.staff_a1.id
    db.session.close()

    upgrade()

    with db.engine.connect() as connection:
        assert partitions.is_partitioned(connection)
        names = partitions.partitions(connection)
    # Rows before = rows after, ids and every column kept; comments and evidence still there.
    for table, rows in before.items():
        assert snapshot(table) == rows
    for activity_id, day in db.session.execute(sa.select(Activity.id, Activity.date)):
        assert partition_of(activity_id) == partitions.partition_name(day.replace(day=1))
    assert {"activities_y2024m01", "activities_y2025m06", "activities_y2026m03",
            partitions.DEFAULT} <= set(names)
    # Every month from the oldest row to three months ahead has its partition.
    assert partitions.partition_name(partitions.add_months(date.today().replace(day=1), 3)) \
        in names
    assert scalar("SELECT count(*) FROM activities_default") == 0
    # The foreign keys hold: every comment and attachment points at an existing id ...
    assert scalar("SELECT count(*) FROM activity_keys") == 15
    assert scalar("SELECT count(*) FROM comments c LEFT JOIN activities a "
                  "ON a.id = c.activity_id WHERE a.id IS NULL") == 0
    assert scalar("SELECT count(*) FROM attachments t LEFT JOIN activities a "
                  "ON a.id = t.activity_id WHERE a.id IS NULL") == 0
    # ... and are enforced.
    db.session.add(Comment(org_id=org_id, activity_id="0" * 36, author_id=author_id,
                           body="Tanpa kegiatan"))
    with pytest.raises(sa.exc.IntegrityError, match="fk_comments_activity_id_activities"):
        db.session.flush()
    db.session.rollback()


def test_a_query_naming_a_date_range_reads_only_its_months(pg_app):
    upgrade()
    made(date(2026, 1, 1), 5)
    world = build_world(db)
    for day in (date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 10), date(2026, 5, 10)):
        log(world.one.staff_a1, day)
    db.session.commit()

    def scanned(start: date, end: date) -> set[str]:
        query = sa.select(sa.func.count()).select_from(Activity).where(
            Activity.org_id == world.one.org.id, Activity.date >= start, Activity.date < end)
        sql = str(query.compile(dialect=db.engine.dialect,
                                compile_kwargs={"literal_binds": True}))
        plan = "\n".join(db.session.execute(sa.text("EXPLAIN " + sql)).scalars())
        return set(re.findall(r"\bactivities_(?:y\d{4}m\d{2}|default)\b", plan))

    assert scanned(date(2026, 3, 1), date(2026, 4, 1)) == {"activities_y2026m03"}
    assert scanned(date(2026, 3, 15), date(2026, 5, 1)) == {"activities_y2026m03",
                                                           "activities_y2026m04"}
    # Without a date every month is read: the pruning above is the date range's doing.
    everything = "\n".join(db.session.execute(sa.text(
        "EXPLAIN SELECT count(*) FROM activities")).scalars())
    assert {"activities_y2026m02", "activities_y2026m05"} <= set(
        re.findall(r"\bactivities_y\d{4}m\d{2}\b", everything))


def test_an_id_stays_unique_across_months_and_moves_with_its_date(pg_app):
    upgrade()
    made(date(2026, 3, 1), 3)
    world = build_world(db)
    staff = world.one.staff_a1
    activity = log(staff, date(2026, 3, 10))
    comment(activity, staff)
    db.session.commit()
    key = activity.id

    # The same id on another month's date is skipped, as ON CONFLICT (id) DO NOTHING did.
    table = Activity.__table__
    again = {column.name: getattr(activity, column.key) for column in table.c}
    again.update(date=date(2026, 5, 1), description="Lagi")
    written = db.session.execute(insert(table).values(again).on_conflict_do_nothing()
                                 .returning(table.c.id)).first()
    assert written is None
    db.session.commit()
    assert scalar("SELECT count(*) FROM activities WHERE id = :id", id=key) == 1

    # A new date in another month moves the row to that month's partition, keeping its key
    # and its comment.
    activity = db.session.get(Activity, key)
    activity.date = date(2026, 4, 2)
    db.session.commit()
    assert partition_of(key) == "activities_y2026m04"
    assert scalar("SELECT count(*) FROM activity_keys WHERE id = :id", id=key) == 1
    assert scalar("SELECT count(*) FROM comments WHERE activity_id = :id", id=key) == 1

    # While a comment points at it the activity cannot go; without, its id is released.
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.execute(sa.delete(Activity).where(Activity.id == key))
    db.session.execute(sa.delete(Comment).where(Comment.activity_id == key))
    db.session.execute(sa.delete(Activity).where(Activity.id == key))
    db.session.commit()
    assert scalar("SELECT count(*) FROM activity_keys WHERE id = :id", id=key) == 0


def test_a_date_past_every_month_waits_in_the_default_partition_until_its_month_is_made(
        pg_app):
    upgrade()
    world = build_world(db)
    staff = world.one.staff_a1
    far = log(staff, date(2031, 1, 15))
    comment(far, staff)
    near = log(staff, date(2031, 2, 1))
    db.session.commit()
    far_id, near_id = far.id, near.id
    assert partition_of(far_id) == partition_of(near_id) == partitions.DEFAULT
    db.session.commit()  # the move locks the table: no transaction of ours may hold it

    with db.engine.connect() as connection:
        created = partitions.ensure(connection, date(2031, 1, 1), 0)
        connection.commit()

    assert created == ["activities_y2031m01"]
    assert partition_of(far_id) == "activities_y2031m01"
    assert partition_of(near_id) == partitions.DEFAULT
    assert scalar("SELECT count(*) FROM activity_keys") == 2
    assert scalar("SELECT count(*) FROM comments c JOIN activities a "
                  "ON a.id = c.activity_id") == 1
    # The keys' triggers work as before once the move is over.
    db.session.execute(sa.delete(Comment))
    db.session.execute(sa.delete(Activity).where(Activity.id == far_id))
    db.session.commit()
    assert scalar("SELECT count(*) FROM activity_keys") == 1


def test_the_cli_makes_months_ahead(pg_app):
    upgrade()
    runner = pg_app.test_cli_runner()
    result = runner.invoke(args=["partitions", "ensure", "--months-ahead", "6"])
    assert result.exit_code == 0, result.output
    sixth = partitions.partition_name(partitions.add_months(date.today().replace(day=1), 6))
    assert "Created: " in result.output and sixth in result.output
    again = runner.invoke(args=["partitions", "ensure", "--months-ahead", "6"])
    assert "Every partition exists." in again.output
    listed = runner.invoke(args=["partitions", "list"])
    assert f"{sixth}\t0" in listed.output


def test_the_worker_makes_months_ahead_every_day(pg_app):
    from app.activities.partitioning import ensure_partitions

    upgrade()
    assert "ensure_partitions" in {task.__name__ for task in huey._registry._periodic_tasks}
    third = partitions.partition_name(partitions.add_months(date.today().replace(day=1), 3))
    with db.engine.connect() as connection:
        connection.execute(sa.text(f"DROP TABLE {third}"))
        connection.commit()
    ensure_partitions.call_local()
    with db.engine.connect() as connection:
        assert third in partitions.partitions(connection)


def test_sqlite_has_one_plain_table(make_app, tmp_path):
    app = make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'plain.sqlite3'}"})
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["partitions", "ensure"])
        assert "nothing to do" in result.output
        with db.engine.connect() as connection:
            assert partitions.ensure(connection, date.today()) == []
        db.engine.dispose()



def test_a_bulk_load_gets_its_months_keys_and_indexes(pg_app):
    """What the benchmarks' seeds do: months made first, rows loaded with triggers off, keys
    claimed after, indexes dropped and made again whole."""
    import psycopg

    upgrade()
    world = build_world(db)
    person = world.one.staff_a1
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(url) as conn:
        partitions.prepare_bulk_load(conn, date(2025, 1, 10), date(2025, 3, 5))
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'activities' "
            "AND indexname <> 'pk_activities'").fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "INSERT INTO activities (id, org_id, person_id, date, duration_minutes, "
            "description, work_kind, status, is_late, version, created_at, updated_at) "
            "SELECT gen_random_uuid()::text, %s, %s, date '2025-01-10' + g, 60, 'Kegiatan', "
            "'lainnya', 'draft', false, 1, now(), now() FROM generate_series(0, 53) g",
            (person.org_id, person.id))
        conn.execute("SET session_replication_role = origin")
        partitions.finish_bulk_load(conn)
        for _name, definition in indexes:
            conn.execute(partitions.index_definition(definition))
        conn.commit()
    assert {"activities_y2025m01", "activities_y2025m02", "activities_y2025m03"} <= set(
        partitions.partitions(db.session.connection()))
    assert scalar("SELECT count(*) FROM activities_default") == 0
    assert scalar("SELECT count(*) FROM activity_keys") == 54
    # Every index of the table is whole again: valid, on every partition.
    assert scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                  "WHERE c.relname = 'activities' AND NOT i.indisvalid") == 0
    assert scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'activities_y2025m02'") \
        == len(indexes) + 1
