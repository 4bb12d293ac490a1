"""One row per questionnaire a citizen filled in for a service unit. No personal data."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import utcnow

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
