"""Uploaded files (bukti dukung): checked by their bytes, stored under a server-made name and
served so that they never run in the app's own context.

Files live outside ``static/``, in ``EVIDENCE_FOLDER`` (default ``instance/evidence``); the
person's own file name is only shown. Config: ``EVIDENCE_FOLDER`` (path),
``EVIDENCE_MAX_BYTES`` (default 5 MB).

The folder follows the database transaction (:mod:`app.core.uow`): a file :func:`store`
writes is deleted again when its transaction rolls back or ends without a commit, and a file
given to :func:`remove_after_commit` is deleted only once the transaction commits. A request
that fails thus neither leaves a file no row names nor loses the file of a row it kept.
"""

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import filetype
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, send_file
from flask_babel import gettext as _

from app.errors import AppError
from app.extensions import db

logger = logging.getLogger(__name__)

#: What may be uploaded, by the type its bytes show, with the extension it is stored under.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: The OpenAPI answer of an endpoint that sends a stored file (``@blp.doc(**DOWNLOAD_DOC)``).
DOWNLOAD_DOC = {"responses": {"200": {
    "description": "The stored file, as a download",
    "content": {mime: {"schema": {"type": "string", "format": "binary"}}
                for mime in ALLOWED_TYPES}}}}
#: Keys of ``session.info``: files written, and files to delete, by the open transaction.
_WRITTEN, _DOOMED = "kinerjaku_uploads_written", "kinerjaku_uploads_doomed"


class TooLarge(AppError):
    status, code = 413, "payload_too_large"


class UnsupportedType(AppError):
    status, code = 415, "unsupported_media_type"


class Stored(Protocol):
    """A row that names a stored file (activity evidence, evaluation evidence)."""

    storage_key: str | None
    content_type: str | None
    filename: str | None
    sha256: str | None


@dataclass(frozen=True)
class Upload:
    """An uploaded file whose bytes passed the checks, not yet stored."""

    data: bytes
    content_type: str
    filename: str

    @property
    def extension(self) -> str:
        return ALLOWED_TYPES[self.content_type]


def folder() -> Path:
    return Path(current_app.config.get("EVIDENCE_FOLDER") or os.path.join(
        current_app.instance_path, "evidence"))


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def read(stream, filename: str | None) -> Upload:
    """Read a multipart file part, at most ``EVIDENCE_MAX_BYTES`` of it.

    :raise TooLarge: beyond the limit; :raise UnsupportedType: unless the bytes are JPEG,
        PNG, WebP or PDF, whatever the name or the declared type say.
    """
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(_("The file is larger than %(size)s MB.",
                         size=f"{limit / 1024 / 1024:g}"))
    kind = filetype.guess(data[:8192]) if data else None
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise UnsupportedType(_("Upload a photo (JPEG, PNG, WebP) or a PDF."))
    return Upload(data, kind.mime, display_name(filename, ALLOWED_TYPES[kind.mime]))


def display_name(filename: str | None, extension: str) -> str:
    """The person's file name for display and download: no folders, no control characters,
    bounded, and ending in the extension of the type its bytes showed (``laporan.html``
    holding a PDF is ``laporan.pdf``), so that no saved copy opens as something else."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:200]
    return f"{stem or 'bukti'}.{extension}"


def store(upload: Upload, name: str, *, prefix: str = "") -> dict:
    """Write ``upload`` as ``<prefix><name[:2]>/<name>.<extension>``, to be deleted again
    unless the open transaction commits.

    Returns the columns that describe the stored file: ``filename``, ``content_type``,
    ``size``, ``storage_key`` and ``sha256``.
    """
    key = f"{prefix}{name[:2]}/{name}.{upload.extension}"
    path = folder() / key
    _write(path, upload.data)
    db.session.info.setdefault(_WRITTEN, []).append(path)
    return {"filename": upload.filename, "content_type": upload.content_type,
            "size": len(upload.data), "storage_key": key,
            "sha256": hashlib.sha256(upload.data).hexdigest()}


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


def remove_after_commit(storage_key: str | None) -> None:
    """Delete a stored file once the transaction that drops its row commits."""
    if storage_key:
        db.session.info.setdefault(_DOOMED, []).append(folder() / storage_key)


def _delete(paths) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # the rows are settled already; a stray file only takes space
            logger.exception("Could not delete the stored file %s", path)


@sa.event.listens_for(so.Session, "after_commit")
def _settle_after_commit(session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete(session.info.pop(_DOOMED, ()))


@sa.event.listens_for(so.Session, "after_transaction_end")
def _undo_without_commit(session, transaction) -> None:
    """The outermost transaction ended without a commit (rolled back or closed): its rows
    are gone, so are the files written for them, and the files to delete stay."""
    if transaction.parent is None:
        session.info.pop(_DOOMED, None)
        _delete(session.info.pop(_WRITTEN, ()))


def send(stored: Stored):
    """Answer a stored file as a download (an ``<img>`` still shows a photo), under a name
    whose extension matches its checked type (also for names stored before that rule),
    never sniffed or rendered in the app's context (``nosniff``, ``sandbox``).

    :raise AppError: 404 when the row is a link rather than a file.
    """
    if stored.storage_key is None:
        raise AppError(_("This evidence is a link; open its url."), status=404,
                       code="not_found")
    name = display_name(stored.filename, ALLOWED_TYPES[stored.content_type])
    response = send_file(folder() / stored.storage_key, mimetype=stored.content_type,
                         as_attachment=True, download_name=name,
                         conditional=True, etag=stored.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
