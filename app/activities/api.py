"""/api/v1/activities: the daily log, its evidence, templates and the offline batch.

Lists are paginated with ``page`` and ``per_page``; the answer is the page's items and the
headers ``X-Total-Count``, ``X-Page`` and ``X-Per-Page``.
"""

import json

import orjson
from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from app.activities import deadlines, evidence, services
from app.activities.schemas import (
    ActivityApproveIn,
    ActivityBatchIn,
    ActivityBatchOut,
    ActivityCreateIn,
    ActivityDateArgs,
    ActivityDeadlineOut,
    ActivityDefaultsOut,
    ActivityHistoryOut,
    ActivityListArgs,
    ActivityOut,
    ActivityRepeatIn,
    ActivityReturnIn,
    ActivityTemplateIn,
    ActivityTemplateOut,
    ActivityUpdateIn,
    ActivityVersionIn,
    ActivityWithWarnings,
    AttachmentOut,
    EvidenceLinkIn,
    activity_out,
)
from app.activities.services import withdraw
from app.core import uploads
from app.core.blueprint import Blueprint
from app.errors import AppError
from app.extensions import db
from app.models import utcnow

#: How an evidence upload is refused (here and for evaluations).
UPLOAD_ERRORS = {413: "Beyond EVIDENCE_MAX_BYTES", 415: "Not a JPEG, PNG, WebP or PDF"}

blp = Blueprint("activities_api", __name__, url_prefix="", description="Daily activities",
                error_descriptions={404: "Not found or not visible",
                                    422: "Invalid, or the period is locked", **UPLOAD_ERRORS})


@blp.get("/activities")
@blp.arguments(ActivityListArgs, location="query")
@blp.response(200, ActivityOut(many=True), headers={
    "X-Total-Count": {"description": "Activities matching, over all pages",
                      "schema": {"type": "integer"}}})
@blp.errors(404, descriptions={404: "person_id not in the caller's line"})
def list_activities(args):
    """One person's activities, newest first (default: the caller's own).

    ``person_id`` may name someone in the caller's reporting line (admins and pimpinan:
    anyone in their organisation).
    """
    page_number, per_page = args.pop("page"), args.pop("per_page")
    query = services.list_activities(current_user, **args)
    page = db.paginate(query, page=page_number, per_page=per_page, error_out=False)
    headers = {"X-Total-Count": str(page.total), "X-Page": str(page_number),
               "X-Per-Page": str(per_page)}
    return page.items, 200, headers


@blp.post("/activities")
@blp.arguments(ActivityCreateIn())  # an instance: not built again per request
@blp.response(201, ActivityWithWarnings, description="Created")
@blp.alt_response(200, schema=ActivityWithWarnings, description="The id existed: a replay")
@blp.errors(409, 422, descriptions={409: "The id is someone else's"})
def create_activity(args):
    """Log an activity for the caller; overlapping times come back as ``warnings``.

    A client-generated ``id`` makes the create idempotent: the first request answers 201,
    any repeat 200 with the stored activity, never a duplicate. ``status: "submitted"`` also
    submits it.
    """
    # The person itself, not the proxy: the create reads its attributes a dozen times.
    saved = services.create_activity(current_user._get_current_object(), alone=True, **args)
    if saved.created and not saved.activity.__dict__.get("attachments", True):
        # The common case, answered without the schema's dump (the same document).
        return current_app.response_class(
            json.dumps(activity_out(saved.activity, saved.warnings), separators=(",", ":")),
            status=201, mimetype="application/json")
    return saved, 201 if saved.created else 200


@blp.post("/activities/batch")
@blp.arguments(ActivityBatchIn())
@blp.response(200, ActivityBatchOut)
def batch(args):
    """Apply many queued writes (an offline outbox) in one request and one transaction.

    Entries run in order, each in its own savepoint, and each gets a result: created,
    existing, updated, submitted, conflict (with ``error.current``), invalid, locked,
    not_found or forbidden, with the status a single request would have had.
    """
    results = services.apply_batch(current_user._get_current_object(), args["entries"])
    # The results are in their answered form already (the schema's dump of a hundred nested
    # results would cost more than applying them); the schema documents the answer. orjson
    # encodes them several times faster than the app's JSON provider, which still decides
    # for anything beyond plain JSON values.
    return current_app.response_class(
        orjson.dumps({"results": results}, default=current_app.json.default,
                     option=orjson.OPT_PASSTHROUGH_DATETIME),
        mimetype="application/json")


@blp.get("/activities/defaults")
@blp.arguments(ActivityDateArgs, location="query")
@blp.response(200, ActivityDefaultsOut)
def form_defaults(args):
    """For the form: the start time (end of that day's last activity) and recent descriptions."""
    return services.form_defaults(current_user, on_date=args.get("date"))


@blp.get("/activities/deadline")
@blp.arguments(ActivityDateArgs, location="query")
@blp.response(200, ActivityDeadlineOut)
def deadline(args):
    """When a day's log turns late and when its month locks, with the time left."""
    now = utcnow()
    on_date = args.get("date") or deadlines.local_today(current_user, now)
    return deadlines.summary(current_user, on_date, now)


@blp.get("/activities/<activity_id>")
@blp.response(200, ActivityOut)
@blp.errors(404)
def get_activity(activity_id):
    return services.get_activity(current_user, activity_id)


@blp.patch("/activities/<activity_id>")
@blp.arguments(ActivityUpdateIn())
@blp.response(200, ActivityWithWarnings)
@blp.errors(409, 422, descriptions={409: "Stale version (error.current holds the server's "
                                         "copy) or not editable (submitted, approved)"})
