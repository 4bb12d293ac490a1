"""Named signals for what happens to notifications (blinker, as Flask's own signals).

``notifications_committed`` is sent by the app (the sender) after a commit that stored new
notifications, with their ``ids``. Its receivers deliver them: the live-event publisher
(``app.notifications.broker``) and the web push queue (``app.notifications.tasks``), each
connected for its own app. A receiver that fails is logged and does not stop the others: the
rows are stored, and the page or the stream catches up.
"""

import logging

from blinker import Namespace

logger = logging.getLogger(__name__)

signals = Namespace()

notifications_committed = signals.signal("notifications-committed")


def send_committed(app, ids: list[int]) -> None:
    """Hand ``ids`` to every receiver of ``notifications_committed`` for ``app``."""
    for receiver in notifications_committed.receivers_for(app):
        try:
            receiver(app, ids=ids)
        except Exception:  # noqa: BLE001 - stored already; delivery catches up on reconnect
            logger.exception("Delivering notifications %s (%s) failed", ids,
                             getattr(receiver, "__name__", receiver))
