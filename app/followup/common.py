"""What the follow-up services share: who may read and run what, versions, the audit trail.

Reading follows the evaluation's rule (:func:`app.evaluations.services.may_read`): the
person, whoever assesses them, everyone above in the line, HR administrators and the head of
agency. Anything of another organisation, or out of the caller's reach, is answered 404.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.core import versions
from app.errors import Conflict, NotFound
from app.evaluations.services import may_assess, may_read
from app.extensions import db
from app.org.models import Person, Role


def oversees_org(actor: Person) -> bool:
    return bool(actor.roles & {Role.ADMIN, Role.PIMPINAN})


def load(actor: Person, model, item_id: int, message: str):
    """The ``model`` row ``item_id`` of the caller's organisation that they may read.

    :raise NotFound: otherwise.
    """
    row = db.session.scalar(sa.select(model).where(model.id == item_id,
                                                   model.org_id == actor.org_id))
    if row is None or not may_read(actor, row.person):
        raise NotFound(message)
    return row


def is_supervisor_of(actor: Person, person: Person) -> bool:
    """The person's pejabat penilai (or who acts for them today)."""
    return may_assess(actor, person)


def record(actor: Person, row, subject: str, action: str, changes: dict) -> None:
    db.session.flush()
    audit.record(row.org_id, row.person_id, actor.id, subject, row.id, action, changes)


def check_version(row, version: int | None, current) -> None:
    if version is not None and version != row.version:
        raise Conflict(_("This was changed elsewhere. Here is the current version."),
                       extra={"current": current(row)})


def bump(row, current) -> None:
    """Raise the version atomically; a concurrent writer that got there first wins."""
    versions.bump(row, current, _("This was changed elsewhere. Here is the current version."))
