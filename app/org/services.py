"""Rules about the organisation: the unit tree, people, and who sees whom.

Every query here is scoped to an organisation; a supervisor's view is their reporting line.
"""

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.org.lines import line_below
from app.org.models import (
    PANGKAT,
    PPPK_GOLONGAN,
    TIME_ZONES,
    Organisation,
    Person,
    PersonRole,
    Role,
    Unit,
)
from app.org.nip import InvalidNip, parse_nip

logger = logging.getLogger(__name__)


def people_visible_to(actor: Person) -> sa.Select:
    """People ``actor`` may see: themself, their supervisor and their whole line below.

    Admins and the head of agency (pimpinan) see everyone in their organisation.
    """
    query = sa.select(Person).where(Person.org_id == actor.org_id)
    if actor.roles & {Role.ADMIN, Role.PIMPINAN}:
        return query
    below = line_below(actor.id)
    visible = sa.or_(Person.id == actor.id, Person.id.in_(sa.select(below.c.id)))
    if actor.supervisor_id is not None:
        visible = sa.or_(visible, Person.id == actor.supervisor_id)
    return query.where(visible)


def get_person(actor: Person, person_id: int) -> Person:
    """:raise NotFound: unless ``actor`` may see the person (other organisations included)."""
    person = db.session.scalar(people_visible_to(actor).where(Person.id == person_id))
    if person is None:
        raise NotFound(_("Person not found."))
    return person


def get_unit(actor: Person, unit_id: int) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id,
                                                   Unit.org_id == actor.org_id))
    if unit is None:
        raise NotFound(_("Unit not found."))
    return unit


def units_of(org_id: int) -> list[Unit]:
    return list(db.session.scalars(
        sa.select(Unit).where(Unit.org_id == org_id).order_by(Unit.code)))


def check_timezone(name: str) -> None:
    if name not in TIME_ZONES:
        raise ValidationFailed(fields={"timezone": _(
            "Choose one of the Indonesian time zones: %(zones)s.",
            zones=", ".join(TIME_ZONES))})


def check_golongan(golongan: str | None) -> None:
    if golongan and golongan not in PANGKAT and golongan not in PPPK_GOLONGAN:
        raise ValidationFailed(fields={"golongan": _("Unknown golongan.")})


def assign_supervisor(person: Person, supervisor: Person | None) -> None:
    """Set the direct supervisor, refusing another organisation and any cycle."""
    if supervisor is None:
        person.supervisor = None
        return
    if supervisor.org_id != person.org_id:
        raise ValidationFailed(fields={"supervisor_id": _(
            "The supervisor must belong to the same organisation.")})
    # Walk up from the new supervisor: meeting the person means a cycle.
    seen, current = set(), supervisor
    while current is not None:
        if current.id == person.id or current is person:
            raise ValidationFailed(fields={"supervisor_id": _(
                "This would make a reporting line that loops back on itself.")})
        if current.id in seen:  # an existing loop must not hang us
            break
        seen.add(current.id)
        current = current.supervisor
    person.supervisor = supervisor


def create_organisation(slug: str, name: str, timezone: str) -> Organisation:
    check_timezone(timezone)
    org = Organisation(slug=slug, name=name, timezone=timezone)
    db.session.add(org)
    db.session.flush()
    return org


def create_unit(org: Organisation, code: str, name: str, parent: Unit | None = None,
                timezone: str | None = None) -> Unit:
    timezone = timezone or (parent.timezone if parent else org.timezone)
    check_timezone(timezone)
    if parent is not None and parent.org_id != org.id:
        raise ValidationFailed(fields={"parent_id": _("The parent unit is in another "
                                                      "organisation.")})
    unit = Unit(organisation=org, code=code, name=name, parent=parent, timezone=timezone)
    db.session.add(unit)
    db.session.flush()
    return unit


def create_person(org: Organisation, unit: Unit, *, nip: str, name: str, jabatan: str,
                  position_kind, password_hash: str, golongan: str | None = None,
                  supervisor: Person | None = None, roles=(Role.PEGAWAI,)) -> Person:
    """Add a person after checking the NIP, golongan, unit and reporting line."""
    try:
        parsed = parse_nip(nip)
    except InvalidNip as error:
        raise ValidationFailed(fields={"nip": str(error)}) from None
    if db.session.scalar(sa.select(sa.exists().where(Person.nip == parsed.value))):
        raise ValidationFailed(fields={"nip": _("This NIP is already registered.")})
    if unit.org_id != org.id:
        raise ValidationFailed(fields={"unit_id": _("The unit is in another organisation.")})
    check_golongan(golongan)
    person = Person(organisation=org, unit=unit, nip=parsed.value, name=name, jabatan=jabatan,
                    position_kind=position_kind, golongan=golongan,
                    password_hash=password_hash)
    person.role_rows = [PersonRole(role=Role(role)) for role in set(roles)]
    db.session.add(person)
    db.session.flush()
    assign_supervisor(person, supervisor)
    logger.info("Person %s added to organisation %s", person.id, org.id)
    return person


def deactivate(person: Person) -> None:
    """People are never deleted: they stop signing in and keep their history."""
    from app.auth.services import revoke_other_sessions

    person.active = False
    person.current_auth = None
    revoke_other_sessions(person)
