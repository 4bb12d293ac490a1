"""A day of approved absence: no "nothing logged" reminder, and counted as met in logging
compliance on the dashboards, the recaps and the documents; the team view names the kind.

The week: Monday 2 to Friday 6 November 2026, five working days with no holiday."""

from datetime import date, datetime
from decimal import Decimal

import time_machine

from app.absences import services as absences
from app.absences.models import AbsenceKind, AbsenceStatus
from app.activities.models import ActivityStatus
from app.dashboards import services as dashboards
from app.reminders.models import ReminderKind
from app.reports import services as reports
from tests.absences.support import add_absence
from tests.dashboards.support import log
from tests.reminders.support import tick

MONDAY, FRIDAY = date(2026, 11, 2), date(2026, 11, 6)
#: Friday 6 November 2026, 16.00 WIB: the week is over, the daily reminder is due.
FRIDAY_1600 = "2026-11-06T09:00:00+00:00"
NOW = datetime(2026, 11, 6, 9, 0)


def away(person, status=AbsenceStatus.APPROVED, kind=AbsenceKind.CUTI_TAHUNAN):
    add_absence(person, MONDAY, FRIDAY, kind=kind, status=status)


def daily(sent) -> set[int]:
    return {person for person, kind, _key in sent if kind is ReminderKind.DAILY_LOG}


def test_on_leave_all_week_no_reminder_and_full_compliance(world):
    one = world.one
    away(one.staff_a1)
    reminded = daily(tick(FRIDAY_1600))
    assert one.staff_a1.id not in reminded
    assert one.staff_a2.id in reminded  # the colleague without leave is reminded
    team = {row["person"]["id"]: row for row in dashboards.team_dashboard(
        one.sup_a, MONDAY, NOW)["people"]}
    mine = team[one.staff_a1.id]
    assert (mine["days_logged"], mine["days_excused"], mine["working_days"]) == (0, 5, 5)
    assert mine["compliance_percent"] == 100
    assert team[one.staff_a2.id]["compliance_percent"] == 0


def test_only_an_approved_absence_excuses(world):
    one = world.one
    away(one.staff_a1, status=AbsenceStatus.REQUESTED)
    away(one.staff_a2, status=AbsenceStatus.REJECTED)
    reminded = daily(tick(FRIDAY_1600))
    assert {one.staff_a1.id, one.staff_a2.id} <= reminded
    assert absences.excused_days(one.org.id, MONDAY, FRIDAY) == {}


def test_a_day_logged_while_away_is_not_counted_twice(world, db):
    one = world.one
    away(one.staff_a1, kind=AbsenceKind.DINAS_LUAR)
    log(one.staff_a1, date(2026, 11, 3), status=ActivityStatus.SUBMITTED)
    log(one.staff_a2, date(2026, 11, 3))
    db.session.commit()
    team = {row["person"]["id"]: row for row in dashboards.team_dashboard(
        one.sup_a, MONDAY, NOW)["people"]}
    mine = team[one.staff_a1.id]
    assert (mine["days_logged"], mine["days_excused"]) == (1, 4)
    assert mine["compliance_percent"] == 100
    assert team[one.staff_a2.id]["compliance_percent"] == 20


def test_organisation_dashboard_and_recap_count_the_excused_days(world):
    one = world.one
    away(one.staff_a1)
    view = dashboards.organisation_dashboard(one.admin, MONDAY, now=NOW)
    unit = next(row for row in view["units"] if row["id"] == one.staff_a1.unit_id)
    assert unit["days_excused"] == 5 and unit["days_logged"] == 0
    assert unit["possible_days"] == 5 * unit["people"]
    assert unit["compliance_percent"] == round(Decimal(500) / unit["possible_days"], 1)
    assert view["totals"]["days_excused"] == 5
    other = dashboards.organisation_dashboard(world.two.admin, MONDAY, now=NOW)
    assert other["totals"]["days_excused"] == 0  # never another organisation's
    recap = reports.monthly_recap(one.staff_a1, MONDAY)
    assert recap["days_excused"] == 5  # the working days of November covered by the leave
    team = {row["person"]["id"]: row for row in reports.team_monthly_recap(one.sup_a, MONDAY)}
    assert team[one.staff_a1.id]["days_excused"] == 5
    assert team[one.staff_a2.id]["days_excused"] == 0


def test_the_api_and_the_documents_show_it(api, world):
    one = world.one
    away(one.staff_a1, kind=AbsenceKind.SAKIT)
    with time_machine.travel(FRIDAY_1600, tick=False):
        api.login(one.sup_a)
        dashboard = api.get("/api/v1/dashboards/team?month=2026-11").get_json()
        row = next(r for r in dashboard["people"] if r["person"]["id"] == one.staff_a1.id)
        assert row["compliance_percent"] == 100 and row["days_excused"] == 5
        api.login(one.staff_a1)
        recap = api.get("/api/v1/recaps/monthly?month=2026-11").get_json()
        assert recap["days_excused"] == 5
        page = api.get("/laporan-bulanan?bulan=2026-11")
        assert page.status_code == 200
        assert "Hari dikecualikan (cuti/absen)" in page.get_data(as_text=True)


def test_the_team_view_names_the_kind_of_absence(api, world):
    one = world.one
    away(one.staff_a1, kind=AbsenceKind.CUTI_SAKIT)
    with time_machine.travel(FRIDAY_1600, tick=False):
        api.login(one.sup_a)
        page = api.get("/tim").get_data(as_text=True)
    marker = f'<section class="card team-person" data-person-id="{one.staff_a1.id}"'
    section = page.split(marker, 1)[1].split("</section>")[0]
    assert "Cuti sakit" in section
    nothing_logged = page.split('id="not-logged-title"', 1)[1].split("</section>")[0]
    assert one.staff_a1.name not in nothing_logged
    assert one.staff_a2.name in nothing_logged
