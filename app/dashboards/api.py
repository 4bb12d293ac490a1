"""/api/v1/dashboards: the supervisor's team and the organisation's units."""

from flask_login import current_user

from app.core.blueprint import Blueprint
from app.core.replica import replica_reads
from app.dashboards import services
from app.dashboards.schemas import (
    DashboardOrganisationArgs,
    DashboardOrganisationOut,
    DashboardTeamArgs,
    DashboardTeamOut,
)

blp = Blueprint("dashboards_api", __name__, url_prefix="/dashboards",
                description="Dashboards", error_descriptions={422: "Invalid arguments"})


@blp.get("/team")
@blp.arguments(DashboardTeamArgs, location="query")
@blp.response(200, DashboardTeamOut)
@blp.errors(403, 422, descriptions={403: "The caller supervises nobody"})
@replica_reads
def team(args):
    """Today's logging, the month's compliance, realisation and reviews of the caller's team."""
    return services.team_dashboard(current_user, args.get("month"), page=args["page"],
                                   per_page=args["per_page"])


@blp.get("/organisation")
@blp.arguments(DashboardOrganisationArgs, location="query")
@blp.response(200, DashboardOrganisationOut)
@blp.errors(403, 404, 422, descriptions={403: "Only HR administrators and the head of agency",
                                         404: "Unit not in the organisation"})
@replica_reads
def organisation(args):
    """Per unit: the month's compliance and late submissions, the citizen survey index and,
    when evaluations exist, the predikat distribution."""
    return services.organisation_dashboard(current_user, args.get("month"),
                                           args.get("unit_id"))
