"""Admin-only writes refuse everyone else with 403 before reading the body: a pegawai who
sends nonsense hears "not allowed", not what a valid body would look like (and not 422)."""

import re

import pytest

from tests.support import ApiClient

#: The organisation's settings that only HR administrators change. Every endpoint whose view
#: declares its roles (app.core.security.requires_role) is checked too, so a new one is not
#: forgotten; this table keeps these from losing their declaration.
ADMIN_ONLY_WRITES = {
    ("PUT", "/api/v1/reminder-rules"),
    ("POST", "/api/v1/holidays"),
    ("DELETE", "/api/v1/holidays/<int:holiday_id>"),
    ("PUT", "/api/v1/review-policy"),
    ("POST", "/api/v1/periods"),
    ("POST", "/api/v1/periods/generate"),
    ("PATCH", "/api/v1/periods/<int:period_id>"),
    ("DELETE", "/api/v1/periods/<int:period_id>"),
    ("POST", "/api/v1/people"),
    ("PATCH", "/api/v1/people/<int:person_id>"),
    ("POST", "/api/v1/units"),
    ("PATCH", "/api/v1/units/<int:unit_id>"),
    ("POST", "/api/v1/acting-assignments"),
    ("DELETE", "/api/v1/acting-assignments/<int:assignment_id>"),
    ("POST", "/api/v1/people/<int:person_id>/activation-code"),
    ("POST", "/api/v1/units/<int:unit_id>/activation-sheet"),
    ("POST", "/api/v1/imports/people"),
    ("POST", "/api/v1/imports/units"),
    ("POST", "/api/v1/imports/<job_id>/apply"),
    ("POST", "/api/v1/absences/import"),
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def role_restricted_writes(app) -> set[tuple[str, str]]:
    """Every API write whose view declares the roles that may call it."""
    found = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/") and getattr(view, "required_roles", None):
            found.update((method, rule.rule) for method in rule.methods & WRITES)
    return found


def test_every_admin_only_write_declares_its_roles(app):
    assert ADMIN_ONLY_WRITES <= role_restricted_writes(app)


@pytest.mark.parametrize("role", ["staff_a1", "sup_a", "head"])
def test_others_hear_403_whatever_the_body(app, world, role):
    client = ApiClient(app).login(getattr(world.one, role))
    for method, rule in sorted(ADMIN_ONLY_WRITES | role_restricted_writes(app)):
        url = re.sub(r"<(?:\w+:)?\w+>", "1", rule)
        for body in ({}, {"unexpected": "x" * 10}, [1, 2]):
            response = getattr(client, method.lower())(url, json=body)
            assert response.status_code == 403, (method, rule, response.get_json())
            assert response.get_json()["error"]["code"] == "forbidden"


def test_the_admin_still_hears_what_is_wrong_with_the_body(app, world):
    client = ApiClient(app).login(world.one.admin)
    for method, rule in sorted(ADMIN_ONLY_WRITES | role_restricted_writes(app)):
        if method == "DELETE":
            continue
        url = re.sub(r"<(?:\w+:)?\w+>", "1", rule)
        response = getattr(client, method.lower())(url, json={"unexpected": 1})
        assert response.status_code in (404, 422), (method, rule)


def test_review_policy_refusal_says_who_may(app, world):
    client = ApiClient(app).login(world.one.staff_a1)
    response = client.put("/api/v1/review-policy", json={"auto_accept_after_working_days": 3})
    assert response.status_code == 403
    assert "kebijakan persetujuan" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("role", ["staff_a1", "sup_a"])
def test_a_unit_recap_is_refused_before_its_body_is_checked(app, world, role):
    client = ApiClient(app).login(getattr(world.one, role))
    for body in ({"kind": "unit_recap"}, {"kind": "unit_recap", "month": "kemarin",
                                          "unit_id": "x", "extra": 1}):
        response = client.post("/api/v1/exports", json=body)
        assert response.status_code == 403, response.get_json()
    admin = ApiClient(app).login(world.one.admin)
    assert admin.post("/api/v1/exports", json={"kind": "unit_recap"}).status_code == 422
