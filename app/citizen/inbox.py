"""The citizens' voice, answered: the unit's inbox of survey comments and complaints.

PermenPANRB 14/2017 counts *penanganan pengaduan, saran dan masukan* (unsur 8) in the index
and asks each unit to follow its survey up. What a citizen writes with a survey reaches the
head of that unit (and the organisation's HR administrators) with the status ``new``; the
head answers (``answered``), may publish the answer on the unit's public survey page ("Anda
bertanya, kami menjawab") and closes it (``closed``). A message left ``new`` for more than N
working days (the ``citizen_unanswered`` reminder rule, default 3) reminds the unit's head
once a working day.

**The head of a unit** is a supervisor (atasan or pimpinan) of the unit whose own
supervisor sits outside it; a unit without one (a *seksi* of staff only) is headed by the
head of the nearest unit above it.

Services flush, never commit.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _
from flask_babel import ngettext

from app.audit import services as audit
from app.citizen.models import CitizenMessage, MessageStatus
from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.models import utcnow
from app.org.models import Person, PersonRole, Role, Unit

#: Working days a message may wait before its unit's head is reminded (the rule's default).
DEFAULT_ANSWER_DAYS = 3
HEAD_ROLES = (Role.ATASAN, Role.PIMPINAN)


def heads_by_unit(org_id: int) -> dict[int, set[int]]:
    """Every unit of the organisation with the ids of its head(s)."""
    units = {unit.id: unit.parent_id for unit in db.session.execute(
        sa.select(Unit.id, Unit.parent_id).where(Unit.org_id == org_id))}
    boss = so.aliased(Person)
    rows = db.session.execute(
        sa.select(Person.id, Person.unit_id).distinct()
        .join(PersonRole, PersonRole.person_id == Person.id)
        .outerjoin(boss, boss.id == Person.supervisor_id)
        .where(Person.org_id == org_id, Person.active, PersonRole.role.in_(HEAD_ROLES),
               sa.or_(boss.id.is_(None), boss.unit_id != Person.unit_id)))
    own: dict[int, set[int]] = {}
    for person_id, unit_id in rows:
        own.setdefault(unit_id, set()).add(person_id)
    heads: dict[int, set[int]] = {}
    for unit_id in units:
        current, seen = unit_id, set()
        while current is not None and current not in own and current not in seen:
            seen.add(current)
            current = units.get(current)
        heads[unit_id] = own.get(current, set()) if current is not None else set()
    return heads


def is_admin(actor: Person) -> bool:
    return Role.ADMIN in actor.roles


def units_of(actor: Person) -> set[int]:
    """The units whose inbox ``actor`` reads: all of the organisation's for an HR
    administrator, else those they head."""
    heads = heads_by_unit(actor.org_id)
    if is_admin(actor):
        return set(heads)
    return {unit_id for unit_id, people in heads.items() if actor.id in people}


def require_inbox(actor: Person) -> set[int]:
    units = units_of(actor)
    if not units and not is_admin(actor):
        raise Forbidden(_("Only the head of a service unit or an HR administrator reads "
                          "citizens' messages."))
    return units


def list_messages(actor: Person, status: str | None = None) -> list[CitizenMessage]:
    units = require_inbox(actor)
    query = (sa.select(CitizenMessage)
             .where(CitizenMessage.org_id == actor.org_id,
                    CitizenMessage.unit_id.in_(units))
             .options(so.joinedload(CitizenMessage.unit))
             .order_by(CitizenMessage.received_at.desc(), CitizenMessage.id.desc()))
    if status:
        query = query.where(CitizenMessage.status == MessageStatus(status))
    return list(db.session.scalars(query))


def counts(actor: Person) -> dict[str, int]:
    units = require_inbox(actor)
    rows = db.session.execute(
        sa.select(CitizenMessage.status, sa.func.count())
        .where(CitizenMessage.org_id == actor.org_id, CitizenMessage.unit_id.in_(units))
        .group_by(CitizenMessage.status))
    found = {status.value: 0 for status in MessageStatus}
    found.update({MessageStatus(status).value: number for status, number in rows})
    return found


def get_message(actor: Person, message_id: int, *, for_update: bool = False) -> CitizenMessage:
    """One message of a unit ``actor`` reads; anyone else's (and another organisation's):
    404."""
    query = sa.select(CitizenMessage).where(CitizenMessage.id == message_id,
                                            CitizenMessage.org_id == actor.org_id)
    if for_update:
        query = query.with_for_update()
    message = db.session.scalar(query)
    if message is None or message.unit_id not in units_of(actor):
        raise NotFound(_("Message not found."))
    return message


def answer_message(actor: Person, message_id: int, *, answer: str,
                   publish: bool = False) -> CitizenMessage:
    """Answer (or correct the answer of) a message not yet closed."""
    message = get_message(actor, message_id, for_update=True)
    if message.status is MessageStatus.CLOSED:
        raise Conflict(_("This message is closed."))
    message.answer = answer.strip()
    message.answered_by_id = actor.id
    message.answered_at = utcnow()
    message.status = MessageStatus.ANSWERED
    message.published = bool(publish)
    db.session.flush()
    audit.record(actor.org_id, actor.id, actor.id, "citizen_message", message.id, "answer",
                 {"published": message.published})
    return message


def set_published(actor: Person, message_id: int, published: bool) -> CitizenMessage:
    message = get_message(actor, message_id, for_update=True)
    if message.answer is None:
        raise Conflict(_("Answer the message before publishing it."))
    message.published = published
    db.session.flush()
    audit.record(actor.org_id, actor.id, actor.id, "citizen_message", message.id,
                 "publish" if published else "unpublish", {})
    return message


def close_message(actor: Person, message_id: int) -> CitizenMessage:
    message = get_message(actor, message_id, for_update=True)
    if message.status is MessageStatus.CLOSED:
        raise Conflict(_("This message is closed."))
    message.status = MessageStatus.CLOSED
    message.closed_at = utcnow()
    db.session.flush()
    audit.record(actor.org_id, actor.id, actor.id, "citizen_message", message.id, "close", {})
    return message


def public_answers(unit: Unit, limit: int = 20) -> list[CitizenMessage]:
    """The unit's published answers, newest first: what the public survey page shows."""
    return list(db.session.scalars(
        sa.select(CitizenMessage)
        .where(CitizenMessage.unit_id == unit.id, CitizenMessage.published,
               CitizenMessage.answer.is_not(None))
        .order_by(CitizenMessage.answered_at.desc(), CitizenMessage.id.desc()).limit(limit)))


