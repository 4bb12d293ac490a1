"""What follows the assessment (PermenPANRB 6/2022, stages 2 and 4): the performance dialogue,
recognition and coaching after the predikat, and the employee's objection.

- *Dialog kinerja* (performance dialogue, Art. 5 "pembinaan" and the orientation to an
  intensive dialogue between leader and employee): the supervisor and the employee record a
  conversation on one RHK or on a period, with agreed actions and their due dates; both
  confirm the record.
- *Tindak lanjut* (follow-up, the fourth stage): a *Sangat Baik* predikat brings a recognition
  (penghargaan) and its certificate; *Butuh Perbaikan*, *Kurang/Misconduct* and *Sangat
  Kurang* open a coaching plan (pembinaan / bimbingan kinerja, cf. formats B.1.8-B.1.9) that
  the supervisor runs: goals, sessions, the training asked, a review date and an outcome.
- *Keberatan* (objection): within an organisation's number of days after the assessment the
  employee may object; the appraiser's own supervisor (*atasan pejabat penilai*) keeps or
  changes the ratings, and the predikat follows the matrix again. The exact procedure is not
  confirmed from the regulation's text here (DOMAIN.md marks the objection flow unverified):
  the window is the organisation's setting, 14 days unless it sets another.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.development.models import Training, TrainingKind, TrainingStatus
from app.evaluations.models import Evaluation, EvaluationPeriod
from app.evaluations.rules import Predikat, Rating
from app.extensions import db
from app.models import TimestampMixin, enum_column, utcnow
from app.org.models import Person
from app.targets.models import Rhk

#: Days after the assessment an objection may be filed, unless the organisation sets another.
DEFAULT_OBJECTION_DAYS = 14

#: The predikat that open a coaching plan (PermenPANRB 6/2022, tindak lanjut: pembinaan).
PLAN_PREDIKAT = frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG_MISCONDUCT,
                           Predikat.SANGAT_KURANG})
#: The predikat that brings a recognition (penghargaan).
RECOGNISED_PREDIKAT = Predikat.SANGAT_BAIK


class PlanStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    #: The predikat changed (after an objection) and no longer calls for a plan.
    CANCELLED = "cancelled"


class PlanResult(enum.StrEnum):
    IMPROVED = "improved"
    PARTLY = "partly"
    NOT_IMPROVED = "not_improved"


class ObjectionStatus(enum.StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    CHANGED = "changed"


class FollowUpPolicy(db.Model):
    """An organisation's follow-up settings; without a row the defaults apply."""

    __tablename__ = "follow_up_policies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), unique=True)
    #: Calendar days after the assessment during which the employee may object.
    objection_days: so.Mapped[int] = so.mapped_column(default=DEFAULT_OBJECTION_DAYS)


class PerformanceDialog(TimestampMixin, db.Model):
    """A dialog kinerja between a person and their supervisor, on an RHK or a period."""

    __tablename__ = "performance_dialogs"
    __table_args__ = (sa.Index("ix_performance_dialogs_org_id_person_id", "org_id",
                               "person_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"))
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    #: The supervisor in the conversation (the pejabat penilai, or who acted for them).
    supervisor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    period_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("evaluation_periods.id"))
    rhk_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("rhks.id"))
    held_on: so.Mapped[date]
    topic: so.Mapped[str] = so.mapped_column(sa.String(200))
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    person_confirmed_at: so.Mapped[datetime | None]
    supervisor_confirmed_at: so.Mapped[datetime | None]

    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    supervisor: so.Mapped[Person] = so.relationship(foreign_keys=[supervisor_id])
    period: so.Mapped[EvaluationPeriod | None] = so.relationship()
    rhk: so.Mapped[Rhk | None] = so.relationship()
    actions: so.Mapped[list["DialogAction"]] = so.relationship(
        back_populates="dialog", order_by="DialogAction.position",
        cascade="all, delete-orphan")

    @property
    def confirmed(self) -> bool:
        return bool(self.person_confirmed_at and self.supervisor_confirmed_at)


class DialogAction(db.Model):
    """An action agreed in a dialog, with its due date (reminded on that day)."""

    __tablename__ = "dialog_actions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    dialog_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("performance_dialogs.id"),
                                                 index=True)
    position: so.Mapped[int] = so.mapped_column(default=0)
    description: so.Mapped[str] = so.mapped_column(sa.String(500))
    due_on: so.Mapped[date] = so.mapped_column(index=True)
    done_at: so.Mapped[datetime | None]

    dialog: so.Mapped[PerformanceDialog] = so.relationship(back_populates="actions")


class Recognition(db.Model):
    """A penghargaan for a Sangat Baik predikat; revoked if an objection changes it."""

    __tablename__ = "recognitions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"),
                                                     unique=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    predikat: so.Mapped[Predikat] = so.mapped_column(enum_column(Predikat))
    #: The certificate's number, e.g. "PGH/2026/0007".
    number: so.Mapped[str] = so.mapped_column(sa.String(40))
    issued_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    revoked_at: so.Mapped[datetime | None]

    evaluation: so.Mapped[Evaluation] = so.relationship()
    person: so.Mapped[Person] = so.relationship()


