"""Review pages: the reply form of an activity's thread, the team view (Tim), continuous
feedback. They call the same services as the API."""

from flask import Blueprint, flash, redirect, url_for
from flask import request as http_request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.errors import AppError, flatten_messages
from app.extensions import db
from app.feedback import services
from app.feedback.schemas import CommentIn

bp = Blueprint("feedback", __name__)


@bp.post("/aktivitas/<activity_id>/komentar")
def comment(activity_id):
    """Add to the thread, then back to the activity; on error the typed text stays."""
    from app.activities.views import render_detail

    body = http_request.form.get("body") or ""
    if not body.strip():
        return render_detail(activity_id, comment=body, status=422,
                             comment_error=_("Write your feedback first."))
    try:
        args = CommentIn().load({"body": body})
        services.add_comment(current_user, activity_id, **args)
    except ValidationError as error:
        message = next(iter(flatten_messages(error.messages).values()), None)
        return render_detail(activity_id, comment=body, status=422,
                             comment_error=message or _("Write your feedback first."))
    except AppError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        message = error.message or next(iter(error.fields.values()), None)
        return render_detail(activity_id, comment=body, comment_error=message,
                             status=error.status)
    db.session.commit()
    flash(_("Feedback sent."), "success")
    return redirect(url_for("activities.detail", activity_id=activity_id, _anchor="comments"),
                    303)
