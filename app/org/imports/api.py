"""POST /api/v1/imports/people|units (dry run or apply) and the import jobs."""

from app.core.blueprint import Blueprint

blp = Blueprint("imports_api", __name__, url_prefix="/imports",
                description="Bulk import of people and units")
