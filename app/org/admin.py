"""What an HR administrator (admin kepegawaian) changes in their organisation: units and people.

Every function takes the acting administrator, looks ids up inside their organisation only
(another organisation's id is answered like one that does not exist), flushes and never
commits, and writes an audit entry with the before and after of each changed field.

Units are audited on the administrator's own chain (a unit has no owner); people on their
own chain, next to their activities and evaluations.
"""

import logging
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import PersonalAccessToken
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org import services
from app.org.lines import supervisor_loop
from app.org.models import NO_PASSWORD, Person, PersonRole, Role, Unit
from app.org.nip import InvalidNip, parse_nip

logger = logging.getLogger(__name__)


# --- looking things up inside the organisation -----------------------------------------------

def get_unit(actor: Person, unit_id: int) -> Unit:
    """:raise NotFound: for a unit of another organisation, as for one that does not exist."""
    return services.get_unit(actor, unit_id)


def _in_organisation(model, actor: Person, item_id: int):
    """A unit or person of the actor's organisation by id, or None."""
    return db.session.scalar(sa.select(model).where(model.id == item_id,
                                                    model.org_id == actor.org_id))


def get_person(actor: Person, person_id: int) -> Person:
    """:raise NotFound: for a person of another organisation."""
    person = _in_organisation(Person, actor, person_id)
    if person is None:
        raise NotFound(_("Person not found."))
    return person


def _referenced(model, actor: Person, item_id: int, field: str):
    """A unit or person named in the body: unknown (422 on ``field``, whether it is missing
    or another organisation's) unless in the organisation, and refused when inactive."""
    item = _in_organisation(model, actor, item_id)
    unit = model is Unit
    if item is None:
        raise ValidationFailed(fields={field: _("Unknown unit.") if unit
                                       else _("Unknown person.")})
    if not item.active:
        raise ValidationFailed(fields={field: _(
            "This unit is inactive; choose an active unit.") if unit else _(
            "This person is inactive; choose an active person.")})
    return item


def _loop_through(rows, item_id: int, new_head_id: int) -> str | None:
    """The loop, named "A → B → A", that pointing ``item_id`` at ``new_head_id`` would make
    in a tree of ``rows`` (id, head id, name: units and parents, people and supervisors)."""
    head_of = {row[0]: row[1] for row in rows}
    head_of[item_id] = new_head_id
    loop = supervisor_loop(head_of, item_id)
    if loop is None:
        return None
    names = {row[0]: row[2] for row in rows}
    return " → ".join(names[key] for key in loop)


# --- units -----------------------------------------------------------------------------------

