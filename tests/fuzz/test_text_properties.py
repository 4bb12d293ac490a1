"""Any text through every write endpoint: never a 5xx, and what is stored reads back the same.

Text here is any unicode (every plane, control characters, NUL, lone surrogates, sent as
JSON escapes). Two properties:

- every write operation of the OpenAPI document (so a new one is covered without an edit),
  with each of its free-text body fields set to such text, answers below 500;
- on the endpoints people type text into, text the database can hold is stored and read
  back exactly (less surrounding whitespace, which every schema strips), and text it cannot
  (NUL, lone surrogates) is refused with 422 naming the field.
"""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.schemas import text_problem
from tests.fuzz.conftest import count
from tests.fuzz.test_openapi_fuzz import openapi_document
from tests.support import ApiClient

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

ANY_TEXT = st.text(st.characters(exclude_categories=()), min_size=1, max_size=40)
SETTINGS = settings(max_examples=25, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
DOCUMENT = openapi_document()
#: Strings that are not free text: their format says what they hold.
NOT_TEXT = {"date", "date-time", "time", "uuid", "uri", "url", "email", "binary", "decimal"}


def _resolve(schema: dict) -> dict:
    if "$ref" in schema:
        return DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def text_fields_of_writes() -> list[tuple[str, str, str]]:
    """(method, path, field) for every free-text field of every JSON write body."""
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _resolve(content["application/json"]["schema"])
            for name, prop in body.get("properties", {}).items():
                prop = _resolve(prop)
                kinds = prop.get("type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if "string" in kinds and "enum" not in prop \
                        and prop.get("format") not in NOT_TEXT and "pattern" not in prop:
                    found.append((method, path, name))
    return found


WRITES = text_fields_of_writes()


def send(client, method, url, body):
    """JSON with every non-ASCII character escaped: lone surrogates travel too."""
    count(client.app, "text property")
    return client.client.open(url, method=method.upper(), data=json.dumps(body),
                              content_type="application/json",
                              headers=client._headers(None))


def test_the_document_has_text_fields_to_try():
    assert len(WRITES) > 20
    assert ("post", "/api/v1/activities", "description") in WRITES


@pytest.mark.parametrize(("method", "path", "field"), WRITES,
                         ids=[f"{m.upper()} {p} {f}" for m, p, f in WRITES])
def test_any_text_in_any_write_is_never_a_server_error(app, world, method, path, field):
    client = ApiClient(app).login(world.one.admin)
    url = re.sub(r"\{[^}]+\}", "1", path)

    @given(text=ANY_TEXT)
    @SETTINGS
    def attempt(text):
        response = send(client, method, url, {field: text})
        assert response.status_code < 500, (response.status_code, response.data[:300])

    attempt()


ENTRY = {"date": "2026-03-09", "start_time": "08:00", "end_time": "09:00",
         "work_kind": "lainnya"}


def _activity(client, text):
    return send(client, "post", "/api/v1/activities",
                {**ENTRY, "description": text, "quantity": 1, "unit": text[:40]})


#: (field, make it with ``text``, read it back from the answer of the create).
TYPED_TEXT = {
    "activity description": ("description", _activity, lambda c, body: c.get(
        f"/api/v1/activities/{body['id']}").get_json()["description"]),
    "activity unit": ("unit", _activity, lambda c, body: c.get(
        f"/api/v1/activities/{body['id']}").get_json()["unit"]),
    "template name": ("name", lambda c, text: send(c, "post", "/api/v1/activity-templates", {
        "name": text[:100], "description": "Rapat", "work_kind": "lainnya"}),
        lambda c, body: next(t["name"] for t in c.get("/api/v1/activity-templates")
                             .get_json() if t["id"] == body["id"])),
    "token name": ("name", lambda c, text: send(c, "post", "/api/v1/auth/tokens",
                                                {"name": text}),
                   lambda c, body: next(t["name"] for t in c.get("/api/v1/auth/tokens")
                                        .get_json() if t["id"] == body["id"])),
}


@pytest.mark.parametrize("what", sorted(TYPED_TEXT))
def test_typed_text_reads_back_the_same_or_is_refused(app, world, clock, what):
    field, create, read_back = TYPED_TEXT[what]
    client = ApiClient(app).login(world.one.staff_a1)

    @given(text=ANY_TEXT)
    @SETTINGS
    def attempt(text):
        response = create(client, text)
        sent = text[:100] if what == "template name" else text
        if field == "unit":
            sent = text[:40]
        if text_problem(sent) or not sent.strip():
            assert response.status_code == 422, response.data[:300]
            assert field in response.get_json()["error"]["fields"]
            return
        if response.status_code == 422:  # too long once escaped? say which field
            assert field not in response.get_json()["error"]["fields"], response.get_json()
            return
        assert response.status_code == 201, (response.status_code, response.data[:300])
        assert read_back(client, response.get_json()) == sent.strip()

    attempt()
