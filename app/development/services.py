"""Recording, verifying and counting competency development; mentoring pairs.

Who sees a person's training: the person, anyone above them in the reporting line (and a
Plt/Plh standing in), and the organisation's HR administrators. Anyone else, a colleague
included, gets 404: the record's existence is not disclosed. The supervisor (or Plt/Plh)
verifies; only verified hours count towards the year's JP (PP 11/2017 as amended: at least
20 JP a year, :data:`~app.development.models.DEFAULT_JP_TARGET`, per organisation
configurable). A year's hours are those of the records that end in it.

Services flush, never commit.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.core import uploads
from app.development.models import (
    DEFAULT_JP_TARGET,
    DevelopmentSettings,
    MentoringPair,
    Training,
    TrainingKind,
    TrainingStatus,
)
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.models import utcnow
from app.org.lines import may_supervise, supervised_ids
from app.org.models import Person, Role

#: Where certificates are stored, beside activity evidence (:mod:`app.core.uploads`).
CERTIFICATE_PREFIX = "certificates/"


def is_admin(actor: Person) -> bool:
    return Role.ADMIN in actor.roles


def may_see(actor: Person, person_id: int) -> bool:
    return person_id == actor.id or is_admin(actor) or may_supervise(actor, person_id)


def _person(actor: Person, person_id: int | None) -> Person:
    if person_id is None or person_id == actor.id:
        return actor
    person = db.session.get(Person, person_id)
    if person is None or person.org_id != actor.org_id or not may_see(actor, person.id):
        raise NotFound(_("Person not found."))
    return person


def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(fields={"ends_on": _("The end must not be before the start.")})


# --- records -----------------------------------------------------------------------------------

def create_training(actor: Person, *, title: str, provider: str, kind: str, starts_on: date,
                    ends_on: date, hours: int, person_id: int | None = None) -> Training:
    """Record a development activity of one's own (an HR administrator: of anyone of the
    organisation); it waits for the supervisor's verification."""
    if person_id not in (None, actor.id) and not is_admin(actor):
        raise Forbidden(_("You can only record your own development."))
    person = _person(actor, person_id)
    _check_dates(starts_on, ends_on)
    training = Training(org_id=actor.org_id, person_id=person.id, title=title.strip(),
                        provider=provider.strip(), kind=TrainingKind(kind), starts_on=starts_on,
                        ends_on=ends_on, hours=hours)
    db.session.add(training)
    db.session.flush()
    audit.record(actor.org_id, person.id, actor.id, "training", training.id, "create",
                 {"title": training.title, "hours": hours, "kind": kind})
    return training


def get_training(actor: Person, training_id: int, *, for_update: bool = False) -> Training:
    query = sa.select(Training).where(Training.id == training_id,
                                      Training.org_id == actor.org_id)
    if for_update:
        query = query.with_for_update()
    training = db.session.scalar(query)
    if training is None or not may_see(actor, training.person_id):
        raise NotFound(_("Training not found."))
    return training


def list_trainings(actor: Person, *, person_id: int | None = None,
                   year: int | None = None, status: str | None = None) -> list[Training]:
    """One person's records (default: the caller's), newest first."""
    person = _person(actor, person_id)
    query = sa.select(Training).where(Training.org_id == actor.org_id,
                                      Training.person_id == person.id)
    if year is not None:
        query = query.where(Training.ends_on >= date(year, 1, 1),
                            Training.ends_on <= date(year, 12, 31))
    if status is not None:
        query = query.where(Training.status == TrainingStatus(status))
    return list(db.session.scalars(query.order_by(Training.ends_on.desc(),
                                                  Training.id.desc())))


def to_verify(actor: Person) -> list[Training]:
    """Records waiting for ``actor``'s verification (their line and Plt/Plh lines)."""
    return list(db.session.scalars(
        sa.select(Training).where(Training.org_id == actor.org_id,
                                  Training.status == TrainingStatus.SUBMITTED,
                                  Training.person_id.in_(supervised_ids(actor)))
        .order_by(Training.created_at)))


