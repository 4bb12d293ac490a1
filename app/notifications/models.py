import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import enum_column, utcnow


class NotificationKind(enum.StrEnum):
    COMMENT = "comment"
    APPROVED = "approved"
    RETURNED = "returned"
    FEEDBACK = "feedback"
    REMINDER = "reminder"
    DIGEST = "digest"
    #: To the supervisor: an activity, an SKP or an absence request waits for their review.
    SUBMITTED = "submitted"


class Notification(db.Model):
    """Something a person should see: kept here, then streamed (SSE) and pushed.

    The id is the SSE event id; a reconnect with Last-Event-ID replays what was missed.
    """

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_person_id_id", "person_id", "id"),
                      sa.Index("ix_notifications_pushed_at_created_at", "pushed_at",
                               "created_at"))

    id: so.Mapped[int] = so.mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                          primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    #: The recipient.
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    kind: so.Mapped[NotificationKind] = so.mapped_column(enum_column(NotificationKind))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: Where a tap leads (a path inside the app).
    url: so.Mapped[str] = so.mapped_column(sa.String(300), default="/")
    #: What the open page needs to update itself (activity id, new status, comment...).
    data: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    read_at: so.Mapped[datetime | None]
    #: When its web push was settled: every device of the recipient claimed (sent, gone or
    #: refused). Until then the row is the push's outbox: the worker's sweeper sends it again.
    pushed_at: so.Mapped[datetime | None]


class PushSubscription(db.Model):
    """One device's Web Push subscription (a person may have several)."""

    __tablename__ = "push_subscriptions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    #: The push service's URL for this device; unique, so re-subscribing updates the row.
    endpoint: so.Mapped[str] = so.mapped_column(sa.String(1000), unique=True)
    p256dh: so.Mapped[str] = so.mapped_column(sa.String(200))
    auth: so.Mapped[str] = so.mapped_column(sa.String(100))
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_success_at: so.Mapped[datetime | None]
    failures: so.Mapped[int] = so.mapped_column(default=0)


class PushDelivery(db.Model):
    """One notification's push to one device, claimed before it is sent.

    The primary key makes the claim: of two tasks pushing the same notification (a re-send
    by the sweeper, a task handed over twice), one inserts the row and sends, the other
    finds it and skips the device. A claim is released only when the push service asked us
    to come back later (429, 5xx, no answer), so that the retry can claim it again.
    """

    __tablename__ = "push_deliveries"

    notification_id: so.Mapped[int] = so.mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        sa.ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True)
    subscription_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("push_subscriptions.id", ondelete="CASCADE"), primary_key=True)
    claimed_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
