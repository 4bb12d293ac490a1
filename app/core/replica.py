"""Read-only work on a streaming replica (``DATABASE_REPLICA_URL``), and PgBouncer's pool mode.

Dashboards, recaps, exports and documents read a lot and write nothing. Inside
:func:`reading_from_replica` (or a view decorated with :func:`replica_reads`) the session sends
its plain SELECTs to the replica, as long as all of this holds; otherwise to the primary, so
the answer is the same, only the machine differs:

- a replica is configured and answered its last check (made at most every
  ``REPLICA_CHECK_SECONDS`` per process, with ``pg_last_xact_replay_timestamp()``);
- it lags no more than ``REPLICA_MAX_LAG_SECONDS`` behind;
- it has replayed everything the reader wrote (read-your-own-writes): a request that wrote
  leaves a ``kinerjaku_wrote`` cookie with the time, a job passes the time it was queued,
  and the replica is used only once its replayed state is at least that recent;
- the transaction has not written yet (after a flush or any other statement than a SELECT,
  every read of that transaction stays on the primary), and the SELECT locks nothing.

Everything else — every write, ``SELECT … FOR UPDATE``, the prepared statements of
app.core.prepared, any read outside such a block — uses the primary.

``DATABASE_POOL_MODE=transaction`` (behind PgBouncer in transaction pooling, see
docs/scaling.md): psycopg prepares no statement on either engine.
"""

import functools
import logging
import math
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session

logger = logging.getLogger(__name__)

BIND = "replica"
COOKIE = "kinerjaku_wrote"
#: The replica's delay: 0 when it has replayed all it received (an idle primary sends
#: nothing, and the last replayed commit grows old without any delay), else the age of the
#: last replayed commit. A database that is no standby at all has no delay.
LAG_SQL = sa.text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END")


@dataclass(frozen=True)
class Wanted:
    """A block that may read from the replica; ``since``: the reader's last write (epoch
    seconds), which the replica must have replayed."""

    since: float | None = None


_wanted: ContextVar[Wanted | None] = ContextVar("replica_wanted", default=None)
#: Whether the replica has served a statement of the current :func:`replica_reads` view.
_served: ContextVar[bool] = ContextVar("replica_served", default=False)


@contextmanager
def reading_from_replica(since: float | None = None):
    """Send the block's reads to the replica when it is fit (see the module)."""
    token = _wanted.set(Wanted(since))
    try:
        yield
    finally:
        _wanted.reset(token)


@contextmanager
def reading_from_primary():
    """Undo :func:`reading_from_replica` for a block (a read that must be current)."""
    token = _wanted.set(None)
    try:
        yield
    finally:
        _wanted.reset(token)


def replica_reads(view):
    """A view (or any function run in a request) whose reads may come from the replica.

    A replica that stops between two checks fails the read that meets it: the replica is
    then taken as down at once and the view, which writes nothing, runs again on the primary,
    so the reader gets the answer and not an error."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        served = _served.set(False)
        try:
            with reading_from_replica(since=written_at()):
                try:
                    return view(*args, **kwargs)
                except sa.exc.DBAPIError as error:
                    if not _served.get():
                        raise
                    failure = error
            mark_down(current_app, failure)
            current_app.extensions["sqlalchemy"].session.rollback()
            return view(*args, **kwargs)
        finally:
            _served.reset(served)
    return wrapper


# --- the engines ---------------------------------------------------------------------------

def configure_engines(app) -> None:
    """PostgreSQL engine options: the pool mode, the plan cache mode, and the replica as the
    ``replica`` bind."""
    from app.config import database_uri

    mode = (app.config.get("DATABASE_POOL_MODE") or "session").strip().lower()
    if mode not in ("session", "transaction"):
        raise RuntimeError("DATABASE_POOL_MODE must be 'session' or 'transaction'")
    app.config["DATABASE_POOL_MODE"] = mode
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if mode == "transaction":
        # PgBouncer 1.18 in transaction pooling hands each transaction any server
        # connection: a statement prepared on one is unknown on the next.
        options["connect_args"] = {**options.get("connect_args", {}),
                                   "prepare_threshold": None}
    plan_cache_mode = (app.config.get("DATABASE_PLAN_CACHE_MODE") or "").strip()
    if plan_cache_mode not in ("", "auto", "force_generic_plan", "force_custom_plan"):
        raise RuntimeError("DATABASE_PLAN_CACHE_MODE must be auto, force_generic_plan or "
                           "force_custom_plan")
    app.config["DATABASE_PLAN_CACHE_MODE"] = plan_cache_mode
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    replica = database_uri(app.config, app.instance_path, "DATABASE_REPLICA_URL")
    if replica:
        binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})
        binds[BIND] = {**options, "url": replica, "pool_pre_ping": True,
                       "connect_args": {"connect_timeout": 3,
                                        **options.get("connect_args", {})}}
        app.config["SQLALCHEMY_BINDS"] = binds


def configured(app=None) -> bool:
    app = app or current_app
    return BIND in (app.config.get("SQLALCHEMY_BINDS") or {})


@dataclass
class _State:
    lock: threading.Lock
    checked: float = -math.inf  # time.monotonic() of the last check
    up: bool = False
    lag: float = math.inf
    replayed: float = -math.inf  # epoch seconds the replica has replayed up to, at least


def _state(app) -> _State:
    state = app.extensions.get("kinerjaku_replica")
    if state is None:
        state = app.extensions.setdefault("kinerjaku_replica", _State(threading.Lock()))
    return state


def status(app=None) -> _State:
    """The replica's last check, made again when older than ``REPLICA_CHECK_SECONDS``."""
    app = app or current_app
    state = _state(app)
    if time.monotonic() - state.checked < app.config["REPLICA_CHECK_SECONDS"]:
        return state
    if not state.lock.acquire(blocking=False):
        return state  # another thread is checking: use what is known meanwhile
    try:
        started = time.time()
        try:
            with _engine(app).connect() as connection:
                lag = float(connection.execute(LAG_SQL).scalar())
            state.up, state.lag, state.replayed = True, lag, started - lag
        except Exception as error:  # noqa: BLE001 - down, unreachable, refusing: use the primary
            if state.up or state.checked == -math.inf:
                logger.warning("Replica unavailable, reading from the primary: %s",
                               str(error).splitlines()[0] if str(error) else error)
            state.up, state.lag, state.replayed = False, math.inf, -math.inf
        state.checked = time.monotonic()
    finally:
        state.lock.release()
    return state


