"""The audit viewer: GET /api/v1/audit (filtered, paginated), its XLSX export, the chain
verification, and the page /admin/audit, each for the caller's organisation only."""

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
import time_machine

from app.audit import services as audit
from app.audit.models import AuditEntry

T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09.00 WIB on Tuesday 10 March 2026


def record(db, owner, actor, subject_type, subject_id, action, changes, at=T0):
    """Append one entry written at ``at`` (UTC) and commit it."""
    with time_machine.travel(at, tick=False):
        audit.record(owner.org_id, owner.id, actor.id if actor else None, subject_type,
                     subject_id, action, changes)
    db.session.commit()


@pytest.fixture
def trail(db, world):
    """Five entries in the first organisation, one in the second, an hour apart."""
    one, two = world.one, world.two
    rows = [
        (one.staff_a1, one.staff_a1, "activity", "act-1", "create", {"description": "Rapat"}),
        (one.staff_a1, one.sup_a, "activity", "act-1", "approve",
         {"status": ["submitted", "approved"]}),
        (one.staff_a2, one.staff_a2, "activity", "act-2", "create", {"description": "Surat"}),
        (one.staff_a2, one.admin, "person", str(one.staff_a2.id), "update",
         {"jabatan": ["Staf", "Analis"]}),
        (one.staff_b1, None, "activity", "act-3", "approve",
         {"status": ["submitted", "approved"], "auto_accepted": True}),
    ]
    for hour, row in enumerate(rows):
        record(db, *row, at=T0 + timedelta(hours=hour))
    record(db, two.staff_a1, two.staff_a1, "activity", "act-9", "create",
           {"description": "Lain"}, at=T0)
    return world


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["item_id"] + ":" + item["action"] for item in response.get_json()["items"]]


def test_the_trail_is_the_organisations_own_newest_first(api, trail):
    api.login(trail.one.admin)
    body = api.get("/api/v1/audit").get_json()
    assert [item["item_id"] + ":" + item["action"] for item in body["items"]] == [
        "act-3:approve", f"{trail.one.staff_a2.id}:update", "act-2:create", "act-1:approve",
        "act-1:create"]
    assert body["pagination"] == {"page": 1, "per_page": 50, "total": 5, "pages": 1}
    newest = body["items"][0]
    assert newest["actor"] is None and newest["person"]["id"] == trail.one.staff_b1.id
    assert newest["action_label"] == "Disetujui"
    assert newest["summary"] == "status: submitted → approved; auto_accepted: ya"
    assert body["items"][3]["actor"]["name"] == trail.one.sup_a.name


@pytest.mark.parametrize(("query", "expected"), [
    ("actor_id={sup_a}", ["act-1:approve"]),
    ("person_id={staff_a2}", ["{staff_a2}:update", "act-2:create"]),
    ("item_type=activity&item_id=act-1", ["act-1:approve", "act-1:create"]),
    ("item_type=person", ["{staff_a2}:update"]),
    ("action=approve", ["act-3:approve", "act-1:approve"]),
    ("action=approve&person_id={staff_a1}", ["act-1:approve"]),
])
def test_each_filter_narrows_the_trail(api, trail, query, expected):
    people = {name: getattr(trail.one, name).id for name in ("sup_a", "staff_a1", "staff_a2")}
    api.login(trail.one.admin)
    assert ids(api.get("/api/v1/audit?" + query.format(**people))) == [
        item.format(**people) for item in expected]


def test_dates_are_local_days_of_the_caller(api, db, world):
    """The first organisation runs on WIB (UTC+7): 17.00 UTC is already the next day."""
    a1 = world.one.staff_a1
    for name, at in [("late-9th", datetime(2026, 3, 9, 16, 59, tzinfo=UTC)),
                     ("early-10th", datetime(2026, 3, 9, 17, 0, tzinfo=UTC)),
                     ("late-10th", datetime(2026, 3, 10, 16, 59, tzinfo=UTC)),
                     ("early-11th", datetime(2026, 3, 10, 17, 0, tzinfo=UTC))]:
        record(db, a1, a1, "activity", name, "create", {}, at=at)
    api.login(world.one.admin)
    assert ids(api.get("/api/v1/audit?from=2026-03-10&to=2026-03-10")) == [
        "late-10th:create", "early-10th:create"]
    assert ids(api.get("/api/v1/audit?to=2026-03-09")) == ["late-9th:create"]
    assert ids(api.get("/api/v1/audit?from=2026-03-11")) == ["early-11th:create"]


