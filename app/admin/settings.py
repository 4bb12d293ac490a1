"""Pages of the organisation's settings: acting supervisors (Plt/Plh), holidays and cuti
bersama, reminder rules and the review policy."""

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/admin")
