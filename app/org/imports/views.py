"""Pages: upload a people or units file, see the preview, apply it."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/admin/impor")
