"""/api/v1/progress and /api/v1/recaps: progress against targets and monthly recaps."""

from flask_login import current_user

from app.core.blueprint import Blueprint
from app.core.replica import replica_reads
from app.reports import services
from app.reports.schemas import (
    MonthlyArgs,
    MonthlyRecapOut,
    ProgressArgs,
    ProgressOut,
    TeamMonthlyArgs,
    TeamRecapOut,
)

blp = Blueprint("reports_api", __name__, url_prefix="", description="Progress and recaps",
                error_descriptions={404: "Person or period not found or not visible",
                                    422: "Invalid arguments"})


@blp.get("/progress")
@blp.arguments(ProgressArgs, location="query")
@blp.response(200, ProgressOut)
@blp.errors(404, 422)
@replica_reads
def progress(args):
    """Realisation per SKP indicator, by aspect, against the period's target: approved and,
    separately, submitted work.

    Kuantitas sums quantities; Kualitas averages the supervisor's marks (1-4, x 25 = %);
    Waktu is the share of outputs finished by their due date. The period is an evaluation
    period (``period_id``), or ``from``/``to``, by default the person's year to date (local
    time); a target split over quarters or months counts for the part inside the period.
    """
    return services.progress_report(current_user, args.get("person_id"),
                                    args.get("from_"), args.get("to"),
                                    args.get("period_id"))


@blp.get("/recaps/monthly")
@blp.arguments(MonthlyArgs, location="query")
@blp.response(200, MonthlyRecapOut)
@blp.errors(404, 422)
@replica_reads
def monthly_recap(args):
    """One person's month: days logged, hours, activities by status, outputs per RHK."""
    person = services.reportable_person(current_user, args.get("person_id"))
    month = args.get("month") or services.current_month(person)
    return services.monthly_recap(person, month)


@blp.get("/recaps/monthly/team")
@blp.arguments(TeamMonthlyArgs, location="query")
@blp.response(200, TeamRecapOut)
@blp.errors(422)
@replica_reads
def team_monthly_recap(args):
    """The monthly recap of everyone below the caller in their reporting line."""
    month = args.get("month") or services.current_month(current_user)
    return {"supervisor": current_user, "month": month.strftime("%Y-%m"),
            "people": services.team_monthly_recap(current_user, month)}
