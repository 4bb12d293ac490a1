"""Export jobs: long documents built in the background, with their progress."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import enum_column, new_uuid, utcnow
from app.org.models import Person


class ExportKind(enum.StrEnum):
    MONTHLY_PDF = "monthly_pdf"
    MONTHLY_XLSX = "monthly_xlsx"
    TEAM_RECAP = "team_recap"
    UNIT_RECAP = "unit_recap"
    EKINERJA_XLSX = "ekinerja_xlsx"
    EKINERJA_CSV = "ekinerja_csv"


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(db.Model):
    """One export asked for by one person; the file is theirs alone."""

    __tablename__ = "export_jobs"

    #: A UUID, so job URLs cannot be counted through.
    id: so.Mapped[str] = so.mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    owner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    kind: so.Mapped[ExportKind] = so.mapped_column(enum_column(ExportKind))
    #: The validated arguments (month, unit_id, person_id, from, to...), as JSON.
    parameters: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    status: so.Mapped[ExportStatus] = so.mapped_column(enum_column(ExportStatus),
                                                       default=ExportStatus.QUEUED)
    #: 0-100.
    progress: so.Mapped[int] = so.mapped_column(default=0)
    #: Relative to the export folder (EXPORT_FOLDER, default instance/exports).
    file_key: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    #: The name the download gets.
    filename: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    content_type: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    size: so.Mapped[int | None]
    error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    started_at: so.Mapped[datetime | None]
    finished_at: so.Mapped[datetime | None]

    owner: so.Mapped[Person] = so.relationship()
