"""The dashboard API and pages: numbers, charts, and who may see what."""

import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from app.activities.deadlines import is_working_day, local_today
from app.activities.models import ActivityStatus
from app.dashboards import services
from app.models import utcnow
from tests.dashboards.support import indicator, log, survey
from tests.test_pages import sign_in


def working_days_this_month(today: date) -> int:
    days = [today.replace(day=1) + timedelta(days=n) for n in range(today.day)]
    return sum(1 for day in days if is_working_day(day))


def test_team_api_counts_today_and_the_reviews(api, world, db):
    one = world.one
    today = local_today(one.staff_a1, utcnow())
    dokumen = indicator(one.staff_a1, today.year, 8)
    log(one.staff_a1, today, status=ActivityStatus.APPROVED, target=dokumen, quantity=2)
    log(one.staff_a2, today - timedelta(days=40), status=ActivityStatus.SUBMITTED,
        submitted_at=datetime(today.year - 1, 12, 1))
    log(world.two.staff_a1, today)
    db.session.commit()
    body = api.login(one.sup_a).get("/api/v1/dashboards/team").get_json()
    assert body["today"] == today.isoformat()
    people = {row["person"]["id"]: row for row in body["people"]}
    assert set(people) == {one.staff_a1.id, one.staff_a2.id}
    a1 = people[one.staff_a1.id]
    assert a1["logged_today"] is True and people[one.staff_a2.id]["logged_today"] is False
    working = working_days_this_month(today)
    assert a1["working_days"] == working
    assert a1["days_logged"] == (1 if is_working_day(today) else 0)
    [item] = a1["indicators"]
    assert (item["approved_quantity"], item["target_quantity"], item["percent"]) == (2, 8, 25)
    assert body["reviews"]["waiting"] == 1
    assert body["reviews"]["oldest"]["person"]["id"] == one.staff_a2.id
    assert [p["id"] for p in body["not_logged_today"]] == [one.staff_a2.id]


def test_team_api_refuses_a_plain_employee_and_bad_months(api, world):
    api.login(world.one.staff_a1)
    response = api.get("/api/v1/dashboards/team")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    api.login(world.one.sup_a)
    assert api.get("/api/v1/dashboards/team?month=2026-13").status_code == 422
    assert api.get("/api/v1/dashboards/team?month=maret").status_code == 422
    assert api.get("/api/v1/dashboards/team?month=2026-03").get_json()["month"] == "2026-03"


def test_team_api_pages(api, world, db):
    api.login(world.one.head)
    first = api.get("/api/v1/dashboards/team?per_page=2").get_json()
    second = api.get("/api/v1/dashboards/team?per_page=2&page=2").get_json()
    assert first["pagination"] == {"page": 1, "per_page": 2, "total": 6, "pages": 3}
    assert len(first["people"]) == len(second["people"]) == 2
    assert not {r["person"]["id"] for r in first["people"]} & {
        r["person"]["id"] for r in second["people"]}
    assert len(first["logged_today"]) + len(first["not_logged_today"]) == 6
    for bad in ("page=0", "per_page=0", "per_page=201", "page=dua"):
        response = api.get(f"/api/v1/dashboards/team?{bad}")
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["fields"], bad


def test_team_page_pages_through_a_large_line(client, world, db, monkeypatch):
    from app.dashboards import services

    monkeypatch.setattr(services, "TEAM_PAGE_SIZE", 4)
    sign_in(client, world.one.head)
    html = client.get("/dasbor").get_data(as_text=True)
    assert "Halaman 1 dari 2" in html and 'rel="next"' in html and 'rel="prev"' not in html
    assert html.count("<tr data-person-id=") == 4
    assert "dari 6 pegawai" in html  # today's logging counts the whole team
    second = client.get("/dasbor?halaman=2").get_data(as_text=True)
    assert second.count("<tr data-person-id=") == 2 and 'rel="prev"' in second
    beyond = client.get("/dasbor?halaman=9")
    assert beyond.status_code == 200 and "<tr data-person-id=" not in beyond.get_data(
        as_text=True)
    assert client.get("/dasbor?halaman=nol").status_code == 200  # the first page


