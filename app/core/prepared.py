"""Hot statements run straight on the driver's connection (PostgreSQL, psycopg 3).

A Core statement is compiled once per process; each run hands the SQL text and the bind
values to psycopg as a server-side prepared statement, inside the session's own transaction
(the same connection, committed by ``db.session.commit()``). This skips what SQLAlchemy does
per execution (cache key, parameter set-up, result metadata), which for a small statement
costs more than the statement itself. Bind processors the types need (JSON, enums) still run.
"""

from collections import namedtuple

import sqlalchemy as sa
import sqlalchemy.orm as so

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
        processors = [column.type._cached_result_processor(dialect, None)
                      for column in statement.selected_columns]
        self.result_processors = [(n, process) for n, process in enumerate(processors)
                                  if process is not None]

    def _run(self, params: dict):
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
        return connection.connection.driver_connection.execute(self.sql, values, prepare=True)

    def _processed(self, row: tuple):
        if self.result_processors:
            row = list(row)
            for n, process in self.result_processors:
                row[n] = process(row[n])
        return self.row._make(row)

    def one(self, params: dict):
        row = self._run(params).fetchone()
        if row is None:
            raise sa.exc.NoResultFound("No row was found when one was required")
        return self._processed(row)

    def all(self, params: dict) -> list:
        return [self._processed(row) for row in self._run(params).fetchall()]


def as_loaded(model, values: dict):
    """A persistent ``model`` instance holding ``values`` (a row read by hand), as if the ORM
    had loaded it, added to the session; columns not given load on first use. None when the
    session holds that row already (then let the ORM load it, which respects what is there)."""
    session = db.session()
    if not sa.inspect(model).configured:  # a new process, before any ORM query
        so.configure_mappers()
    instance = so.attributes.manager_of_class(model).new_instance()
    instance.__dict__.update(values)
    so.make_transient_to_detached(instance)
    if so.object_mapper(instance).identity_key_from_instance(instance) in session.identity_map:
        return None
    return instance
