"""The daily log through the API: create, replay, edit, 409, states, lists, templates."""

import uuid

import pytest
import sqlalchemy as sa

from app.activities.models import Activity
from app.audit.cli import audit_verify
from app.audit.models import AuditEntry
from tests.activities.support import make_activity, make_indicator

URL = "/api/v1/activities"
#: Leave the field out of the request.
DROP = object()


def entry(**values):
    body = {"date": "2026-03-09", "start_time": "08:00", "end_time": "09:30",
            "description": "Menyusun laporan bulanan", "work_kind": "lainnya"}
    body.update(values)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def staff(api, world):
    return api.login(world.one.staff_a1)


def create(api, **values):
    response = api.post(URL, json=entry(**values))
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


# --- create ----------------------------------------------------------------------------------

def test_create_answers_the_contract_fields(staff, world):
    indicator = make_indicator(world.one.staff_a1)
    response = staff.post(URL, json=entry(work_kind=None, target_id=indicator.id,
                                          quantity="1.5"))
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"id", "date", "start_time", "end_time", "description", "quantity",
                         "unit", "target_id", "status", "version", "created_at", "updated_at",
                         "attachments", "warnings", "work_kind", "duration_minutes"}
    assert body["status"] == "draft" and body["version"] == 1
    assert body["unit"] == "dokumen"  # from the indicator
    assert body["quantity"] == 1.5 and body["duration_minutes"] == 90
    assert body["start_time"] == "08:00" and body["work_kind"] == "skp"
    assert uuid.UUID(body["id"])
    assert staff.get(f"{URL}/{body['id']}").get_json()["description"] == body["description"]


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_create_answer_is_the_schema_dump(staff, world, db, status):
    """The create's answer is built without the schema: it must be exactly its dump."""
    from app.activities.schemas import ActivityWithWarnings

    indicator = make_indicator(world.one.staff_a1)
    create(staff, start_time="08:30", end_time="09:00")
    response = staff.post(URL, json=entry(work_kind=None, target_id=indicator.id,
                                          quantity="1.5", status=status))
    assert response.status_code == 201
    body = response.get_json()
    assert body["warnings"] and body["warnings"][0]["code"] == "overlap"
    db.session.expire_all()
    activity = db.session.get(Activity, body["id"])
    activity.warnings = body["warnings"]
    assert body == ActivityWithWarnings().dump(activity)
    assert body["status"] == status and body["quantity"] == 1.5


def test_create_accepts_seconds_and_quantity_as_number(staff):
    body = create(staff, start_time="07:15:00", end_time="07:45:59", quantity=3, unit="surat")
    assert (body["start_time"], body["end_time"], body["quantity"]) == ("07:15", "07:45", 3)


def test_replayed_create_returns_the_same_activity(staff, count):
    client_id = str(uuid.uuid4())
    first = staff.post(URL, json=entry(id=client_id))
    second = staff.post(URL, json=entry(id=client_id))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"] == client_id
    assert count(Activity) == 1


def test_replayed_create_is_answered_even_after_the_period_locked(staff, count, clock):
    client_id = str(uuid.uuid4())
    assert staff.post(URL, json=entry(id=client_id)).status_code == 201
    clock.move_to("2026-04-06T00:00:00+07:00")
    staff.login(staff.person)  # the session idled out meanwhile
    assert staff.post(URL, json=entry()).status_code == 422
    assert staff.post(URL, json=entry(id=client_id)).status_code == 200
    assert count(Activity) == 1


def test_uppercase_client_id_is_the_same_id(staff, count):
    client_id = str(uuid.uuid4())
    staff.post(URL, json=entry(id=client_id))
    assert staff.post(URL, json=entry(id=client_id.upper())).status_code == 200
    assert count(Activity) == 1


def test_client_id_of_someone_else_is_409_without_their_data(api, app, world, count):
    client_id = str(uuid.uuid4())
    api.login(world.one.staff_a1)
    api.post(URL, json=entry(id=client_id, description="Rahasia"))
    other = type(api)(app).login(world.two.staff_a1)
    response = other.post(URL, json=entry(id=client_id))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert "Rahasia" not in response.get_data(as_text=True)
    assert count(Activity) == 1


