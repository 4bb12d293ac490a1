"""/api/v1/skps and /api/v1/targets."""

from flask_smorest import Blueprint

blp = Blueprint("targets_api", __name__, url_prefix="", description="SKP, RHK and indicators")
