"""Evaluation periods, unit predicates and the period evaluation of a person.

PermenPANRB 6/2022: the agency defines its periods (name, start, end, *batas pengisian*, kind,
year, plus one final annual period). For each period a person writes a self-evaluation
(*evaluasi diri*) against their approved SKP; the appraiser gives feedback and a rating per
RHK and per BerAKHLAK value, the two ratings, and the predikat follows from the matrix.
"""

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.evaluations.rules import OrgPredikat, Predikat, Rating
from app.extensions import db
from app.feedback.models import Value
from app.models import TimestampMixin, enum_column, utcnow
from app.org.models import Person, Unit
from app.targets.models import Indicator, Rhk, Skp


class PeriodKind(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMESTER = "semester"
    ANNUAL = "annual"


class EvaluationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ASSESSED = "assessed"
    ACKNOWLEDGED = "acknowledged"


class EvaluationPeriod(TimestampMixin, db.Model):
    __tablename__ = "evaluation_periods"
    __table_args__ = (sa.Index("ix_evaluation_periods_org_id_year", "org_id", "year"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    #: "Triwulan I 2026", "Januari 2026", "Tahunan 2026".
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    kind: so.Mapped[PeriodKind] = so.mapped_column(enum_column(PeriodKind))
    year: so.Mapped[int]
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    #: Batas pengisian: input is allowed until 23:59 local time of this day.
    deadline: so.Mapped[date]
    #: The annual final period (periode akhir).
    is_final: so.Mapped[bool] = so.mapped_column(default=False)


class Evaluation(TimestampMixin, db.Model):
    """One person's evaluation of one period: self-evaluation, then the assessment."""

    __tablename__ = "evaluations"
    __table_args__ = (sa.UniqueConstraint("person_id", "period_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluation_periods.id"),
                                                 index=True)
    skp_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skps.id"))
    #: Who assessed (the pejabat penilai at the time).
    appraiser_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    status: so.Mapped[EvaluationStatus] = so.mapped_column(
        enum_column(EvaluationStatus), default=EvaluationStatus.DRAFT)
    is_jpt: so.Mapped[bool] = so.mapped_column(default=False)
    #: The supervisor allowed input after the deadline (a return or a reopening).
    reopened: so.Mapped[bool] = so.mapped_column(default=False)
    return_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    hasil_kerja: so.Mapped[Rating | None] = so.mapped_column(enum_column(Rating))
    perilaku_kerja: so.Mapped[Rating | None] = so.mapped_column(enum_column(Rating))
    #: Computed from the two ratings by the matrix, never typed.
    predikat: so.Mapped[Predikat | None] = so.mapped_column(enum_column(Predikat))
    #: For a JPT: the unit predicate the results rating followed.
    unit_predikat: so.Mapped[OrgPredikat | None] = so.mapped_column(enum_column(OrgPredikat))
    progress_at: so.Mapped[datetime | None]
    submitted_at: so.Mapped[datetime | None]
    assessed_at: so.Mapped[datetime | None]
    acknowledged_at: so.Mapped[datetime | None]
    version: so.Mapped[int] = so.mapped_column(default=1)

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    appraiser: so.Mapped[Person | None] = so.relationship(foreign_keys=[appraiser_id])
    period: so.Mapped[EvaluationPeriod] = so.relationship()
    skp: so.Mapped[Skp] = so.relationship()
    rhks: so.Mapped[list["EvaluationRhk"]] = so.relationship(
        back_populates="evaluation", order_by="EvaluationRhk.position",
        cascade="all, delete-orphan")
    indicators: so.Mapped[list["EvaluationIndicator"]] = so.relationship(
        back_populates="evaluation", order_by="EvaluationIndicator.position",
        cascade="all, delete-orphan")
    behaviours: so.Mapped[list["EvaluationBehaviour"]] = so.relationship(
        back_populates="evaluation", order_by="EvaluationBehaviour.position",
        cascade="all, delete-orphan")
    evidence: so.Mapped[list["EvaluationEvidence"]] = so.relationship(
        back_populates="evaluation", order_by="EvaluationEvidence.id",
        cascade="all, delete-orphan")


class EvaluationRhk(db.Model):
    """Per RHK: the employee's realisation and reflection, the appraiser's feedback and
    rating."""

    __tablename__ = "evaluation_rhks"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", "rhk_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"))
    rhk_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("rhks.id"))
    position: so.Mapped[int] = so.mapped_column(default=0)
    #: Realisasi berdasarkan bukti dukung.
    realisation: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    reflection: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: Umpan balik berkelanjutan berdasarkan bukti dukung.
    feedback: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    rating: so.Mapped[Rating | None] = so.mapped_column(enum_column(Rating))

    evaluation: so.Mapped[Evaluation] = so.relationship(back_populates="rhks")
    rhk: so.Mapped[Rhk] = so.relationship()


class EvaluationIndicator(db.Model):
    """The realisation of one indicator in the period, snapshot from the daily logs."""

    __tablename__ = "evaluation_indicators"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", "indicator_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"))
    indicator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("indicators.id"))
    rhk_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("rhks.id"))
    position: so.Mapped[int] = so.mapped_column(default=0)
    approved_quantity: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(14, 2))
    approved_count: so.Mapped[int]
    approved_percent: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(8, 1))
    submitted_quantity: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(14, 2))
    submitted_count: so.Mapped[int]
    submitted_percent: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(8, 1))

    evaluation: so.Mapped[Evaluation] = so.relationship(back_populates="indicators")
    indicator: so.Mapped[Indicator] = so.relationship()


class EvaluationBehaviour(db.Model):
    """Per BerAKHLAK value: the appraiser's feedback and the leader's specific expectation."""

    __tablename__ = "evaluation_behaviours"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", "value"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"))
    value: so.Mapped[Value] = so.mapped_column(enum_column(Value))
    position: so.Mapped[int] = so.mapped_column(default=0)
    feedback: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: Ekspektasi khusus pimpinan.
    expectation: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    evaluation: so.Mapped[Evaluation] = so.relationship(back_populates="behaviours")


class EvaluationEvidence(db.Model):
    """Bukti dukung of the self-evaluation, per RHK: a link, or a photo or PDF checked as
    activity evidence is (``app.activities.evidence``)."""

    __tablename__ = "evaluation_evidence"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"),
                                                     index=True)
    rhk_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("rhks.id"))
    url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    label: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    #: The name the person's file had (shown, never used as a path).
    filename: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    content_type: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    size: so.Mapped[int | None]
    #: Where the bytes are, relative to the evidence folder; named by the server.
    storage_key: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    @property
    def kind(self) -> str:
        return "file" if self.storage_key else "link"

    evaluation: so.Mapped[Evaluation] = so.relationship(back_populates="evidence")


class UnitPredicate(db.Model):
    """Predikat organisasi/unit for one period, set by the next-higher leader or an admin."""

    __tablename__ = "unit_predicates"
    __table_args__ = (sa.UniqueConstraint("unit_id", "period_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluation_periods.id"),
                                                 index=True)
    predikat: so.Mapped[OrgPredikat] = so.mapped_column(enum_column(OrgPredikat))
    set_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    set_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    unit: so.Mapped[Unit] = so.relationship()
