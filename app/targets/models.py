"""SKP (Sasaran Kinerja Pegawai), RHK (Rencana Hasil Kerja) and IKI (indicators).

PermenPANRB 6/2022: one SKP per person per year, with an approach (kuantitatif/kualitatif);
RHK rows grouped utama/tambahan, each supporting one of the supervisor's RHK (cascading) or,
for JPT, a perspective; one indicator per aspect with a target value (or range) and a unit.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.feedback.models import Value
from app.models import TimestampMixin, enum_column
from app.org.models import Person


class Approach(enum.StrEnum):
    KUANTITATIF = "kuantitatif"
    KUALITATIF = "kualitatif"


class SkpStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class RhkKind(enum.StrEnum):
    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class Perspective(enum.StrEnum):
    """JPT perspectives (instead of a parent RHK)."""

    PENERIMA_LAYANAN = "penerima_layanan"
    PROSES_BISNIS = "proses_bisnis"
    PENGUATAN_INTERNAL = "penguatan_internal"
    ANGGARAN = "anggaran"


class Aspect(enum.StrEnum):
    KUANTITAS = "kuantitas"
    KUALITAS = "kualitas"
    WAKTU = "waktu"
    BIAYA = "biaya"


class Skp(TimestampMixin, db.Model):
    __tablename__ = "skps"
    __table_args__ = (sa.UniqueConstraint("person_id", "year"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    #: The pejabat penilai kinerja when the SKP was made (the supervisor may change later).
    appraiser_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"),
                                                              index=True)
    year: so.Mapped[int]
    approach: so.Mapped[Approach] = so.mapped_column(enum_column(Approach))
    #: JPT SKPs use perspectives instead of a parent RHK.
    is_jpt: so.Mapped[bool] = so.mapped_column(default=False)
    status: so.Mapped[SkpStatus] = so.mapped_column(enum_column(SkpStatus),
                                                    default=SkpStatus.DRAFT)
    return_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    submitted_at: so.Mapped[datetime | None]
    approved_at: so.Mapped[datetime | None]
    version: so.Mapped[int] = so.mapped_column(default=1)
    #: The lampiran (annex) agreed while planning: dukungan sumber daya,
    #: skema pertanggungjawaban and konsekuensi.
    resource_support: so.Mapped[str | None] = so.mapped_column(sa.Text)
    accountability: so.Mapped[str | None] = so.mapped_column(sa.Text)
    consequences: so.Mapped[str | None] = so.mapped_column(sa.Text)

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    appraiser: so.Mapped[Person | None] = so.relationship(foreign_keys=[appraiser_id])
    rhks: so.Mapped[list["Rhk"]] = so.relationship(
        back_populates="skp", order_by="(Rhk.kind, Rhk.position, Rhk.id)",
        cascade="all, delete-orphan")
    expectations: so.Mapped[list["SkpExpectation"]] = so.relationship(
        back_populates="skp", cascade="all, delete-orphan")


class SkpExpectation(db.Model):
    """The ekspektasi khusus pimpinan for one BerAKHLAK value, set by the appraiser while the
    SKP is planned, so the employee knows it all year and the assessment starts from it."""

    __tablename__ = "skp_expectations"
    __table_args__ = (sa.UniqueConstraint("skp_id", "value"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    skp_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skps.id"), index=True)
    value: so.Mapped[Value] = so.mapped_column(enum_column(Value))
    text: so.Mapped[str] = so.mapped_column(sa.Text)

    skp: so.Mapped[Skp] = so.relationship(back_populates="expectations")


class Rhk(db.Model):
    __tablename__ = "rhks"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    skp_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skps.id"), index=True)
    kind: so.Mapped[RhkKind] = so.mapped_column(enum_column(RhkKind), default=RhkKind.UTAMA)
    #: Written as an outcome, not an activity.
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    #: The supervisor's RHK this one supports (RHK atasan yang diintervensi).
    parent_rhk_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("rhks.id"),
                                                               index=True)
    perspective: so.Mapped[Perspective | None] = so.mapped_column(enum_column(Perspective))
    position: so.Mapped[int] = so.mapped_column(default=0)

    skp: so.Mapped[Skp] = so.relationship(back_populates="rhks")
    parent: so.Mapped[Optional["Rhk"]] = so.relationship(remote_side=[id])
    indicators: so.Mapped[list["Indicator"]] = so.relationship(
        back_populates="rhk", order_by="(Indicator.position, Indicator.id)",
        cascade="all, delete-orphan")


class Indicator(db.Model):
    """An IKI: one aspect of an RHK with its target ("12 dokumen", "100 %", "12 bulan")."""

    __tablename__ = "indicators"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    rhk_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("rhks.id"), index=True)
    aspect: so.Mapped[Aspect] = so.mapped_column(enum_column(Aspect))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    #: Single value: target_min alone. Range: target_min to target_max.
    target_min: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(14, 2))
    target_max: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(14, 2))
    unit: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: For the kualitatif approach: the expectation as a narrative.
    target_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: Waktu: the day the RHK's outputs are due (a period's own due date takes precedence).
    due_date: so.Mapped[date | None]
    position: so.Mapped[int] = so.mapped_column(default=0)

    rhk: so.Mapped[Rhk] = so.relationship(back_populates="indicators")
    #: The yearly target split over quarters or months (empty: one yearly target).
    period_targets: so.Mapped[list["PeriodTarget"]] = so.relationship(
        back_populates="indicator", order_by="PeriodTarget.number",
        cascade="all, delete-orphan")

    @property
    def target_quantity(self) -> Decimal | None:
        return self.target_max if self.target_max is not None else self.target_min


class PeriodKind(enum.StrEnum):
    """How an indicator's yearly target is split: triwulan I-IV or the twelve months."""

    QUARTER = "quarter"
    MONTH = "month"


class PeriodTarget(db.Model):
    """One quarter's or month's share of an indicator's target (BKN e-Kinerja asks for
    quarterly targets). Its dates are kept so realisation queries join on them directly."""

    __tablename__ = "indicator_period_targets"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    indicator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("indicators.id"), index=True)
    kind: so.Mapped[PeriodKind] = so.mapped_column(enum_column(PeriodKind))
    #: 1-4 for quarters, 1-12 for months.
    number: so.Mapped[int]
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    #: Kuantitas: the quantity due in the period; Kualitas and Waktu: the percentage expected.
    target: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(14, 2))
    #: Waktu: when the period's outputs are due (default: the indicator's due date).
    due_date: so.Mapped[date | None]

    indicator: so.Mapped[Indicator] = so.relationship(back_populates="period_targets")