def add_certificate(actor: Person, training_id: int, *, stream, filename: str | None) -> Training:
    """Attach (or replace) the certificate: a photo or PDF, checked by its bytes."""
    training = get_training(actor, training_id, for_update=True)
    if training.person_id != actor.id and not is_admin(actor):
        raise Forbidden(_("Only the person or an HR administrator adds the certificate."))
    if training.status is TrainingStatus.VERIFIED:
        raise Conflict(_("A verified record cannot be changed."))
    upload = uploads.read(stream, filename)
    uploads.remove_after_commit(training.storage_key)
    name = f"training-{training.id}-{utcnow():%Y%m%d%H%M%S%f}"
    for key, value in uploads.store(upload, name, prefix=CERTIFICATE_PREFIX).items():
        setattr(training, key, value)
    db.session.flush()
    audit.record(actor.org_id, training.person_id, actor.id, "training", training.id,
                 "certificate", {"filename": training.filename, "sha256": training.sha256})
    return training


def certificate(actor: Person, training_id: int) -> Training:
    training = get_training(actor, training_id)
    if training.storage_key is None:
        raise NotFound(_("This record has no certificate."))
    return training


def decide(actor: Person, training_id: int, *, verified: bool, note: str = "") -> Training:
    """The supervisor (or Plt/Plh) verifies a record, or rejects it with a reason."""
    training = get_training(actor, training_id, for_update=True)
    if not may_supervise(actor, training.person_id):
        raise Forbidden(_("Only the person's supervisor verifies their development."))
    if training.status is not TrainingStatus.SUBMITTED:
        raise Conflict(_("This record was already decided."))
    if not verified and not note.strip():
        raise ValidationFailed(fields={"note": _("Give the reason.")})
    training.status = TrainingStatus.VERIFIED if verified else TrainingStatus.REJECTED
    training.verified_by_id, training.verified_at = actor.id, utcnow()
    training.decision_note = note.strip()
    db.session.flush()
    audit.record(actor.org_id, training.person_id, actor.id, "training", training.id,
                 training.status.value, {"note": training.decision_note})
    return training


# --- the yearly target -------------------------------------------------------------------------

def jp_target(org_id: int) -> int:
    row = db.session.get(DevelopmentSettings, org_id)
    return row.jp_target if row else DEFAULT_JP_TARGET


def set_jp_target(actor: Person, jp_target_value: int) -> int:
    if not is_admin(actor):
        raise Forbidden(_("Only an HR administrator sets the yearly target."))
    row = db.session.get(DevelopmentSettings, actor.org_id)
    old = row.jp_target if row else DEFAULT_JP_TARGET
    if row is None:
        row = DevelopmentSettings(org_id=actor.org_id)
        db.session.add(row)
    row.jp_target = jp_target_value
    db.session.flush()
    audit.record(actor.org_id, actor.id, actor.id, "development_settings", actor.org_id,
                 "update", {"jp_target": [old, jp_target_value]})
    return jp_target_value


def _hours_by_person(org_id: int, year: int, person_ids=None) -> dict[int, tuple[int, int]]:
    """Per person: (verified JP, JP waiting for verification) of records ending in ``year``."""
    query = (sa.select(Training.person_id, Training.status, sa.func.sum(Training.hours))
             .where(Training.org_id == org_id, Training.ends_on >= date(year, 1, 1),
                    Training.ends_on <= date(year, 12, 31),
                    Training.status != TrainingStatus.REJECTED)
             .group_by(Training.person_id, Training.status))
    if person_ids is not None:
        query = query.where(Training.person_id.in_(person_ids))
    found: dict[int, list[int]] = {}
    for person_id, status, hours in db.session.execute(query):
        pair = found.setdefault(person_id, [0, 0])
        pair[0 if TrainingStatus(status) is TrainingStatus.VERIFIED else 1] += int(hours or 0)
    return {person_id: (pair[0], pair[1]) for person_id, pair in found.items()}


