"""Inserting thousands of rows in one go, on PostgreSQL with COPY.

SQLAlchemy's executemany INSERT on psycopg becomes multi-row ``INSERT ... VALUES`` of a
thousand rows, and psycopg parses each such long statement again (not cached): for 10,000
people and their audit entries that parsing alone took seconds. COPY sends the rows as data,
with no statement to parse, and ids are taken from the table's sequence beforehand, so rows
can name each other (a supervisor inserted with their staff). SQLite has no such cost: there
the same rows go through an executemany, ids coming back by RETURNING.

Column defaults written in Python (timestamps) are filled in here, since COPY bypasses them.
"""

import json
from collections.abc import Callable

import sqlalchemy as sa
from psycopg import sql

from app.extensions import db


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _complete(table: sa.Table, rows: list[dict]) -> list[str]:
    """Add each missing column's Python default to ``rows``; the columns to write."""
    names = set().union(*rows)
    for column in table.columns:
        default = column.default
        if column.name in names or default is None or not default.is_scalar \
                and not default.is_callable:
            continue
        value = default.arg(None) if default.is_callable else default.arg
        for row in rows:
            row[column.name] = value
        names.add(column.name)
    return [column.name for column in table.columns if column.name in names]


def _copy(table: sa.Table, rows: list[dict]) -> None:
    columns = _complete(table, rows)
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    driver = db.session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[name]) if name in json_columns
                            and row[name] is not None else row[name] for name in columns])


def insert(table: sa.Table, rows: list[dict]) -> None:
    """Insert ``rows`` (plain values: no enums) in bulk."""
    if not rows:
        return
    if _postgresql():
        _copy(table, rows)
    else:
        db.session.execute(sa.insert(table), rows)


def insert_with_ids(table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` and return their new ids, in order."""
    if not rows:
        return []
    if _postgresql():
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        ids = list(db.session.scalars(
            sa.select(sa.func.nextval(sequence))
            .select_from(sa.func.generate_series(1, len(rows)))))
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        _copy(table, rows)
        return ids
    ids = []
    for start in range(0, len(rows), 1000):
        result = db.session.execute(sa.insert(table).returning(
            table.c.id, sort_by_parameter_order=True), rows[start:start + 1000])
        ids.extend(result.scalars())
    return ids


def insert_in_levels(table: sa.Table, rows: list, key: Callable, parent: Callable,
                     params: Callable, ids: dict) -> list[int]:
    """Insert ``rows`` that may name each other (a supervisor, a parent unit): first those
    whose parent already has an id in ``ids`` (or who have none), then the next level, one
    bulk insert per level. ``ids`` (key -> id) gains the new ids; returns them."""
    pending, created = list(rows), []
    while pending:
        ready = [row for row in pending if not parent(row) or parent(row) in ids]
        if not ready:  # a parent nowhere: a checked plan never gets here
            raise ValueError("rows name parents that are neither stored nor inserted")
        taken = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in taken]
        new_ids = insert_with_ids(table, [params(row) for row in ready])
        for row, new_id in zip(ready, new_ids, strict=True):
            ids[key(row)] = new_id
        created.extend(new_ids)
    return created