def test_pages_split_the_trail(api, trail):
    api.login(trail.one.admin)
    first = api.get("/api/v1/audit?per_page=2").get_json()
    third = api.get("/api/v1/audit?per_page=2&page=3").get_json()
    beyond = api.get("/api/v1/audit?per_page=2&page=4").get_json()
    assert first["pagination"] == {"page": 1, "per_page": 2, "total": 5, "pages": 3}
    assert [i["item_id"] for i in first["items"]] == ["act-3", str(trail.one.staff_a2.id)]
    assert [i["item_id"] + i["action"] for i in third["items"]] == ["act-1create"]
    assert beyond["items"] == [] and beyond["pagination"]["total"] == 5


def test_another_organisation_never_shows(api, trail):
    api.login(trail.two.admin)
    assert ids(api.get("/api/v1/audit")) == ["act-9:create"]
    assert ids(api.get("/api/v1/audit?item_type=activity&item_id=act-1")) == []


@pytest.mark.parametrize("url", ["/api/v1/audit?{key}={id}", "/api/v1/audit/export?{key}={id}"])
@pytest.mark.parametrize("key", ["actor_id", "person_id"])
def test_another_organisations_person_is_404(api, trail, url, key):
    api.login(trail.one.admin)
    response = api.get(url.format(key=key, id=trail.two.staff_a1.id))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("who", ["staff_a1", "sup_a"])
@pytest.mark.parametrize("url", ["/api/v1/audit", "/api/v1/audit/export",
                                 "/api/v1/audit/verification", "/admin/audit"])
def test_pegawai_and_atasan_are_refused(api, trail, who, url):
    api.login(getattr(trail.one, who))
    assert api.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/audit", "/api/v1/audit/export",
                                 "/api/v1/audit/verification", "/admin/audit"])
def test_pimpinan_reads_the_trail(api, trail, url):
    api.login(trail.one.head)
    assert api.get(url).status_code == 200


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-03-10&to=2026-03-09", "to"),
    ("item_id=act-1", "item_type"),
    ("per_page=201", "per_page"),
    ("from=10-03-2026", "from"),
    ("page=0", "page"),
    ("actor_id=99999999999", "actor_id"),
    ("action=" + "x" * 33, "action"),
])
def test_bad_arguments_are_422(api, trail, query, field):
    api.login(trail.one.admin)
    response = api.get("/api/v1/audit?" + query)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_the_export_holds_the_filtered_trail_as_text(api, db, trail):
    a1 = trail.one.staff_a1
    record(db, a1, a1, "activity", "act-f", "create",
           {"description": '=HYPERLINK("http://jahat.example","klik")'},
           at=T0 + timedelta(hours=10))
    api.login(trail.one.admin)
    response = api.get(f"/api/v1/audit/export?person_id={a1.id}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Jejak audit")
    assert rows[2][1] == "Waktu (WIB)"
    body = rows[3:]
    assert [row[5] for row in body] == ["act-f", "act-1", "act-1"]
    formula = sheet.cell(row=4, column=8)
    assert formula.data_type == "s"
    assert formula.value == 'uraian: =HYPERLINK("http://jahat.example","klik")'
    assert body[0][1] == datetime(2026, 3, 10, 19, 0)  # 12.00 UTC, local WIB time
    assert body[1][2] == f"{trail.one.sup_a.name} ({trail.one.sup_a.nip})"
    assert body[1][3] == "Disetujui"


