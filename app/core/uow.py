"""One unit of work: a request, a job or a command commits once, at its boundary.

Services add, change and flush; they never commit. The boundary decides:

- a request (:class:`UnitOfWorkApp`): an answer below 400 commits; 400 and up, or an
  exception, rolls back. :func:`keep_on_error` keeps the changes of a request that answers
  an error on purpose (a failed sign-in is counted, then refused);
- a job, a CLI command or any code outside a request: ``with unit_of_work(): ...`` commits
  at the end and rolls back on any error.

Events leave only after the commit: listeners on the session's ``after_commit`` (see
``app.notifications.services``) send the named signals of :mod:`app.core.signals`; work that
needs the session again (a queued export that reads its row) waits with :func:`after_commit`.
"""

from contextlib import contextmanager

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, g

from app.extensions import db

_KEEP = "kinerjaku_keep_on_error"
_AFTER_COMMIT = "kinerjaku_after_commit"


def keep_on_error() -> None:
    """Commit this request's changes even though it answers with an error status."""
    setattr(g, _KEEP, True)


def after_commit(fn) -> None:
    """Call ``fn()`` once this unit of work has committed; never if it rolls back.

    For work outside the transaction that must see its result (a task reading a row the
    request stored) or must not happen without it (removing the file of a deleted row).
    """
    db.session.info.setdefault(_AFTER_COMMIT, []).append(fn)


def commit() -> None:
    """Commit the unit of work so far, then call what waited for it (:func:`after_commit`).

    The boundaries call it; a view calls it itself only to hand a stored row to other work
    and answer with what that work made of it (an export run at once by the queue).
    """
    session = db.session()
    session.commit()
    for fn in session.info.pop(_AFTER_COMMIT, ()):
        fn()


@sa.event.listens_for(so.Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_AFTER_COMMIT, None)


def finish(status: int) -> None:
    """End the request's transaction: commit below 400 (or when asked to keep), else roll
    back. A failing commit raises to the error handlers (a dead database answers 503)."""
    if status < 400 or g.pop(_KEEP, False):
        commit()
    else:
        db.session.rollback()


class UnitOfWorkApp(Flask):
    """Flask whose every view runs in one transaction, committed once its answer is known.

    The commit happens inside the dispatch, before the response leaves, so that a commit that
    fails is answered by the same error handlers as a view that fails.
    """

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        finish(response.status_code)
        return response

    def handle_user_exception(self, e):
        # Nothing of a failed request is kept unless it asked (keep_on_error), and the error
        # handlers get a usable session (after a failed flush the old transaction could not
        # even read the locale).
        try:
            if g.pop(_KEEP, False):
                try:
                    commit()
                except sa.exc.SQLAlchemyError:
                    db.session.rollback()
            else:
                db.session.rollback()
        except Exception:  # noqa: BLE001 - a dead connection: drop it, the handler answers
            db.session().invalidate()
        return super().handle_user_exception(e)


@contextmanager
def unit_of_work():
    """Commit what the block did, or roll it all back if it raises."""
    try:
        yield db.session
        commit()
    except BaseException:
        db.session.rollback()
        raise


# --- SQLite: one writer at a time, queued in the process -------------------------------------

#: Statements that start (or are) a write on SQLite: Python's sqlite3 opens the transaction
#: before the first of them, or the code opens it itself with BEGIN IMMEDIATE / a savepoint.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "SAVEPOINT")
_HOLDS = "kinerjaku_write_lock"
#: As long as SQLite's own busy timeout: then SQLite decides, as without the lock.
WRITE_WAIT_SECONDS = 15


def serialise_sqlite_writes(engine: sa.Engine) -> None:
    """Queue this process's write transactions on ``engine`` (SQLite) behind one lock.

    SQLite lets one transaction write at a time. Without this, a second writer finds the
    database locked and SQLite's busy handler sleeps and retries (sleeps growing up to
    100 ms): under a dozen concurrent posts most of a request's time is those sleeps, and a
    writer can lose every retry to newer ones. Here a connection takes the lock before its
    transaction's first write and gives it back when the transaction ends, so writers wait in
    line and each starts the moment the one before commits. Reads take no lock (WAL lets
    them run beside the writer). Another process's writers still meet the busy timeout.
    """
    import threading

    lock = threading.Lock()

    def release(info) -> None:
        if info.pop(_HOLDS, False):
            lock.release()

    @sa.event.listens_for(engine, "before_cursor_execute")
    def before_write(conn, cursor, statement, parameters, context, executemany):
        if _HOLDS not in conn.info and statement.lstrip()[:15].upper().startswith(_WRITES):
            if lock.acquire(timeout=WRITE_WAIT_SECONDS):
                conn.info[_HOLDS] = True

    @sa.event.listens_for(engine, "after_cursor_execute")
    def after_write(conn, cursor, statement, parameters, context, executemany):
        if _HOLDS in conn.info and not conn.connection.dbapi_connection.in_transaction:
            release(conn.info)  # the statement ran on its own (no transaction under way)

    @sa.event.listens_for(engine, "handle_error")
    def after_failure(context):
        conn = context.connection
        if conn is not None and _HOLDS in conn.info:
            dbapi = conn.connection.dbapi_connection
            if dbapi is None or not dbapi.in_transaction:
                release(conn.info)

    for event in ("commit", "rollback"):
        sa.event.listen(engine, event, lambda conn: release(conn.info))
    # A connection handed back to the pool mid-transaction is rolled back there.
    @sa.event.listens_for(engine.pool, "reset")
    def on_reset(dbapi_connection, connection_record, reset_state):
        release(connection_record.info)

    @sa.event.listens_for(engine.pool, "invalidate")
    def on_invalidate(dbapi_connection, connection_record, exception):
        release(connection_record.info)
