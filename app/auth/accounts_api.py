"""Activation codes issued by HR administrators and the printable activation sheets."""

from app.core.blueprint import Blueprint

blp = Blueprint("accounts_api", __name__, url_prefix="",
                description="Activation codes and activation sheets")
