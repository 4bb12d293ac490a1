"""Answers match their documented schemas: timestamps with their zone, numbers as numbers,
error envelopes with only documented keys, downloads with documented content types."""

import io
from datetime import datetime

import jsonschema
import marshmallow as ma

from app.core.schemas import Schema


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_schema_answers_timestamps_with_their_zone(app):
    naive = datetime(2026, 3, 4, 5, 6, 7)
    checked = 0
    for schema_class in _subclasses(Schema):
        schema = schema_class()
        for name, field in schema.fields.items():
            if isinstance(field, ma.fields.DateTime) and not isinstance(
                    field, (ma.fields.NaiveDateTime, ma.fields.AwareDateTime)):
                dumped = field.serialize(name, {name: naive})
                assert dumped.endswith("+00:00"), f"{schema_class.__name__}.{name}: {dumped}"
                checked += 1
    assert checked > 5


def test_access_tokens_answer_aware_timestamps(api, world):
    api.login(world.one.staff_a1)
    created = api.post("/api/v1/auth/tokens", json={"name": "skrip"}).get_json()
    assert created["created_at"].endswith("+00:00")
    listed = api.get("/api/v1/auth/tokens").get_json()
    assert listed[0]["created_at"].endswith("+00:00")


def documented_error_body(api) -> dict:
    document = api.get("/api/v1/openapi.json").get_json()
    return document["components"]["schemas"]["ErrorBody"]


def test_error_envelopes_carry_only_documented_keys(api, world, clock):
    """A 409 carries ``current``, a change to a locked month ``locked_at``: both documented,
    and the documented body forbids anything else."""
    api.login(world.one.staff_a1)
    url = "/api/v1/activities"
    body = {"date": "2026-03-09", "start_time": "08:00", "end_time": "09:30",
            "description": "Menyusun laporan", "work_kind": "lainnya"}
    created = api.post(url, json=body).get_json()
    api.patch(f"{url}/{created['id']}", json={"version": 1, "description": "Kantor"})
    stale = api.patch(f"{url}/{created['id']}", json={"version": 1, "description": "HP"})
    clock.move_to("2026-05-06T00:00:00+07:00")
    api.login(world.one.staff_a1)
    locked = api.post(url, json=body)
    assert stale.status_code == 409 and locked.status_code == 422
    schema = documented_error_body(api)
    assert schema.get("additionalProperties") is False
    for response in (stale, locked):
        jsonschema.validate(response.get_json()["error"], schema)
    assert "locked_at" in locked.get_json()["error"]


def test_api_docs_page_allows_no_inline_style(api, world):
    api.login(world.one.staff_a1)
    response = api.get("/api/v1/docs")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "style-src 'self';" in policy
    assert "style=" not in response.get_data(as_text=True)


def test_evidence_downloads_document_their_content_types(api, world, evidence_folder, clock):
    from app.core.uploads import ALLOWED_TYPES
    from tests.activities.test_evidence import PNG

    api.login(world.one.staff_a1)
    document = api.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/attachments/{attachment_id}",
                 "/api/v1/evaluation-evidence/{evidence_id}"):
        answer = document["paths"][path]["get"]["responses"]["200"]
        assert set(answer["content"]) == set(ALLOWED_TYPES), path
    activity = api.post("/api/v1/activities", json={
        "date": "2026-03-09", "start_time": "08:00", "end_time": "09:30",
        "description": "Rapat", "work_kind": "lainnya"}).get_json()
    stored = api.post(f"/api/v1/activities/{activity['id']}/attachments",
                      data={"file": (io.BytesIO(PNG), "foto.png")},
                      content_type="multipart/form-data").get_json()
    response = api.get(stored["url"])
    assert response.mimetype in document["paths"]["/api/v1/attachments/{attachment_id}"][
        "get"]["responses"]["200"]["content"]
    response.close()


def test_every_decimal_is_documented_as_the_json_type_it_is_answered_as(app):
    from decimal import Decimal

    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    plugin = MarshmallowPlugin()
    APISpec("t", "1", "3.0.3", plugins=[plugin])
    json_type = {str: "string", int: "number", float: "number"}
    checked = 0
    for schema_class in _subclasses(Schema):
        for name, field in schema_class().fields.items():
            if isinstance(field, ma.fields.Decimal) and not field.load_only:
                documented = plugin.converter.field2property(field)["type"]
                documented = documented[0] if isinstance(documented, list) else documented
                dumped = field._serialize(Decimal("12.50"), name, None)
                assert json_type[type(dumped)] == documented.replace("integer", "number"), \
                    f"{schema_class.__name__}.{name}: {dumped!r} documented as {documented}"
                checked += 1
    assert checked > 5
