"""Optional per organisation: activities not reviewed within N working days are accepted,
and the late supervisor's own supervisor is told."""

from datetime import UTC, datetime, time

from app.audit import services as audit
from app.extensions import db
from app.feedback.models import OrgReviewPolicy
from app.feedback.services import auto_accept_due
from tests.feedback.support import notifications, submitted


def policy(org, days):
    db.session.add(OrgReviewPolicy(org_id=org.id, auto_accept_after_working_days=days))
    db.session.commit()


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_off_by_default(world):
    submitted(world.one.staff_a1)  # submitted Tuesday 10 March
    assert auto_accept_due(at("2026-04-30T03:00")) == []


def test_accepts_after_n_working_days_and_tells_the_supervisors_supervisor(world):
    policy(world.one.org, 2)
    activity = submitted(world.one.staff_a1)  # submitted Tue 10 March; due by Thu 12 March
    assert auto_accept_due(at("2026-03-12T10:00")) == []  # Thursday, still in time
    accepted = auto_accept_due(at("2026-03-13T01:00"))  # Friday 08:00 WIB
    db.session.commit()
    assert [a.id for a in accepted] == [activity.id]
    assert activity.status.value == "approved" and activity.reviewed_by_id is None
    [entry] = [e for e in audit.history("activity", activity.id) if e.action == "approve"]
    assert entry.actor_id is None and entry.changes["auto_accepted"] is True
    [owner_note] = notifications(world.one.staff_a1)
    assert owner_note.kind.value == "approved" and owner_note.data["auto"] is True
    [head_note] = notifications(world.one.head)
    assert head_note.kind.value == "digest"
    assert head_note.data == {"supervisor_id": world.one.sup_a.id, "activity_ids": [activity.id]}
    assert notifications(world.one.sup_a) == []


def test_weekends_do_not_count(world, clock):
    policy(world.one.org, 1)
    clock.move_to("2026-03-13T03:00Z")  # Friday
    activity = submitted(world.one.staff_a1, start=time(7), end=time(8))
    assert auto_accept_due(at("2026-03-16T03:00")) == []  # Monday: the 1 working day
    assert [a.id for a in auto_accept_due(at("2026-03-17T03:00"))] == [activity.id]


def test_other_organisations_and_reviewed_work_are_untouched(world, as_):
    policy(world.one.org, 1)
    mine = submitted(world.one.staff_a1)
    theirs = submitted(world.two.staff_a1)
    reviewed = submitted(world.one.staff_a2)
    as_(world.one.sup_a).post(f"/api/v1/activities/{reviewed.id}/return", json={"reason": "x"})
    accepted = auto_accept_due(at("2026-03-20T03:00"))
    assert [a.id for a in accepted] == [mine.id]
    assert theirs.id not in [a.id for a in accepted]


def test_cli_runs_and_commits(app, world, clock):
    policy(world.one.org, 1)
    activity = submitted(world.one.staff_a1)
    clock.move_to("2026-03-20T03:00Z")
    result = app.test_cli_runner().invoke(args=["auto-accept"])
    assert result.exit_code == 0 and "1 activities accepted" in result.output
    db.session.rollback()
    db.session.refresh(activity)
    assert activity.status.value == "approved"


def test_admin_sets_the_policy_through_the_api(as_, world):
    admin = as_(world.one.admin)
    assert admin.get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": None}
    response = admin.put("/api/v1/review-policy", json={"auto_accept_after_working_days": 3})
    assert response.status_code == 200
    assert as_(world.one.sup_a).get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": 3}
    assert as_(world.one.sup_a).put("/api/v1/review-policy", json={
        "auto_accept_after_working_days": 1}).status_code == 403
    assert admin.put("/api/v1/review-policy", json={
        "auto_accept_after_working_days": "3"}).status_code == 422
    assert as_(world.two.admin).get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": None}


def test_the_worker_runs_auto_accept_every_hour(app, db):
    """The queue's periodic task is what makes the policy happen without anyone running it."""
    from app.core.queue import huey
    from app.feedback.tasks import auto_accept

    periodic = {task.__name__ for task in huey._registry._periodic_tasks}
    assert "auto_accept" in periodic
    auto_accept.call_local()  # nothing due in an empty world; it commits and returns
