"""The administration pages: the landing page, units and people."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from app.admin.access import may_change, require_view
from app.admin.sections import SECTIONS

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
def index():
    """What an HR administrator (or pimpinan, read-only) can look after, one card each."""
    require_view()
    sections = [section for section in SECTIONS
                if section.endpoint in current_app.view_functions]
    return render_template("admin/index.html", sections=sections,
                           may_change=may_change(current_user))
