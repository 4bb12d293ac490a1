import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import enum_column, utcnow
from app.org.models import Person

MAX_BODY = 2000


class Comment(db.Model):
    """One message of an activity's thread: the supervisor's feedback or the owner's reply."""

    __tablename__ = "comments"
    __table_args__ = (sa.Index("ix_comments_activity_id_id", "activity_id", "id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    activity_id: so.Mapped[str] = so.mapped_column(sa.String(36),
                                                   sa.ForeignKey("activities.id"))
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: A UUID the phone chose (comments written offline): a replay finds the stored comment.
    client_id: so.Mapped[str | None] = so.mapped_column(sa.String(36), unique=True)

    author: so.Mapped[Person] = so.relationship()


class Value(enum.StrEnum):
    """The seven BerAKHLAK core values (perilaku kerja)."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan"
    AKUNTABEL = "akuntabel"
    KOMPETEN = "kompeten"
    HARMONIS = "harmonis"
    LOYAL = "loyal"
    ADAPTIF = "adaptif"
    KOLABORATIF = "kolaboratif"


class ContinuousFeedback(db.Model):
    """Umpan balik berkelanjutan: the appraiser's note on one RHK or one BerAKHLAK value,
    kept for the period evaluation."""

    __tablename__ = "continuous_feedback"
    __table_args__ = (
        sa.CheckConstraint("(rhk_id IS NULL) <> (value IS NULL)", name="rhk_or_value"),
        sa.Index("ix_continuous_feedback_person_id_skp_id", "person_id", "skp_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    #: The employee the feedback is about.
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    skp_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skps.id"))
    rhk_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("rhks.id"))
    value: so.Mapped[Value | None] = so.mapped_column(enum_column(Value))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    author: so.Mapped[Person] = so.relationship(foreign_keys=[author_id])


class OrgReviewPolicy(db.Model):
    """An organisation's review rule. Without a row, or with no number, nothing is accepted
    automatically."""

    __tablename__ = "org_review_policies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), unique=True)
    #: Submitted activities not reviewed within this many working days are accepted.
    auto_accept_after_working_days: so.Mapped[int | None]
