"""/api/v1: comment threads, the team view, acting supervisors and continuous feedback."""

from flask_login import current_user
from flask_smorest import Blueprint

from app.core.schemas import ErrorEnvelope
from app.extensions import db
from app.feedback import services
from app.feedback.schemas import CommentIn, CommentOut

blp = Blueprint("feedback_api", __name__, url_prefix="", description="Review and feedback")


@blp.get("/activities/<activity_id>/comments")
@blp.response(200, CommentOut(many=True))
@blp.alt_response(404, schema=ErrorEnvelope, description="Not the owner nor a reviewer")
def list_comments(activity_id):
    """The activity's thread, oldest first (its owner and those who may review it)."""
    return services.comments_of(current_user, activity_id)


@blp.post("/activities/<activity_id>/comments")
@blp.arguments(CommentIn)
@blp.response(201, CommentOut)
@blp.alt_response(404, schema=ErrorEnvelope, description="Not the owner nor a reviewer")
def add_comment(args, activity_id):
    """Comment on an activity; the other side is notified (stream and push)."""
    comment = services.add_comment(current_user, activity_id, **args)
    db.session.commit()
    return comment
