"""Reminder settings, admins' rules and holidays over the API; push queued after commit."""

import re
from datetime import date

import pytest

from app.extensions import db as _db
from app.notifications.services import notify
from app.reminders.models import ReminderKind
from app.reminders.services import send_due
from tests.reminders.support import clock, sent_rows, tick

DAILY = ReminderKind.DAILY_LOG


def test_own_settings_round_trip_and_validation(api, world):
    api.login(world.one.staff_a1)
    assert api.get("/api/v1/reminder-settings").get_json() == {
        "muted": [], "quiet_from": None, "quiet_until": None}
    saved = api.put("/api/v1/reminder-settings", json={
        "muted": ["digest", "daily_log"], "quiet_from": "21:00", "quiet_until": "06:00"})
    assert saved.status_code == 200
    assert saved.get_json() == {"muted": ["daily_log", "digest"], "quiet_from": "21:00",
                                "quiet_until": "06:00"}
    half = api.put("/api/v1/reminder-settings", json={
        "muted": [], "quiet_from": "21:00", "quiet_until": None})
    assert half.status_code == 422 and "quiet_until" in half.get_json()["error"]["fields"]
    unknown = api.put("/api/v1/reminder-settings", json={
        "muted": ["everything"], "quiet_from": None, "quiet_until": None})
    assert unknown.status_code == 422
    # Muted through the API: no daily reminder for this person.
    assert world.one.staff_a1.id not in {p for p, k, _ in tick("2026-11-10T08:30:00+00:00")}


def test_admin_edits_rules_and_the_clock_follows(api, world):
    api.login(world.one.admin)
    rules = {r["kind"]: r for r in api.get("/api/v1/reminder-rules").get_json()}
    assert rules["daily_log"] == {"kind": "daily_log", "enabled": True, "at_time": "15:30",
                                  "days": [], "default": True}
    assert rules["deadline"]["days"] == [3, 1] and rules["digest"]["at_time"] == "17:00"
    changed = api.put("/api/v1/reminder-rules", json={"rules": [
        {"kind": "daily_log", "at_time": "16:00"},
        {"kind": "self_evaluation", "enabled": False}]})
    assert changed.status_code == 200, changed.get_json()
    after = {r["kind"]: r for r in changed.get_json()}
    assert after["daily_log"]["at_time"] == "16:00" and not after["daily_log"]["default"]
    assert after["self_evaluation"]["enabled"] is False
    one = {p.id for p in (world.one.staff_a1, world.one.staff_b1)}
    assert not one & {p for p, k, _ in tick("2026-11-10T08:30:00+00:00") if k is DAILY}
    assert one <= {p for p, k, _ in tick("2026-11-10T09:00:00+00:00") if k is DAILY}
    # The second organisation keeps the defaults.
    assert world.two.staff_a1.id in {p for p, _k, _ in sent_rows(DAILY)}


@pytest.mark.parametrize("who", ["staff_a1", "sup_a", "head"])
def test_rules_are_refused_to_everyone_but_the_admin(api, world, who):
    api.login(getattr(world.one, who))
    assert api.get("/api/v1/reminder-rules").status_code == 403
    refused = api.put("/api/v1/reminder-rules", json={"rules": [{"kind": "daily_log",
                                                                 "enabled": False}]})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    assert api.post("/api/v1/holidays", json={"day": "2026-11-10", "name": "x"}
                    ).status_code == 403


def test_rules_input_is_validated(api, world):
    api.login(world.one.admin)
    for body in ({"rules": [{"kind": "weekly"}]}, {"rules": [{"kind": "deadline",
                                                             "days": [3.5]}]},
                 {"rules": [{"kind": "daily_log", "at_time": "25:00"}]}, {"rules": []}):
        assert api.put("/api/v1/reminder-rules", json=body).status_code == 422, body


def test_admin_adds_and_removes_holidays(api, world):
    api.login(world.one.admin)
    created = api.post("/api/v1/holidays", json={"day": "2026-11-10",
                                                  "name": "Hari jadi kota"})
    assert created.status_code == 201
    holiday = created.get_json()
    assert holiday["day"] == "2026-11-10"
    assert api.post("/api/v1/holidays", json={"day": "2026-11-10", "name": "Lagi"}
                    ).status_code == 409
    assert api.get("/api/v1/holidays?year=2026").get_json() == [holiday]
    assert api.get(f"/api/v1/holidays/{holiday['id']}").get_json() == holiday
    sent = tick("2026-11-10T09:00:00+00:00")
    assert world.one.staff_a1.id not in {p for p, _k, _ in sent}
    assert world.two.staff_a1.id in {p for p, _k, _ in sent}
    assert api.delete(f"/api/v1/holidays/{holiday['id']}").status_code == 204
    assert api.get("/api/v1/holidays").get_json() == []