def development(actor: Person, year: int, person_id: int | None = None) -> dict:
    """``{"jp_total", "jp_target"}`` of a person's year (default: the caller's), with the
    hours still waiting for verification."""
    person = _person(actor, person_id)
    total, pending = _hours_by_person(actor.org_id, year, [person.id]).get(person.id, (0, 0))
    return {"person_id": person.id, "year": year, "jp_total": total,
            "jp_target": jp_target(actor.org_id), "jp_pending": pending}


def below_target(actor: Person, year: int) -> list[dict]:
    """The people ``actor`` looks after (an HR administrator: the whole organisation; a
    supervisor: their line) whose verified JP of ``year`` is below the target, lowest first."""
    query = sa.select(Person).where(Person.org_id == actor.org_id, Person.active)
    if not is_admin(actor):
        query = query.where(Person.id.in_(supervised_ids(actor)))
    people = list(db.session.scalars(query.order_by(Person.name)))
    target = jp_target(actor.org_id)
    hours = _hours_by_person(actor.org_id, year, [person.id for person in people])
    rows = [{"person": person, "jp_total": hours.get(person.id, (0, 0))[0],
             "jp_pending": hours.get(person.id, (0, 0))[1], "jp_target": target}
            for person in people]
    return sorted((row for row in rows if row["jp_total"] < target),
                  key=lambda row: (row["jp_total"], row["person"].name))


# --- mentoring ---------------------------------------------------------------------------------

def _may_pair(actor: Person, mentee_id: int) -> bool:
    return is_admin(actor) or may_supervise(actor, mentee_id)


def create_pair(actor: Person, *, mentor_id: int, mentee_id: int, starts_on: date,
                ends_on: date, notes: str = "") -> MentoringPair:
    """Pair a mentor with a mentee (the mentee's supervisor or an HR administrator)."""
    _check_dates(starts_on, ends_on)
    if mentor_id == mentee_id:
        raise ValidationFailed(fields={"mentor_id": _("A mentor cannot mentor themself.")})
    for key in (mentor_id, mentee_id):
        person = db.session.get(Person, key)
        if person is None or person.org_id != actor.org_id:
            raise NotFound(_("Person not found."))
    if not _may_pair(actor, mentee_id):
        raise Forbidden(_("Only the mentee's supervisor or an HR administrator pairs them."))
    pair = MentoringPair(org_id=actor.org_id, mentor_id=mentor_id, mentee_id=mentee_id,
                         starts_on=starts_on, ends_on=ends_on, notes=notes.strip(),
                         created_by_id=actor.id)
    db.session.add(pair)
    db.session.flush()
    audit.record(actor.org_id, mentee_id, actor.id, "mentoring_pair", pair.id, "create",
                 {"mentor_id": mentor_id, "starts_on": starts_on, "ends_on": ends_on})
    return pair


def _visible_pairs(actor: Person):
    query = sa.select(MentoringPair).where(MentoringPair.org_id == actor.org_id)
    if is_admin(actor):
        return query
    return query.where(sa.or_(MentoringPair.mentor_id == actor.id,
                              MentoringPair.mentee_id == actor.id,
                              MentoringPair.mentee_id.in_(supervised_ids(actor))))


def list_pairs(actor: Person) -> list[MentoringPair]:
    return list(db.session.scalars(_visible_pairs(actor).order_by(
        MentoringPair.starts_on.desc(), MentoringPair.id.desc())))


def get_pair(actor: Person, pair_id: int) -> MentoringPair:
    pair = db.session.scalar(_visible_pairs(actor).where(MentoringPair.id == pair_id))
    if pair is None:
        raise NotFound(_("Mentoring pair not found."))
    return pair


def update_pair_notes(actor: Person, pair_id: int, notes: str) -> MentoringPair:
    """The mentor, the mentee's supervisor or an HR administrator keeps the notes."""
    pair = get_pair(actor, pair_id)
    if actor.id != pair.mentor_id and not _may_pair(actor, pair.mentee_id):
        raise Forbidden(_("Only the mentor or the mentee's supervisor writes the notes."))
    pair.notes = notes.strip()
    db.session.flush()
    return pair
