"""Imports run in the background (huey, as exports are: :mod:`app.documents.jobs`).

A file over ``IMPORT_BACKGROUND_ROWS`` rows (default 2,000) becomes an :class:`ImportJob`:
its upload is stored under ``IMPORT_FOLDER`` (default ``instance/imports``), the job is
queued after the request commits, and ``GET /api/v1/imports/<id>`` tells its progress.
Reading and planning commit their progress as they go; an apply writes everything and marks
the job done in one transaction, so a failure leaves nothing half written.

A preview (dry run) keeps its file, so that applying it needs no second upload; an apply
removes the file when it ends. The pages also make jobs of small files (run at once), to
keep the previewed file on the server.
"""

import logging
import os
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab

from app.core.queue import periodic_task, task
from app.core.uow import after_commit, unit_of_work
from app.errors import AppError, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.imports import services
from app.org.imports.reading import is_xlsx
from app.org.models import ImportJob, ImportKind, ImportStatus, Person, Role

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_ROWS = 2000
#: Previews not applied are removed (with their file) after this many days.
DEFAULT_KEEP_DAYS = 2
#: Progress while reading the file (0-40), after planning (60); writing ends at 100.
READ_SHARE, PLANNED = 40, 60


def import_folder() -> Path:
    return Path(current_app.config.get("IMPORT_FOLDER")
                or os.path.join(current_app.instance_path, "imports"))


