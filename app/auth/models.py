"""Server-side records of login sessions, personal access tokens and activation codes."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import enum_column, utcnow
from app.org.models import Person


class LoginSession(db.Model):
    """One signed-in browser or device; the cookie carries its token, the table its hash."""

    __tablename__ = "login_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    #: sha256 of the token, so a leaked database does not leak live sessions.
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    revoked_at: so.Mapped[datetime | None]

    person: so.Mapped[Person] = so.relationship()

    #: The clear token, known only in the request that created or presented it.
    token: str = ""


class PersonalAccessToken(db.Model):
    """A token for scripts and integrations: shown once, stored hashed, revocable."""

    __tablename__ = "personal_access_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    #: The first characters of the token, to tell tokens apart in a list.
    prefix: so.Mapped[str] = so.mapped_column(sa.String(16))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime | None]
    last_used_at: so.Mapped[datetime | None]
    revoked_at: so.Mapped[datetime | None]

    person: so.Mapped[Person] = so.relationship()

    token: str = ""


class CodePurpose(enum.StrEnum):
    #: A new account's first password.
    ACTIVATE = "activate"
    #: A forgotten password; issuing it revokes the person's sessions and tokens.
    RESET = "reset"


class ActivationCode(db.Model):
    """A one-time code with which a person sets their password, handed out by the HR
    administrator on paper (the activation sheet) or by e-mail. Only its argon2 hash is kept;
    it works once, until it expires, and a newer code revokes it."""

    __tablename__ = "activation_codes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    purpose: so.Mapped[CodePurpose] = so.mapped_column(enum_column(CodePurpose))
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[datetime | None]
    revoked_at: so.Mapped[datetime | None]

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
