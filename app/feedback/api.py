"""/api/v1: comment threads, the team view and continuous feedback."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.blueprint import Blueprint
from app.core.security import requires_role
from app.feedback import services, team
from app.feedback.schemas import (
    ApproveDayIn,
    ApproveDayOut,
    CommentIn,
    CommentOut,
    FeedbackArgs,
    FeedbackIn,
    FeedbackOut,
    OwnCommentsArgs,
    ReviewPolicyIn,
    ReviewPolicyOut,
    TeamArgs,
    TeamOut,
)
from app.org.models import Role

#: Who may change what these endpoints change (checked before the body is read).
POLICY_ADMINS_ONLY = _l("Only an HR administrator can change the review policy.")

blp = Blueprint("feedback_api", __name__, url_prefix="", description="Review and feedback",
                error_descriptions={403: "Not an HR administrator",
                                    404: "Not someone the caller reviews",
                                    409: "The id is someone else's"})

#: Who may read an activity's comments and write in them.
THREAD = {404: "Not the owner nor a reviewer"}


@blp.get("/activities/<activity_id>/comments")
@blp.response(200, CommentOut(many=True))
@blp.errors(404, descriptions=THREAD)
def list_comments(activity_id):
    """The activity's thread, oldest first (its owner and those who may review it)."""
    return services.comments_of(current_user, activity_id)


@blp.get("/comments")
@blp.arguments(OwnCommentsArgs, location="query")
@blp.response(200, CommentOut(many=True))
def own_comments(args):
    """Comments on the caller's own activities since a date (the phone's offline copy)."""
    return services.comments_on_own_activities(current_user, args["since"])


@blp.post("/activities/<activity_id>/comments")
@blp.arguments(CommentIn)
@blp.response(201, CommentOut)
@blp.alt_response(200, schema=CommentOut, description="The id existed: a replay")
@blp.errors(404, 409, descriptions=THREAD)
def add_comment(args, activity_id):
    """Comment on an activity; the other side is notified (stream and push).

    A client-generated ``id`` makes it idempotent, for comments written offline."""
    comment = services.add_comment(current_user, activity_id, **args)
    return comment, 200 if getattr(comment, "replayed", False) else 201


@blp.get("/team")
@blp.arguments(TeamArgs, location="query")
@blp.response(200, TeamOut)
def team_view(args):
    """The people the caller reviews (their line, and as Plt/Plh), each with activities of
    ``date`` and/or ``status`` (default: today) and ``logged_today`` (their local date)."""
    return team.team(current_user, on_date=args.get("date"), status=args.get("status"),
                     person_id=args.get("person_id"))


@blp.post("/team/approve-day")
@blp.arguments(ApproveDayIn)
@blp.response(200, ApproveDayOut)
@blp.errors(404)
def approve_day(args):
    """Approve all of a person's submitted activities of one date, in one transaction."""
    approved = team.approve_day(current_user, args["person_id"], args["date"])
    return {"person_id": args["person_id"], "date": args["date"], "approved": approved}


@blp.get("/people/<int:person_id>/feedback")
@blp.arguments(FeedbackArgs, location="query")
@blp.response(200, FeedbackOut(many=True))
@blp.errors(404, descriptions={404: "Not the person nor their reviewer"})
def list_feedback(args, person_id):
    """Continuous feedback on the person's SKP of ``year`` (default: this year), oldest first."""
    return services.feedback_for(current_user, person_id, year=args.get("year"))["items"]


@blp.post("/people/<int:person_id>/feedback")
@blp.arguments(FeedbackIn)
@blp.response(201, FeedbackOut)
@blp.errors(404)
def give_feedback(args, person_id):
    """Feedback on one RHK (``rhk_id``) or one BerAKHLAK ``value`` of the person's SKP; the
    person is notified."""
    item = services.give_feedback(current_user, person_id, **args)
    return item


@blp.get("/review-policy")
@blp.response(200, ReviewPolicyOut)
def get_review_policy():
    """The organisation's automatic acceptance rule (off unless set)."""
    policy = services.review_policy(current_user.org_id)
    return {"auto_accept_after_working_days": policy.auto_accept_after_working_days
            if policy else None}


@blp.put("/review-policy")
@requires_role(Role.ADMIN, message=POLICY_ADMINS_ONLY)
@blp.arguments(ReviewPolicyIn)
@blp.response(200, ReviewPolicyOut)
@blp.errors(403)
def put_review_policy(args):
    """Accept activities not reviewed within N working days (HR administrators; null: off)."""
    policy = services.set_review_policy(current_user, **args)
    return policy
