"""The reminder clock across WIB, WITA and WIT, working days and exactly-once delivery."""

import threading
from datetime import date, datetime

import pytest

from app.activities.models import ActivityStatus
from app.extensions import db as _db
from app.reminders.models import OrgHoliday, ReminderKind
from app.reminders.services import due_reminders, save_preferences, send_due
from tests.reminders.support import (
    add_papua,
    clock,
    ids,
    log,
    moment,
    notifications_of,
    people_of,
    sent_rows,
    tick,
)

DAILY = ReminderKind.DAILY_LOG
#: Tuesday 10 November 2026: an ordinary working day everywhere.
DAY = "2026-11-10"
KEY = DAY


def daily_to(result) -> set[int]:
    return {person for person, kind, _key in result if kind is DAILY}


def test_each_person_is_reminded_at_1530_their_own_time(world):
    papua = add_papua(world)
    wib, wita = ids(*people_of(world.one)), ids(*people_of(world.two))
    # 15:29 WIT, 14:29 WITA, 13:29 WIB: nobody yet.
    assert tick(f"{DAY}T06:29:00+00:00") == set()
    # 15:30 WIT: only Jayapura.
    assert daily_to(tick(f"{DAY}T06:30:00+00:00")) == {papua.id}
    # 15:30 WITA: the second organisation (Makassar), not Jakarta's 14:30.
    assert daily_to(tick(f"{DAY}T07:30:00+00:00")) == wita
    # 15:30 WIB: the first organisation's Jakarta people.
    assert daily_to(tick(f"{DAY}T08:30:00+00:00")) == wib
    assert {key for _p, _k, key in sent_rows(DAILY)} == {KEY}
    (note,) = notifications_of(papua)
    assert note.kind.value == "reminder" and note.data["reminder"] == "daily_log"


@pytest.mark.parametrize("day", ["2026-11-14", "2026-11-15",  # Saturday, Sunday
                                 "2026-12-25",  # Hari Raya Natal (national holiday)
                                 "2026-12-24"])  # Cuti Bersama Hari Raya Natal
def test_no_reminder_on_weekends_holidays_or_cuti_bersama(world, day):
    assert tick(f"{day}T10:00:00+00:00") == set()
    assert sent_rows() == set()


def test_no_reminder_on_an_organisations_own_holiday(world, db):
    db.session.add(OrgHoliday(org_id=world.one.org.id, day=date(2026, 11, 10),
                              name="Hari jadi kota"))
    db.session.commit()
    assert daily_to(tick(f"{DAY}T10:00:00+00:00")) == ids(*people_of(world.two))


def test_people_who_logged_today_are_not_reminded(world):
    log(world.one.staff_a1, date(2026, 11, 10), ActivityStatus.DRAFT)
    log(world.one.staff_a2, date(2026, 11, 9))  # yesterday's log does not count
    reminded = daily_to(tick(f"{DAY}T08:30:00+00:00"))
    assert world.one.staff_a1.id not in reminded
    assert world.one.staff_a2.id in reminded


def test_two_workers_at_once_send_each_reminder_once(app, world, db):
    expected = ids(*people_of(world.one), *people_of(world.two))
    db.session.commit()
    now = moment(f"{DAY}T09:00:00+00:00")  # 16:00 WIB, 17:00 WITA
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                results.append(send_due(now))
                _db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    first, second = results
    together = [(s.person_id, s.kind, s.key) for s in first + second if s.kind is DAILY]
    assert len(together) == len(set(together)) == len(expected)
    assert {p for p, _k, _key in together} == expected
    # A later tick the same day (a restart, a second scheduler) sends nothing again.
    assert daily_to(tick(f"{DAY}T10:45:00+00:00")) == set()
    for person in (world.one.staff_a1, world.two.staff_b1):
        assert [n.data["reminder"] for n in notifications_of(person)] == ["daily_log"]


