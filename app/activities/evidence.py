"""Evidence (bukti dukung): photos and PDFs checked by their content, and links.

Files are stored outside ``static/``, in ``EVIDENCE_FOLDER`` (default ``instance/evidence``),
under a name the server makes up; the person's own file name is only shown. They are served
only to those who may see the activity, never rendered in the app's own context (see
``api.download_attachment``: ``nosniff`` and ``Content-Security-Policy: sandbox``).

Config: ``EVIDENCE_FOLDER`` (path), ``EVIDENCE_MAX_BYTES`` (default 5 MB).
"""

import hashlib
import logging
import os
import tempfile
import uuid
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

from app.activities import services
from app.activities.models import ActivityStatus, Attachment, AttachmentKind
from app.audit import services as audit
from app.errors import AppError, Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import Person

logger = logging.getLogger(__name__)

#: What may be uploaded, by the type its bytes show, with the extension it is stored under.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Evidence can be added while the activity is open or awaiting review, not once approved.
ATTACHABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.RETURNED,
                        ActivityStatus.SUBMITTED})
REMOVABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.RETURNED})


class TooLarge(AppError):
    status, code = 413, "payload_too_large"


class UnsupportedType(AppError):
    status, code = 415, "unsupported_media_type"


def evidence_folder() -> Path:
    folder = current_app.config.get("EVIDENCE_FOLDER") or os.path.join(
        current_app.instance_path, "evidence")
    return Path(folder)


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def file_path(attachment: Attachment) -> Path:
    return evidence_folder() / attachment.storage_key


def _attachable(actor: Person, activity_id, *, now=None):
    activity = services.get_own_activity(actor, activity_id)
    if activity.status not in ATTACHABLE:
        raise Conflict(_("Approved activities cannot be changed."), code="not_editable")
    services.check_open(actor, activity.date, now or utcnow())
    return activity


def existing_attachment(actor: Person, activity_id, attachment_id) -> Attachment | None:
    """The stored attachment a client's id names, for a replayed upload.

    :raise Conflict: when the id is taken by evidence of another activity.
    """
    key = services.normalise_id(attachment_id)
    if key is None:
        raise ValidationFailed(fields={"id": _("Enter a valid identifier (UUID).")})
    attachment = db.session.get(Attachment, key)
    if attachment is None:
        return None
    activity = services.get_own_activity(actor, activity_id, for_update=False)
    if attachment.activity_id != activity.id:
        raise Conflict(_("This identifier is already in use."), code="id_in_use")
    return attachment


def add_file(actor: Person, activity_id, *, stream, filename: str | None,
             now=None, attachment_id: str | None = None) -> Attachment:
    """Store an uploaded photo or PDF for an activity of ``actor``'s.

    ``attachment_id`` (a client UUID) makes the upload idempotent, as activity ids make
    creates: the phone's outbox may send the same photo again after a lost answer.

    :raise TooLarge: beyond ``EVIDENCE_MAX_BYTES``; :raise UnsupportedType: unless the
        bytes are JPEG, PNG, WebP or PDF, whatever the name or the declared type say.
    """
    if attachment_id is not None:
        replayed = existing_attachment(actor, activity_id, attachment_id)
        if replayed is not None:
            replayed.replayed = True
            return replayed
    activity = _attachable(actor, activity_id, now=now)
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(_("The file is larger than %(size)s MB.",
                         size=f"{limit / 1024 / 1024:g}"))
    kind = filetype.guess(data[:8192]) if data else None
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise UnsupportedType(_("Upload a photo (JPEG, PNG, WebP) or a PDF."))
    attachment_id = services.normalise_id(attachment_id) or str(uuid.uuid4())
    key = f"{attachment_id[:2]}/{attachment_id}.{ALLOWED_TYPES[kind.mime]}"
    _write(evidence_folder() / key, data)
    attachment = Attachment(
        id=attachment_id, activity=activity, kind=AttachmentKind.FILE,
        filename=_display_name(filename, ALLOWED_TYPES[kind.mime]), content_type=kind.mime,
        size=len(data), storage_key=key, sha256=hashlib.sha256(data).hexdigest())
    db.session.add(attachment)
    db.session.flush()
    audit.record(activity.org_id, activity.person_id, actor.id, "activity", activity.id,
                 "attach", {"attachment_id": attachment.id, "filename": attachment.filename,
                  "sha256": attachment.sha256})
    logger.info("Evidence %s added to activity %s", attachment.id, activity.id)
    return attachment


def add_link(actor: Person, activity_id, *, url: str, filename: str | None = None,
             now=None) -> Attachment:
    """Attach a link (http or https; the schema checks the scheme)."""
    activity = _attachable(actor, activity_id, now=now)
    attachment = Attachment(activity=activity, kind=AttachmentKind.LINK, url=url,
                            filename=filename or None)
    db.session.add(attachment)
    db.session.flush()
    audit.record(activity.org_id, activity.person_id, actor.id, "activity", activity.id,
                 "attach", {"attachment_id": attachment.id, "url": url})
    return attachment


def _display_name(filename: str | None, extension: str) -> str:
    """The person's file name for display: no folders, no control characters, bounded."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:200]
    return name or f"bukti.{extension}"


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def get_attachment(actor: Person, attachment_id) -> Attachment:
    """:raise NotFound: unless ``actor`` may see the activity it belongs to."""
    key = services.normalise_id(attachment_id)
    attachment = key and db.session.get(Attachment, key)
    if not attachment:
        raise NotFound(_("Evidence not found."))
    services.get_activity(actor, attachment.activity_id)  # 404 unless visible
    return attachment


def delete_attachment(actor: Person, attachment_id, *, now=None) -> str | None:
    """Remove evidence from a draft or returned activity of ``actor``'s.

    Returns the storage key of the file, for the caller to remove after committing
    (:func:`remove_file`), so a rolled-back request never loses a file.
    """
    attachment = get_attachment(actor, attachment_id)
    activity = services.get_own_activity(actor, attachment.activity_id)
    if activity.status not in REMOVABLE:
        raise Conflict(_("Evidence of a submitted or approved activity cannot be removed."),
                       code="not_editable")
    services.check_open(actor, activity.date, now or utcnow())
    key = attachment.storage_key
    activity.attachments.remove(attachment)
    db.session.flush()
    audit.record(activity.org_id, activity.person_id, actor.id, "activity", activity.id,
                 "detach", {"attachment_id": attachment.id})
    return key


def remove_file(storage_key: str | None) -> None:
    if storage_key:
        (evidence_folder() / storage_key).unlink(missing_ok=True)