def update_activity(args, activity_id):
    """Edit a draft or returned activity; ``version`` is the one the edit is based on.

    A replay of an edit that was applied gets 409 whose ``error.current`` holds the values
    it sent: the client may then drop it from its outbox.
    """
    version = args.pop("version")
    saved = services.update_activity(current_user, activity_id, version=version, **args)
    return saved


@blp.get("/activities/<activity_id>/history")
@blp.response(200, ActivityHistoryOut(many=True))
@blp.errors(404)
def history(activity_id):
    """Who created, changed, submitted, approved or returned it, and when (audit trail)."""
    return services.history(current_user, activity_id)


@blp.post("/activities/<activity_id>/submit")
@blp.arguments(ActivityVersionIn)
@blp.response(200, ActivityOut)
def submit(args, activity_id):
    """Send a draft or returned activity to the supervisor (the owner only)."""
    activity = services.submit_activity(current_user, activity_id, **args)
    return activity


@blp.post("/activities/<activity_id>/withdraw")
@blp.arguments(ActivityVersionIn)
@blp.response(200, ActivityOut)
@blp.errors(403, 404, 409)
def withdraw_activity(args, activity_id):
    """Bring a submitted activity nobody reviewed back to a draft (the owner only; audited)."""
    return withdraw.withdraw(current_user, activity_id, **args)


@blp.delete("/activities/<activity_id>")
@blp.arguments(ActivityVersionIn, location="query")
@blp.response(204)
@blp.errors(403, 404, 409)
def delete_draft(args, activity_id):
    """Delete a draft (the owner only; its audit chain keeps a "delete" entry)."""
    withdraw.delete_draft(current_user, activity_id, **args)


@blp.post("/activities/<activity_id>/approve")
@blp.arguments(ActivityApproveIn)
@blp.response(200, ActivityOut)
def approve(args, activity_id):
    """Approve a submitted activity (a supervisor above the owner in the reporting line),
    with an optional quality mark (1-4) for the Kualitas aspect."""
    activity = services.approve_activity(current_user, activity_id, **args)
    return activity


@blp.post("/activities/<activity_id>/return")
@blp.arguments(ActivityReturnIn)
@blp.response(200, ActivityOut)
def return_(args, activity_id):
    """Return a submitted activity for revision, with a reason."""
    activity = services.return_activity(current_user, activity_id, **args)
    return activity


@blp.post("/activities/<activity_id>/repeat")
@blp.arguments(ActivityRepeatIn)
@blp.response(201, ActivityWithWarnings)
@blp.alt_response(200, schema=ActivityWithWarnings, description="The id existed: a replay")
def repeat(args, activity_id):
    """A new draft copying one of the caller's activities onto ``date`` (default today)."""
    saved = services.repeat_activity(current_user, activity_id, on_date=args.get("date"),
                                     start_time=args.get("start_time"),
                                     end_time=args.get("end_time"), new_id=args.get("id"))
    return saved, 201 if saved.created else 200


@blp.get("/activities/<activity_id>/attachments")
@blp.response(200, AttachmentOut(many=True))
def list_attachments(activity_id):
    return services.get_activity(current_user, activity_id).attachments


@blp.post("/activities/<activity_id>/attachments")
@blp.response(201, AttachmentOut)
@blp.errors(413, 415)
@blp.doc(requestBody={"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"},
        "id": {"type": "string", "format": "uuid",
               "description": "Client-generated; a repeated upload answers 200 with the "
                              "stored evidence instead of storing it twice"}}}},
    "application/json": {"schema": {"type": "object", "required": ["url"], "properties": {
        "url": {"type": "string", "format": "uri"}, "filename": {"type": "string"}}}}}})
def add_attachment(activity_id):
    """Add evidence: a multipart ``file`` (photo or PDF, checked by its content) or a JSON
    ``{"url": "https://..."}`` link."""
    upload = request.files.get("file")
    if upload is not None:
        attachment = evidence.add_file(current_user, activity_id, stream=upload.stream,
                                       filename=upload.filename,
                                       attachment_id=request.form.get("id") or None)
        if getattr(attachment, "replayed", False):
            return attachment, 200
    elif request.is_json:
        args = EvidenceLinkIn().load(request.get_json())
        attachment = evidence.add_link(current_user, activity_id, **args)
    else:
        raise AppError(_("Send a file (multipart field \"file\") or a JSON link."),
                       status=422, code="invalid", fields={"file": _("This field is "
                                                                     "required.")})
    return attachment


@blp.get("/attachments/<attachment_id>")
@blp.alt_response(200, description="The file")
@blp.errors(404)
@blp.doc(**uploads.DOWNLOAD_DOC)
def download_attachment(attachment_id):
    """The evidence file, as a download, for those who may see its activity."""
    return uploads.send(evidence.get_attachment(current_user, attachment_id))


@blp.delete("/attachments/<attachment_id>")
@blp.response(204)
def delete_attachment(attachment_id):
    """Remove evidence from a draft or returned activity (the owner only)."""
    evidence.delete_attachment(current_user, attachment_id)


@blp.get("/activity-templates")
@blp.response(200, ActivityTemplateOut(many=True))
def list_templates():
    """The caller's own templates of frequent activities."""
    return services.list_templates(current_user)


@blp.post("/activity-templates")
@blp.arguments(ActivityTemplateIn)
@blp.response(201, ActivityTemplateOut)
def create_template(args):
    template = services.create_template(current_user, **args)
    return template


@blp.delete("/activity-templates/<int:template_id>")
@blp.response(204)
def delete_template(template_id):
    services.delete_template(current_user, template_id)