class CoachingPlan(TimestampMixin, db.Model):
    """A rencana pembinaan for a predikat below Baik, run by the supervisor."""

    __tablename__ = "coaching_plans"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"),
                                                     unique=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    #: The supervisor who runs it (the appraiser when it opened).
    supervisor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    predikat: so.Mapped[Predikat] = so.mapped_column(enum_column(Predikat))
    status: so.Mapped[PlanStatus] = so.mapped_column(enum_column(PlanStatus),
                                                     default=PlanStatus.OPEN)
    goals: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: The training asked (free text).
    training: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    review_on: so.Mapped[date | None] = so.mapped_column(index=True)
    result: so.Mapped[PlanResult | None] = so.mapped_column(enum_column(PlanResult))
    outcome: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    closed_at: so.Mapped[datetime | None]
    closed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    version: so.Mapped[int] = so.mapped_column(default=1)

    evaluation: so.Mapped[Evaluation] = so.relationship()
    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    supervisor: so.Mapped[Person | None] = so.relationship(foreign_keys=[supervisor_id])
    sessions: so.Mapped[list["CoachingSession"]] = so.relationship(
        back_populates="plan", order_by="[CoachingSession.scheduled_on, CoachingSession.id]",
        cascade="all, delete-orphan")
    trainings: so.Mapped[list["PlanTraining"]] = so.relationship(
        back_populates="plan", order_by="PlanTraining.id", cascade="all, delete-orphan")


class PlanTraining(db.Model):
    """A training the supervisor asks in a coaching plan; the employee attaches the
    :class:`~app.development.models.Training` they recorded for it, and the request is done
    once the supervisor verified that record."""

    __tablename__ = "coaching_plan_trainings"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    plan_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("coaching_plans.id"), index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    kind: so.Mapped[TrainingKind] = so.mapped_column(enum_column(TrainingKind))
    #: The JP asked, if any.
    hours: so.Mapped[int | None]
    asked_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    asked_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: The record that answers the request (one record answers one request at most).
    training_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("trainings.id"),
                                                          unique=True)
    attached_at: so.Mapped[datetime | None]

    plan: so.Mapped[CoachingPlan] = so.relationship(back_populates="trainings")
    training: so.Mapped[Training | None] = so.relationship()

    @property
    def state(self) -> str:
        """``asked`` (nothing attached, or the attached record was rejected), ``recorded``
        (attached, waiting for verification) or ``done`` (attached and verified)."""
        if self.training is None or self.training.status is TrainingStatus.REJECTED:
            return "asked"
        return "done" if self.training.status is TrainingStatus.VERIFIED else "recorded"


class CoachingSession(db.Model):
    """A coaching session: its date, and once held, what was said."""

    __tablename__ = "coaching_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    plan_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("coaching_plans.id"), index=True)
    scheduled_on: so.Mapped[date] = so.mapped_column(index=True)
    held_on: so.Mapped[date | None]
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    plan: so.Mapped[CoachingPlan] = so.relationship(back_populates="sessions")


class Objection(TimestampMixin, db.Model):
    """The employee's keberatan against an assessment, decided by the atasan pejabat
    penilai; one per evaluation."""

    __tablename__ = "objections"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    org_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("organisations.id"), index=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("evaluations.id"),
                                                     unique=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    appraiser_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"))
    #: The atasan pejabat penilai when it was filed: the appraiser's own supervisor.
    decider_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("people.id"), index=True)
    reasons: so.Mapped[str] = so.mapped_column(sa.Text)
    status: so.Mapped[ObjectionStatus] = so.mapped_column(enum_column(ObjectionStatus),
                                                          default=ObjectionStatus.PENDING)
    hasil_kerja_before: so.Mapped[Rating] = so.mapped_column(enum_column(Rating))
    perilaku_kerja_before: so.Mapped[Rating] = so.mapped_column(enum_column(Rating))
    predikat_before: so.Mapped[Predikat] = so.mapped_column(enum_column(Predikat))
    hasil_kerja_after: so.Mapped[Rating | None] = so.mapped_column(enum_column(Rating))
    perilaku_kerja_after: so.Mapped[Rating | None] = so.mapped_column(enum_column(Rating))
    predikat_after: so.Mapped[Predikat | None] = so.mapped_column(enum_column(Predikat))
    decision_reasons: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("people.id"))
    decided_at: so.Mapped[datetime | None]
    version: so.Mapped[int] = so.mapped_column(default=1)

    evaluation: so.Mapped[Evaluation] = so.relationship()
    person: so.Mapped[Person] = so.relationship(foreign_keys=[person_id])
    appraiser: so.Mapped[Person] = so.relationship(foreign_keys=[appraiser_id])
    decider: so.Mapped[Person] = so.relationship(foreign_keys=[decider_id])
