"""The audit viewer page: the trail filtered, paginated, exported; the chain verified."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
