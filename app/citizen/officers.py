"""Officers citizens may name as the one who served them: feedback, not the unit's index.

Staff opt in on their Profil page. What citizens said when naming an officer is shown to that
officer and to those above them in the reporting line: how many named them and the averages
of the two unsur closest to one person's conduct, *kompetensi pelaksana* (u6) and *perilaku
pelaksana* (u7). The unit's SKM stays a unit figure (PermenPANRB 14/2017): nothing here feeds
:func:`app.citizen.services.index_by_unit`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from app.citizen.models import OfficerMention, ServingOfficer, SurveyResponse
from app.citizen.services import period_bounds
from app.extensions import db
from app.org.lines import supervised_ids
from app.org.models import Person


def is_serving_officer(person: Person) -> bool:
    return db.session.get(ServingOfficer, person.id) is not None


def set_serving_officer(person: Person, serving: bool) -> bool:
    row = db.session.get(ServingOfficer, person.id)
    if serving and row is None:
        db.session.add(ServingOfficer(person_id=person.id, org_id=person.org_id))
    elif not serving and row is not None:
        db.session.delete(row)
    db.session.flush()
    return serving


@dataclass(frozen=True)
class OfficerFeedback:
    person_id: int
    name: str
    mentions: int
    competence: Decimal | None
    behaviour: Decimal | None
    comments: list[str]


def _avg(total, count) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(int(total)) / Decimal(int(count))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def feedback(actor: Person, start: date, end: date) -> list[OfficerFeedback]:
    """``actor``'s own feedback and that of everyone they may review, over the period."""
    first, after = period_bounds(start, end, actor.timezone)
    visible = {actor.id, *db.session.scalars(supervised_ids(actor))}
    rows = db.session.execute(
        sa.select(Person.id, Person.name, sa.func.count(), sa.func.sum(SurveyResponse.u6),
                  sa.func.sum(SurveyResponse.u7))
        .join(OfficerMention, OfficerMention.person_id == Person.id)
        .join(SurveyResponse, SurveyResponse.id == OfficerMention.response_id)
        .where(OfficerMention.org_id == actor.org_id,
               Person.id.in_(visible),
               SurveyResponse.submitted_at >= first, SurveyResponse.submitted_at < after)
        .group_by(Person.id, Person.name).order_by(Person.name)).all()
    comments: dict[int, list[str]] = {}
    for person_id, comment in db.session.execute(
            sa.select(OfficerMention.person_id, SurveyResponse.comment)
            .join(SurveyResponse, SurveyResponse.id == OfficerMention.response_id)
            .where(OfficerMention.person_id.in_([row[0] for row in rows]),
                   SurveyResponse.comment.is_not(None),
                   SurveyResponse.submitted_at >= first, SurveyResponse.submitted_at < after)
            .order_by(SurveyResponse.submitted_at.desc())):
        comments.setdefault(person_id, [])
        if len(comments[person_id]) < 5:
            comments[person_id].append(comment)
    return [OfficerFeedback(pid, name, count, _avg(u6, count), _avg(u7, count),
                            comments.get(pid, []))
            for pid, name, count, u6, u7 in rows]
