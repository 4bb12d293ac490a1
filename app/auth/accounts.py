"""Pages for HR administrators: activation codes, password resets, activation sheets."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/admin/akun")