def test_overlap_is_warned_not_refused(staff):
    first = create(staff)
    second = staff.post(URL, json=entry(start_time="09:00", end_time="10:00"))
    assert second.status_code == 201
    warnings = second.get_json()["warnings"]
    assert [w["activity_id"] for w in warnings] == [first["id"]]
    assert warnings[0]["code"] == "overlap"
    touching = staff.post(URL, json=entry(start_time="09:30", end_time="10:00"))
    assert [w["activity_id"] for w in touching.get_json()["warnings"]] == [second.get_json()["id"]]


def test_many_overlaps_give_one_warning_with_the_count(staff):
    ids = [create(staff, start_time=f"0{h}:00", end_time=f"0{h + 1}:00")["id"]
           for h in (6, 7, 8)]
    warnings = staff.post(URL, json=entry(start_time="06:30", end_time="09:30")
                          ).get_json()["warnings"]
    assert [(w["code"], w["activity_id"], w["count"]) for w in warnings] == [
        ("overlap", ids[0], 3)]
    assert "06.00" in warnings[0]["message"] and "07.00" in warnings[0]["message"]


def test_create_is_few_round_trips(app, db, world, staff):
    """Checks (deadline rule, target, overlap, audit lock) go in one statement; the row and its
    audit entry follow; nothing is read back."""
    import sqlalchemy as sa

    indicator = make_indicator(world.one.staff_a1)
    create(staff, start_time="06:00", end_time="06:30")
    target_id, unit = indicator.id, indicator.unit  # loaded before counting
    statements = []

    def count(conn, cursor, text, *rest):
        statements.append(text)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        body = create(staff, work_kind=None, target_id=target_id, quantity=1)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert body["unit"] == unit and body["attachments"] == []
    writes = [s for s in statements if "INSERT" in s or "UPDATE" in s]
    # The activity and its audit entry.
    assert sum(s.count("INSERT INTO") for s in writes) == 2, statements
    if db.engine.dialect.name == "postgresql":
        # Cookie auth (session with its person), one check taking the chain lock, one
        # statement writing the activity and its chained audit entry.
        assert len(writes) == 1, statements
        assert len(statements) <= 3, statements
    else:
        # The same, but the audit entry is a chain head read and an insert of its own.
        assert len(statements) <= 6, statements


@pytest.mark.parametrize(("values", "field"), [
    ({"end_time": "08:00"}, "end_time"),
    ({"end_time": "07:00"}, "end_time"),
    ({"description": "   "}, "description"),
    ({"description": "x" * 2001}, "description"),
    ({"description": DROP}, "description"),
    ({"quantity": -1}, "quantity"),
    ({"quantity": "banyak"}, "quantity"),
    ({"quantity": "NaN"}, "quantity"),
    ({"start_time": "25:00"}, "start_time"),
    ({"start_time": 800}, "start_time"),
    ({"date": "2026-02-30"}, "date"),
    ({"date": "2026-03-11"}, "date"),  # tomorrow
    ({"work_kind": DROP}, "target_id"),
    ({"work_kind": "skp"}, "target_id"),
    ({"work_kind": "rapat"}, "work_kind"),
    ({"target_id": 1.5}, "target_id"),
    ({"target_id": "2.589e-42"}, "target_id"),
    ({"id": "not-a-uuid"}, "id"),
    ({"status": "approved"}, "status"),
    ({"person_id": 1}, "person_id"),
])
def test_create_refuses_bad_input_with_field_errors(staff, values, field, count):
    body = entry()
    body.update(values)
    body = {k: v for k, v in body.items() if v is not DROP}
    response = staff.post(URL, json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert count(Activity) == 0


def test_target_must_be_ones_own(staff, world):
    others = make_indicator(world.one.staff_a2)
    other_org = make_indicator(world.two.staff_a1)
    last_year = make_indicator(world.one.staff_a1, year=2025)
    for indicator in (others, other_org, last_year):
        response = staff.post(URL, json=entry(work_kind=None, target_id=indicator.id))
        assert response.status_code == 422
        assert "target_id" in response.get_json()["error"]["fields"]
    response = staff.post(URL, json=entry(work_kind="tambahan",
                                          target_id=make_indicator(world.one.staff_a1).id))
    assert "work_kind" in response.get_json()["error"]["fields"]


def test_bad_json_is_an_envelope_not_a_500(staff):
    response = staff.post(URL, data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()
    response = staff.post(URL, json=["a list"])
    assert response.status_code == 422


def test_create_and_submit_in_one_step(staff):
    body = create(staff, status="submitted")
    assert body["status"] == "submitted" and body["submitted_at"] and body["version"] == 2


# --- edit ------------------------------------------------------------------------------------

def test_edit_bumps_version_and_keeps_the_rest(staff):
    body = create(staff)
    response = staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "Baru",
                                                        "end_time": "10:00"})
    assert response.status_code == 200
    edited = response.get_json()
    assert edited["version"] == 2 and edited["description"] == "Baru"
    assert edited["duration_minutes"] == 120 and edited["start_time"] == "08:00"


