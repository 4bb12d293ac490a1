"""When logs lock and when a submission is late: local time, working days, holidays."""

from datetime import UTC, date, datetime, time

import pytest

from app.activities import deadlines
from app.activities.models import DeadlineRule
from tests.activities.test_api import entry

URL = "/api/v1/activities"


def test_default_lock_is_the_fifth_of_next_month_2359_local(db, world):
    wib, wita = world.one.staff_a1, world.two.staff_a1
    assert deadlines.lock_moment(world.one.org, date(2026, 3, 9), wib.timezone) == \
        datetime(2026, 4, 5, 16, 59, tzinfo=UTC)
    assert deadlines.lock_moment(world.two.org, date(2026, 3, 31), wita.timezone) == \
        datetime(2026, 4, 5, 15, 59, tzinfo=UTC)
    assert deadlines.lock_moment(world.one.org, date(2026, 12, 1)).date() == date(2027, 1, 5)
    one_minute_before = datetime(2026, 4, 5, 16, 58, tzinfo=UTC)
    assert not deadlines.is_locked(wib, date(2026, 3, 1), one_minute_before)
    # 23:58 in Jakarta is already past 23:59 in Makassar.
    assert deadlines.is_locked(wita, date(2026, 3, 1), one_minute_before)


def test_rule_of_the_organisation_applies(db, world):
    db.session.add(DeadlineRule(org_id=world.one.org.id, lock_day=31, lock_time=time(12, 0),
                                late_after_working_days=3))
    db.session.commit()
    person = world.one.staff_a1
    # The 31st does not exist in February: the month's last day.
    assert deadlines.lock_moment(world.one.org, date(2026, 1, 15), person.timezone) == \
        datetime(2026, 2, 28, 5, 0, tzinfo=UTC)
    assert deadlines.late_after(person, date(2026, 3, 9)) == \
        datetime(2026, 3, 13, tzinfo=deadlines.ZoneInfo("Asia/Jakarta"))


def test_friday_is_on_time_until_monday_ends(db, world):
    person = world.one.staff_a1
    friday = date(2026, 3, 6)
    jakarta = deadlines.ZoneInfo("Asia/Jakarta")
    assert not deadlines.is_late(person, friday, datetime(2026, 3, 9, 23, 59, tzinfo=jakarta))
    assert deadlines.is_late(person, friday, datetime(2026, 3, 10, 0, 0, tzinfo=jakarta))
    thursday = date(2026, 3, 5)
    assert deadlines.is_late(person, thursday, datetime(2026, 3, 7, 9, 0, tzinfo=jakarta))


def test_holidays_and_cuti_bersama_are_not_working_days(db, world):
    person = world.one.staff_a1
    # Thursday 27 March 2025: then Nyepi's cuti bersama, a weekend, Idul Fitri and its cuti
    # bersama up to Monday 7 April; Tuesday 8 April is the next working day.
    assert deadlines.working_day_after(date(2025, 3, 27)) == date(2025, 4, 8)
    jakarta = deadlines.ZoneInfo("Asia/Jakarta")
    assert not deadlines.is_late(person, date(2025, 3, 27),
                                 datetime(2025, 4, 8, 17, 0, tzinfo=jakarta))
    assert deadlines.is_late(person, date(2025, 3, 27),
                             datetime(2025, 4, 9, 8, 0, tzinfo=jakarta))
    assert not deadlines.is_working_day(date(2025, 12, 26))  # cuti bersama Natal


def test_lateness_is_judged_in_the_persons_own_zone(db, world):
    wib, wita = world.one.staff_a1, world.two.staff_a1
    monday = date(2026, 3, 9)
    moment = datetime(2026, 3, 10, 16, 30, tzinfo=UTC)  # 23:30 WIB, 00:30 WITA on Wednesday
    assert not deadlines.is_late(wib, monday, moment)
    assert deadlines.is_late(wita, monday, moment)


def test_time_left_counts_down_to_zero(db, world):
    person = world.one.staff_a1
    now = datetime(2026, 4, 5, 15, 59, tzinfo=UTC)  # 22:59 WIB
    assert deadlines.time_left(person, date(2026, 3, 9), now).total_seconds() == 3600
    assert deadlines.time_left(person, date(2026, 3, 9),
                               datetime(2026, 4, 6, tzinfo=UTC)).total_seconds() == 0