def test_a_worker_that_was_down_catches_up_once(world):
    staff = world.one.staff_a1
    # Down from 15:00 to 20:00 WIB: the first tick after sends today's reminder, once.
    assert staff.id in daily_to(tick(f"{DAY}T13:00:00+00:00"))
    assert daily_to(tick(f"{DAY}T13:01:00+00:00")) == set()
    # The next morning (before 15:30), yesterday's reminder is not sent again or late.
    assert tick("2026-11-11T02:00:00+00:00") == set()
    assert {key for p, _k, key in sent_rows(DAILY) if p == staff.id} == {KEY}
    # Down the whole of Wednesday; on Thursday only Thursday's reminder goes out.
    tick("2026-11-12T09:00:00+00:00")
    assert {key for p, _k, key in sent_rows(DAILY) if p == staff.id} == {KEY, "2026-11-12"}


def november_working_days():
    return [date(2026, 11, d) for d in range(1, 31) if date(2026, 11, d).weekday() < 5]


def test_deadline_reminders_3_and_1_days_before_the_lock(world):
    done, draft, idle = world.one.staff_a1, world.one.staff_a2, world.one.staff_b1
    for day in november_working_days():
        log(done, day)
        log(draft, day, ActivityStatus.DRAFT if day.day == 3 else ActivityStatus.APPROVED)
    # November locks on 5 December 23:59 local: reminders on 2 and 4 December, 09:00.
    before = tick("2026-12-02T01:59:00+00:00")  # 08:59 WIB (but 09:59 WITA)
    early = {p for p, k, _key in before if k is ReminderKind.DEADLINE}
    assert early == ids(*people_of(world.two))
    first = {(p, key) for p, k, key in tick("2026-12-02T02:00:00+00:00")
             if k is ReminderKind.DEADLINE}
    assert (draft.id, "2026-11:d3") in first and (idle.id, "2026-11:d3") in first
    assert done.id not in {p for p, _key in first}
    assert not any(k is ReminderKind.DEADLINE for _p, k, _key
                   in tick("2026-12-03T02:00:00+00:00"))
    last = {(p, key) for p, k, key in tick("2026-12-04T02:00:00+00:00")
            if k is ReminderKind.DEADLINE}
    assert (draft.id, "2026-11:d1") in last and done.id not in {p for p, _key in last}
    (note,) = [n for n in notifications_of(draft) if n.data["key"] == "2026-11:d3"]
    assert "1" in note.body and "5" in note.body


def test_supervisors_hear_of_reviews_waiting_more_than_two_working_days(world):
    staff, sup = world.one.staff_a1, world.one.sup_a
    log(staff, date(2026, 11, 9), ActivityStatus.SUBMITTED,
        submitted_at=datetime(2026, 11, 9, 3, 0))  # Monday 10:00 WIB
    waiting = ReminderKind.REVIEWS_WAITING
    # Wednesday: two working days (Tuesday, Wednesday) have passed, not more.
    assert not {p for p, k, _key in tick("2026-11-11T02:30:00+00:00") if k is waiting}
    thursday = {p for p, k, _key in tick("2026-11-12T02:30:00+00:00") if k is waiting}
    assert thursday == {sup.id}
    (note,) = [n for n in notifications_of(sup) if n.data["reminder"] == "reviews_waiting"]
    assert note.url == "/tim"


def test_quiet_hours_delay_and_mute_silences(world, db):
    quiet, muted = world.one.staff_a1, world.one.staff_a2
    from datetime import time
    save_preferences(quiet, muted=[], quiet_from=time(15, 0), quiet_until=time(16, 0))
    save_preferences(muted, muted=["daily_log"], quiet_from=None, quiet_until=None)
    db.session.commit()
    at_1530 = daily_to(tick(f"{DAY}T08:30:00+00:00"))
    assert quiet.id not in at_1530 and muted.id not in at_1530
    assert world.one.sup_b.id in at_1530
    assert quiet.id in daily_to(tick(f"{DAY}T09:00:00+00:00"))  # 16:00: quiet hours over
    assert muted.id not in daily_to(tick(f"{DAY}T12:00:00+00:00"))


