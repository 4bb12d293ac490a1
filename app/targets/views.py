"""Target (SKP) pages."""

from flask import Blueprint

bp = Blueprint("targets", __name__)
