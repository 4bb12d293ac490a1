"""Hot statements run straight on the driver's connection (PostgreSQL, psycopg 3).

A Core statement is compiled once per process; each run hands the SQL text and the bind
values to psycopg as a server-side prepared statement, inside the session's own transaction
(the same connection, committed by ``db.session.commit()``). This skips what SQLAlchemy does
per execution (cache key, parameter set-up, result metadata), which for a small statement
costs more than the statement itself. Bind processors the types need (JSON, enums) still run.

``standalone=True`` runs a statement that is a whole transaction by itself (a read, or a
write that does all its work in one statement) without BEGIN and COMMIT round trips, when
nothing else is under way on the connection: PostgreSQL runs each statement sent outside a
transaction in one of its own, committed when the statement ends (or rolled back whole on
an error). Otherwise it joins the transaction under way, like any other statement.

Inside :func:`own_connection`, statements run on a pooled connection of their own, outside
the ORM session: for a request that needs nothing but a few such statements.
"""

import functools
import re
from collections import namedtuple
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so
from psycopg.pq import TransactionStatus

from app.extensions import db

#: The driver connection of the innermost :func:`own_connection`, if any.
_own: ContextVar = ContextVar("own_connection", default=None)


@contextmanager
def own_connection():
    """Run the prepared statements of the block on a connection checked out of the engine's
    pool for them alone, each statement its own transaction (``standalone`` is implied), and
    outside the session: no session, no ORM state, no checkout through the session."""
    raw = db.engine.raw_connection()
    driver = raw.driver_connection
    driver.autocommit = True
    token = _own.set(driver)
    try:
        yield
    finally:
        _own.reset(token)
        try:
            driver.autocommit = False  # as the pool hands it to sessions
        except Exception:  # pragma: no cover - a broken connection: never reuse it
            raw.invalidate()
        raw.close()  # back to the pool


class Prepared:
    """``statement`` compiled for ``dialect``; :meth:`one` runs it and returns one row, a
    named tuple of the statement's columns (values as the column types load them). On
    SQLite, for reads only."""

    def __init__(self, statement: sa.Executable, dialect, *, binary: bool = False):
        compiled = statement.compile(dialect=dialect)
        #: SQLite (reads only): positional parameters, run on the session's sqlite3
        #: connection, which keeps its own cache of prepared statements.
        self.positions = compiled.positiontup if dialect.name == "sqlite" else None
        if self.positions is None and (compiled.positiontup or dialect.paramstyle != "pyformat"):
            raise ValueError("expects named (pyformat) parameters")
        self.sql = compiled.string
        if binary:  # values sent in binary: arrays need no quoting, item by item
            self.sql = re.sub(r"%\((\w+)\)s", r"%(\1)b", self.sql)
        self.names = frozenset(compiled.bind_names.values())
        defaults = compiled.construct_params(_check=False)
        self.defaults = {key: value for key, value in defaults.items() if value is not None}
        self.processors = dict(compiled._bind_processors)
        self.row = namedtuple("Row", list(statement.exported_columns.keys()))
        processors = [column.type._cached_result_processor(dialect, None)
                      for column in statement.exported_columns]
        self.result_processors = [(n, process) for n, process in enumerate(processors)
                                  if process is not None]

    def _values(self, params: dict) -> dict:
        missing = self.names.difference(params).difference(self.defaults)
        if missing:
            raise KeyError(f"missing bind parameters: {sorted(missing)}")
        values = {**self.defaults, **params}
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return values

    def _run(self, params: dict, standalone: bool = False):
        values = self._values(params)
        if self.positions is not None:
            return self._run_sqlite(values)
        own = _own.get()
        if own is not None:
            if db.engine.dispatch.before_cursor_execute:  # statement counters, loggers
                for listener in db.engine.dispatch.before_cursor_execute:
                    listener(None, None, self.sql, values, None, False)
            return own.execute(self.sql, values, prepare=True)
        session = db.session()
        if session.autoflush:  # what session.execute would do: pending rows first
            session.flush()
        connection = session.connection()
        if connection.dispatch.before_cursor_execute:  # statement counters, loggers
            for listener in connection.dispatch.before_cursor_execute:
                listener(connection, None, self.sql, values, None, False)
        driver = connection.connection.driver_connection
        if not standalone or driver.pgconn.transaction_status != TransactionStatus.IDLE \
                or driver.autocommit:
            return driver.execute(self.sql, values, prepare=True)
        driver.autocommit = True
        try:
            return driver.execute(self.sql, values, prepare=True)
        finally:
            driver.autocommit = False

    def _run_sqlite(self, values: dict):
        """A read on the session's connection, inside its transaction (SQLite). Only reads:
        a write must go through SQLAlchemy, whose events queue the process's writers
        (app.core.uow.serialise_sqlite_writes)."""
        session = db.session()
        if session.autoflush:
            session.flush()
        connection = session.connection()
        positional = [values[name] for name in self.positions]
        if connection.dispatch.before_cursor_execute:  # statement counters, loggers
            for listener in connection.dispatch.before_cursor_execute:
                listener(connection, None, self.sql, positional, None, False)
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute(self.sql, positional)
        return cursor

    def _processed(self, row: tuple):
        if self.result_processors:
            row = list(row)
            for n, process in self.result_processors:
                row[n] = process(row[n])
        return self.row._make(row)

    def one(self, params: dict, standalone: bool = False):
        row = self._run(params, standalone).fetchone()
        if row is None:
            raise sa.exc.NoResultFound("No row was found when one was required")
        return self._processed(row)

    def all(self, params: dict, standalone: bool = False) -> list:
        return [self._processed(row) for row in self._run(params, standalone).fetchall()]

    def scalars(self, params: dict, standalone: bool = False) -> list:
        """The first column of every row (no row tuples: a hundred ids come back at once)."""
        values = [row[0] for row in self._run(params, standalone).fetchall()]
        process = dict(self.result_processors).get(0)
        return values if process is None else [process(value) for value in values]

    @staticmethod
    def on_own_connection() -> bool:
        """Whether statements run inside :func:`own_connection` (PostgreSQL)."""
        return _own.get() is not None

    @staticmethod
    def can_run_alone() -> bool:
        """Whether a ``standalone`` statement would run as its own transaction now: nothing
        is under way on the connection once the session's pending changes are flushed."""
        if _own.get() is not None:
            return True
        session = db.session()
        if session.autoflush:
            session.flush()
        driver = session.connection().connection.driver_connection
        return driver.pgconn.transaction_status == TransactionStatus.IDLE


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


