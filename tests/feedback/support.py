"""Helpers for the review tests."""

import sqlalchemy as sa

from app.activities import services as activities
from app.extensions import db
from app.notifications.models import Notification, NotificationKind
from tests.activities.support import make_activity


def submitted(person, **values):
    """A submitted activity of ``person`` (default date Monday 9 March 2026)."""
    activity = make_activity(person, commit=False, **values)
    activities.submit_activity(person, activity.id)
    db.session.commit()
    return activity


def notifications(person=None, kind=None) -> list[Notification]:
    """Stored notifications (of one recipient, of one kind), oldest first. Without a kind,
    the supervisor's "submitted" announcements are left out: these tests are about what a
    review or a comment raises."""
    db.session.rollback()
    query = sa.select(Notification).order_by(Notification.id)
    if kind is None:
        query = query.where(Notification.kind != NotificationKind.SUBMITTED)
    if person is not None:
        query = query.where(Notification.person_id == person.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))
