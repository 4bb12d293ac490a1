"""Ids of the second organisation for the cross-organisation checks."""

from app.documents.models import ExportJob, ExportKind, ExportStatus
from app.extensions import db


def other_org_ids(world) -> dict:
    """A finished export of the second organisation's admin."""
    job = ExportJob(org_id=world.two.org.id, owner_id=world.two.admin.id,
                    kind=ExportKind.UNIT_RECAP, parameters={"month": "2026-11"},
                    status=ExportStatus.DONE, progress=100, file_key="x.xlsx",
                    filename="x.xlsx", content_type="text/csv")
    db.session.add(job)
    db.session.commit()
    return {"job_id": job.id}
