"""One row per questionnaire a citizen filled in for a service unit. No personal data.

Beside it: what citizens wrote, in the unit's inbox with its answer, and the officers they
may name (feedback for the officer, never part of the unit's index)."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import enum_column, utcnow

if TYPE_CHECKING:
    from app.org.models import Person, Unit

#: The nine unsur of PermenPANRB 14/2017, in the regulation's order: column names u1..u9.
UNSUR_COLUMNS = tuple(f"u{n}" for n in range(1, 10))


def _answer():
    return so.mapped_column(sa.SmallInteger)


class SurveyResponse(db.Model):
    """A completed SKM questionnaire: the nine answers on the 1-4 scale."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        # The index is computed per unit over a date range, and per organisation.
        sa.Index("ix_survey_responses_unit_submitted", "unit_id", "submitted_at"),
        sa.Index("ix_survey_responses_org_submitted", "org_id", "submitted_at"),
        *(sa.CheckConstraint(f"{column} BETWEEN 1 AND 4", name=f"{column}_scale")
          for column in UNSUR_COLUMNS),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    submitted_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: Persyaratan; Sistem, mekanisme, prosedur; Waktu penyelesaian; Biaya/tarif.
    u1: so.Mapped[int] = _answer()
    u2: so.Mapped[int] = _answer()
    u3: so.Mapped[int] = _answer()
    u4: so.Mapped[int] = _answer()
    #: Produk spesifikasi jenis pelayanan; Kompetensi pelaksana; Perilaku pelaksana.
    u5: so.Mapped[int] = _answer()
    u6: so.Mapped[int] = _answer()
    u7: so.Mapped[int] = _answer()
    #: Penanganan pengaduan, saran, masukan; Sarana dan prasarana.
    u8: so.Mapped[int] = _answer()
    u9: so.Mapped[int] = _answer()
    #: The service the citizen used, as they wrote it (optional).
    service_name: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    comment: so.Mapped[str | None] = so.mapped_column(sa.Text)


class MessageKind(enum.StrEnum):
    #: A suggestion or comment (*saran, masukan*).
    COMMENT = "comment"
    #: A complaint (*pengaduan*): PermenPANRB 14/2017 makes its handling an unsur (u8).
    COMPLAINT = "complaint"


class MessageStatus(enum.StrEnum):
    NEW = "new"
    ANSWERED = "answered"
    CLOSED = "closed"


class CitizenMessage(db.Model):
    """What a citizen wrote with a survey, in the inbox of the unit's head and the admin.

    The answer may be published on the unit's public survey page ("Anda bertanya, kami
    menjawab"): *menangani keluhan masyarakat* as PermenPANRB 14/2017 asks of every unit.
    """

    __tablename__ = "citizen_messages"
    __table_args__ = (sa.Index("ix_citizen_messages_unit_status", "unit_id", "status"),
                      sa.Index("ix_citizen_messages_org_status", "org_id", "status"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    response_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("survey_responses.id"),
                                                   unique=True)
    kind: so.Mapped[MessageKind] = so.mapped_column(enum_column(MessageKind))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    status: so.Mapped[MessageStatus] = so.mapped_column(enum_column(MessageStatus),
                                                        default=MessageStatus.NEW)
    received_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    answer: so.Mapped[str | None] = so.mapped_column(sa.Text)
    answered_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    answered_at: so.Mapped[datetime | None]
    #: Shown on the unit's public survey page, with the answer.
    published: so.Mapped[bool] = so.mapped_column(default=False)
    closed_at: so.Mapped[datetime | None]

    unit: so.Mapped["Unit"] = so.relationship()
    answered_by: so.Mapped[Optional["Person"]] = so.relationship()


class ServingOfficer(db.Model):
    """A member of staff who agreed to be named by citizens as the one who served them."""

    __tablename__ = "serving_officers"

    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    opted_in_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class OfficerMention(db.Model):
    """A survey that names the officer who served: feedback for that officer and their
    supervisor only. The unit's official index (SKM) never reads this table."""

    __tablename__ = "officer_mentions"

    response_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("survey_responses.id"),
                                                   primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)

    response: so.Mapped[SurveyResponse] = so.relationship()


class SkmFollowUp(db.Model):
    """The unit's follow-up plan (*rencana tindak lanjut*) for one unsur over one survey
    period, as PermenPANRB 14/2017 asks the report to carry for the weakest unsur."""

    __tablename__ = "skm_follow_ups"
    __table_args__ = (sa.UniqueConstraint("unit_id", "starts_on", "ends_on", "unsur"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    #: u1..u9.
    unsur: so.Mapped[str] = so.mapped_column(sa.String(3))
    #: The programme or activity (*program/kegiatan*).
    plan: so.Mapped[str] = so.mapped_column(sa.Text)
    #: When it is to be done (*waktu*).
    due_on: so.Mapped[date | None]
    #: Who answers for it (*penanggung jawab*).
    responsible: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    written_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