def _check_code_free(actor: Person, code: str, unit_id: int | None = None) -> None:
    """Unit codes are unique within the organisation (the import matches units by code)."""
    query = sa.select(Unit.id).where(Unit.org_id == actor.org_id,
                                     sa.func.lower(Unit.code) == code.lower())
    if unit_id is not None:
        query = query.where(Unit.id != unit_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise ValidationFailed(fields={"code": _("Another unit already has this code.")})


def _check_unit_loop(actor: Person, unit: Unit, parent: Unit) -> None:
    """Refuse a move that would put ``unit`` under itself, naming the loop."""
    rows = db.session.execute(sa.select(Unit.id, Unit.parent_id, Unit.name)
                              .where(Unit.org_id == actor.org_id)).all()
    loop = _loop_through(rows, unit.id, parent.id)
    if loop:
        raise ValidationFailed(fields={"parent_id": _(
            "A unit cannot be placed under itself: %(loop)s.", loop=loop)})


def _active_people_within(unit: Unit) -> int:
    """Active people in ``unit`` or any unit below it."""
    tree = (sa.select(Unit.id.label("id")).where(Unit.id == unit.id)
            .cte("unit_tree", recursive=True))
    tree = tree.union_all(sa.select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
    return db.session.scalar(sa.select(sa.func.count(Person.id)).where(
        Person.unit_id.in_(sa.select(tree.c.id)), Person.active.is_(True)))


def create_unit(actor: Person, *, code: str, name: str, parent_id: int | None = None,
                timezone: str | None = None) -> Unit:
    """Add a unit under ``parent_id`` (or a root); its zone defaults to the parent's."""
    parent = _referenced(Unit, actor, parent_id, "parent_id") if parent_id else None
    _check_code_free(actor, code)
    unit = services.create_unit(actor.organisation, code, name, parent, timezone)
    audit.record(actor.org_id, actor.id, actor.id, "unit", unit.id, "create",
                 {"code": [None, unit.code], "name": [None, unit.name],
                  "parent_id": [None, unit.parent_id], "timezone": [None, unit.timezone]})
    logger.info("Unit %s created in organisation %s", unit.id, actor.org_id)
    return unit


def update_unit(actor: Person, unit: Unit, changes: dict) -> Unit:
    """Rename, move, set the zone, or (de)activate a unit; refuses a loop in the tree and
    deactivating a unit that still has active people in it or below it."""
    values = dict(changes)
    if "code" in values:
        _check_code_free(actor, values["code"], unit.id)
    if "timezone" in values:
        services.check_timezone(values["timezone"])
    if values.get("parent_id") is not None and values["parent_id"] != unit.parent_id:
        parent = _referenced(Unit, actor, values["parent_id"], "parent_id")
        _check_unit_loop(actor, unit, parent)
    if values.get("active") is False and unit.active:
        people = _active_people_within(unit)
        if people:
            raise ValidationFailed(fields={"active": _(
                "This unit still has %(n)d active people in it or in the units below it; "
                "move or deactivate them first.", n=people)})
    changed = audit.diff(unit, values)
    for key in changed:
        setattr(unit, key, values[key])
    db.session.flush()
    if changed:
        audit.record(actor.org_id, actor.id, actor.id, "unit", unit.id, "update", changed)
    return unit


def unit_people_counts(org_id: int) -> dict[int, int]:
    """Active people per unit (directly in it), for the unit tree page."""
    rows = db.session.execute(
        sa.select(Person.unit_id, sa.func.count(Person.id))
        .where(Person.org_id == org_id, Person.active.is_(True)).group_by(Person.unit_id))
    return dict(rows.all())


# --- people ----------------------------------------------------------------------------------

def _checked_nip(text: str, person_id: int | None = None) -> str:
    """The NIP's canonical form, unless invalid (422) or registered to someone else (409).

    NIPs are national: one registered in another organisation is refused without saying
    which one.
    """
    try:
        nip = parse_nip(text).value
    except InvalidNip as error:
        raise ValidationFailed(fields={"nip": str(error)}) from None
    query = sa.select(Person.id).where(Person.nip == nip)
    if person_id is not None:
        query = query.where(Person.id != person_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise Conflict(_("This NIP is already registered."),
                       fields={"nip": _("This NIP is already registered.")})
    return nip


def _check_supervisor(actor: Person, person: Person, supervisor_id: int | None) -> None:
    """Refuse a supervisor outside the organisation, or one that closes a loop (named)."""
    if supervisor_id is None:
        return
    supervisor = _referenced(Person, actor, supervisor_id, "supervisor_id")
    rows = db.session.execute(sa.select(Person.id, Person.supervisor_id, Person.name)
                              .where(Person.org_id == actor.org_id)).all()
    loop = _loop_through(rows, person.id, supervisor.id)
    if loop:
        raise ValidationFailed(fields={"supervisor_id": _(
            "This supervisor would make the reporting line loop: %(loop)s.", loop=loop)})


def _other_active_admins(person: Person) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Person.id)).join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.org_id == person.org_id, Person.id != person.id,
               Person.active.is_(True), PersonRole.role == Role.ADMIN))


def _check_admins_remain(person: Person, roles: Iterable[str] | None,
                         active: bool | None) -> None:
    """An organisation keeps at least one active HR administrator."""
    losing = (roles is not None and Role.ADMIN.value not in roles) or active is False
    if Role.ADMIN in person.roles and person.active and losing \
            and not _other_active_admins(person):
        field = "roles" if roles is not None and Role.ADMIN.value not in roles else "active"
        raise ValidationFailed(fields={field: _(
            "This is the organisation's last HR administrator; appoint another first.")})


def _set_roles(person: Person, roles: Iterable[str]) -> None:
    wanted = {Role(role) for role in roles}
    person.role_rows = [row for row in person.role_rows if row.role in wanted] + [
        PersonRole(role=role) for role in wanted - person.roles]