def test_edit_needs_a_version(staff):
    body = create(staff)
    response = staff.patch(f"{URL}/{body['id']}", json={"description": "Baru"})
    assert response.status_code == 422
    assert "version" in response.get_json()["error"]["fields"]
    response = staff.patch(f"{URL}/{body['id']}", json={"version": "1", "description": "B"})
    assert "version" in response.get_json()["error"]["fields"]


def test_stale_version_is_409_with_the_current_copy(staff):
    body = create(staff)
    staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "Versi kantor"})
    response = staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "HP"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["version"] == 2
    assert error["current"]["description"] == "Versi kantor"


def test_replayed_edit_gets_409_whose_copy_equals_what_was_sent(staff):
    body = create(staff)
    change = {"version": 1, "description": "Sudah dikirim", "quantity": 2, "unit": "berkas"}
    assert staff.patch(f"{URL}/{body['id']}", json=change).status_code == 200
    replay = staff.patch(f"{URL}/{body['id']}", json=change)
    assert replay.status_code == 409
    current = replay.get_json()["error"]["current"]
    assert {k: current[k] for k in ("description", "quantity", "unit")} == \
        {"description": "Sudah dikirim", "quantity": 2, "unit": "berkas"}


def test_edit_refuses_end_before_start_against_stored_times(staff):
    body = create(staff)
    response = staff.patch(f"{URL}/{body['id']}", json={"version": 1, "end_time": "07:00"})
    assert response.status_code == 422
    assert "end_time" in response.get_json()["error"]["fields"]


def test_edit_to_additional_work_clears_the_target(staff, world):
    indicator = make_indicator(world.one.staff_a1)
    body = create(staff, work_kind=None, target_id=indicator.id, quantity=1)
    edited = staff.patch(f"{URL}/{body['id']}", json={"version": 1, "work_kind": "tambahan"})
    assert edited.get_json()["target_id"] is None
    assert edited.get_json()["work_kind"] == "tambahan"


def test_nobody_else_edits_an_activity(api, app, world):
    body = create(api.login(world.one.staff_a1))
    for who, status in ((world.one.sup_a, 403), (world.one.staff_a2, 404),
                        (world.two.staff_a1, 404)):
        other = type(api)(app).login(who)
        response = other.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "X"})
        assert response.status_code == status, who.name


# --- states ----------------------------------------------------------------------------------

def test_draft_submitted_returned_edited_resubmitted_approved(api, app, world):
    staff = api.login(world.one.staff_a1)
    sup = type(api)(app).login(world.one.sup_a)
    body = create(staff)
    url = f"{URL}/{body['id']}"
    submitted = staff.post(f"{url}/submit", json={}).get_json()
    assert submitted["status"] == "submitted" and submitted["is_late"] is False
    blocked = staff.patch(url, json={"version": submitted["version"], "description": "X"})
    assert blocked.status_code == 409 and blocked.get_json()["error"]["code"] == "not_editable"

    assert sup.post(f"{url}/return", json={}).status_code == 422  # a reason is required
    returned = sup.post(f"{url}/return", json={"reason": "Lengkapi bukti"}).get_json()
    assert returned["status"] == "returned" and returned["return_reason"] == "Lengkapi bukti"

    edited = staff.patch(url, json={"version": returned["version"], "description": "Lengkap"})
    assert edited.status_code == 200 and edited.get_json()["status"] == "returned"
    resubmitted = staff.post(f"{url}/submit", json={"version": edited.get_json()["version"]})
    assert resubmitted.get_json()["status"] == "submitted"

    approved = sup.post(f"{url}/approve", json={}).get_json()
    assert approved["status"] == "approved" and approved["reviewed_by_id"] == world.one.sup_a.id
    frozen = staff.patch(url, json={"version": approved["version"], "description": "Ubah"})
    assert frozen.status_code == 409
    assert frozen.get_json()["error"]["code"] == "not_editable"
    assert "disetujui" in frozen.get_json()["error"]["message"]
    assert staff.post(f"{url}/submit", json={}).get_json()["status"] == "approved"


