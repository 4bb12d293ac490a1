"""The API's shape: OpenAPI 3 document, docs with self-hosted assets, one error envelope."""

import pytest
from flask import Blueprint
from openapi_spec_validator import validate

ENVELOPE_KEYS = {"code", "message", "fields"}


def assert_envelope(response, status, code):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) >= ENVELOPE_KEYS
    assert body["error"]["code"] == code
    assert "Traceback" not in response.get_data(as_text=True)


def test_openapi_document_is_valid_openapi_3(api, world):
    api.login(world.one.staff_a1)
    spec = api.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me"):
        assert path in spec["paths"]
    assert "LoginIn" in spec["components"]["schemas"]
    assert "MeOut" in spec["components"]["schemas"]


def test_docs_page_loads_only_assets_from_this_server(api, world):
    api.login(world.one.staff_a1)
    page = api.get("/api/v1/docs").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js"):
        response = api.get(f"/api/v1/docs/assets/{asset}")
        assert response.status_code == 200
        assert len(response.data) > 10_000
        response.close()


def test_unknown_api_path_is_json_404(api, world):
    api.login(world.one.staff_a1)
    assert_envelope(api.get("/api/v1/tidak-ada"), 404, "not_found")


def test_anonymous_unknown_api_path_is_json_too(client, db):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code in (401, 404)
    assert response.is_json


def test_wrong_method_is_json_405_with_allow(api, world):
    api.login(world.one.staff_a1)
    response = api.delete("/api/v1/me")
    assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_too_large_body_is_json_413(app, client, db):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/api/v1/auth/login", data=body,
                           headers={"Content-Type": "application/json"})
    assert_envelope(response, 413, "payload_too_large")


def test_malformed_json_is_a_4xx_envelope(client, db):
    response = client.post("/api/v1/auth/login", data=b"{nip:",
                           headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["code"] in ("bad_request", "invalid")


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000])
def test_json_nested_too_deeply_is_400_not_500(api, world, body):
    """Deeper than Python's JSON decoder can follow: unreadable JSON, like any other."""
    api.login(world.one.staff_a1)
    response = api.post("/api/v1/activities", data=body,
                        headers={"Content-Type": "application/json"})
    assert_envelope(response, 400, "bad_request")


def test_unexpected_error_is_json_500_without_trace(make_app, tmp_path):
    app = make_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    boom = Blueprint("boom", __name__)

    @boom.get("/api/v1/boom")
    def explode():
        raise RuntimeError("secret internals")

    app.register_blueprint(boom)
    # Make the route reachable without a session for this check.
    app.view_functions["boom.explode"].is_public = True
    response = app.test_client().get("/api/v1/boom")
    assert_envelope(response, 500, "internal_error")
    assert "secret internals" not in response.get_data(as_text=True)


def test_database_outage_is_503_with_retry_after(make_app, tmp_path):
    app = make_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().post("/api/v1/auth/login",
                                      json={"nip": "198503122010011002", "password": "x"})
    assert_envelope(response, 503, "unavailable")
    assert response.headers["Retry-After"]


def test_pages_get_html_errors(client, db):
    response = client.get("/tidak-ada")
    assert response.status_code in (302, 404)


@pytest.mark.parametrize("header", ["Content-Security-Policy", "X-Content-Type-Options",
                                    "Referrer-Policy", "X-Frame-Options"])
def test_security_headers_everywhere(client, db, header):
    assert header in client.get("/masuk").headers
    assert header in client.get("/api/v1/me").headers


def test_api_answers_are_not_cached(api, world):
    api.login(world.one.staff_a1)
    assert api.get("/api/v1/me").headers["Cache-Control"] == "no-store"
