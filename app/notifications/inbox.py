"""A person's notifications: the centre (list, unread count, mark read) and stream replay.

Every query is scoped to the person: nobody reads or marks anyone else's notifications.
"""

from datetime import timedelta

import sqlalchemy as sa

from app.errors import NotFound
from app.extensions import db
from app.models import utcnow
from app.notifications.models import Notification


def notifications_of(person, *, unread: bool | None = None) -> sa.Select:
    """The person's notifications, newest first."""
    query = sa.select(Notification).where(Notification.person_id == person.id,
                                          Notification.org_id == person.org_id)
    if unread is True:
        query = query.where(Notification.read_at.is_(None))
    elif unread is False:
        query = query.where(Notification.read_at.is_not(None))
    return query.order_by(Notification.id.desc())


def summary(person) -> tuple[int, int]:
    """(unread count, newest notification id or 0) in one query."""
    unread, newest = db.session.execute(
        sa.select(sa.func.count(Notification.id).filter(Notification.read_at.is_(None)),
                  sa.func.max(Notification.id))
        .where(Notification.person_id == person.id)).one()
    return unread or 0, newest or 0


def unread_count(person) -> int:
    return summary(person)[0]


def get_notification(person, notification_id: int) -> Notification:
    """:raise 404: unless the notification is the person's own."""
    notification = db.session.scalar(
        sa.select(Notification).where(Notification.id == notification_id,
                                      Notification.person_id == person.id))
    if notification is None:
        raise NotFound()
    return notification


def mark_read(person, notification_id: int) -> Notification:
    notification = get_notification(person, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def mark_all_read(person) -> int:
    """Mark every unread notification read; returns how many changed."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.person_id == person.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    return result.rowcount or 0


def replay(session, person_id: int, last_id: int | None, *, horizon: float,
           limit: int) -> list[Notification]:
    """What a stream resuming after ``last_id`` must send, oldest first.

    THE CURSOR TRAP: ids are taken at flush, before commit. A transaction holding id 41 can
    commit after 42 was streamed; "id > 42" would never send 41. So the replay also covers
    every row created up to ``horizon`` seconds before the row ``last_id`` itself: a row with
    a smaller id that committed later belongs to a transaction that was open when the row
    ``last_id`` was written, and transactions raising notifications are far shorter than the
    horizon. The stream and the client de-duplicate on id, so what is sent twice is shown
    once. Without a cursor nothing is replayed: the page was just rendered from the database.
    """
    if last_id is None:
        return []
    mine = Notification.person_id == person_id
    anchor = session.scalar(sa.select(Notification.created_at)
                            .where(mine, Notification.id == last_id))
    if anchor is None:
        # Not (or no longer) ours: fall back to the horizon before now.
        anchor = utcnow()
    since = anchor - timedelta(seconds=horizon)
    rows = session.scalars(
        sa.select(Notification)
        .where(mine, sa.or_(Notification.id > last_id, Notification.created_at >= since))
        .order_by(Notification.id.desc()).limit(limit)).all()
    return list(reversed(rows))