def test_only_supervisors_above_may_review(api, app, world):
    staff = api.login(world.one.staff_a1)
    url = f"{URL}/{create(staff, status='submitted')['id']}"
    assert staff.post(f"{url}/approve", json={}).status_code == 403  # not one's own
    for who, status in ((world.one.sup_b, 404), (world.one.staff_a2, 404),
                        (world.one.admin, 403), (world.two.head, 404)):
        other = type(api)(app).login(who)
        assert other.post(f"{url}/approve", json={}).status_code == status, who.name
    head = type(api)(app).login(world.one.head)  # two levels up
    assert head.post(f"{url}/approve", json={}).get_json()["status"] == "approved"


def test_review_needs_a_submitted_activity(api, app, world):
    staff = api.login(world.one.staff_a1)
    url = f"{URL}/{create(staff)['id']}"
    sup = type(api)(app).login(world.one.sup_a)
    response = sup.post(f"{url}/approve", json={})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == \
        "not_submitted"


def test_submit_with_stale_version_is_409(staff):
    body = create(staff)
    staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "B"})
    response = staff.post(f"{URL}/{body['id']}/submit", json={"version": 1})
    assert response.status_code == 409 and response.get_json()["error"]["current"]["version"] == 2


@pytest.mark.parametrize(("action", "body"), [
    ("submit", {}), ("approve", {}), ("return", {"reason": "x"}), ("repeat", {}),
    ("attachments", {"url": "https://contoh.go.id/bukti"})])
def test_other_organisation_writes_are_404(api, world, action, body):
    from tests.activities.support import other_org_ids

    ids = other_org_ids(world)
    api.login(world.one.head)
    response = api.post(f"{URL}/{ids['activity_id']}/{action}", json=body)
    assert response.status_code == 404
    assert api.patch(f"{URL}/{ids['activity_id']}", json={"version": 1}).status_code == 404
    assert api.delete(f"/api/v1/attachments/{ids['attachment_id']}").status_code == 404


# --- lists -----------------------------------------------------------------------------------

def test_list_defaults_to_own_filters_and_paginates(staff, world):
    for day in (2, 3, 4, 5, 6):
        create(staff, date=f"2026-03-{day:02d}")
    make_activity(world.one.staff_a2)
    response = staff.get(f"{URL}?per_page=2&page=2")
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "5"
    assert [a["date"] for a in response.get_json()] == ["2026-03-04", "2026-03-03"]
    ranged = staff.get(f"{URL}?from=2026-03-03&to=2026-03-04").get_json()
    assert len(ranged) == 2
    assert staff.get(f"{URL}?status=submitted").get_json() == []
    assert staff.get(f"{URL}?status=bogus").status_code == 422


@pytest.mark.parametrize(("who", "whose", "status"), [
    ("sup_a", "staff_a1", 200), ("head", "staff_a1", 200), ("admin", "staff_a1", 200),
    ("staff_a2", "staff_a1", 404), ("sup_b", "staff_a1", 404), ("staff_a1", "sup_a", 404),
])
def test_list_of_someone_else_needs_them_in_ones_line(api, world, who, whose, status):
    make_activity(getattr(world.one, whose))
    api.login(getattr(world.one, who))
    response = api.get(f"{URL}?person_id={getattr(world.one, whose).id}")
    assert response.status_code == status
    if status == 200:
        assert len(response.get_json()) == 1


def test_list_of_other_organisation_is_404(api, world):
    make_activity(world.two.staff_a1)
    api.login(world.one.admin)
    assert api.get(f"{URL}?person_id={world.two.staff_a1.id}").status_code == 404


def test_supervisor_sees_activity_and_its_history(api, app, world):
    staff = api.login(world.one.staff_a1)
    body = create(staff)
    staff.patch(f"{URL}/{body['id']}", json={"version": 1, "description": "Direvisi"})
    sup = type(api)(app).login(world.one.sup_a)
    assert sup.get(f"{URL}/{body['id']}").status_code == 200
    entries = sup.get(f"{URL}/{body['id']}/history").get_json()
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["changes"]["description"] == ["Menyusun laporan bulanan", "Direvisi"]
    assert entries[1]["actor_name"] == world.one.staff_a1.name
    peer = type(api)(app).login(world.one.staff_a2)
    assert peer.get(f"{URL}/{body['id']}").status_code == 404
    assert peer.get(f"{URL}/{body['id']}/history").status_code == 404
    assert peer.get(f"{URL}/not-a-uuid").status_code == 404


