"""Exports built in the background (huey), with a job row that tells their progress.

``start_export`` checks access at once (a bad unit or person fails the request, not the
job), stores the job and, after the caller commits, :func:`enqueue` hands it to the queue.

The job row is the outbox: a job the queue could not take (Redis away) stays ``queued``, and
the worker's sweeper (:func:`requeue_waiting_exports`, every minute) hands every job queued
for longer than ``EXPORT_REQUEUE_AFTER`` seconds (default 60) to the queue again. A job runs
once however often it was sent: :func:`run_job` claims it from ``queued`` in one statement.
The task builds the document as its owner, writes it under ``EXPORT_FOLDER`` (default
``instance/exports``) and marks the job done; progress (0-100) is committed as it goes, so
``GET /api/v1/exports/<id>`` and the progress page can show it.
"""

import logging
import os
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab

from app.core.queue import periodic_task, task
from app.core.replica import reading_from_replica
from app.core.uow import after_commit, unit_of_work
from app.documents import monthly, recaps, services
from app.documents.formats import month_name
from app.documents.models import ExportJob, ExportKind, ExportStatus
from app.errors import NotFound
from app.extensions import db
from app.models import utcnow
from app.org.models import Person

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"

#: Direct downloads with more rows than this become background jobs.
DEFAULT_DIRECT_MAX_ROWS = 1500
#: Export jobs and their files are removed after this many days.
DEFAULT_KEEP_DAYS = 7


def export_folder() -> Path:
    folder = current_app.config.get("EXPORT_FOLDER") or os.path.join(
        current_app.instance_path, "exports")
    return Path(folder)


def direct_max_rows() -> int:
    return int(current_app.config.get("EXPORT_DIRECT_MAX_ROWS", DEFAULT_DIRECT_MAX_ROWS))


def _month(params: dict) -> date:
    return date.fromisoformat(params["month"][:7] + "-01")


def _day(params: dict, key: str) -> date:
    return date.fromisoformat(params[key])


# --- building a document, as its owner -------------------------------------------------------

def build(owner: Person, kind: ExportKind, params: dict, progress=None) -> tuple[bytes, str, str]:
    """(content, file name, content type) of an export; raises like the direct downloads."""
    progress = progress or (lambda percent: None)
    if kind in (ExportKind.MONTHLY_PDF, ExportKind.MONTHLY_XLSX):
        report = services.monthly_report(owner, params.get("person_id"), _month(params))
        report["place"] = params.get("place")
        progress(50)
        stem = f"laporan-bulanan-{report['person'].nip}-{params['month']}"
        if kind == ExportKind.MONTHLY_PDF:
            return monthly.render_monthly_pdf(report), f"{stem}.pdf", PDF
        return monthly.render_monthly_xlsx(report), f"{stem}.xlsx", XLSX
    if kind == ExportKind.TEAM_RECAP:
        recap = services.team_recap(owner, _month(params))
        progress(50)
        return (recaps.render_team_xlsx(recap, progress),
                f"rekap-tim-{owner.nip}-{params['month']}.xlsx", XLSX)
    if kind == ExportKind.UNIT_RECAP:
        recap = services.unit_recap(owner, params["unit_id"], _month(params), progress)
        return (recaps.render_unit_xlsx(recap, progress),
                f"rekap-unit-{recap['unit'].code}-{params['month']}.xlsx", XLSX)
    export = services.ekinerja_rows(owner, params.get("person_id"), _day(params, "from"),
                                    _day(params, "to"), bool(params.get("include_submitted")),
                                    params.get("base_url") or "http://localhost/")
    progress(60)
    stem = f"progres-harian-{export['person'].nip}-{params['from']}-{params['to']}"
    if kind == ExportKind.EKINERJA_CSV:
        return recaps.render_ekinerja_csv(export), f"{stem}.csv", CSV
    return recaps.render_ekinerja_xlsx(export), f"{stem}.xlsx", XLSX


def check_access(owner: Person, kind: ExportKind, params: dict) -> None:
    """Fail now, in the request, for a person or unit the owner may not export."""
    if kind == ExportKind.UNIT_RECAP:
        services.check_unit_access(owner, params["unit_id"])
    elif kind in (ExportKind.EKINERJA_XLSX, ExportKind.EKINERJA_CSV):
        services.reportable_person(owner, params.get("person_id"))
        services.check_range(_day(params, "from"), _day(params, "to"))
    elif kind != ExportKind.TEAM_RECAP:
        services.reportable_person(owner, params.get("person_id"))


