"""Optimistic versions: a row's ``version`` raised atomically, the loser told what won."""

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.errors import Conflict
from app.extensions import db
from app.models import utcnow


def bump(row, current, message: str) -> None:
    """Raise ``row.version`` atomically; a concurrent writer that got there first wins, and
    this one gets 409 with ``message`` and ``current(row)`` (the row as it now is)."""
    model = type(row)
    old = row.version
    result = db.session.execute(
        sa.update(model).where(model.id == row.id, model.version == old)
        .values(version=old + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(row)
        raise Conflict(message, extra={"current": current(row)})
    set_committed_value(row, "version", old + 1)