def test_organisation_api_roles_and_scoping(api, world, db):
    one, two = world.one, world.two
    log(two.staff_a1, date(2026, 3, 10), late=True)
    survey(two.staff_a1, [1] * 9, datetime(2026, 3, 10, 3))
    log(one.staff_a1, date(2026, 3, 10), late=True)
    db.session.commit()
    for person in (one.staff_a1, one.sup_a):
        api.login(person)
        assert api.get("/api/v1/dashboards/organisation").status_code == 403
    for person in (one.admin, one.head):
        body = api.login(person).get("/api/v1/dashboards/organisation?month=2026-03").get_json()
        assert {u["name"] for u in body["units"]} == {"Dinas kota-satu", "Bidang A", "Seksi A1",
                                                      "Bidang B"}
        assert body["totals"]["late"] == 1 and body["totals"]["people"] == 7
        assert all(u["survey"] is None for u in body["units"])
    response = api.get(f"/api/v1/dashboards/organisation?unit_id={two.staff_a1.unit_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/dashboards/organisation?unit_id=abc").status_code == 422
    own = api.get(f"/api/v1/dashboards/organisation?unit_id={one.staff_a1.unit_id}"
                  "&month=2026-03").get_json()
    assert [u["code"] for u in own["units"]] == ["A1"] and own["units"][0]["late"] == 1


def test_team_page_shows_charts_with_titles_and_numbers(client, world, db):
    one = world.one
    today = local_today(one.staff_a1, utcnow())
    dokumen = indicator(one.staff_a1, today.year, 4)
    log(one.staff_a1, today, status=ActivityStatus.APPROVED, target=dokumen, quantity=3)
    db.session.commit()
    sign_in(client, one.sup_a)
    response = client.get("/dasbor")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('<svg class="chart"') == 2  # compliance, one person's realisation
    assert re.search(r'<svg class="chart" id="chart-compliance" role="img"', html)
    assert '<title id="chart-compliance-title">' in html
    # 3 of 4 = 75 %: in the chart as text and in the list beside it.
    realisation = html[html.index('id="chart-realisation'):]
    assert "75 %" in realisation[:realisation.index("</svg>")]
    assert re.search(rf'data-indicator-id="{dokumen.id}">[^<]*<strong>75 %</strong>', html)
    assert one.staff_a2.name in html[html.index('class="dashboard-not-logged"'):]
    row = html[html.index(f'<tr data-person-id="{one.staff_a1.id}">'):]
    assert re.search(r'data-figure="compliance">(\d|–)', row)
    assert 'data-figure="late">0<' in row and 'data-figure="waiting">0<' in row


def test_pages_are_role_checked(client, world):
    sign_in(client, world.one.staff_a1)
    assert client.get("/dasbor").status_code == 403
    assert client.get("/dasbor/organisasi").status_code == 403


def test_admin_without_a_team_goes_to_the_organisation_dashboard(client, world):
    sign_in(client, world.one.admin)
    response = client.get("/dasbor")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/dasbor/organisasi")
    html = client.get("/dasbor/organisasi").get_data(as_text=True)
    assert 'id="chart-unit-compliance"' in html and "Seksi A1" in html
    assert "Kota-Dua" not in html and "kota-dua" not in html
    assert 'id="chart-unit-predikat"' not in html
    # Each unit's public survey address, for the QR code at the counter.
    assert f'/survei/{world.one.org.slug}/A1"' in html