def describe(job: ExportJob) -> str:
    """"Unit recap, November 2026" for lists and the progress page."""
    names = {
        ExportKind.MONTHLY_PDF: _("Monthly report (PDF)"),
        ExportKind.MONTHLY_XLSX: _("Monthly report (XLSX)"),
        ExportKind.TEAM_RECAP: _("Team recap (XLSX)"),
        ExportKind.UNIT_RECAP: _("Unit recap (XLSX)"),
        ExportKind.EKINERJA_XLSX: _("e-Kinerja daily progress (XLSX)"),
        ExportKind.EKINERJA_CSV: _("e-Kinerja daily progress (CSV)"),
    }
    name = names[job.kind]
    params = job.parameters or {}
    if params.get("month"):
        return f"{name}, {month_name(_month(params))}"
    if params.get("from"):
        return f"{name}, {params['from']} – {params['to']}"
    return name


# --- the job row -----------------------------------------------------------------------------

def start_export(owner: Person, kind: ExportKind | str, params: dict) -> ExportJob:
    """A queued job (flushed, not committed); call :func:`enqueue` after the commit."""
    kind = ExportKind(kind)
    check_access(owner, kind, params)
    job = ExportJob(org_id=owner.org_id, owner_id=owner.id, kind=kind, parameters=params,
                    status=ExportStatus.QUEUED, progress=0)
    db.session.add(job)
    db.session.flush()
    logger.info("Export %s (%s) queued for %s", job.id, kind.value, owner.id)
    return job


def get_job(actor: Person, job_id: str) -> ExportJob:
    """The caller's own job. :raise NotFound: for anyone else's, in any organisation."""
    job = db.session.scalar(sa.select(ExportJob).where(
        ExportJob.id == str(job_id), ExportJob.org_id == actor.org_id,
        ExportJob.owner_id == actor.id))
    if job is None:
        raise NotFound(_("Export not found."))
    return job


def recent_jobs(actor: Person, limit: int = 10) -> list[ExportJob]:
    return list(db.session.scalars(
        sa.select(ExportJob).where(ExportJob.org_id == actor.org_id,
                                   ExportJob.owner_id == actor.id)
        .order_by(ExportJob.created_at.desc()).limit(limit)))


def file_path(job: ExportJob) -> Path:
    return export_folder() / job.file_key


#: A queued job not started after this many seconds is handed to the queue again.
DEFAULT_REQUEUE_AFTER = 60


def enqueue(job_id: str) -> bool:
    """Hand a committed job to the queue; False when the queue is unreachable, which leaves
    the job ``queued`` for the sweeper (the caller's answer does not depend on the queue)."""
    try:
        run_export_task(job_id)
    except Exception:  # noqa: BLE001 - Redis or the queue file away: the outbox keeps the job
        logger.warning("The queue did not take export %s; the sweeper will retry", job_id,
                       exc_info=True)
        return False
    return True


def requeue_waiting_exports(now: datetime | None = None) -> int:
    """Send again every job still ``queued`` ``EXPORT_REQUEUE_AFTER`` seconds after it was
    made: its first sending failed, or the queue lost it. Returns how many were sent."""
    now = now or utcnow()
    wait = timedelta(seconds=int(current_app.config.get("EXPORT_REQUEUE_AFTER",
                                                        DEFAULT_REQUEUE_AFTER)))
    waiting = list(db.session.scalars(sa.select(ExportJob.id).where(
        ExportJob.status == ExportStatus.QUEUED, ExportJob.created_at < now - wait)))
    db.session.rollback()  # a task may run at once (immediate mode): leave it the session
    return sum(enqueue(job_id) for job_id in waiting)


@periodic_task(crontab(minute="*"), name="requeue_exports")
def requeue_exports_task():
    """Every minute: the outbox's sweep (idempotent: a job runs once however often sent)."""
    sent = requeue_waiting_exports()
    if sent:
        logger.info("%s waiting exports sent to the queue again", sent)


