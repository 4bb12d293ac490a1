"""Activities, their evidence, personal templates and each organisation's deadline rules."""

import enum
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import TimestampMixin, enum_column, new_uuid, utcnow
from app.org.models import Person
from app.targets.models import Indicator


class ActivityStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class WorkKind(enum.StrEnum):
    """What the activity serves: an SKP indicator, additional duties, or other work."""

    SKP = "skp"
    TAMBAHAN = "tambahan"
    LAINNYA = "lainnya"


class Activity(TimestampMixin, db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        sa.Index("ix_activities_person_date", "person_id", "date"),
        sa.Index("ix_activities_target_status_date", "target_id", "status", "date"),
    )

    #: A UUID; the client may choose it (offline creates), which makes creates idempotent.
    id: so.Mapped[str] = so.mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    #: Local date in the person's unit's time zone.
    date: so.Mapped[date]
    start_time: so.Mapped[time | None]
    end_time: so.Mapped[time | None]
    #: end - start in minutes, kept so recaps sum a column instead of doing time arithmetic.
    duration_minutes: so.Mapped[int] = so.mapped_column(default=0)
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    quantity: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(14, 2))
    unit: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    #: The indicator (IKI) this serves; None for additional or other work.
    target_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("indicators.id"))
    work_kind: so.Mapped[WorkKind] = so.mapped_column(enum_column(WorkKind),
                                                      default=WorkKind.SKP)
    status: so.Mapped[ActivityStatus] = so.mapped_column(enum_column(ActivityStatus),
                                                         default=ActivityStatus.DRAFT)
    return_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    submitted_at: so.Mapped[datetime | None]
    #: Submitted after the organisation's late rule (e.g. after the next working day).
    is_late: so.Mapped[bool] = so.mapped_column(default=False)
    reviewed_at: so.Mapped[datetime | None]
    reviewed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    #: The supervisor's quality mark given at approval, 1-4 (see docs/realisation.md).
    quality: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    #: Bumped on every change; an edit carrying an older version gets 409.
    version: so.Mapped[int] = so.mapped_column(default=1)

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    reviewed_by: so.Mapped[Person | None] = so.relationship(foreign_keys=[reviewed_by_id])
    target: so.Mapped[Indicator | None] = so.relationship()
    attachments: so.Mapped[list["Attachment"]] = so.relationship(
        back_populates="activity", order_by="Attachment.created_at",
        cascade="all, delete-orphan", lazy="selectin")


class AttachmentKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class Attachment(db.Model):
    """Evidence (bukti dukung): an uploaded photo or PDF, or a link."""

    __tablename__ = "attachments"

    id: so.Mapped[str] = so.mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    activity_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("activities.id"), index=True)
    kind: so.Mapped[AttachmentKind] = so.mapped_column(enum_column(AttachmentKind))
    #: The name the person's file had (shown, never used as a path).
    filename: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    content_type: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    size: so.Mapped[int | None]
    #: Where the bytes are, relative to the evidence folder; named by the server.
    storage_key: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    activity: so.Mapped[Activity] = so.relationship(back_populates="attachments")


class ActivityTemplate(TimestampMixin, db.Model):
    """A person's frequent activity, to log it again with one tap."""

    __tablename__ = "activity_templates"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    target_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("indicators.id"))
    work_kind: so.Mapped[WorkKind] = so.mapped_column(enum_column(WorkKind),
                                                      default=WorkKind.SKP)
    quantity: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(14, 2))
    unit: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    duration_minutes: so.Mapped[int | None]


class DeadlineRule(TimestampMixin, db.Model):
    """When an organisation's logs lock, and when a submission counts as late."""

    __tablename__ = "deadline_rules"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), unique=True)
    #: A month's activities lock on this day of the next month, at lock_time, local time.
    lock_day: so.Mapped[int] = so.mapped_column(default=5)
    lock_time: so.Mapped[time] = so.mapped_column(default=time(23, 59))
    #: A day's activities are late when submitted after this many working days.
    late_after_working_days: so.Mapped[int] = so.mapped_column(default=1)