# --- fast entry ------------------------------------------------------------------------------

def test_defaults_start_at_end_of_days_last_activity(staff):
    assert staff.get(f"{URL}/defaults?date=2026-03-09").get_json()["start_time"] is None
    create(staff, start_time="08:00", end_time="09:30", description="Apel pagi")
    create(staff, start_time="10:00", end_time="11:15", description="Rapat koordinasi")
    body = staff.get(f"{URL}/defaults?date=2026-03-09").get_json()
    assert body["start_time"] == "11:15"
    assert body["recent_descriptions"][:2] == ["Rapat koordinasi", "Apel pagi"]
    assert staff.get(f"{URL}/defaults").get_json()["date"] == "2026-03-10"


def test_repeat_copies_onto_today_after_the_last_activity(staff, world):
    indicator = make_indicator(world.one.staff_a1)
    source = create(staff, work_kind=None, target_id=indicator.id, quantity=2,
                    start_time="08:00", end_time="09:00")
    create(staff, date="2026-03-10", start_time="07:30", end_time="10:00")
    client_id = str(uuid.uuid4())
    response = staff.post(f"{URL}/{source['id']}/repeat", json={"id": client_id})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["date"], body["start_time"], body["end_time"]) == ("2026-03-10", "10:00",
                                                                    "11:00")
    assert (body["target_id"], body["quantity"], body["unit"], body["status"]) == \
        (indicator.id, 2, "dokumen", "draft")
    again = staff.post(f"{URL}/{source['id']}/repeat", json={"id": client_id})
    assert again.status_code == 200 and again.get_json()["id"] == client_id


def test_templates_are_personal(api, app, world):
    staff = api.login(world.one.staff_a1)
    indicator = make_indicator(world.one.staff_a1)
    response = staff.post("/api/v1/activity-templates", json={
        "name": "Surat", "description": "Mengagendakan surat masuk", "target_id": indicator.id,
        "quantity": 5, "duration_minutes": 30})
    assert response.status_code == 201
    template = response.get_json()
    assert template["unit"] == "dokumen" and template["work_kind"] == "skp"
    assert [t["id"] for t in staff.get("/api/v1/activity-templates").get_json()] == \
        [template["id"]]
    peer = type(api)(app).login(world.one.staff_a2)
    assert peer.get("/api/v1/activity-templates").get_json() == []
    assert peer.delete(f"/api/v1/activity-templates/{template['id']}").status_code == 404
    other_target = peer.post("/api/v1/activity-templates", json={
        "name": "X", "description": "Y", "target_id": indicator.id})
    assert other_target.status_code == 422
    assert staff.delete(f"/api/v1/activity-templates/{template['id']}").status_code == 204
    assert staff.get("/api/v1/activity-templates").get_json() == []


@pytest.mark.parametrize("alone", [True, False])
@pytest.mark.parametrize("with_target", [True, False])
def test_the_create_statement_stays_within_the_drivers_query_cache(with_target, alone):
    """psycopg converts a query's placeholders once and caches that only for queries of at
    most 4,096 characters and 50 parameters; above, every create pays the conversion."""
    from psycopg import _queries
    from sqlalchemy.dialects import postgresql

    from app.activities.services.fastpath import _create_statement

    compiled = _create_statement(with_target, alone).compile(
        dialect=postgresql.psycopg.dialect())
    assert len(str(compiled).encode()) <= _queries.MAX_CACHED_STATEMENT_LENGTH
    assert len(compiled.params) <= _queries.MAX_CACHED_STATEMENT_PARAMS


# --- a create as its own transaction (PostgreSQL) --------------------------------------------

def _transaction_commands(monkeypatch) -> list[str]:
    """BEGIN, COMMIT and ROLLBACK as the driver sends them from now on."""
    import psycopg

    sent = []
    send = psycopg.Connection._exec_command

    def record(self, command, *args, **kwargs):
        if isinstance(command, bytes):
            sent.append(command.split()[0].decode())
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "_exec_command", record)
    return sent


