"""Competency development records, the organisation's yearly JP target, mentoring pairs.

PP 11/2017 on PNS management (as amended by PP 17/2020) gives every PNS the right and the
duty to develop their competency for at least 20 JP (*jam pelajaran*, lesson hours) a year;
the organisation may set a higher target (:class:`DevelopmentSettings`).
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import enum_column, utcnow
from app.org.models import Person

#: The yearly minimum of PP 11/2017 as amended, when an organisation set no target.
DEFAULT_JP_TARGET = 20


class TrainingKind(enum.StrEnum):
    TRAINING = "training"  # pelatihan, diklat
    COURSE = "course"  # kursus
    SEMINAR = "seminar"  # seminar, lokakarya, webinar
    MENTORING = "mentoring"  # bimbingan, coaching, mentoring
    OTHER = "other"


class TrainingStatus(enum.StrEnum):
    #: Recorded by the person, waiting for the supervisor.
    SUBMITTED = "submitted"
    #: Checked by the supervisor: counts towards the yearly JP.
    VERIFIED = "verified"
    #: Not accepted (with the supervisor's reason); the person may record it again.
    REJECTED = "rejected"


class Training(db.Model):
    """One development activity a person did, with its certificate file."""

    __tablename__ = "trainings"
    __table_args__ = (
        sa.Index("ix_trainings_org_person_ends", "org_id", "person_id", "ends_on"),
        sa.CheckConstraint("hours > 0", name="training_hours_positive"),
        sa.CheckConstraint("ends_on >= starts_on", name="training_dates_ordered"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    provider: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[TrainingKind] = so.mapped_column(enum_column(TrainingKind))
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    #: Jam pelajaran (one JP = 45 minutes of learning).
    hours: so.Mapped[int]
    status: so.Mapped[TrainingStatus] = so.mapped_column(enum_column(TrainingStatus),
                                                         default=TrainingStatus.SUBMITTED)
    verified_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    verified_at: so.Mapped[datetime | None]
    decision_note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    #: The certificate (sertifikat), checked by its bytes like activity evidence.
    filename: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    content_type: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    size: so.Mapped[int | None]
    storage_key: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    verified_by: so.Mapped[Person | None] = so.relationship(foreign_keys=[verified_by_id])

    @property
    def has_certificate(self) -> bool:
        return self.storage_key is not None


class DevelopmentSettings(db.Model):
    """An organisation's yearly JP target (no row: :data:`DEFAULT_JP_TARGET`)."""

    __tablename__ = "development_settings"

    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"),
                                              primary_key=True)
    jp_target: so.Mapped[int] = so.mapped_column(default=DEFAULT_JP_TARGET)


class MentoringPair(db.Model):
    """A mentor and a mentee for a period, with notes (*pembimbingan*)."""

    __tablename__ = "mentoring_pairs"
    __table_args__ = (sa.CheckConstraint("mentor_id <> mentee_id", name="mentor_not_mentee"),
                      sa.CheckConstraint("ends_on >= starts_on", name="mentoring_dates_ordered"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    mentor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    mentee_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    mentor: so.Mapped[Person] = so.relationship(foreign_keys=[mentor_id])
    mentee: so.Mapped[Person] = so.relationship(foreign_keys=[mentee_id])
