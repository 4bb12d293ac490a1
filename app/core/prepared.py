"""Hot statements run straight on the driver's connection (PostgreSQL, psycopg 3).

A Core statement is compiled once per process; each run hands the SQL text and the bind
values to psycopg as a server-side prepared statement, inside the session's own transaction
(the same connection, committed by ``db.session.commit()``). This skips what SQLAlchemy does
per execution (cache key, parameter set-up, result metadata), which for a small statement
costs more than the statement itself. Bind processors the types need (JSON, enums) still run.
"""

from collections import namedtuple

import sqlalchemy as sa

from app.extensions import db


class Prepared:
    """``statement`` compiled for ``dialect``; :meth:`one` runs it and returns one row, a
    named tuple of the statement's columns (values as psycopg gives them)."""

    def __init__(self, statement: sa.Executable, dialect):
        compiled = statement.compile(dialect=dialect)
        if compiled.positiontup or dialect.paramstyle != "pyformat":
            raise ValueError("expects named (pyformat) parameters")
        self.sql = compiled.string
        self.names = frozenset(compiled.bind_names.values())
        defaults = compiled.construct_params(_check=False)
        self.defaults = {key: value for key, value in defaults.items() if value is not None}
        self.processors = dict(compiled._bind_processors)
        self.row = namedtuple("Row", list(statement.selected_columns.keys()))

    def one(self, params: dict):
        missing = self.names.difference(params).difference(self.defaults)
        if missing:
            raise KeyError(f"missing bind parameters: {sorted(missing)}")
        values = {**self.defaults, **params}
        for name, process in self.processors.items():
            values[name] = process(values[name])
        session = db.session()
        if session.autoflush:  # what session.execute would do: pending rows first
            session.flush()
        connection = session.connection()
        if connection.dispatch.before_cursor_execute:  # statement counters, loggers
            for listener in connection.dispatch.before_cursor_execute:
                listener(connection, None, self.sql, values, None, False)
        row = connection.connection.driver_connection.execute(
            self.sql, values, prepare=True).fetchone()
        if row is None:
            raise sa.exc.NoResultFound("No row was found when one was required")
        return self.row._make(row)
