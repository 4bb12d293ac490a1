"""/api/v1/progress and /api/v1/recaps."""

from flask_smorest import Blueprint

blp = Blueprint("reports_api", __name__, url_prefix="", description="Progress and recaps")
