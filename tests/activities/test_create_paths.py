"""The two create paths answer alike: the reference path (services/create.py, the ORM) and
the PostgreSQL fast path (services/fastpath.py, one statement, also the lane's).

The same creates go through each, one person per path: staff_a1's through the reference
path (the fast path declines every create of theirs), staff_a2's through the app as it is,
where the fast path writes the plain ones. Status, body, stored row and audit entry must be
equal, up to what differs between two people by design (ids, the person, their target,
timestamps). On SQLite the fast path is not used (it is PostgreSQL's): both people then take
the reference path, and the test checks that the fast path declined every create.
"""

import uuid

import pytest
import sqlalchemy as sa

from app.activities.models import Activity
from app.activities.services import fastpath
from app.audit.cli import audit_verify
from app.audit.models import AuditEntry
from tests.activities.support import make_activity, make_indicator
from tests.activities.test_api import URL, entry

#: Keys whose values are one person's own ids: compared through labels.
PEOPLE = ("person_id", "owner_id", "actor_id")
ACTIVITIES = ("id", "activity_id", "subject_id")
#: Keys that differ by design; left out.
STAMPS = ("created_at", "updated_at")


class Labels:
    """Replaces a person's own ids by names, so that two people's answers compare."""

    def __init__(self, person, indicator):
        self.names = {"person": {person.id: "person"}, "target": {indicator.id: "target"},
                      "activity": {}}

    def activity(self, key, name):
        self.names["activity"][key] = name

    def __call__(self, value, key=None):
        if isinstance(value, dict):
            return {k: self(v, k) for k, v in value.items() if k not in STAMPS}
        if isinstance(value, list):
            return [self(item) for item in value]
        kind = ("person" if key in PEOPLE else "target" if key == "target_id"
                else "activity" if key in ACTIVITIES else None)
        if kind is None or value is None:
            return value
        return self.names[kind].get(value, value)


def creates(client, labels, target_id, taken_id) -> list[tuple[str, int, dict]]:
    """The creates, in order: (name, status, body)."""
    ids = {name: str(uuid.uuid4()) for name in ("plain", "target", "overlap", "locked")}
    for name, key in ids.items():
        labels.activity(key, name)
    plain = entry(id=ids["plain"], start_time="08:00", end_time="09:00")
    bodies = [
        ("plain", plain),
        ("target", entry(id=ids["target"], work_kind=None, target_id=target_id,
                         unit="dokumen", quantity="1.5", start_time="10:00",
                         end_time="11:00")),
        ("overlap", entry(id=ids["overlap"], start_time="08:30", end_time="10:30")),
        ("replay", plain),
        ("conflicting id", entry(id=taken_id)),
        ("locked period", entry(id=ids["locked"], date="2026-01-15")),
    ]
    answers = []
    for name, body in bodies:
        response = client.post(URL, json=body)
        answers.append((name, response.status_code, response.get_json()))
    return answers


def stored(db, person, labels) -> tuple[list, list]:
    """The person's activities and their audit entries, as labels see them."""
    db.session.rollback()  # see what the requests committed
    activities = db.session.scalars(sa.select(Activity).where(Activity.person_id == person.id)
                                    .order_by(Activity.start_time)).all()
    rows = [labels({column.key: getattr(activity, column.key)
                    for column in Activity.__table__.columns}) for activity in activities]
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.owner_id == person.id, AuditEntry.subject_type == "activity")
        .order_by(AuditEntry.seq)).all()
    logged = [labels({"owner_id": e.owner_id, "actor_id": e.actor_id, "action": e.action,
                      "subject_id": e.subject_id, "changes": e.changes}) for e in entries]
    return rows, logged


@pytest.fixture
def paths(monkeypatch, world):
    """Switch the fast path off for staff_a1; note what it wrote for anyone else."""
    reference, wrote = world.one.staff_a1, []
    create = fastpath.create

    def switched(actor, key, *args, **kwargs):
        if actor.id == reference.id:
            return None
        saved = create(actor, key, *args, **kwargs)
        wrote.append((key, saved is not None))
        return saved

    monkeypatch.setattr(fastpath, "create", switched)
    return wrote


def test_the_fast_path_answers_as_the_reference_path(app, api, db, world, paths):
    taken = make_activity(world.one.staff_b1).id  # someone else's id
    paths.clear()
    results = {}
    for path, person in (("reference", world.one.staff_a1), ("fast", world.one.staff_a2)):
        indicator = make_indicator(person)
        labels = Labels(person, indicator)
        labels.activity(taken, "taken")
        client = type(api)(app).login(person)
        answers = creates(client, labels, indicator.id, taken)
        results[path] = ([(name, status, labels(body)) for name, status, body in answers],
                         *stored(db, person, labels))

    answers, rows, logged = results["reference"]
    assert [(name, status) for name, status, _ in answers] == [
        ("plain", 201), ("target", 201), ("overlap", 201), ("replay", 200),
        ("conflicting id", 409), ("locked period", 422)]
    assert answers[2][2]["warnings"][0]["count"] == 2  # the plain and the target one
    assert len(rows) == 3 and [e["action"] for e in logged] == ["create"] * 3
    assert results["fast"] == results["reference"]

    # Which creates the fast path wrote (staff_a2's): on PostgreSQL the plain ones; it
    # declined the replay, someone else's id and the locked period, which the reference
    # path answered. On SQLite it declined every one.
    wrote = [(labels.names["activity"][key], done) for key, done in paths]
    postgresql = db.engine.dialect.name == "postgresql"
    assert wrote == [("plain", postgresql), ("target", postgresql), ("overlap", postgresql),
                     ("plain", False), ("taken", False), ("locked", False)]
    result = app.test_cli_runner().invoke(audit_verify)
    assert result.exit_code == 0, result.output
