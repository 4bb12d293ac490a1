"""The demo's story: what a month of real use leaves behind, so every page has something.

Approved SKPs down the whole line (the head of agency's approved by the HR administrator, who
records the decision of the head of region: PermenPANRB 6/2022 has the PPK set a regional
JPT's SKP), a month of activities in every state with comments, a closed quarter with
self-evaluations and assessments, and citizen survey answers.

SKPs and evaluations go through the services (so their rules and audit trail hold); the
month of activities is written as rows, in bulk, so ``make run`` stays fast.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.activities.deadlines import is_working_day
from app.activities.models import Activity, ActivityStatus, WorkKind
from app.citizen import services as survey
from app.demo import story_data as text
from app.evaluations.models import EvaluationPeriod, PeriodKind
from app.evaluations.services import assessment, self_evaluation, units
from app.extensions import db
from app.feedback.models import Comment
from app.followup import dialogs, objections
from app.models import new_uuid
from app.org.models import Person, Role, Unit
from app.targets import services as targets
from app.targets.models import Aspect, Indicator, Skp, SkpStatus

#: Units whose indicator counts things (a quantity per activity); others are a level or a time.
COUNTED = {"dokumen", "laporan", "modul", "konten", "permohonan"}
#: The working days of activities before today.
MONTH_OF_DAYS = 22
#: (start, end) of the slots of a working day.
SLOTS = ((time(7, 30), time(9, 0)), (time(9, 30), time(11, 30)), (time(13, 0), time(15, 0)))


def tell(org_people: dict[str, Person], today: date) -> None:
    """Write the story of one organisation once (a second seed finds the SKPs and stops)."""
    head = org_people["kadis"]
    if targets.skp_of(head, today.year) is not None:
        return
    admin = next(p for p in org_people.values() if Role.ADMIN in p.roles)
    people = list(org_people.values())
    rng = random.Random(head.org_id)
    closed = closed_quarter(head.org_id, today)
    years = sorted({today.year} | ({closed.year} if closed else set()))
    for year in years:
        approve_skps(people, admin, year)
    indicators = {person.id: skp_indicators(person, today.year) for person in people}
    activities = month_of_activities(people, indicators, today, rng)
    comment_on(activities, rng)
    if closed is not None:
        quarter = {person.id: skp_indicators(person, closed.year) for person in people}
        quarter_activities(people, quarter, closed, today, rng)
        assess_quarter(people, admin, closed)
    survey_answers(head.org_id, today, rng)


# --- SKPs ---------------------------------------------------------------------------------

def approve_skps(people: list[Person], admin: Person, year: int) -> None:
    """Each person's SKP, top of the line first, each approved by the supervisor (the head's
    by the HR administrator)."""
    for person in sorted(people, key=depth):
        skp = targets.create_skp(person, year)
        if skp.is_jpt:
            write_rhks(person, skp, text.JPT_RHKS, parents=None)
        else:
            parents = parent_rhks(person, year)
            write_rhks(person, skp, text.UNIT_RHKS[branch(person)], parents=parents)
        targets.submit(person, skp, skp.version)
        targets.approve(person.supervisor or admin, skp, skp.version)


def write_rhks(person: Person, skp: Skp, rows, parents) -> None:
    for position, (description, perspective, indicators) in enumerate(rows):
        parent = parents[min(position, len(parents) - 1)] if parents else None
        rhk = targets.add_rhk(person, skp, skp.version, {
            "kind": "utama", "description": description, "perspective": perspective,
            "parent_rhk_id": parent.id if parent else None})
        for aspect, indicator, target, unit in indicators:
            targets.add_indicator(person, rhk, skp.version, {
                "aspect": aspect, "description": indicator, "unit": unit,
                "target_min": scaled(target, unit, depth(person))})


def parent_rhks(person: Person, year: int) -> list:
    """The supervisor's RHKs of the same branch first (a kabid's from the head's)."""
    return targets.parent_choices(targets.skp_of(person, year))


def scaled(target, unit: str, level: int) -> Decimal:
    """A counted target shrinks down the line (a kasi does a share of the kabid's)."""
    if unit in COUNTED and level > 1:
        return Decimal(max(1, round(target / 2 ** (level - 1))))
    return Decimal(str(target))


def depth(person: Person) -> int:
    level, current = 0, person
    while current.supervisor is not None:
        level, current = level + 1, current.supervisor
    return level


