"""Without Redis, an open stream also reads the database, so events another process wrote
(the task worker's reminders) reach the page within seconds."""

import pytest

from app.extensions import db
from app.notifications.broker import RedisBroker, get_broker
from app.notifications.models import Notification, NotificationKind
from tests.notifications.support import Stream


def write_elsewhere(person) -> int:
    """A notification committed without this process publishing it (as the worker does)."""
    row = Notification(org_id=person.org_id, person_id=person.id,
                       kind=NotificationKind.REMINDER, title="Belum ada aktivitas hari ini")
    db.session.add(row)
    db.session.commit()
    return row.id


def test_stream_picks_up_what_another_process_wrote(app, signed_in, world):
    with app.app_context():
        if isinstance(get_broker(app), RedisBroker):
            pytest.skip("with Redis the worker publishes to every stream itself")
    app.config["NOTIFY_POLL_SECONDS"] = 0.2
    stream = Stream(signed_in(world.one.staff_a1).client)
    try:
        stream.read_until(lambda events: events)
        notification_id = write_elsewhere(world.one.staff_a1)
        stream.wait_for_ids([notification_id])
        assert stream.ids().count(notification_id) == 1
    finally:
        stream.close()
        app.config["NOTIFY_POLL_SECONDS"] = 5
