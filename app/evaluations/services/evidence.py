"""Bukti dukung of a self-evaluation, per RHK: links, and photos or PDFs that
:mod:`app.core.uploads` checks, stores and serves as it does activity evidence."""

import uuid

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core import uploads
from app.errors import NotFound
from app.evaluations.models import Evaluation, EvaluationEvidence
from app.evaluations.services.common import (
    bump,
    get_evaluation,
    may_read,
    record,
    require_own_draft,
    rows_by_rhk,
)
from app.extensions import db
from app.org.models import Person


def add_evidence(actor: Person, evaluation_id: int, *, rhk_id: int, url: str,
                 label: str = "") -> EvaluationEvidence:
    """A link as bukti dukung of one RHK (drafts only)."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_own_draft(actor, evaluation, None)
    rows_by_rhk(evaluation, [{"rhk_id": rhk_id}], field="evidence")
    item = EvaluationEvidence(rhk_id=rhk_id, url=url, label=label or "")
    evaluation.evidence.append(item)
    db.session.flush()
    bump(evaluation)
    record(actor, evaluation, "evidence_add", {"rhk_id": rhk_id, "url": url})
    return item


def add_evidence_file(actor: Person, evaluation_id: int, *, rhk_id: int, stream,
                      filename: str | None, label: str = "") -> EvaluationEvidence:
    """A photo or PDF as bukti dukung of one RHK, checked by its bytes as activity evidence
    is. :raise uploads.TooLarge: beyond EVIDENCE_MAX_BYTES; :raise uploads.UnsupportedType:
    unless a JPEG, PNG, WebP or PDF."""
    evaluation = get_evaluation(actor, evaluation_id)
    require_own_draft(actor, evaluation, None)
    rows_by_rhk(evaluation, [{"rhk_id": rhk_id}], field="evidence")
    upload = uploads.read(stream, filename)
    item = EvaluationEvidence(rhk_id=rhk_id, label=label or "",
                              **uploads.store(upload, uuid.uuid4().hex, prefix="evaluations/"))
    evaluation.evidence.append(item)
    db.session.flush()
    bump(evaluation)
    record(actor, evaluation, "evidence_add", {"rhk_id": rhk_id, "filename": item.filename,
                                               "sha256": item.sha256})
    return item


def get_evidence(actor: Person, evidence_id: int) -> EvaluationEvidence:
    """:raise NotFound: unless ``actor`` may read the evaluation it belongs to."""
    item = db.session.scalar(
        sa.select(EvaluationEvidence).join(Evaluation)
        .where(EvaluationEvidence.id == evidence_id, Evaluation.org_id == actor.org_id))
    if item is None or not may_read(actor, item.evaluation.person):
        raise NotFound(_("Evidence not found."))
    return item


def delete_evidence(actor: Person, evidence_id: int) -> Evaluation:
    """Remove evidence from ``actor``'s draft; its file is deleted once this is committed."""
    item = get_evidence(actor, evidence_id)
    if item.evaluation.person_id != actor.id:
        raise NotFound(_("Evidence not found."))
    evaluation = item.evaluation
    require_own_draft(actor, evaluation, None)
    uploads.remove_after_commit(item.storage_key)
    evaluation.evidence.remove(item)
    db.session.flush()
    bump(evaluation)
    record(actor, evaluation, "evidence_delete", {"rhk_id": item.rhk_id, "url": item.url,
                                                  "filename": item.filename})
    return evaluation
