"""Organisations (instansi), their unit trees and their people."""

import enum
from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from app.core.i18n import TIME_ZONES
from app.extensions import db
from app.models import TimestampMixin, enum_column, new_uuid, utcnow


class PositionKind(enum.StrEnum):
    JPT = "jpt"  # Jabatan Pimpinan Tinggi
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"


class Role(enum.StrEnum):
    PEGAWAI = "pegawai"
    ATASAN = "atasan"
    ADMIN = "admin_kepegawaian"
    PIMPINAN = "pimpinan"


#: PNS ranks by golongan/ruang (PP 99/2000).
PANGKAT = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
#: PPPK grades (Perpres 98/2020) carry no pangkat name.
PPPK_GOLONGAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
                 "XIII", "XIV", "XV", "XVI", "XVII")


#: The password hash of an account not yet activated: no password verifies against it, so
#: the person signs in only after setting one with an activation code.
NO_PASSWORD = ""


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Short unique key, e.g. "pemkot-surakarta".
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: Default time zone for new units.
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64), default="Asia/Jakarta")

    units: so.WriteOnlyMapped["Unit"] = so.relationship(back_populates="organisation")


class Unit(TimestampMixin, db.Model):
    """A unit kerja; units form a tree inside one organisation."""

    __tablename__ = "units"
    __table_args__ = (sa.UniqueConstraint("org_id", "code"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("units.id"), index=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32))
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: IANA zone; activity dates and reminder times in this unit are local to it.
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64))
    #: A deactivated unit takes no new people; its history stays.
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())

    organisation: so.Mapped[Organisation] = so.relationship(back_populates="units")
    parent: so.Mapped[Optional["Unit"]] = so.relationship(remote_side=[id])

    @property
    def zone_abbreviation(self) -> str:
        return TIME_ZONES.get(self.timezone, self.timezone)

    def path(self) -> list["Unit"]:
        """This unit and its ancestors, root first."""
        chain, unit = [], self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain[::-1]


class PersonRole(db.Model):
    __tablename__ = "person_roles"

    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), primary_key=True)
    role: so.Mapped[Role] = so.mapped_column(enum_column(Role), primary_key=True)


class Person(UserMixin, TimestampMixin, db.Model):
    """An ASN (PNS or PPPK); deactivated, never deleted."""

    __tablename__ = "people"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"), index=True)
    #: Direct supervisor, the pejabat penilai kinerja. Reporting lines are acyclic.
    supervisor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("people.id"), index=True)
    #: National, so unique across organisations; sign-in is by NIP alone.
    nip: so.Mapped[str] = so.mapped_column(sa.String(18), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    jabatan: so.Mapped[str] = so.mapped_column(sa.String(200))
    position_kind: so.Mapped[PositionKind] = so.mapped_column(enum_column(PositionKind))
    #: Golongan/ruang, e.g. "III/a" (PNS) or "IX" (PPPK).
    golongan: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    #: Optional: activation codes may also go by e-mail when SMTP is configured.
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    #: "id" or "en"; None follows the browser.
    locale: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    last_login_at: so.Mapped[datetime | None]

    organisation: so.Mapped[Organisation] = so.relationship()
    unit: so.Mapped[Unit] = so.relationship()
    supervisor: so.Mapped[Optional["Person"]] = so.relationship(remote_side=[id])
    role_rows: so.Mapped[list[PersonRole]] = so.relationship(
        cascade="all, delete-orphan", lazy="selectin")

    #: The login session or token this request is authenticated by (set by auth).
    current_auth = None

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def pangkat(self) -> str | None:
        return PANGKAT.get(self.golongan or "")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive people
        return self.active

    @property
    def timezone(self) -> str:
        return self.unit.timezone

    def get_id(self) -> str:
        # Flask-Login keeps this in the session cookie: the login session's token, not the
        # person id, so a session can be revoked on the server (logout, password change).
        return self.current_auth.token if self.current_auth is not None else ""


class ActingKind(enum.StrEnum):
    #: Pelaksana tugas: the post is vacant.
    PLT = "plt"
    #: Pelaksana harian: the holder is away for a while.
    PLH = "plh"


class ActingAssignment(db.Model):
    """An acting supervisor (Plt/Plh): for the dates, ``acting_person`` reviews the line of
    ``for_person`` as ``for_person`` would."""

    __tablename__ = "acting_assignments"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    acting_person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"),
                                                        index=True)
    #: The supervisor being replaced.
    for_person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    kind: so.Mapped[ActingKind] = so.mapped_column(enum_column(ActingKind))
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    acting_person: so.Mapped[Person] = so.relationship(foreign_keys=[acting_person_id])
    for_person: so.Mapped[Person] = so.relationship(foreign_keys=[for_person_id])


class ImportKind(enum.StrEnum):
    PEOPLE = "people"
    UNITS = "units"


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(db.Model):
    """A bulk import (people or units, shaped like a SIASN export) run in the background: a
    preview (dry run) or its application, with its progress and its result per row."""

    __tablename__ = "import_jobs"

    #: A UUID, so job URLs cannot be counted through.
    id: so.Mapped[str] = so.mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    owner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    kind: so.Mapped[ImportKind] = so.mapped_column(enum_column(ImportKind))
    dry_run: so.Mapped[bool] = so.mapped_column(default=True)
    #: Deactivate the people of the organisation missing from the file (a full export).
    deactivate_missing: so.Mapped[bool] = so.mapped_column(default=False)
    status: so.Mapped[ImportStatus] = so.mapped_column(enum_column(ImportStatus),
                                                       default=ImportStatus.QUEUED)
    #: 0-100.
    progress: so.Mapped[int] = so.mapped_column(default=0)
    #: The uploaded file, relative to the import folder, kept until the job ends.
    file_key: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    filename: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    #: ``{"summary": {...}, "rows": [...]}`` as the API answers it.
    result: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    started_at: so.Mapped[datetime | None]
    finished_at: so.Mapped[datetime | None]

    owner: so.Mapped[Person] = so.relationship()
