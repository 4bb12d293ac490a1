"""Notifikasi: the notification centre page, and the unread badge every page shows."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from app.extensions import db
from app.notifications import inbox
from app.notifications.schemas import NotificationListArgs

bp = Blueprint("notifications", __name__)

PER_PAGE = 30


@bp.get("/notifikasi")
def index():
    """The person's notifications, newest first; unread ones are marked in words."""
    try:
        number = NotificationListArgs(only=("page",)).load(
            {"page": request.args["page"]} if "page" in request.args else {})["page"]
    except ValidationError:
        number = 1
    page = db.paginate(inbox.notifications_of(current_user), page=number,
                       per_page=PER_PAGE, error_out=False)
    return render_template("notifications/index.html", page=page)


@bp.post("/notifikasi/<int:notification_id>/baca")
def mark_read(notification_id):
    inbox.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index"), 303)


@bp.post("/notifikasi/baca-semua")
def mark_all_read():
    inbox.mark_all_read(current_user)
    return redirect(url_for("notifications.index"), 303)


def inject_notification_summary():
    """``unread_notifications`` for the badge, ``last_notification_id`` for the live stream."""
    if not current_user.is_authenticated:
        return {}
    unread, newest = inbox.summary(current_user)
    return {"unread_notifications": unread, "last_notification_id": newest}