def branch(person: Person) -> str:
    """The second-level unit code (DKI.SEK, DKI.APT, DKI.IKP) the person works in."""
    return ".".join(person.unit.code.split(".")[:2])


def skp_indicators(person: Person, year: int) -> list[Indicator]:
    skp = targets.skp_of(person, year)
    if skp is None or skp.status is not SkpStatus.APPROVED:
        return []
    return [indicator for rhk in skp.rhks for indicator in rhk.indicators
            if indicator.aspect is Aspect.KUANTITAS] or \
        [indicator for rhk in skp.rhks for indicator in rhk.indicators]


# --- a month of activities ----------------------------------------------------------------

def working_days_before(today: date, count: int) -> list[date]:
    """``count`` working days before ``today`` and today itself (if it is one), oldest first."""
    days, day = [], today
    while len(days) < count + 1:
        if is_working_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def month_of_activities(people, indicators, today: date, rng) -> list[Activity]:
    """Every state: approved weeks ago, returned with a reason, submitted and waiting in the
    last days, drafts today."""
    made = []
    days = working_days_before(today, MONTH_OF_DAYS)
    for person in people:
        for age, day in enumerate(reversed(days)):
            for slot in range(1 + (age + person.id) % 2 + (age == 0)):
                status = state_for(age, slot, rng)
                made.append(activity(person, indicators[person.id], day, slot, status, rng))
    insert(Activity, made)
    return made


def insert(model, rows: list[dict]) -> None:
    """One executemany INSERT: the ORM's per-object bookkeeping would triple the seed time."""
    if rows:
        db.session.execute(sa.insert(model), rows)


def state_for(age: int, slot: int, rng) -> ActivityStatus:
    if age == 0:
        return ActivityStatus.DRAFT if slot == 2 else ActivityStatus.SUBMITTED
    if age <= 3:
        return ActivityStatus.RETURNED if rng.random() < 0.12 else ActivityStatus.SUBMITTED
    return ActivityStatus.RETURNED if rng.random() < 0.04 else ActivityStatus.APPROVED


def activity(person: Person, indicators: list[Indicator], day: date, slot: int,
             status: ActivityStatus, rng) -> dict:
    """One activity row as the app would have stored it."""
    choices = text.JPT_ACTIVITIES if person.supervisor_id is None else \
        text.ACTIVITIES[branch(person)]
    description, position = rng.choice(choices)
    target = pick_indicator(indicators, position)
    start, end = SLOTS[slot]
    counted = target is not None and target.unit in COUNTED
    stamp = at(person, day, end)
    reviewed = status in (ActivityStatus.APPROVED, ActivityStatus.RETURNED)
    return {
        "id": new_uuid(), "org_id": person.org_id, "person_id": person.id, "date": day,
        "start_time": start, "end_time": end, "duration_minutes": minutes(start, end),
        "description": description,
        "quantity": Decimal(rng.choice((1, 1, 2))) if counted else None,
        "unit": target.unit if counted else None, "target_id": target.id if target else None,
        "work_kind": WorkKind.SKP if target else WorkKind.LAINNYA, "status": status,
        "version": 1, "is_late": False, "created_at": stamp, "updated_at": stamp,
        "submitted_at": None if status is ActivityStatus.DRAFT else stamp,
        "reviewed_at": stamp + timedelta(hours=18) if reviewed else None,
        "reviewed_by_id": person.supervisor_id if reviewed else None,
        "return_reason": (rng.choice(text.RETURN_REASONS)
                          if status is ActivityStatus.RETURNED else None)}


def pick_indicator(indicators: list[Indicator], position: int) -> Indicator | None:
    if not indicators:
        return None
    by_rhk = sorted({i.rhk.position for i in indicators})
    wanted = by_rhk[min(position, len(by_rhk) - 1)]
    return next(i for i in indicators if i.rhk.position == wanted)


