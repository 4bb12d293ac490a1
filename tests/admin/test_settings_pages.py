"""The organisation's settings as pages: acting supervisors, holidays, reminder rules and the
review policy. HR administrators change them, pimpinan read them, everyone else is refused;
what a page saves is what the API answers, audited, and never another organisation's."""

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.reminders.models import OrgHoliday

PAGES = {
    "/admin/plt": "/admin/plt",
    "/admin/libur": "/admin/libur",
    "/admin/pengingat": "/admin/pengingat",
    "/admin/kebijakan-tinjauan": "/admin/kebijakan-tinjauan",
}
#: A valid-looking post to every write of the pages (ids that exist are not needed: the
#: role is checked first).
WRITES = ["/admin/plt", "/admin/plt/1/hapus", "/admin/libur", "/admin/libur/1/hapus",
          "/admin/pengingat", "/admin/kebijakan-tinjauan"]


def page(api, url, **kwargs):
    response = api.get(url, **kwargs)
    return response.status_code, response.get_data(as_text=True)


def audited(subject_type: str, action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.subject_type == subject_type, AuditEntry.action == action)))


def acting_form(world, **change):
    return {"acting_person_id": str(world.one.staff_b1.id),
            "for_person_id": str(world.one.sup_a.id), "kind": "plh",
            "starts_on": "2030-03-09", "ends_on": "2030-03-13", **change}


# --- who may see and change ------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES)
def test_the_admin_sees_each_page_with_its_form(api, world, url):
    api.login(world.one.admin)
    status, html = page(api, url)
    assert status == 200
    assert f'action="{url}' in html and 'name="csrf_token"' in html
    assert "hanya admin kepegawaian yang dapat mengubahnya" not in html


@pytest.mark.parametrize("url", PAGES)
def test_pimpinan_see_each_page_without_forms(api, world, url):
    api.login(world.one.head)
    status, html = page(api, url)
    assert status == 200
    assert "hanya admin kepegawaian yang dapat mengubahnya" in html
    assert 'method="post" action="/admin' not in html


@pytest.mark.parametrize("url", WRITES)
def test_pimpinan_writes_are_refused(api, world, url):
    api.login(world.one.head)
    assert api.post(url, data={"name": "x"}).status_code == 403


@pytest.mark.parametrize("url", list(PAGES) + WRITES)
@pytest.mark.parametrize("who", ["staff_a1", "sup_a"])
def test_everyone_else_is_refused(api, world, url, who):
    api.login(getattr(world.one, who))
    assert api.get(url).status_code in (403, 405)
    assert api.post(url, data={}).status_code == 403


def test_the_landing_page_offers_the_settings_pages(api, world):
    api.login(world.one.admin)
    html = api.get("/admin").get_data(as_text=True)
    for url in PAGES:
        assert f'href="{url}"' in html


def test_a_form_without_the_csrf_token_is_refused(api, world):
    api.login(world.one.admin)
    response = api.client.post("/admin/kebijakan-tinjauan",
                               data={"auto_accept_after_working_days": "3"})
    assert response.status_code == 400
    assert api.get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": None}


# --- acting supervisors (Plt/Plh) ------------------------------------------------------------

