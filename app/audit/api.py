"""GET /api/v1/audit: the organisation's audit trail, filtered and paginated."""

from app.core.blueprint import Blueprint

blp = Blueprint("audit_api", __name__, url_prefix="/audit", description="The audit trail")