def at(person: Person, day: date, moment: time) -> datetime:
    """Naive UTC of a local wall-clock time of the person."""
    local = datetime.combine(day, moment, tzinfo=ZoneInfo(person.timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def comment_on(activities: list[dict], rng) -> None:
    """A short exchange between supervisor and employee on some reviewed activities."""
    reviewed = [a for a in activities if a["reviewed_by_id"]]
    rows = []
    for item in rng.sample(reviewed, min(len(reviewed), 40)):
        remark, reply = rng.choice(text.COMMENTS)
        rows.append({"org_id": item["org_id"], "activity_id": item["id"],
                     "author_id": item["reviewed_by_id"], "body": remark,
                     "created_at": item["reviewed_at"]})
        rows.append({"org_id": item["org_id"], "activity_id": item["id"],
                     "author_id": item["person_id"], "body": reply,
                     "created_at": item["reviewed_at"] + timedelta(minutes=25)})
    insert(Comment, rows)


# --- the closed quarter -------------------------------------------------------------------

def closed_quarter(org_id: int, today: date) -> EvaluationPeriod | None:
    """The latest quarter whose input deadline has passed."""
    return db.session.scalar(sa.select(EvaluationPeriod).where(
        EvaluationPeriod.org_id == org_id, EvaluationPeriod.kind == PeriodKind.QUARTERLY,
        EvaluationPeriod.deadline < today).order_by(EvaluationPeriod.ends_on.desc()).limit(1))


def quarter_activities(people, indicators, period: EvaluationPeriod, today: date,
                       rng) -> None:
    """Two approved activities a week through the quarter (before the month above)."""
    first_of_month = working_days_before(today, MONTH_OF_DAYS)[0]
    days = [period.starts_on + timedelta(days=n)
            for n in range((period.ends_on - period.starts_on).days + 1)]
    days = [d for d in days if d.weekday() in (1, 3) and is_working_day(d)
            and d < first_of_month]
    insert(Activity, [activity(person, indicators[person.id], day, 1, ActivityStatus.APPROVED,
                               rng) for person in people for day in days])


def assess_quarter(people: list[Person], admin: Person, period: EvaluationPeriod) -> None:
    """Everyone evaluated themself before the deadline and was assessed; most acknowledged."""
    head = next(p for p in people if p.supervisor is None)
    units.set_unit_predicate(admin, period.id, head.unit_id, "baik")
    submitted_at = at(head, period.ends_on, time(10))
    for index, person in enumerate(sorted(people, key=depth)):
        evaluation, _created = self_evaluation.open_evaluation(person, period.id)
        rows = [{"rhk_id": row.rhk_id, "realisation": text.REALISATION,
                 "reflection": text.REFLECTION} for row in evaluation.rhks]
        self_evaluation.save_self_evaluation(person, evaluation.id,
                                             version=evaluation.version, rhk=rows)
        self_evaluation.submit_evaluation(person, evaluation.id, evaluation.version,
                                          now=submitted_at)
        # Mostly Baik; one in five above expectations on both (Sangat Baik: a recognition),
        # one in five below on results (Butuh Perbaikan: a coaching plan opens).
        rating = {1: "di_atas", 3: "di_bawah"}.get(index % 5, "sesuai")
        if evaluation.is_jpt:
            rating = "sesuai"
        assessment.assess_evaluation(
            person.supervisor or admin, evaluation.id, version=evaluation.version,
            rhk=[{"rhk_id": row.rhk_id, "feedback": text.RHK_FEEDBACK, "rating": rating}
                 for row in evaluation.rhks],
            hasil_kerja=rating, perilaku_kerja="di_atas" if rating == "di_atas" else "sesuai")
        if index % 4:
            assessment.acknowledge_evaluation(person, evaluation.id, evaluation.version)
        elif rating == "di_bawah" and person.supervisor and person.supervisor.supervisor_id:
            objections.file_objection(person, evaluation.id, reasons=text.OBJECTION)
        if rating == "di_bawah" and person.supervisor:
            dialogs.create_dialog(person.supervisor, person_id=person.id,
                                  held_on=period.ends_on, topic=text.DIALOG_TOPIC,
                                  period_id=period.id, actions=[{
                                      "description": text.DIALOG_ACTION,
                                      "due_on": period.ends_on + timedelta(days=30)}])


# --- the public survey --------------------------------------------------------------------

def survey_answers(org_id: int, today: date, rng) -> None:
    """Eight to fifteen answered questionnaires per unit over the last month."""
    for unit in db.session.scalars(sa.select(Unit).where(Unit.org_id == org_id)):
        for _ in range(rng.randint(8, 15)):
            answers = {f"u{n}": rng.choice((3, 3, 4, 4, 4, 2)) for n in range(1, 10)}
            answers["service_name"] = rng.choice(text.SURVEY_SERVICES)
            answers["comment"] = rng.choice(text.SURVEY_COMMENTS)
            response = survey.record(unit, answers)
            response.submitted_at = datetime.combine(
                today - timedelta(days=rng.randint(0, 29)), time(rng.randint(1, 8)))
    db.session.flush()