def test_the_admin_appoints_an_acting_supervisor(api, world):
    api.login(world.one.admin)
    status, html = page(api, "/admin/plt")
    # Both selects offer the organisation's people, and no one of the other organisation.
    assert f'value="{world.one.sup_a.id}"' in html
    assert world.two.sup_a.nip not in html
    response = api.post("/admin/plt", data=acting_form(world))
    assert response.status_code == 303
    listed = api.get("/api/v1/acting-assignments").get_json()
    assert [(a["acting_person"]["id"], a["for_person"]["id"], a["kind"], a["starts_on"],
             a["ends_on"]) for a in listed] == [
        (world.one.staff_b1.id, world.one.sup_a.id, "plh", "2030-03-09", "2030-03-13")]
    html = api.get("/admin/plt").get_data(as_text=True)
    assert "Plt/Plh berhasil ditunjuk" in html
    assert world.one.staff_b1.name in html.split("<details")[0]
    [entry] = audited("acting_assignment", "create")
    assert entry.actor_id == world.one.admin.id and entry.subject_id == str(listed[0]["id"])


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"ends_on": "2030-03-01"}, "ends_on", "tidak boleh sebelum"),
    ({"acting_person_id": str(0)}, "acting_person_id", "tidak ditemukan"),
    ({"starts_on": "9 Maret"}, "starts_on", "tanggal yang benar"),
    ({"kind": "boss"}, "kind", "salah satu"),
])
def test_a_bad_appointment_is_shown_again_with_what_was_typed(api, world, change, field,
                                                              message):
    api.login(world.one.admin)
    form = acting_form(world, **change)
    response = api.post("/admin/plt", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html.lower()
    assert f'value="{form["starts_on"]}"' in html
    assert re.search(rf'<option value="{world.one.sup_a.id}" selected>', html)
    assert api.get("/api/v1/acting-assignments").get_json() == []


def test_someone_of_another_organisation_cannot_be_appointed(api, world):
    api.login(world.one.admin)
    response = api.post("/admin/plt", data=acting_form(
        world, acting_person_id=str(world.two.staff_b1.id)))
    assert response.status_code == 422
    assert api.get("/api/v1/acting-assignments").get_json() == []


def test_past_assignments_are_folded_away_and_removal_works(api, world):
    api.login(world.one.admin)
    api.post("/admin/plt", data=acting_form(world))
    api.post("/admin/plt", data=acting_form(world, acting_person_id=str(world.one.sup_b.id),
                                            starts_on="2020-01-06", ends_on="2020-01-10",
                                            kind="plt"))
    html = api.get("/admin/plt").get_data(as_text=True)
    current, past = html.split("<details")
    assert world.one.staff_b1.name in current and world.one.sup_b.name not in current
    assert world.one.sup_b.name in past
    ids = {a["acting_person"]["id"]: a["id"]
           for a in api.get("/api/v1/acting-assignments").get_json()}
    response = api.post(f"/admin/plt/{ids[world.one.sup_b.id]}/hapus")
    assert response.status_code == 303
    assert [a["id"] for a in api.get("/api/v1/acting-assignments").get_json()] == [
        ids[world.one.staff_b1.id]]
    assert len(audited("acting_assignment", "delete")) == 1
    # Pimpinan see the organisation's assignments, read-only.
    api.login(world.one.head)
    html = api.get("/admin/plt").get_data(as_text=True)
    assert world.one.staff_b1.name in html and "/hapus" not in html


def test_another_organisations_assignment_cannot_be_removed(api, world):
    api.login(world.two.admin)
    api.post("/admin/plt", data={
        "acting_person_id": str(world.two.staff_b1.id), "for_person_id": str(world.two.sup_a.id),
        "kind": "plt", "starts_on": "2030-03-09", "ends_on": "2030-03-10"})
    [theirs] = api.get("/api/v1/acting-assignments").get_json()
    api.login(world.one.admin)
    assert api.post(f"/admin/plt/{theirs['id']}/hapus").status_code == 404
    assert world.two.staff_b1.name not in api.get("/admin/plt").get_data(as_text=True)
    api.login(world.two.admin)
    assert [a["id"] for a in api.get("/api/v1/acting-assignments").get_json()] == [theirs["id"]]


# --- holidays and cuti bersama ---------------------------------------------------------------

def test_the_admin_adds_and_removes_a_holiday(api, world):
    api.login(world.one.admin)
    response = api.post("/admin/libur?tahun=2026", data={"day": "2026-11-10",
                                                         "name": "HUT Daerah ke-50"})
    assert response.status_code == 303 and "tahun=2026" in response.headers["Location"]
    [holiday] = api.get("/api/v1/holidays?year=2026").get_json()
    assert holiday["day"] == "2026-11-10" and holiday["name"] == "HUT Daerah ke-50"
    html = api.get("/admin/libur?tahun=2026").get_data(as_text=True)
    assert "HUT Daerah ke-50" in html and "Selasa, 10 November 2026" in html
    # The national calendar is shown beside it (Independence Day).
    assert "17 Agustus 2026" in html
    assert "HUT Daerah ke-50" not in api.get("/admin/libur?tahun=2027").get_data(as_text=True)
    [created] = audited("holiday", "create")
    assert created.changes == {"day": "2026-11-10", "name": "HUT Daerah ke-50"}
    assert api.post(f"/admin/libur/{holiday['id']}/hapus").status_code == 303
    assert api.get("/api/v1/holidays").get_json() == []
    assert len(audited("holiday", "delete")) == 1


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"day": "10/11/2026", "name": "HUT Daerah ke-50"}, "day", "tanggal yang benar"),
    ({"day": "2026-11-10", "name": ""}, "name", "wajib diisi"),
    ({"day": "2026-11-10", "name": "x" * 201}, "name", "panjang isian"),
])
def test_a_bad_holiday_is_shown_again_with_what_was_typed(api, world, form, field, message):
    api.login(world.one.admin)
    response = api.post("/admin/libur?tahun=2026", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html.lower()
    assert f'value="{form["day"]}"' in html and f'value="{form["name"]}"' in html
    assert api.get("/api/v1/holidays").get_json() == []


def test_a_day_that_is_a_holiday_already_is_refused_on_the_form(api, world):
    api.login(world.one.admin)
    api.post("/admin/libur", data={"day": "2026-11-10", "name": "HUT Daerah ke-50"})
    response = api.post("/admin/libur?tahun=2026", data={"day": "2026-11-10",
                                                         "name": "Lagi"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="day-error"' in html and 'value="Lagi"' in html
    assert [h["name"] for h in api.get("/api/v1/holidays").get_json()] == ["HUT Daerah ke-50"]


def test_another_organisations_holiday_cannot_be_removed(api, world):
    db.session.add(OrgHoliday(org_id=world.two.org.id, day=sa.func.current_date(),
                              name="Hari jadi dua"))
    db.session.commit()
    theirs = db.session.scalar(sa.select(OrgHoliday.id))
    api.login(world.one.admin)
    assert api.post(f"/admin/libur/{theirs}/hapus").status_code == 404
    assert "Hari jadi dua" not in api.get("/admin/libur").get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(OrgHoliday, theirs) is not None


@pytest.mark.parametrize("year", ["abc", "99999", "1900", "-1"])
def test_an_odd_year_shows_this_year(api, world, year):
    api.login(world.one.admin)
    assert api.get(f"/admin/libur?tahun={year}").status_code == 200


# --- reminder rules --------------------------------------------------------------------------

def rules_form(api) -> dict:
    """The rules form as the page fills it."""
    html = api.get("/admin/pengingat").get_data(as_text=True)
    form = dict(re.findall(r'name="((?:at_time|days)-\w+)"[^>]*value="([^"]*)"', html))
    form.update({name: value for name, value in re.findall(
        r'<select[^>]*name="(enabled-\w+)".*?<option value="(\d)" selected', html, re.S)})
    return form


def test_the_admin_saves_the_reminder_rules(api, world):
    api.login(world.one.admin)
    form = rules_form(api)
    assert form["at_time-daily_log"] == "15:30" and form["days-deadline"] == "3, 1"
    assert form["enabled-digest"] == "1"
    form.update({"at_time-daily_log": "16:00", "enabled-digest": "0",
                 "days-deadline": "5, 2 1"})
    response = api.post("/admin/pengingat", data=form)
    assert response.status_code == 303
    rules = {r["kind"]: r for r in api.get("/api/v1/reminder-rules").get_json()}
    assert rules["daily_log"]["at_time"] == "16:00"
    assert rules["digest"]["enabled"] is False
    assert rules["deadline"]["days"] == [5, 2, 1]
    assert rules["reviews_waiting"]["days"] == [2]
    changed = {e.changes["kind"]: e.changes for e in audited("reminder_rule", "update")}
    assert set(changed) == {"daily_log", "digest", "deadline"}
    assert changed["daily_log"]["at_time"] == ["15:30:00", "16:00:00"]
    # The other organisation keeps its defaults.
    api.login(world.two.admin)
    assert all(r["default"] for r in api.get("/api/v1/reminder-rules").get_json())


@pytest.mark.parametrize(("change", "field"), [
    ({"days-deadline": "3, x"}, "days-deadline"),
    ({"days-reviews_waiting": "99"}, "days-reviews_waiting"),
    ({"days-deadline": ""}, "days-deadline"),
    ({"at_time-digest": "25:00"}, "at_time-digest"),
])
def test_bad_rules_are_shown_again_with_what_was_typed(api, world, change, field):
    api.login(world.one.admin)
    form = {**rules_form(api), "at_time-daily_log": "07:45", **change}
    response = api.post("/admin/pengingat", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert f'value="{change[field]}"' in html and 'value="07:45"' in html
    assert all(r["default"] for r in api.get("/api/v1/reminder-rules").get_json())


def test_pimpinan_read_the_rules(api, world):
    api.login(world.one.admin)
    api.post("/admin/pengingat", data={**rules_form(api), "at_time-daily_log": "16:10"})
    api.login(world.one.head)
    html = api.get("/admin/pengingat").get_data(as_text=True)
    assert "16.10" in html
    # The days say what they count, without the editable page's hint.
    assert "<dt>Hari sebelum batas waktu</dt><dd>3, 1</dd>" in html
    assert "<dt>Setelah aktivitas menunggu (hari kerja)</dt><dd>2</dd>" in html
    assert "<dt>Hari</dt>" not in html


# --- review policy ---------------------------------------------------------------------------

def test_the_admin_sets_and_turns_off_the_review_policy(api, world):
    api.login(world.one.admin)
    response = api.post("/admin/kebijakan-tinjauan",
                        data={"auto_accept_after_working_days": "3"})
    assert response.status_code == 303
    assert api.get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": 3}
    html = api.get("/admin/kebijakan-tinjauan").get_data(as_text=True)
    assert "3 hari kerja" in html and 'value="3"' in html
    api.post("/admin/kebijakan-tinjauan", data={"auto_accept_after_working_days": ""})
    assert api.get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": None}
    changes = [e.changes for e in audited("review_policy", "update")]
    assert changes == [{"auto_accept_after_working_days": [None, 3]},
                       {"auto_accept_after_working_days": [3, None]}]
    api.login(world.two.admin)
    assert api.get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": None}


@pytest.mark.parametrize("typed", ["0", "61", "tiga", "2.5"])
def test_a_bad_review_policy_is_shown_again_with_what_was_typed(api, world, typed):
    api.login(world.one.admin)
    response = api.post("/admin/kebijakan-tinjauan",
                        data={"auto_accept_after_working_days": typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="auto_accept_after_working_days-error"' in html and f'value="{typed}"' in html
    assert api.get("/api/v1/review-policy").get_json() == {
        "auto_accept_after_working_days": None}


def test_the_review_policy_api_refuses_others_with_its_own_message(api, world):
    api.login(world.one.head)
    response = api.put("/api/v1/review-policy", json={"auto_accept_after_working_days": 2})
    assert response.status_code == 403
    assert "kebijakan" in response.get_json()["error"]["message"]


# --- assessment periods (their own page, evaluations.periods) --------------------------------

def test_the_admin_edits_the_assessment_periods(api, world):
    api.login(world.one.admin)
    status, html = page(api, "/evaluasi/periode?tahun=2026")
    assert status == 200 and 'action="/evaluasi/periode"' in html
