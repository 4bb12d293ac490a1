"""Evidence (bukti dukung) of an activity: photos and PDFs, and links.

Files are read, checked, stored and served by :mod:`app.core.uploads`; this module decides
who may attach or remove evidence and when. They are served only to those who may see the
activity (``api.download_attachment``).
"""

import logging
import uuid

from flask_babel import gettext as _

from app.activities import services
from app.activities.models import ActivityStatus, Attachment, AttachmentKind
from app.audit import services as audit
from app.core import uploads
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.models import Person

logger = logging.getLogger(__name__)

#: Evidence can be added while the activity is open or awaiting review, not once approved.
ATTACHABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.RETURNED,
                        ActivityStatus.SUBMITTED})
REMOVABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.RETURNED})


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
        raise Conflict(_("This identifier is already in use."))
    return attachment


def add_file(actor: Person, activity_id, *, stream, filename: str | None,
             now=None, attachment_id: str | None = None) -> Attachment:
    """Store an uploaded photo or PDF for an activity of ``actor``'s.

    ``attachment_id`` (a client UUID) makes the upload idempotent, as activity ids make
    creates: the phone's outbox may send the same photo again after a lost answer.

    :raise uploads.TooLarge: beyond ``EVIDENCE_MAX_BYTES``; :raise uploads.UnsupportedType:
        unless the bytes are JPEG, PNG, WebP or PDF, whatever the name or the type say.
    """
    if attachment_id is not None:
        replayed = existing_attachment(actor, activity_id, attachment_id)
        if replayed is not None:
            replayed.replayed = True
            return replayed
    activity = _attachable(actor, activity_id, now=now)
    upload = uploads.read(stream, filename)
    attachment_id = services.normalise_id(attachment_id) or str(uuid.uuid4())
    attachment = Attachment(id=attachment_id, activity=activity, kind=AttachmentKind.FILE,
                            **uploads.store(upload, attachment_id))
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


def get_attachment(actor: Person, attachment_id) -> Attachment:
    """:raise NotFound: unless ``actor`` may see the activity it belongs to."""
    key = services.normalise_id(attachment_id)
    attachment = key and db.session.get(Attachment, key)
    if not attachment:
        raise NotFound(_("Evidence not found."))
    services.get_activity(actor, attachment.activity_id)  # 404 unless visible
    return attachment


def delete_attachment(actor: Person, attachment_id, *, now=None) -> None:
    """Remove evidence from a draft or returned activity of ``actor``'s.

    The file is deleted once this is committed, so a rolled-back request never loses it.
    """
    attachment = get_attachment(actor, attachment_id)
    activity = services.get_own_activity(actor, attachment.activity_id)
    if activity.status not in REMOVABLE:
        raise Conflict(_("Evidence of a submitted or approved activity cannot be removed."),
                       code="not_editable")
    services.check_open(actor, activity.date, now or utcnow())
    uploads.remove_after_commit(attachment.storage_key)
    activity.attachments.remove(attachment)
    db.session.flush()
    audit.record(activity.org_id, activity.person_id, actor.id, "activity", activity.id,
                 "detach", {"attachment_id": attachment.id})
