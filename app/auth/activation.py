"""One-time activation codes: how a person without e-mail gets (or gets back) a password.

An HR administrator issues a code and hands it over on paper (the activation sheet) or, when
SMTP is configured, by e-mail. The person types it with their NIP and a new password on
/aktivasi. A code is short and readable on paper (no 0/O/1/I/L), typed in any case with or
without dashes, kept only as an argon2 hash, works once, expires, and a newer code revokes
the older ones.

Issuing a code to someone who already has a password is a reset: their password, login
sessions and access tokens stop working at once, so a reset also locks out whoever may
have taken over the account.

Services flush, never commit.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import ActivationCode, CodePurpose, LoginSession, PersonalAccessToken
from app.auth.services import dummy_verify, hash_password, validate_new_password, verify_secret
from app.auth.throttle import ACTIVATION_FAILED
from app.errors import ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import NO_PASSWORD, Person
from app.org.nip import normalise

logger = logging.getLogger(__name__)

#: Letters and digits that cannot be mistaken for one another on paper (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
#: Groups of the printed code: ABCD-EFGH-JK.
GROUPS = (4, 4, 2)


@dataclass(frozen=True)
class IssuedCode:
    """A code just issued: its clear text exists only here, in this one answer."""

    person: Person
    code: str
    expires_at: datetime
    purpose: CodePurpose


def new_code() -> str:
    """Ten random characters of :data:`ALPHABET`, printed in groups (``ABCD-EFGH-JK``)."""
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def format_code(raw: str) -> str:
    parts, start = [], 0
    for size in GROUPS:
        parts.append(raw[start:start + size])
        start += size
    return "-".join(part for part in parts if part)


def canonical(typed: str) -> str:
    """The code as hashed: capitals, without the dashes and spaces people type or leave out."""
    return "".join(char for char in (typed or "").upper() if char.isalnum())


def has_password(person: Person) -> bool:
    return person.password_hash != NO_PASSWORD


def purpose_for(person: Person) -> CodePurpose:
    """A reset for anyone who ever had a password, a first activation otherwise."""
    if has_password(person) or person.last_login_at is not None:
        return CodePurpose.RESET
    return CodePurpose.ACTIVATE


def _live_codes(person_id: int) -> sa.Select:
    return sa.select(ActivationCode).where(
        ActivationCode.person_id == person_id, ActivationCode.used_at.is_(None),
        ActivationCode.revoked_at.is_(None))


def revoke_codes(person: Person) -> None:
    """Revoke the person's unused codes (a newer code replaces them)."""
    db.session.execute(sa.update(ActivationCode).where(
        ActivationCode.person_id == person.id, ActivationCode.used_at.is_(None),
        ActivationCode.revoked_at.is_(None)).values(revoked_at=utcnow()))


def end_all_access(person: Person) -> None:
    """End every login session and access token of the person, this request's included."""
    now = utcnow()
    for model in (LoginSession, PersonalAccessToken):
        db.session.execute(sa.update(model).where(
            model.person_id == person.id, model.revoked_at.is_(None)).values(revoked_at=now))


def issue(person: Person, actor: Person | None) -> IssuedCode:
    """A fresh code for ``person`` (the caller checked that ``actor`` may issue it).

    :raise ValidationFailed: for a deactivated person, who may not activate.
    """
    if not person.active:
        raise ValidationFailed(_("This person is deactivated and cannot activate an account."))
    purpose = purpose_for(person)
    revoke_codes(person)
    if purpose is CodePurpose.RESET:
        person.password_hash = NO_PASSWORD
        end_all_access(person)
    code = new_code()
    now = utcnow()
    expires_at = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    db.session.add(ActivationCode(
        org_id=person.org_id, person_id=person.id, code_hash=hash_password(canonical(code)),
        purpose=purpose, created_by_id=actor.id if actor else None, created_at=now,
        expires_at=expires_at))
    db.session.flush()
    # The code itself is never audited: only that one was issued, and until when.
    audit.record(person.org_id, person.id, actor.id if actor else None, "person", person.id,
                 "issue_activation_code", {"purpose": purpose.value,
                                           "expires_at": expires_at.isoformat()})
    logger.info("Activation code (%s) issued for person %s", purpose.value, person.id)
    return IssuedCode(person, code, expires_at, purpose)


def _refuse() -> ValidationFailed:
    """One answer for an unknown NIP and a wrong, used, revoked or expired code: no oracle."""
    setattr(g, ACTIVATION_FAILED, True)  # what the per-NIP throttle counts
    return ValidationFailed(_("The NIP or activation code is wrong, or the code has expired. "
                              "Ask your HR administrator (admin kepegawaian) for a new code."))


def _matching_code(person: Person | None, typed: str) -> ActivationCode | None:
    """The person's live code that ``typed`` is, spending the time of a check either way."""
    code = None
    if person is not None and person.active:
        code = db.session.scalar(_live_codes(person.id).where(
            ActivationCode.expires_at > utcnow()).order_by(ActivationCode.created_at.desc()))
    if code is None:
        dummy_verify(typed)
        return None
    return code if verify_secret(code.code_hash, typed) else None


def activate(nip: str, typed_code: str, password: str) -> Person:
    """Set the password of the person with ``nip`` using their code; returns the person.

    :raise ValidationFailed: the one generic message (see :func:`_refuse`), or the password
        policy's message under ``password``.
    """
    person = db.session.scalar(sa.select(Person).where(Person.nip == normalise(nip)))
    code = _matching_code(person, canonical(typed_code))
    if code is None:
        raise _refuse()
    try:
        validate_new_password(password, person)
    except ValidationFailed as error:
        raise ValidationFailed(fields={"password": error.fields["new_password"]}) from None
    code.used_at = utcnow()
    person.password_hash = hash_password(password)
    end_all_access(person)
    audit.record(person.org_id, person.id, person.id, "person", person.id, "activate",
                 {"purpose": code.purpose.value})
    logger.info("Person %s set a password with an activation code", person.id)
    return person