def test_the_export_is_bounded_and_says_so(api, app, trail, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_EXPORT_MAX_ROWS", 2)
    api.login(trail.one.admin)
    sheet = openpyxl.load_workbook(io.BytesIO(api.get("/api/v1/audit/export").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2" in rows[1][0] and "5" in rows[1][0]
    assert [row[5] for row in rows[3:]] == ["act-3", str(trail.one.staff_a2.id)]


def tamper(db, *where, **values):
    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(sa.update(AuditEntry).where(*where).values(**values))


def test_verification_holds_then_shows_the_first_broken_entry(api, db, trail):
    api.login(trail.one.admin)
    assert api.get("/api/v1/audit/verification").get_json() == {
        "valid": True, "entries": 5, "chains": 3, "first_broken": None}
    a2 = trail.one.staff_a2
    victim = db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.owner_id == a2.id,
                                                              AuditEntry.seq == 2))
    tamper(db, AuditEntry.id == victim, changes={"jabatan": ["Staf", "Kepala"]})
    body = api.get("/api/v1/audit/verification").get_json()
    assert body["valid"] is False and body["entries"] == 5
    assert body["first_broken"]["entry_id"] == victim
    assert body["first_broken"]["problem"] == "altered"
    assert body["first_broken"]["person"]["id"] == a2.id
    # The second organisation's chains are its own, and still hold.
    api.login(trail.two.admin)
    assert api.get("/api/v1/audit/verification").get_json()["valid"] is True


# --- the page ------------------------------------------------------------------------------

def page(api, query=""):
    response = api.get("/admin/audit" + query)
    return response, response.get_data(as_text=True)


def test_the_page_lists_entries_with_the_verification_banner(api, trail):
    api.login(trail.one.admin)
    response, html = page(api)
    assert response.status_code == 200
    assert "Rantai audit utuh — 5 entri diverifikasi" in html
    assert html.count("data-entry-id=") == 5
    assert "Disetujui" in html and "Sistem" in html
    assert "status: submitted → approved" in html
    assert trail.two.staff_a1.name not in html
    assert '10 Mar 2026 09.00 WIB</time>' in html  # 02.00 UTC in WIB


def test_the_page_shows_a_broken_chain(api, db, trail):
    a1 = trail.one.staff_a1
    first = db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.owner_id == a1.id,
                                                             AuditEntry.seq == 1))
    tamper(db, AuditEntry.id == first, action="delete")
    api.login(trail.one.admin)
    _, html = page(api)
    assert "Rantai audit rusak" in html
    assert f'data-entry-id="{first}"' in html and f"#{first}" in html


def test_searching_one_person_filters_and_the_export_link_keeps_the_filters(api, trail):
    a2 = trail.one.staff_a2
    api.login(trail.one.admin)
    _, html = page(api, f"?q={a2.nip}&from=2026-03-01&to=2026-03-31")
    assert html.count("data-entry-id=") == 2
    assert f"person_id={a2.id}" in html and "from=2026-03-01" in html and "to=2026-03-31" in html
    _, html = page(api, f"?q={trail.one.admin.nip}&role=by")
    assert html.count("data-entry-id=") == 1
    assert f"actor_id={trail.one.admin.id}" in html


def test_a_search_matching_several_people_offers_them(api, trail):
    api.login(trail.one.admin)
    _, html = page(api, "?q=Staf")
    assert "data-entry-id=" not in html
    for person in (trail.one.staff_a1, trail.one.staff_a2, trail.one.staff_b1):
        assert f"q={person.nip}" in html
    assert trail.two.staff_a1.name not in html
    _, html = page(api, "?q=Tidak+Ada")
    assert "data-entry-id=" not in html and "Tidak ada pegawai" in html


def test_the_page_paginates_with_its_filters(api, app, trail):
    api.login(trail.one.admin)
    _, html = page(api, "?per_page=2&action=approve&page=1")
    assert html.count("data-entry-id=") == 2
    assert "Halaman 1 dari 1" not in html
    _, html = page(api, "?per_page=2&page=2")
    assert html.count("data-entry-id=") == 2 and 'rel="prev"' in html and 'rel="next"' in html
    assert "Halaman 2 dari 3" in html


def test_bad_filters_are_shown_with_what_was_typed(api, trail):
    api.login(trail.one.admin)
    response, html = page(api, "?from=2026-03-12&to=2026-03-10&q=Kepala")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in html
    assert 'value="2026-03-12"' in html and 'value="2026-03-10"' in html
    assert 'value="Kepala"' in html


def test_a_long_trail_is_verified_when_asked(api, app, trail, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_VERIFY_INLINE_MAX", 4)
    api.login(trail.one.admin)
    _, html = page(api, "?action=approve")
    assert 'data-verification="pending"' in html and "Rantai audit utuh" not in html
    assert "verify=1" in html and "action=approve" in html
    _, html = page(api, "?action=approve&verify=1")
    assert "Rantai audit utuh — 5 entri diverifikasi" in html