def test_submit_computes_late_through_the_api(api, world, clock):
    staff = api.login(world.one.staff_a1)
    friday = staff.post(URL, json=entry(date="2026-03-06")).get_json()
    monday = staff.post(URL, json=entry(date="2026-03-09")).get_json()
    # Now: Tuesday 10 March, 10:00 WIB.
    assert staff.post(f"{URL}/{friday['id']}/submit", json={}).get_json()["is_late"] is True
    assert staff.post(f"{URL}/{monday['id']}/submit", json={}).get_json()["is_late"] is False


def test_locked_period_refuses_create_edit_and_submit(api, world, clock):
    clock.move_to(datetime(2026, 4, 5, 16, 50, tzinfo=UTC))  # 23:50 WIB on the 5th
    staff = api.login(world.one.staff_a1)
    body = staff.post(URL, json=entry(date="2026-03-31")).get_json()
    clock.move_to(datetime(2026, 4, 5, 17, 0, tzinfo=UTC))  # 00:00 WIB on the 6th
    staff.login(world.one.staff_a1)
    for response in (
            staff.post(URL, json=entry(date="2026-03-31")),
            staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "X"}),
            staff.post(f"{URL}/{body['id']}/submit", json={}),
            staff.patch(f"{URL}/{body['id']}", json={"version": 1, "date": "2026-04-01"})):
        assert response.status_code == 422
        error = response.get_json()["error"]
        assert error["code"] == "period_locked"
        assert "dikunci" in error["message"]
    assert staff.post(URL, json=entry(date="2026-04-01")).status_code == 201


def test_moving_an_activity_into_a_locked_month_is_refused(api, world):
    staff = api.login(world.one.staff_a1)
    body = staff.post(URL, json=entry(date="2026-03-09")).get_json()
    response = staff.patch(f"{URL}/{body['id']}", json={"version": 1, "date": "2026-02-27"})
    assert response.get_json()["error"]["code"] == "period_locked"


@pytest.mark.parametrize(("who", "expected_zone"), [("one", "Asia/Jakarta"),
                                                    ("two", "Asia/Makassar")])
def test_deadline_endpoint_shows_time_left(api, world, who, expected_zone):
    api.login(getattr(world, who).staff_a1)
    body = api.get(f"{URL}/deadline?date=2026-03-06").get_json()
    assert body["timezone"] == expected_zone
    assert body["locked"] is False and body["late_if_submitted_now"] is True
    assert body["seconds_left"] > 0
    assert body["locks_at"].startswith("2026-04-05T23:59")
    holiday = api.get(f"{URL}/deadline?date=2026-03-20").get_json()
    assert holiday["working_day"] is False and holiday["holiday"]


def test_a_changed_rule_applies_at_once_to_creates(api, db, world, count):
    """Creates check the date against the rule this process read last, inside the statement
    that writes: a rule changed in between (here, by another process) is never missed."""
    from app.activities.models import Activity
    from app.audit.models import AuditEntry

    staff = api.login(world.one.staff_a1)
    february, march = entry(date="2026-02-20"), entry(date="2026-03-09")
    # Default rule: February locked on 5 March.
    assert staff.post(URL, json=february).status_code == 422
    assert staff.post(URL, json=march).status_code == 201
    rule = DeadlineRule(org_id=world.one.org.id, lock_day=15, lock_time=time(23, 59),
                        late_after_working_days=1)
    db.session.add(rule)
    db.session.commit()
    # Open again until 15 March, although the last rule read said locked.
    assert staff.post(URL, json=february).status_code == 201
    assert staff.post(URL, json=entry(date="2026-03-09", start_time="13:00",
                                      end_time="14:00")).status_code == 201
    db.session.delete(db.session.get(DeadlineRule, rule.id))
    db.session.commit()
    # Locked again, although the last rule read said open: nothing is written.
    answer = staff.post(URL, json=entry(date="2026-02-23"))
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["code"] == "period_locked"
    assert count(Activity) == 3
    assert count(AuditEntry) == 3
