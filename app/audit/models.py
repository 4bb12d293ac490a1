from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import utcnow
from app.org.models import Person


class AuditEntry(db.Model):
    """Who did what to which item, and when; chained by hashes, one chain per person.

    The chain key is the *owner*: the person whose activity or SKP the item is (not who
    acted on it). Writes for different people never wait for each other.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        # Two writers can never both extend a chain from the same entry.
        sa.UniqueConstraint("owner_id", "seq"),
        sa.Index("ix_audit_entries_subject", "subject_type", "subject_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: Whose item it is: the key of the chain this entry belongs to.
    owner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    #: Position in the owner's chain, from 1.
    seq: so.Mapped[int]
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    subject_type: so.Mapped[str] = so.mapped_column(sa.String(32))
    subject_id: so.Mapped[str] = so.mapped_column(sa.String(36))
    action: so.Mapped[str] = so.mapped_column(sa.String(32))
    #: {"field": [old, new]} for edits; the new values for creates.
    changes: so.Mapped[dict] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    prev_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    hash: so.Mapped[str] = so.mapped_column(sa.String(64))

    actor: so.Mapped[Person | None] = so.relationship(foreign_keys=[actor_id])