def _bearer(api, app):
    token = api.post("/api/v1/auth/tokens", json={"name": "ponsel"}).get_json()["token"]
    client = app.test_client()

    def post(url, **kwargs):
        return client.post(url, headers={"Authorization": f"Bearer {token}"}, **kwargs)
    return post


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_create_is_its_own_transaction_without_begin_or_commit(
        app, db, staff, monkeypatch, count, auth):
    """Sign-in is a read and the create one statement: PostgreSQL runs each in a transaction
    of its own, so the request sends no BEGIN and no COMMIT (two round trips fewer)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no such statement")
    post = staff.post if auth == "session" else _bearer(staff, app)
    assert post(URL, json=entry(start_time="06:00", end_time="06:30")).status_code == 201
    sent = _transaction_commands(monkeypatch)  # after the first use wrote its last-used time
    response = post(URL, json=entry(id=str(uuid.uuid4())))
    assert response.status_code == 201, response.get_json()
    assert sent == []
    assert count(Activity) == 2
    assert count(AuditEntry, AuditEntry.subject_id == response.get_json()["id"],
                 AuditEntry.action == "create") == 1
    result = app.test_cli_runner().invoke(audit_verify)
    assert result.exit_code == 0, result.output
    assert f"kota-satu: {count(AuditEntry)} entries, OK" in result.output


def test_create_and_submit_stay_one_transaction(app, db, staff, monkeypatch):
    """Saving and submitting at once is two writes: they still commit together."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no such statement")
    create(staff, start_time="06:00", end_time="06:30")
    # Submitting tells the supervisor; the push sent after the commit is the queue's work.
    monkeypatch.setitem(app.config, "PUSH_ENABLED", False)
    sent = _transaction_commands(monkeypatch)
    response = staff.post(URL, json=entry(status="submitted"))
    assert response.status_code == 201 and response.get_json()["status"] == "submitted"
    # One transaction writes; telling the supervisor's open pages afterwards only reads.
    assert sent[:2] == ["BEGIN", "COMMIT"] and sent.count("COMMIT") == 1


@pytest.mark.parametrize("touch_due", [False, True])
def test_a_create_that_waited_for_the_chain_lock_is_written_whole(
        app, db, world, staff, count, caplog, clock, touch_due):
    """Another writer holds the person's audit chain lock and appends to the chain; the
    create's statement waits, and its snapshot misses that new head. Run alone, it must not
    commit the activity without its entry: it fails whole and is written afresh. When the
    sign-in's last-used time is written first (a transaction is under way), the statement
    joins that transaction and the entry is appended after it."""
    import logging
    import threading

    from app.audit import services as audit

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the chain lock is PostgreSQL's")
    person = world.one.staff_a1
    create(staff, start_time="06:00", end_time="06:30")
    held, release, done = threading.Event(), threading.Event(), {}

    def other_writer():
        with app.app_context():
            audit.record(person.org_id, person.id, person.id, "skp", "1", "update",
                         {"note": ["a", "b"]})
            held.set()
            release.wait(30)
            db.session.commit()

    def client_post():
        done["response"] = staff.post(URL, json=entry(id=str(uuid.uuid4())))

    if touch_due:
        clock.shift(120)
    writer = threading.Thread(target=other_writer)
    writer.start()
    assert held.wait(30)
    poster = threading.Thread(target=client_post)
    with caplog.at_level(logging.INFO, logger="app.activities.services"):
        poster.start()
        waiting = sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                          "AND NOT granted")
        for _ in range(300):  # until the create waits for the lock
            with db.engine.connect() as connection:
                if connection.scalar(waiting):
                    break
            threading.Event().wait(0.01)
        else:
            pytest.fail("the create never waited for the chain lock")
        release.set()
        writer.join(30)
        poster.join(30)
    assert done["response"].status_code == 201, done["response"].get_json()
    assert ("written afresh" in caplog.text) is not touch_due
    activity_id = done["response"].get_json()["id"]
    assert count(Activity, Activity.id == activity_id) == 1
    assert count(AuditEntry, AuditEntry.subject_id == activity_id) == 1
    result = app.test_cli_runner().invoke(audit_verify)
    assert result.exit_code == 0, result.output
    assert "kota-satu: 3 entries, OK" in result.output
