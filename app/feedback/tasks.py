"""Automatic acceptance of submitted activities whose review time ran out."""

import logging

from huey import crontab

from app.core.queue import periodic_task
from app.core.uow import unit_of_work
from app.feedback.services import auto_accept_due
from app.models import utcnow

logger = logging.getLogger(__name__)


@periodic_task(crontab(minute="7"), name="auto_accept")
def auto_accept():
    """Every hour: accept activities whose review time ran out, where an organisation chose
    it (off by default; see app.feedback). Idempotent: accepted work is no longer waiting."""
    with unit_of_work():
        accepted = auto_accept_due(utcnow())
    if accepted:
        logger.info("%s activities accepted automatically", len(accepted))
