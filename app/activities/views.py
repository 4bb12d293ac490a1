"""Activity pages: today, the activity form, an activity's detail."""

from flask import Blueprint

bp = Blueprint("activities", __name__)
