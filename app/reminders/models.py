"""Reminder rules per organisation, each person's preferences, holidays, and what was sent."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models import TimestampMixin, enum_column, utcnow


class ReminderKind(enum.StrEnum):
    #: (a) working days at 15:30 local, to people who have logged nothing today.
    DAILY_LOG = "daily_log"
    #: (b) 3 days and 1 day before a period's input deadline.
    DEADLINE = "deadline"
    #: (c) to supervisors with reviews waiting more than 2 working days.
    REVIEWS_WAITING = "reviews_waiting"
    #: (d) at period end, to fill the self-evaluation.
    SELF_EVALUATION = "self_evaluation"
    #: (e) to supervisors when evaluations are due.
    EVALUATIONS_DUE = "evaluations_due"
    #: A supervisor's end-of-day digest of people still without a log after the reminder.
    DIGEST = "digest"
    #: Follow-up of the assessment on its day: dialogue actions, coaching sessions and
    #: reviews (app.followup.reminders).
    FOLLOW_UP = "follow_up"


class ReminderRule(TimestampMixin, db.Model):
    """One kind of reminder for an organisation; defaults apply when no row exists."""

    __tablename__ = "reminder_rules"
    __table_args__ = (sa.UniqueConstraint("org_id", "kind"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    kind: so.Mapped[ReminderKind] = so.mapped_column(enum_column(ReminderKind))
    enabled: so.Mapped[bool] = so.mapped_column(default=True)
    #: Local time of day it goes out (e.g. 15:30 for the daily log).
    at_time: so.Mapped[time] = so.mapped_column(default=time(15, 30))
    #: Days before a deadline (e.g. "3,1"), or working days of waiting, by kind.
    days: so.Mapped[str] = so.mapped_column(sa.String(40), default="")


class OrgHoliday(db.Model):
    """A day off an organisation adds to the national calendar (cuti bersama, local days)."""

    __tablename__ = "org_holidays"
    __table_args__ = (sa.UniqueConstraint("org_id", "day"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    day: so.Mapped[date]
    name: so.Mapped[str] = so.mapped_column(sa.String(200))


class ReminderSettings(TimestampMixin, db.Model):
    """A person's choices: kinds they muted and quiet hours (local)."""

    __tablename__ = "reminder_settings"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), unique=True)
    #: Comma-separated ReminderKind values the person does not want.
    muted: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    quiet_from: so.Mapped[time | None]
    quiet_until: so.Mapped[time | None]


class ReminderSent(db.Model):
    """Exactly once: a reminder is sent only if its key can be inserted here.

    The key is (person, kind, local date or period): two workers, a restart or a catch-up
    after downtime can never send the same reminder twice.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("person_id", "kind", "key"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    kind: so.Mapped[ReminderKind] = so.mapped_column(enum_column(ReminderKind))
    #: The local date ("2026-11-23") or period ("2026-11:d3") the reminder is about.
    key: so.Mapped[str] = so.mapped_column(sa.String(40))
    sent_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    notification_id: so.Mapped[int | None] = so.mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("notifications.id"))