def background_rows() -> int:
    return int(current_app.config.get("IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def _store(job: ImportJob, content: bytes) -> None:
    key = f"{job.org_id}/{job.id}.{'xlsx' if is_xlsx(content) else 'csv'}"
    path = import_folder() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    job.file_key = key


def _remove_file(key: str | None) -> None:
    if key:
        (import_folder() / key).unlink(missing_ok=True)


def start_job(actor: Person, kind: ImportKind, content: bytes, filename: str | None, *,
              dry_run: bool, deactivate_missing: bool = False) -> ImportJob:
    """A queued job with its file stored (flushed, not committed); run it with
    :func:`queue_or_run`."""
    services.require_importer(actor)
    job = ImportJob(org_id=actor.org_id, owner_id=actor.id, kind=kind, dry_run=dry_run,
                    deactivate_missing=deactivate_missing, status=ImportStatus.QUEUED,
                    progress=0, filename=(filename or "")[:255] or None)
    db.session.add(job)
    db.session.flush()
    _store(job, content)
    logger.info("Import %s (%s, dry run %s) queued for %s", job.id, kind.value, dry_run,
                actor.id)
    return job


def apply_preview(actor: Person, preview_id: str,
                  deactivate_missing: bool) -> tuple[ImportJob, int]:
    """A job applying the file of a finished preview (it takes the file over), with the
    number of rows the preview read; run it with :func:`queue_or_run`."""
    preview = get_job(actor, preview_id)
    services.require_importer(actor)
    if not preview.dry_run or preview.status != ImportStatus.DONE or not preview.file_key:
        raise ValidationFailed(_("This preview can no longer be applied; upload the file "
                                 "again."))
    job = ImportJob(org_id=actor.org_id, owner_id=actor.id, kind=preview.kind, dry_run=False,
                    deactivate_missing=deactivate_missing, status=ImportStatus.QUEUED,
                    progress=0, filename=preview.filename, file_key=preview.file_key)
    preview.file_key = None
    db.session.add(job)
    db.session.flush()
    rows = sum(1 for row in (preview.result or {}).get("rows", ()) if row.get("row"))
    return job, rows


def discard(job: ImportJob) -> None:
    """Forget a job the request will not keep (it rolls back): remove its file now."""
    _remove_file(job.file_key)


def run_now(job: ImportJob) -> ImportJob:
    """Run a small job inside the request: its result (or refusal) is stored on the row and
    committed with the request; an apply's writes too."""
    content = (import_folder() / job.file_key).read_bytes()
    try:
        job.result = _execute(job, content)
        job.status = ImportStatus.DONE
    except services.ImportRefused as refused:
        job.result, job.status, job.error = refused.result, ImportStatus.FAILED, refused.message
    except AppError as error:
        job.status, job.error = ImportStatus.FAILED, error.message
    job.progress, job.finished_at = 100, utcnow()
    if not job.dry_run:
        after_commit(partial(_remove_file, job.file_key))
    return job


def queue_or_run(job: ImportJob, rows: int) -> ImportJob:
    """A job of a big file goes to the queue after the commit; a small one runs now."""
    if rows > background_rows():
        after_commit(partial(run_import_task, job.id))
        return job
    return run_now(job)


def _execute(job: ImportJob, content: bytes, progress=None) -> dict:
    owner = job.owner
    if job.dry_run:
        return services.run_import(owner, job.kind, content, dry_run=True, progress=progress)
    plan = services.plan_file(owner, job.kind, content, progress)
    if progress is not None:
        progress(None)
    return services.apply_plan(owner, job.kind, plan, job.deactivate_missing, job.id)


def get_job(actor: Person, job_id: str) -> ImportJob:
    """One of the organisation's import jobs, for its HR administrators only (its rows name
    the staff, with their e-mail). :raise NotFound: for any other, or anyone else."""
    job = db.session.scalar(sa.select(ImportJob).where(ImportJob.id == str(job_id),
                                                       ImportJob.org_id == actor.org_id))
    if job is None or not actor.has_role(Role.ADMIN):
        raise NotFound(_("Import not found."))
    return job


def recent_jobs(actor: Person, limit: int = 10) -> list[ImportJob]:
    """The organisation's latest imports, for the upload page."""
    return list(db.session.scalars(
        sa.select(ImportJob).where(ImportJob.org_id == actor.org_id)
        .order_by(ImportJob.created_at.desc()).limit(limit)))


def _publish(job_id: str, **values) -> None:
    """Commit a change to a job at once, for the progress bar (see exports' own)."""
    with unit_of_work():
        db.session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(**values))


def run_job(job_id: str) -> ImportJob | None:
    """Run a queued job: read and plan (progress committed as it goes), then for an apply
    write everything and finish the job in one transaction."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status != ImportStatus.QUEUED:
        return job
    _publish(job_id, status=ImportStatus.RUNNING, started_at=utcnow(), progress=1)
    total = max(1, services.count_rows((import_folder() / job.file_key).read_bytes()))

    def progress(rows):
        percent = PLANNED if rows is None else min(READ_SHARE, 1 + READ_SHARE * rows // total)
        _publish(job_id, progress=percent)

    key, dry_run = job.file_key, job.dry_run
    try:
        with unit_of_work(), force_locale(job.owner.locale
                                          or current_app.config["BABEL_DEFAULT_LOCALE"]):
            result = _execute(job, (import_folder() / key).read_bytes(), progress)
            db.session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(
                status=ImportStatus.DONE, progress=100, finished_at=utcnow(), result=result))
    except services.ImportRefused as refused:
        _publish(job_id, status=ImportStatus.FAILED, progress=100, finished_at=utcnow(),
                 result=refused.result, error=refused.message)
    except Exception as error:  # noqa: BLE001 - any failure is the job's, not the worker's
        logger.exception("Import %s failed", job_id)
        _publish(job_id, status=ImportStatus.FAILED, finished_at=utcnow(),
                 error=getattr(error, "message", None) or _("The import failed."))
    finally:
        if not dry_run:
            _remove_file(key)
    db.session.expire_all()
    return db.session.get(ImportJob, job_id)


@task(name="run_import")
def run_import_task(job_id: str):
    """The queue's side of :func:`run_job`."""
    run_job(job_id)


def purge_old_imports(now: datetime | None = None) -> int:
    """Remove jobs older than ``IMPORT_KEEP_DAYS`` with the files of previews never applied."""
    now = now or utcnow()
    days = int(current_app.config.get("IMPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS))
    with unit_of_work():
        old = list(db.session.scalars(sa.select(ImportJob).where(
            ImportJob.created_at < now - timedelta(days=days))))
        for job in old:
            after_commit(partial(_remove_file, job.file_key))
            db.session.delete(job)
    return len(old)


@periodic_task(crontab(minute="47", hour="*/6"), name="purge_imports")
def purge_imports_task():
    """Every six hours: old import jobs and their files go."""
    purge_old_imports()
