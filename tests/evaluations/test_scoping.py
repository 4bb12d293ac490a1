"""Nothing of another organisation can be read or changed (writes; reads are in
tests/test_permissions.py)."""

import pytest

from tests.evaluations.support import other_org_ids


@pytest.mark.parametrize("who", ["head", "admin", "staff_a1", "sup_a"])
def test_other_organisation_writes_are_404(as_, world, who):
    ids = other_org_ids(world)
    api = as_(getattr(world.one, who))
    evaluation_url = f"/api/v1/evaluations/{ids['evaluation_id']}"
    writes = [
        ("post", f"/api/v1/periods/{ids['period_id']}/evaluation", None),
        ("patch", evaluation_url, {"version": 1}),
        ("post", f"{evaluation_url}/refresh", {"version": 1}),
        ("post", f"{evaluation_url}/evidence", {"rhk_id": 1, "url": "https://x.example.org"}),
        ("post", f"{evaluation_url}/submit", {"version": 1}),
        ("post", f"{evaluation_url}/return", {"reason": "x"}),
        ("post", f"{evaluation_url}/reopen", None),
        ("post", f"{evaluation_url}/assess", {"version": 1, "perilaku_kerja": "sesuai",
                                              "hasil_kerja": "sesuai"}),
        ("post", f"{evaluation_url}/acknowledge", {"version": 1}),
        ("delete", f"/api/v1/evaluation-evidence/{ids['evidence_id']}", None),
        ("put", f"/api/v1/periods/{ids['period_id']}/unit-predicates/{ids['unit_id']}",
         {"predikat": "baik"}),
        ("patch", f"/api/v1/periods/{ids['period_id']}", {"name": "X"}),
        ("delete", f"/api/v1/periods/{ids['period_id']}", None),
    ]
    admin_only = {f"/api/v1/periods/{ids['period_id']}"}
    for method, url, body in writes:
        kwargs = {"json": body} if body is not None else {}
        response = getattr(api, method)(url, **kwargs)
        # Writes only HR administrators may make refuse everyone else whatever the id.
        expected = 403 if url in admin_only and who != "admin" else 404
        assert response.status_code == expected, (method, url, response.status_code)