def test_organisation_page_survey_and_predikat_when_available(client, world, db, monkeypatch):
    one = world.one
    survey(one.staff_a1, [4] * 9, datetime(2026, 3, 10, 3))
    survey(one.staff_a1, [4, 4, 4, 4, 4, 4, 4, 4, 3], datetime(2026, 3, 11, 3))
    db.session.commit()
    a1, b = one.staff_a1.unit_id, one.staff_b1.unit_id
    distribution = {a1: {"sangat_baik": 1, "baik": 7, "butuh_perbaikan": 2},
                    b: {"baik": 3, "kurang_misconduct": 1, "sangat_kurang": 1}}
    calls = []

    def fake(org_id, period_id=None):
        calls.append(org_id)
        return distribution

    monkeypatch.setattr(services, "predikat_distribution", fake)
    monkeypatch.setattr(services, "predikat_period",
                        lambda org_id: SimpleNamespace(id=1, name="Triwulan I 2026"))
    sign_in(client, one.head)
    html = client.get("/dasbor/organisasi?bulan=2026-03").get_data(as_text=True)
    assert calls == [one.org.id]
    # SKM: NRR 4 for eight unsur, 3.5 for the ninth: 35.5 / 9 = 3.9444; value 98.61: A.
    assert re.search(r'data-figure="skm-value">98[.,]61<', html)
    assert 'data-figure="grade">A<' in html
    chart = html[html.index('id="chart-unit-survey"'):]
    assert re.search(r"98[.,]61 A", chart[:chart.index("</svg>")])
    predikat = html[html.index('id="chart-unit-predikat"'):]
    svg = predikat[:predikat.index("</svg>")]
    assert 'role="img"' in html[html.index('id="chart-unit-predikat"') - 40:][:80]
    assert "<title" in svg and ">7</text>" in svg and " 10</text>" in svg
    row = html[html.index(f'<tr data-unit-id="{b}">', html.index("predikat-title")):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'data-predikat="(\w+)">(\d+)<', row) == [
        ("sangat_baik", "0"), ("baik", "3"), ("butuh_perbaikan", "0"),
        ("kurang_misconduct", "1"), ("sangat_kurang", "1")]


def test_dashboard_api_scales_with_grouped_queries(api, world, db):
    """The number of statements does not grow with the team or the units.

    Only this thread's statements count: the requests run in it, while the in-process task
    queue may run a job of its own on another thread at the same moment."""
    import threading

    import sqlalchemy as sa

    from app.extensions import db as database

    one = world.one
    api.login(one.head)
    counts = []

    here = threading.get_ident()

    def counter(*args):
        if threading.get_ident() == here:
            counts[-1] += 1

    for extra in (0, 5):
        for n in range(extra):
            person = __import__("tests.factories", fromlist=["add_person"]).add_person(
                one.org, one.staff_a1.unit, f"Tambahan {extra}-{n}", one.sup_a)
            log(person, date(2026, 3, 10))
        db.session.commit()
        counts.append(0)
        sa.event.listen(database.engine, "before_cursor_execute", counter)
        try:
            assert api.get("/api/v1/dashboards/team?month=2026-03").status_code == 200
            assert api.get("/api/v1/dashboards/organisation?month=2026-03").status_code == 200
        finally:
            sa.event.remove(database.engine, "before_cursor_execute", counter)
    assert counts[0] == counts[1]
    assert counts[0] < 40


def test_navigation_offers_the_dashboard_only_to_who_may_see_one(client, world):
    sign_in(client, world.one.staff_a1)
    assert 'href="/dasbor"' not in client.get("/").get_data(as_text=True)
    client.post("/keluar", data={"csrf_token": re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/").get_data(as_text=True))
        .group(1)})
    sign_in(client, world.one.sup_a)
    assert 'href="/dasbor"' in client.get("/").get_data(as_text=True)


def test_team_page_shows_a_kualitas_indicator_in_percent(client, world, db):
    """The page writes each indicator in its own measure: marks as %, not the unit summed."""
    from decimal import Decimal

    from app.targets.models import Aspect, Indicator

    one = world.one
    today = local_today(one.staff_a1, utcnow())
    dokumen = indicator(one.staff_a1, today.year, 8)
    kualitas = Indicator(rhk_id=dokumen.rhk_id, aspect=Aspect.KUALITAS, unit="%",
                         description="Mutu telaahan", target_min=Decimal(90))
    unmarked = Indicator(rhk_id=indicator(one.staff_a2, today.year, 4).rhk_id,
                         aspect=Aspect.KUALITAS, unit="%", description="Mutu rekap",
                         target_min=Decimal(90))
    db.session.add_all([kualitas, unmarked])
    log(one.staff_a1, today, status=ActivityStatus.APPROVED, target=dokumen,
        quantity=2).quality = 3
    db.session.commit()
    sign_in(client, one.sup_a)
    html = client.get("/dasbor").get_data(as_text=True)
    item = re.search(rf'<li data-indicator-id="{kualitas.id}">(.*?)</li>', html, re.S).group(1)
    assert "75 dari 90 %" in item  # one mark of 3: 75 %, of the 90 % target
    assert "83,3" in item
    other = re.search(rf'<li data-indicator-id="{unmarked.id}">(.*?)</li>', html, re.S).group(1)
    assert "belum dinilai" in other
