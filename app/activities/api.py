"""/api/v1/activities: the daily log."""

from flask_smorest import Blueprint

blp = Blueprint("activities_api", __name__, url_prefix="", description="Daily activities")