def _publish(job_id: str, **values) -> None:
    """Commit a change to a running job at once, in a unit of work of its own: the progress
    page and ``GET /api/v1/exports/<id>`` read the status and progress while the document
    is still being built, so a job commits each step rather than once at its end."""
    with unit_of_work():
        db.session.execute(sa.update(ExportJob).where(ExportJob.id == job_id).values(**values))


def _set_progress(job_id: str, percent: int, on_progress=None) -> None:
    _publish(job_id, progress=max(0, min(99, int(percent))))
    if on_progress is not None:
        on_progress(percent)


def _claim(job_id: str) -> bool:
    """Move the job from ``queued`` to ``running`` in one committed statement: of two
    workers given the same job, one gets it."""
    with unit_of_work():
        claimed = db.session.execute(
            sa.update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status == ExportStatus.QUEUED)
            .values(status=ExportStatus.RUNNING, started_at=utcnow(), progress=1)).rowcount
    return claimed == 1


def run_job(job_id: str, on_progress=None) -> ExportJob | None:
    """Build a queued job's document; a failure marks it failed with a short reason."""
    if not _claim(job_id):  # gone, or sent twice and run (or running) already
        return db.session.get(ExportJob, job_id)
    job = db.session.get(ExportJob, job_id)
    owner, kind, params, org_id = job.owner, job.kind, dict(job.parameters or {}), job.org_id
    # The replica may build it once it has replayed what was there when the job was asked.
    queued_at = job.created_at.replace(tzinfo=UTC).timestamp()
    try:
        with force_locale(owner.locale or current_app.config["BABEL_DEFAULT_LOCALE"]), \
                reading_from_replica(since=queued_at):
            content, filename, content_type = build(
                owner, kind, params, lambda percent: _set_progress(job_id, percent,
                                                                   on_progress))
        folder = export_folder() / str(org_id)
        folder.mkdir(parents=True, exist_ok=True)
        key = f"{org_id}/{job_id}{Path(filename).suffix}"
        (export_folder() / key).write_bytes(content)
    except Exception as error:  # noqa: BLE001 - any failure is the job's, not the worker's
        db.session.rollback()  # a failed build may leave a broken transaction behind
        logger.exception("Export %s failed", job_id)
        _publish(job_id, status=ExportStatus.FAILED, finished_at=utcnow(),
                 error=getattr(error, "message", None) or _("The export could not be made."))
        return db.session.get(ExportJob, job_id)
    _publish(job_id, status=ExportStatus.DONE, progress=100, finished_at=utcnow(),
             file_key=key, filename=filename, content_type=content_type, size=len(content))
    logger.info("Export %s done: %s bytes", job_id, len(content))
    return db.session.get(ExportJob, job_id)


@task(name="run_export")
def run_export_task(job_id: str):
    """The queue's side of :func:`run_job`."""
    run_job(job_id)


# --- housekeeping ----------------------------------------------------------------------------

#: A job still running after this long was interrupted (its worker stopped).
STALE_AFTER = timedelta(hours=1)


def purge_old_exports(now: datetime | None = None) -> int:
    """Remove jobs older than ``EXPORT_KEEP_DAYS`` (default 7) and their files; mark jobs
    that have been running for over an hour as failed, so nobody waits for them forever."""
    now = now or utcnow()
    days = int(current_app.config.get("EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS))
    cutoff = now - timedelta(days=days)
    with unit_of_work():
        db.session.execute(
            sa.update(ExportJob)
            .where(ExportJob.status == ExportStatus.RUNNING,
                   ExportJob.started_at < now - STALE_AFTER)
            .values(status=ExportStatus.FAILED, finished_at=now,
                    error=_("The export was interrupted. Please start it again.")))
        old = list(db.session.scalars(sa.select(ExportJob).where(ExportJob.created_at < cutoff)))
        for job in old:
            if job.file_key:
                after_commit(partial((export_folder() / job.file_key).unlink, missing_ok=True))
            db.session.delete(job)
    return len(old)


@periodic_task(crontab(minute="41", hour="*/6"), name="purge_exports")
def purge_exports_task():
    """Every six hours: old exports go (idempotent, so several schedulers do no harm)."""
    removed = purge_old_exports()
    if removed:
        logger.info("%s old exports removed", removed)
