"""Passwords, login sessions and personal access tokens.

Services flush, never commit: the request, command or job that calls them commits once.
"""

import functools
import hashlib
import logging
import secrets
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm as so
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import LoginSession, PersonalAccessToken
from app.core.prepared import Prepared, as_loaded
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import Person, PersonRole, Unit
from app.org.nip import normalise

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "kjk_"
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(time_cost=config["ARGON2_TIME_COST"],
                          memory_cost=config["ARGON2_MEMORY_COST"],
                          parallelism=config["ARGON2_PARALLELISM"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_secret(secret_hash: str, secret: str) -> bool:
    """Whether ``secret`` (a password or an activation code) matches its argon2 hash."""
    try:
        return _hasher().verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def check_password(person: Person, password: str) -> bool:
    return verify_secret(person.password_hash, password)


def dummy_verify(password: str) -> None:
    """Spend the time of a real check, so an unknown NIP cannot be told from a wrong password."""
    app = current_app._get_current_object()
    dummy = app.extensions.get("kinerjaku_dummy_hash")
    if dummy is None:
        dummy = app.extensions["kinerjaku_dummy_hash"] = hash_password(secrets.token_hex(8))
    try:
        _hasher().verify(dummy, password)
    except VerificationError:
        pass


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(nip: str, password: str) -> Person | None:
    """The active person with this NIP and password, or None."""
    person = db.session.scalar(sa.select(Person).where(Person.nip == normalise(nip)))
    if person is None or not person.active:
        dummy_verify(password)
        return None
    if not check_password(person, password):
        return None
    if _hasher().check_needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    return person


def start_session(person: Person, user_agent: str = "") -> LoginSession:
    """Record a new login session; its clear token goes into the session cookie."""
    token = secrets.token_urlsafe(32)
    login = LoginSession(person=person, token_hash=digest(token), user_agent=user_agent[:300])
    login.token = token
    db.session.add(login)
    person.last_login_at = utcnow()
    person.current_auth = login
    db.session.flush()
    logger.info("Person %s signed in (session %s)", person.id, login.id)
    return login


#: Last-used and last-seen times are written at most this often (seconds).
TOUCH_INTERVAL = 60


def _with_person(query: sa.Select, model) -> sa.Select:
    """``query`` for ``model`` (a token or login session) with its person, the person's unit
    and roles loaded by the same statement: authentication is one round trip."""
    return (query.join(model.person).join(Person.unit)
            .outerjoin(PersonRole, PersonRole.person_id == Person.id)
            .options(so.contains_eager(model.person).options(
                so.contains_eager(Person.unit), so.contains_eager(Person.role_rows))))


def _touch(record, attribute: str, now: datetime) -> None:
    """Note the time of use at most once a minute, in the request's transaction.

    In a request the change is committed with the request's (a GET's too). On PostgreSQL it
    is one prepared UPDATE of that column, sent now, rather than the ORM's flush of a dirty
    instance at the request's first statement (which costs more than the request's own
    reads); elsewhere the ORM writes it.
    """
    last = getattr(record, attribute)
    if last is None or (now - last).total_seconds() > TOUCH_INTERVAL:
        if has_request_context() and db.session.get_bind().dialect.name == "postgresql":
            _touch_prepared(type(record).__table__, attribute).all(
                {"id": record.id, "now": now})
            set_committed_value(record, attribute, now)
            return
        setattr(record, attribute, now)
        if not has_request_context():
            db.session.flush()


@functools.cache
def _touch_prepared(table: sa.Table, attribute: str) -> Prepared:
    statement = (sa.update(table).where(table.c.id == sa.bindparam("id"))
                 .values({attribute: sa.bindparam("now", type_=table.c[attribute].type)})
                 .returning(table.c.id))
    return Prepared(statement, db.session.get_bind().dialect)


def person_for_session(token: str) -> Person | None:
    """The person behind a live login session token, touching its last-seen time."""
    if not token:
        return None
    token_hash = digest(token)
    login = _auth_record(LoginSession, token_hash)
    if login is NotImplemented:
        login = db.session.execute(_session_query(), {"token_hash": token_hash}
                                   ).unique().scalar_one_or_none()
    if login is None or not login.person.active:
        return None
    now = utcnow()
    if now - login.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"]:
        return None
    if now - login.created_at > current_app.config["PERMANENT_SESSION_LIFETIME"]:
        return None
    _touch(login, "last_seen_at", now)
    login.token = token
    login.person.current_auth = login
    return login.person


def end_session(person: Person) -> None:
    login = person.current_auth
    if isinstance(login, LoginSession) and login.revoked_at is None:
        login.revoked_at = utcnow()
        logger.info("Person %s signed out (session %s)", person.id, login.id)


def revoke_other_sessions(person: Person) -> int:
    keep = person.current_auth.id if isinstance(person.current_auth, LoginSession) else None
    query = sa.update(LoginSession).where(LoginSession.person_id == person.id,
                                          LoginSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    return db.session.execute(query.values(revoked_at=utcnow())).rowcount


def validate_new_password(password: str, person: Person) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(fields={"new_password": _(
            "Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(fields={"new_password": _(
            "Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH)})
    if normalise(password) == person.nip or password.lower() in (person.name.lower(),):
        raise ValidationFailed(fields={"new_password": _(
            "Do not use your NIP or your name as the password.")})


def change_password(person: Person, current: str, new: str) -> None:
    """Check the current password, set the new one and sign out every other device."""
    if not check_password(person, current):
        raise ValidationFailed(fields={"current_password": _("The current password is wrong.")})
    validate_new_password(new, person)
    person.password_hash = hash_password(new)
    revoked = revoke_other_sessions(person)
    db.session.execute(
        sa.update(PersonalAccessToken)
        .where(PersonalAccessToken.person_id == person.id,
               PersonalAccessToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    logger.info("Person %s changed password; %s other sessions ended", person.id, revoked)


def create_token(person: Person, name: str, expires_at: datetime | None = None
                 ) -> PersonalAccessToken:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    pat = PersonalAccessToken(person=person, name=name, token_hash=digest(token),
                              prefix=token[:10], expires_at=expires_at)
    pat.token = token
    db.session.add(pat)
    db.session.flush()
    logger.info("Person %s created access token %s", person.id, pat.id)
    return pat


def list_tokens(person: Person) -> list[PersonalAccessToken]:
    return list(db.session.scalars(
        sa.select(PersonalAccessToken)
        .where(PersonalAccessToken.person_id == person.id,
               PersonalAccessToken.revoked_at.is_(None))
        .order_by(PersonalAccessToken.created_at.desc())))


def revoke_token(person: Person, token_id: int) -> None:
    """:raise NotFound: unless the live token belongs to ``person``."""
    pat = db.session.scalar(sa.select(PersonalAccessToken).where(
        PersonalAccessToken.id == token_id, PersonalAccessToken.person_id == person.id,
        PersonalAccessToken.revoked_at.is_(None)))
    if pat is None:
        raise NotFound(_("Token not found."))
    pat.revoked_at = utcnow()


@functools.cache
def _token_query() -> sa.Select:
    """Built once: constructing an eager-loading select costs more than running it."""
    return _with_person(sa.select(PersonalAccessToken).where(
        PersonalAccessToken.token_hash == sa.bindparam("token_hash"),
        PersonalAccessToken.revoked_at.is_(None)), PersonalAccessToken)


@functools.cache
def _session_query() -> sa.Select:
    return _with_person(sa.select(LoginSession).where(
        LoginSession.token_hash == sa.bindparam("token_hash"),
        LoginSession.revoked_at.is_(None)), LoginSession)


@functools.cache
def _auth_statement(model) -> tuple:
    """The live ``model`` (token or login session) by its hash, with its person, the
    person's unit and roles (a row per role): one statement, its rows turned into loaded
    instances by hand (:func:`_auth_record`). With the slices of each row that belong to
    each instance, and where the role is."""
    parts = [(model, model.__table__), (Person, Person.__table__), (Unit, Unit.__table__)]
    role = PersonRole.__table__
    columns, slices, start = [], [], 0
    for n, (kind, table) in enumerate(parts):
        mapper = sa.inspect(kind)
        names = [mapper.get_property_by_column(column).key for column in table.c]
        columns += [column.label(f"c{n}_{column.name}") for column in table.c]
        slices.append((kind, names, slice(start, start + len(names))))
        start += len(names)
    auth, person, unit = (table for _, table in parts)
    statement = (sa.select(*columns, role.c.role.label("role"))
                 .select_from(auth.join(person, auth.c.person_id == person.c.id)
                              .join(unit, person.c.unit_id == unit.c.id)
                              .outerjoin(role, role.c.person_id == person.c.id))
                 .where(auth.c.token_hash == sa.bindparam("token_hash", type_=sa.String()),
                        auth.c.revoked_at.is_(None)))
    return statement, slices, start


def _auth_prepared(model) -> Prepared:
    """:func:`_auth_statement` as a prepared statement."""
    dialect = db.session.get_bind().dialect
    return _auth_prepared_for(model, dialect)


@functools.cache
def _auth_prepared_for(model, dialect) -> Prepared:
    return Prepared(_auth_statement(model)[0], dialect)


def _auth_record(model, token_hash: str):
    """The live token or login session with its person, unit and roles as loaded instances
    (what :func:`_token_query` / :func:`_session_query` load, at a fraction of the ORM's
    cost); None if there is none; NotImplemented where the ORM must load them (the session
    holds some of these rows already)."""
    _, slices, role_at = _auth_statement(model)
    rows = _auth_prepared(model).all({"token_hash": token_hash},
                                     standalone=True)  # a read: no BEGIN
    if not rows:
        return None
    record, person, unit = (as_loaded(kind, dict(zip(names, rows[0][part], strict=True)))
                            for kind, names, part in slices)
    if record is None or person is None or unit is None:
        return NotImplemented
    roles = []
    for row in rows:
        if row[role_at] is not None:
            role = as_loaded(PersonRole, {"person_id": person.id, "role": row[role_at]})
            if role is None:
                return NotImplemented
            roles.append(role)
    set_committed_value(person, "unit", unit)
    set_committed_value(person, "role_rows", roles)
    set_committed_value(record, "person", person)
    db.session.add(record)  # cascades to the person, the unit and the roles
    return record


class Holder(NamedTuple):
    """Who holds a live access token, read without loading them (see ``activities.lane``)."""

    id: int
    org_id: int
    timezone: str
    locale: str | None


@functools.cache
def _holder_prepared() -> Prepared:
    token, person, unit = (PersonalAccessToken.__table__, Person.__table__, Unit.__table__)
    statement = (sa.select(person.c.id, person.c.org_id, unit.c.timezone, person.c.locale,
                           person.c.active, token.c.expires_at, token.c.last_used_at)
                 .select_from(token.join(person, token.c.person_id == person.c.id)
                              .join(unit, person.c.unit_id == unit.c.id))
                 .where(token.c.token_hash == sa.bindparam("token_hash", type_=sa.String()),
                        token.c.revoked_at.is_(None)))
    return Prepared(statement, db.session.get_bind().dialect)


def token_holder(token: str, now: datetime) -> Holder | None:
    """The active person behind a live, unexpired access token, in one read of its own
    (PostgreSQL); None when there is none, or when its last-used time is due to be written
    (then :func:`person_for_token` should sign in, and write it)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    rows = _holder_prepared().all({"token_hash": digest(token)}, standalone=True)
    if not rows:
        return None
    row = rows[0]
    if not row.active or (row.expires_at and row.expires_at <= now) \
            or row.last_used_at is None \
            or (now - row.last_used_at).total_seconds() > TOUCH_INTERVAL:
        return None
    return Holder(row.id, row.org_id, row.timezone, row.locale)


def person_for_token(token: str) -> Person | None:
    """The person behind a live access token, with roles and unit, in one statement."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    token_hash = digest(token)
    pat = _auth_record(PersonalAccessToken, token_hash)
    if pat is NotImplemented:
        pat = db.session.execute(_token_query(), {"token_hash": token_hash}
                                 ).unique().scalar_one_or_none()
    now = utcnow()
    if pat is None or not pat.person.active or (pat.expires_at and pat.expires_at <= now):
        return None
    _touch(pat, "last_used_at", now)
    pat.token = token
    pat.person.current_auth = pat
    return pat.person