def test_holidays_are_readable_by_everyone_of_the_organisation(api, world, db):
    api.login(world.one.admin)
    api.post("/api/v1/holidays", json={"day": "2026-11-10", "name": "Hari jadi kota"})
    api.login(world.one.staff_a1)
    assert [h["day"] for h in api.get("/api/v1/holidays").get_json()] == ["2026-11-10"]
    api.login(world.two.admin)
    assert api.get("/api/v1/holidays").get_json() == []


def test_profile_page_saves_reminder_settings(api, world):
    api.login(world.one.staff_a1)
    page = api.get("/profil")
    assert page.status_code == 200 and b'name="quiet_from"' in page.data
    saved = api.client.post("/profil/pengingat", data={
        "csrf_token": api.csrf_token, "muted": ["deadline"], "quiet_from": "12:00",
        "quiet_until": "13:00"})
    assert saved.status_code == 303
    assert api.get("/api/v1/reminder-settings").get_json() == {
        "muted": ["deadline"], "quiet_from": "12:00", "quiet_until": "13:00"}
    page = api.get("/profil").data.decode()
    assert re.search(r'value="deadline"\s+checked', page) and 'value="12:00"' in page
    assert not re.search(r'value="daily_log"\s+checked', page)


def test_push_is_queued_after_commit_with_the_notification_ids(world, db, monkeypatch):
    from app.core.queue import huey
    from app.notifications import push

    assert huey.immediate
    calls = []
    monkeypatch.setattr(push, "push_for_notifications",
                        lambda ids, app=None, devices=None: calls.append(list(ids)))
    with clock("2026-11-10T08:30:00+00:00") as now:
        sent = send_due(now)
    assert calls, "send_push was not run"
    pushed = sorted(i for batch in calls for i in batch)
    assert pushed == sorted(s.notification_id for s in sent)  # each once, after the commit
    # Rolled back: nothing is pushed; committed: pushed once, after the commit.
    calls.clear()
    notify(world.one.staff_a1, "reminder", title="Rolled back")
    assert calls == []
    _db.session.rollback()
    assert calls == []
    kept = notify(world.one.staff_a1, "reminder", title="Kept")
    assert calls == []
    _db.session.commit()
    assert calls == [[kept.id]]


def test_a_retryable_push_is_scheduled_again_with_a_growing_delay(world, db, monkeypatch):
    from app.notifications import push, tasks

    asked = []

    def refuse(ids, app=None, devices=None):
        asked.append(devices)
        raise push.PushRetryable("busy", retry_after=5, notification_ids=ids[:1],
                                 devices=[(ids[0], 41)])

    scheduled = []
    monkeypatch.setattr(push, "push_for_notifications", refuse)
    monkeypatch.setattr(tasks.send_push, "schedule",
                        lambda args, delay: scheduled.append((args, delay)))
    tasks.send_push([7, 8])
    tasks.send_push([7], 2, [[7, 41]])
    # Only the device that did not take the notification is tried again.
    assert asked == [None, [[7, 41]]]
    assert scheduled == [(([7], 1, [[7, 41]]), 30), (([7], 3, [[7, 41]]), 120)]
    assert tasks.push_retry_delay(1, retry_after=90) == 90
    assert tasks.push_retry_delay(20) == tasks.PUSH_RETRY_MAX


def test_reminder_ledger_keys(world):
    tick("2026-11-10T08:30:00+00:00")
    assert (world.one.staff_a1.id, DAILY, date(2026, 11, 10).isoformat()) in sent_rows()


def test_another_organisations_holiday_cannot_be_removed(api, world):
    from tests.reminders.support import other_org_ids

    holiday_id = other_org_ids(world)["holiday_id"]
    api.login(world.one.admin)
    refused = api.delete(f"/api/v1/holidays/{holiday_id}")
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    api.login(world.two.admin)
    assert [h["id"] for h in api.get("/api/v1/holidays").get_json()] == [holiday_id]