def _set_active(person: Person, active: bool) -> None:
    """Deactivated people stop signing in at once: their login sessions and access tokens
    are revoked (Person.is_active also refuses them). Nothing of their history goes."""
    if active:
        person.active = True
        return
    services.deactivate(person)
    db.session.execute(sa.update(PersonalAccessToken)
                       .where(PersonalAccessToken.person_id == person.id,
                              PersonalAccessToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def _before(person: Person) -> dict:
    return {"nip": person.nip, "name": person.name, "jabatan": person.jabatan,
            "position_kind": person.position_kind, "golongan": person.golongan,
            "unit_id": person.unit_id, "supervisor_id": person.supervisor_id,
            "email": person.email, "active": person.active,
            "roles": sorted(role.value for role in person.roles)}


def _changes(before: dict, after: dict) -> dict:
    return {key: [audit.plain(before[key]), audit.plain(after[key])] for key in before
            if audit.plain(before[key]) != audit.plain(after[key])}


def create_person(actor: Person, *, nip: str, name: str, jabatan: str, position_kind: str,
                  unit_id: int, golongan: str | None = None, supervisor_id: int | None = None,
                  roles: Iterable[str] = (Role.PEGAWAI.value,), email: str | None = None
                  ) -> Person:
    """Add a person who has no password yet: they activate their account with a code."""
    nip = _checked_nip(nip)
    unit = _referenced(Unit, actor, unit_id, "unit_id")
    services.check_golongan(golongan)
    supervisor = (_referenced(Person, actor, supervisor_id, "supervisor_id")
                  if supervisor_id is not None else None)
    person = services.create_person(
        actor.organisation, unit, nip=nip, name=name, jabatan=jabatan,
        position_kind=position_kind, password_hash=NO_PASSWORD, golongan=golongan,
        supervisor=supervisor, roles=[Role(role) for role in roles])
    person.email = email
    db.session.flush()
    empty = dict.fromkeys(_before(person))
    audit.record(actor.org_id, person.id, actor.id, "person", person.id, "create",
                 _changes(empty, _before(person)))
    return person


def update_person(actor: Person, person: Person, changes: dict) -> Person:
    """Edit a person: details, unit, supervisor, roles, and deactivate or reactivate."""
    values = dict(changes)
    if "nip" in values:
        values["nip"] = _checked_nip(values["nip"], person.id)
    if "unit_id" in values and values["unit_id"] != person.unit_id:
        _referenced(Unit, actor, values["unit_id"], "unit_id")
    if "golongan" in values:
        services.check_golongan(values["golongan"])
    if values.get("supervisor_id", person.supervisor_id) != person.supervisor_id:
        _check_supervisor(actor, person, values["supervisor_id"])
    _check_admins_remain(person, values.get("roles"), values.get("active"))
    before = _before(person)
    for key in ("nip", "name", "jabatan", "position_kind", "golongan", "unit_id",
                "supervisor_id", "email"):
        if key in values:
            setattr(person, key, values[key])
    if "roles" in values:
        _set_roles(person, values["roles"])
    if "active" in values and values["active"] != person.active:
        _set_active(person, values["active"])
    db.session.flush()
    db.session.expire(person, ["unit", "supervisor"])
    changed = _changes(before, _before(person))
    if changed:
        action = {False: "deactivate", True: "reactivate"}.get(
            changed.get("active", [None, None])[1], "update")
        audit.record(actor.org_id, person.id, actor.id, "person", person.id, action, changed)
        logger.info("Person %s changed by %s: %s", person.id, actor.id, sorted(changed))
    return person


# --- the people list -------------------------------------------------------------------------

def search_people(actor: Person, *, q: str | None = None, unit_id: int | None = None,
                  active: bool | None = None) -> sa.Select:
    """People ``actor`` may see (:func:`services.people_visible_to`), by name, filtered.

    ``q`` matches a name containing it (any case) or a NIP starting with it; ``unit_id``
    the people directly in that unit (404 for another organisation's); ``active`` None keeps
    active and inactive people alike.
    """
    query = services.people_visible_to(actor)
    if q:
        digits = q.replace(" ", "")
        match = sa.func.lower(Person.name).contains(q.lower(), autoescape=True)
        if digits.isdigit():
            match = sa.or_(match, Person.nip.startswith(digits, autoescape=True))
        query = query.where(match)
    if unit_id is not None:
        query = query.where(Person.unit_id == get_unit(actor, unit_id).id)
    if active is not None:
        query = query.where(Person.active.is_(active))
    return query.order_by(Person.name, Person.id)


def page_of_people(actor: Person, *, page: int, per_page: int, **filters) -> dict:
    """One page of :func:`search_people`, shaped as the API answers it."""
    found = db.paginate(search_people(actor, **filters), page=page, per_page=per_page,
                        error_out=False)
    return {"items": found.items,
            "pagination": {"page": page, "per_page": per_page, "total": found.total,
                           "pages": found.pages}}
