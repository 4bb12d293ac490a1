"""The HR administrator's side of accounts: finding people, issuing codes, the sheet.

Every query is scoped to the administrator's organisation: an id of another organisation is
not found. The caller (view) checks the role (:mod:`app.admin.access`): HR administrators
and pimpinan see the whole organisation, so ``get_person`` scopes to it.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth import activation
from app.auth.activation import IssuedCode
from app.auth.sheet import activation_sheet
from app.core import mail
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.org.models import NO_PASSWORD, Person, Unit
from app.org.nip import normalise
from app.org.services import get_person, get_unit, units_of

PAGE_SIZE = 20


@dataclass
class Found:
    people: list[Person]
    total: int
    page: int
    pages: int


def search(actor: Person, text: str = "", page: int = 1) -> Found:
    """People of the organisation whose name or NIP holds ``text``, by name, a page at a time."""
    query = sa.select(Person).where(Person.org_id == actor.org_id)
    text = text.strip()
    if text:
        digits = normalise(text)
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        match = sa.func.lower(Person.name).like(pattern, escape="\\")
        if digits.isdigit():
            match = sa.or_(match, Person.nip.like("%" + digits + "%"))
        query = query.where(match)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    people = list(db.session.scalars(query.order_by(Person.name, Person.id)
                                     .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return Found(people, total, page, pages)


def activation_address() -> str:
    return url_for("auth.activate_page", _external=True)


def _code_mail(issued: IssuedCode):
    person = issued.person
    with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = _("Hello %(name)s,\n\nYour Kinerjaku activation code is %(code)s. It is valid "
                 "until %(expires)s (UTC) and works once.\n\nOpen %(address)s, enter your NIP, "
                 "this code and a new password of your own.\n\nIf you did not ask for it, tell "
                 "your HR administrator (admin kepegawaian).",
                 name=person.name, code=issued.code,
                 expires=issued.expires_at.strftime("%Y-%m-%d %H:%M"),
                 address=activation_address())
        subject = _("Your Kinerjaku activation code")
    return mail.message(person.email, subject, body)


def issue_code(actor: Person, person_id: int, send_email: bool = False) -> IssuedCode:
    """Issue a code (or a reset) for a person of ``actor``'s organisation; on request also by
    e-mail, after the commit.

    :raise NotFound: for another organisation's person.
    :raise ValidationFailed: e-mail asked for without SMTP or without an address.
    """
    person = get_person(actor, person_id)
    if send_email and not mail.configured():
        raise ValidationFailed(fields={"send_email": _("E-mail is not set up on this server; "
                                                       "hand the code over on paper.")})
    if send_email and not person.email:
        raise ValidationFailed(fields={"send_email": _("This person has no e-mail address.")})
    issued = activation.issue(person, actor)
    if send_email:
        mail.send_after_commit(_code_mail(issued))
    return issued


def _branch(unit: Unit) -> list[int]:
    """The ids of ``unit`` and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for each in units_of(unit.org_id):
        children.setdefault(each.parent_id, []).append(each.id)
    ids, todo = [], [unit.id]
    while todo:
        current = todo.pop()
        if current not in ids:
            ids.append(current)
            todo.extend(children.get(current, []))
    return ids


def sheet_people(unit: Unit, chosen: list[int] | None) -> list[Person]:
    """The active people of the unit's branch: ``chosen`` ones, or all awaiting activation.

    :raise NotFound: for a chosen id outside the branch (another organisation included).
    :raise ValidationFailed: when nobody is left to print.
    """
    query = (sa.select(Person).where(Person.org_id == unit.org_id, Person.active.is_(True),
                                     Person.unit_id.in_(_branch(unit)))
             .order_by(Person.name, Person.id))
    if chosen:
        people = list(db.session.scalars(query.where(Person.id.in_(chosen))))
        if len(people) != len(set(chosen)):
            raise NotFound(_("Person not found."))
    else:
        people = list(db.session.scalars(query.where(Person.password_hash == NO_PASSWORD)))
    if not people:
        raise ValidationFailed(_("Nobody in this unit is waiting for activation."))
    return people


def issue_sheet(actor: Person, unit_id: int, chosen: list[int] | None = None
                ) -> tuple[bytes, str]:
    """Fresh codes for the unit's people on a printable A4 sheet; the PDF and its file name."""
    unit = get_unit(actor, unit_id)
    issued = [activation.issue(person, actor) for person in sheet_people(unit, chosen)]
    content = activation_sheet(unit, issued, activation_address())
    return content, f"aktivasi-{unit.code.lower()}.pdf"