def test_supervisor_digest_lists_who_still_has_no_log(world):
    a1, a2, sup = world.one.staff_a1, world.one.staff_a2, world.one.sup_a
    tick(f"{DAY}T08:30:00+00:00")  # the daily reminder at 15:30 WIB
    log(a2, date(2026, 11, 10))  # a2 logs after the reminder
    early = tick(f"{DAY}T09:59:00+00:00")  # 16:59 WIB (17:59 WITA: the other organisation)
    assert (sup.id, ReminderKind.DIGEST, KEY) not in early
    digests = {p for p, k, _key in tick(f"{DAY}T10:00:00+00:00") if k is ReminderKind.DIGEST}
    assert sup.id in digests
    (note,) = [n for n in notifications_of(sup) if n.kind.value == "digest"]
    assert a1.name in note.body and a2.name not in note.body
    assert note.title.startswith("1")


def test_period_end_self_evaluation_and_supervisors_evaluations(world):
    assert not {k for _p, k, _key in tick("2026-11-27T03:00:00+00:00")} & {
        ReminderKind.SELF_EVALUATION, ReminderKind.EVALUATIONS_DUE}
    result = tick("2026-11-30T03:00:00+00:00")  # Monday, the last working day
    own = {p for p, k, _key in result if k is ReminderKind.SELF_EVALUATION}
    team = {p for p, k, _key in result if k is ReminderKind.EVALUATIONS_DUE}
    assert own == ids(*people_of(world.one), *people_of(world.two))
    assert team == ids(world.one.head, world.one.sup_a, world.one.sup_b,
                       world.two.head, world.two.sup_a, world.two.sup_b)
    assert {key for _p, _k, key in result} >= {"2026-11"}


def test_period_end_follows_the_organisations_evaluation_periods(world, db):
    from app.evaluations.models import EvaluationPeriod, PeriodKind

    def period(name, kind, start, end, final=False):
        db.session.add(EvaluationPeriod(
            org_id=world.one.org.id, name=name, kind=kind, year=2026, starts_on=date(*start),
            ends_on=date(*end), deadline=date(*end), is_final=final))

    # Quarterly: Triwulan IV and the annual period end on Thursday 31 December 2026.
    period("Triwulan III 2026", PeriodKind.QUARTERLY, (2026, 7, 1), (2026, 9, 30))
    period("Triwulan IV 2026", PeriodKind.QUARTERLY, (2026, 10, 1), (2026, 12, 31))
    period("Tahunan 2026", PeriodKind.ANNUAL, (2026, 1, 1), (2026, 12, 31), final=True)
    db.session.commit()
    ends = {ReminderKind.SELF_EVALUATION, ReminderKind.EVALUATIONS_DUE}
    one, two = ids(*people_of(world.one)), ids(*people_of(world.two))

    # The end of November is no period end in the first organisation, still one in the
    # second, which has defined no periods.
    november = {p for p, k, _key in tick("2026-11-30T03:00:00+00:00") if k in ends}
    assert november & one == set() and november >= two

    result = [row for row in tick("2026-12-31T03:00:00+00:00") if row[1] in ends]
    own = {p for p, k, _key in result if k is ReminderKind.SELF_EVALUATION}
    assert own >= one
    keys = {key for p, _k, key in result if p in one}
    assert len(keys) == 1 and keys.pop().startswith("period:")
    notes = [n for n in notifications_of(world.one.staff_a1)
             if n.kind.value == "reminder" and n.url == "/evaluasi"]
    assert len(notes) == 1
    assert "Triwulan IV 2026" in notes[0].body and "Tahunan 2026" in notes[0].body


def test_dry_run_lists_without_sending(world, db):
    with clock(f"{DAY}T08:30:00+00:00") as now:
        due = due_reminders(now)
    assert {d.person_id for d in due if d.kind is DAILY} == ids(*people_of(world.one),
                                                                 *people_of(world.two))
    assert sent_rows() == set()


def test_cli_send_reminders(app, world):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["send-reminders", "--dry-run", "--at",
                              "2026-11-10T15:30:00+07:00"])
    assert dry.exit_code == 0, dry.output
    assert "would send daily_log" in dry.output and world.one.staff_a1.name in dry.output
    assert sent_rows() == set()
    real = runner.invoke(args=["send-reminders", "--at", "2026-11-10T15:30:00+07:00"])
    assert real.exit_code == 0, real.output
    assert "14 reminders sent" in real.output  # WIB 15:30, WITA 16:30
    again = runner.invoke(args=["send-reminders", "--at", "2026-11-10T15:31:00+07:00"])
    assert "0 reminders sent" in again.output