@functools.cache
def _json_insert(table: sa.Table, names: tuple, dialect, returning: str | None,
                 skip_conflicts: bool) -> Prepared:
    columns = ", ".join(names)
    text = (f"INSERT INTO {table.name} ({columns}) SELECT {columns} "
            f"FROM json_populate_recordset(NULL::{table.name}, CAST(:rows AS json))")
    if skip_conflicts:
        text += " ON CONFLICT DO NOTHING"
    statement = sa.text(text + (f" RETURNING {returning}" if returning else "")).bindparams(
        sa.bindparam("rows", type_=sa.Text))
    statement = statement.columns(*([table.c[returning]] if returning else []))
    return Prepared(statement, dialect)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def insert_rows(table: sa.Table, rows: list[dict], *, returning: str | None = None,
                skip_conflicts: bool = False) -> list:
    """Insert ``rows`` (dicts with the same keys, of plain column values: text, numbers,
    booleans, None, dates, times, naive timestamps, decimals, string enums, and dicts for
    JSON columns) into ``table`` with one prepared statement, in the session's transaction
    (PostgreSQL): ``INSERT … SELECT … FROM json_populate_recordset(…)``, the rows sent as one
    JSON document.

    For hundreds of rows at once (the offline batch): the rows are encoded in one call of a
    C encoder, where a multi-row VALUES statement would be rendered and parsed per call, a
    statement per row would cost the database an execution each, and a column of arrays
    would be dumped item by item. PostgreSQL reads each value with its column type's input
    function, as it reads a literal. Returns the ``returning`` column's values of the rows
    inserted (with ``skip_conflicts``, rows that would break a unique key are skipped:
    ``ON CONFLICT DO NOTHING``, which a partitioned table accepts without naming a unique
    index on the id, see app/core/partitions.py)."""
    if not rows:
        return []
    prepared = _json_insert(table, tuple(rows[0]), db.session.get_bind().dialect, returning,
                            skip_conflicts)
    document = orjson.dumps(rows, default=_json_default).decode()
    if not returning:
        prepared._run({"rows": document})
        return []
    return prepared.scalars({"rows": document})