# --- the reminder ------------------------------------------------------------------------------

def _local_day(moment: datetime, zone: str) -> date:
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()


def unanswered_waiting(org_id: int, today_of: dict[int, date], limit: int,
                       calendar) -> dict[int, int]:
    """Per unit head (of those in ``today_of``, person id -> their local date): how many
    messages have been ``new`` for more than ``limit`` working days of ``calendar``."""
    rows = db.session.execute(
        sa.select(CitizenMessage.unit_id, CitizenMessage.received_at, Unit.timezone)
        .join(Unit, Unit.id == CitizenMessage.unit_id)
        .where(CitizenMessage.org_id == org_id,
               CitizenMessage.status == MessageStatus.NEW)).all()
    if not rows:
        return {}
    heads = heads_by_unit(org_id)
    waiting: dict[int, int] = {}
    for unit_id, received_at, zone in rows:
        due_after = calendar.add_working_days(_local_day(received_at, zone), limit)
        for head_id in heads.get(unit_id, ()):
            if head_id in today_of and due_after < today_of[head_id]:
                waiting[head_id] = waiting.get(head_id, 0) + 1
    return waiting


def reminder_message(facts: dict) -> dict:
    """The unit head's reminder: how many messages wait, and for how long."""
    return {"title": ngettext("%(num)d citizen's message waits for an answer",
                              "%(num)d citizens' messages wait for an answer", facts["count"]),
            "body": ngettext("Received more than %(num)d working day ago.",
                             "Received more than %(num)d working days ago.", facts["days"]),
            "url": "/suara-warga"}