def mark_down(app, error) -> None:
    """The replica failed a read: it is down until the next check is due."""
    state = _state(app)
    if state.up:
        logger.warning("Replica failed a read, reading from the primary: %s",
                       str(error).splitlines()[0] if str(error) else error)
    state.up, state.lag, state.replayed = False, math.inf, -math.inf
    state.checked = time.monotonic()


def usable(wanted: Wanted, app=None):
    """The replica's engine when it may serve ``wanted``'s reads now, else None."""
    app = app or current_app
    if not configured(app):
        return None
    state = status(app)
    if not state.up or state.lag > app.config["REPLICA_MAX_LAG_SECONDS"]:
        return None
    if wanted.since is not None and state.replayed < wanted.since:
        return None
    return _engine(app)


def _engine(app):
    """The replica's engine (Flask-SQLAlchemy's bind; the app's context is current)."""
    return app.extensions["sqlalchemy"].engines[BIND]


# --- read-your-own-writes across requests --------------------------------------------------

def written_at() -> float | None:
    """When the requester last wrote (the cookie), if recently enough to matter."""
    if not has_request_context():
        return None
    try:
        value = float(request.cookies.get(COOKIE, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def wrote_cookie(secure: bool, app=None) -> str | None:
    """The Set-Cookie value for a request that wrote, when a replica is configured."""
    app = app or current_app
    if not configured(app):
        return None
    keep = math.ceil(app.config["REPLICA_MAX_LAG_SECONDS"] + app.config["REPLICA_CHECK_SECONDS"])
    return (f"{COOKIE}={time.time():.3f}; Max-Age={keep}; Path=/; HttpOnly; SameSite=Lax"
            + ("; Secure" if secure else ""))


def mark_written(response):
    """``after_request``: a request that may have written (not GET, HEAD or OPTIONS, and
    answered below 400) leaves the cookie, so the requester's next reads see the write."""
    if request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
        return response
    cookie = wrote_cookie(request.is_secure)
    if cookie is not None:
        response.headers.add("Set-Cookie", cookie)
    return response


# --- the session ---------------------------------------------------------------------------

_WROTE = "kinerjaku_wrote"


def _is_plain_read(clause) -> bool:
    return isinstance(clause, sa.Select | sa.CompoundSelect) \
        and getattr(clause, "_for_update_arg", None) is None


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending plain reads to the replica where allowed."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and clause is not None and not self._flushing \
                and not self.info.get(_WROTE):
            wanted = _wanted.get()
            if wanted is not None and _is_plain_read(clause):
                engine = usable(wanted)
                if engine is not None:
                    _served.set(True)
                    return engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _remember_writes(session_class) -> None:
    @sa.event.listens_for(session_class, "after_flush")
    def flushed(session, _context):
        session.info[_WROTE] = True

    @sa.event.listens_for(session_class, "do_orm_execute")
    def executed(state):
        if not state.is_select:
            state.session.info[_WROTE] = True

    @sa.event.listens_for(session_class, "after_transaction_end")
    def ended(session, transaction):
        if transaction.parent is None:
            session.info.pop(_WROTE, None)


_remember_writes(RoutingSession)


def init_replica(app) -> None:
    """The cookie after requests that wrote (only when a replica is configured); the plan
    cache mode of each new connection (session pool mode)."""
    if configured(app):
        app.after_request(mark_written)
    mode = app.config.get("DATABASE_PLAN_CACHE_MODE")
    if mode and app.config.get("DATABASE_POOL_MODE") == "session":
        with app.app_context():  # Flask-SQLAlchemy's engines, without importing app.extensions
            for engine in app.extensions["sqlalchemy"].engines.values():
                if engine.dialect.name == "postgresql":
                    sa.event.listen(engine, "connect", _plan_cache_setter(mode))


def _plan_cache_setter(mode: str):
    """Set plan_cache_mode once per new connection, with a SET run outside any transaction
    (a rollback would undo it). Not as a startup parameter, which PgBouncer refuses."""
    def set_mode(dbapi_connection, _record):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            dbapi_connection.execute(f"SET plan_cache_mode = {mode}")
        finally:
            dbapi_connection.autocommit = autocommit
    return set_mode
