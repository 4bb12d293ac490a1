"""An absence: a stretch of days a person is away, asked for or entered, and its kinds."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import TimestampMixin, enum_column
from app.org.models import Person


class AbsenceKind(enum.StrEnum):
    """The kinds of leave of PP 11/2017 (cuti) and the other ways a civil servant is away."""

    CUTI_TAHUNAN = "cuti_tahunan"
    CUTI_BESAR = "cuti_besar"
    CUTI_SAKIT = "cuti_sakit"
    CUTI_MELAHIRKAN = "cuti_melahirkan"
    CUTI_ALASAN_PENTING = "cuti_alasan_penting"
    CUTI_BERSAMA = "cuti_bersama"
    #: Cuti di luar tanggungan negara (CLTN).
    CUTI_LUAR_TANGGUNGAN = "cuti_luar_tanggungan"
    SAKIT = "sakit"
    DINAS_LUAR = "dinas_luar"
    TUGAS_BELAJAR = "tugas_belajar"


class AbsenceStatus(enum.StrEnum):
    #: Asked by the employee, waiting for the supervisor.
    REQUESTED = "requested"
    #: Approved by the supervisor, or entered by an HR administrator: the days are excused.
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Absence(TimestampMixin, db.Model):
    """Days from ``starts_on`` to ``ends_on`` (inclusive, local dates) a person is away.

    Only an approved absence excuses its days from logging (reminders and compliance).
    """

    __tablename__ = "absences"
    __table_args__ = (sa.Index("ix_absences_org_id_starts_on", "org_id", "starts_on"),
                      sa.Index("ix_absences_person_id_starts_on", "person_id", "starts_on"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    kind: so.Mapped[AbsenceKind] = so.mapped_column(enum_column(AbsenceKind))
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    status: so.Mapped[AbsenceStatus] = so.mapped_column(enum_column(AbsenceStatus))
    #: Who asked for it or entered it.
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    #: Who approved, rejected or cancelled it, when, and why (a rejection's reason).
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    decided_at: so.Mapped[datetime | None]
    decision_note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    decided_by: so.Mapped[Person | None] = so.relationship(foreign_keys=[decided_by_id])

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
