"""The reminder clock: every minute, the reminders that are due, each sent exactly once."""

import logging

from huey import crontab
from huey.exceptions import TaskLockedException
from huey.storage import RedisExpireStorage

from app.core.queue import huey, periodic_task
from app.reminders.services import send_due

logger = logging.getLogger(__name__)

#: The reminder tick takes this lock so overlapping ticks of one queue skip each other.
#: With Redis it expires (a killed worker cannot hold it for ever); SQLite locks have no
#: ttl, so ``flask worker`` flushes locks when it starts.
TICK_LOCK = "reminders-tick"
TICK_LOCK_TTL = 300


@periodic_task(crontab(minute="*"), name="reminders_tick")
def reminders_tick():
    """Every minute: send the reminders that are due (exactly once, see app.reminders)."""
    ttl = TICK_LOCK_TTL if isinstance(huey.storage, RedisExpireStorage) else None
    try:
        with huey.lock_task(TICK_LOCK, ttl=ttl):
            sent = send_due()
    except TaskLockedException:
        logger.info("Reminder tick skipped: the previous one is still running")
        return
    if sent:
        logger.info("%s reminders sent", len(sent))
