"""Every endpoint needs a session unless public; nothing of another organisation is visible."""

import re

import pytest

#: Endpoints reachable without signing in, and why.
PUBLIC_ENDPOINTS = {
    "auth.login": "the sign-in page",
    "auth.language": "choosing the language before signing in",
    "home.health": "liveness checks by load balancers",
    "auth_api.login": "signing in through the API",
    "auth.activate_page": "setting a first password with an activation code",
    "auth.forgot_password": "whom to ask for a new activation code",
    "auth_api.activate": "activating through the API",
    "static": "static assets",
    "pwa.service_worker": "the service worker must install before signing in",
    "pwa.manifest": "the web app manifest",
    "pwa.shell": "the offline shell; it holds no personal data",
    "citizen.survey": "citizens rate a service unit without an account (SKM survey)",
    "citizen.thanks": "the survey's thank-you page",
    "citizen.qr": "the survey's QR code: only the public survey address",
    "citizen.poster": "the counter poster: the unit's name and its QR code",
}

#: For every API URL with an id: how to find an id that belongs to the *other* organisation.
CROSS_ORG_URLS = {
    "/api/v1/people/<int:person_id>": lambda w: {"person_id": w.two.staff_a1.id},
    "/api/v1/units/<int:unit_id>": lambda w: {"unit_id": w.two.staff_a1.unit_id},
    # Tokens belong to a person: test_auth_api.test_cannot_revoke_someone_elses_token.
    "/api/v1/auth/tokens/<int:token_id>": None,
    # SKPs, RHKs and indicators: the second organisation's head's SKP.
    **{url: (lambda w: __import__("tests.targets.factories",
                                  fromlist=["other_org_ids"]).other_org_ids(w))
       for url in ("/api/v1/skps/<int:skp_id>", "/api/v1/skps/<int:skp_id>/history",
                   "/api/v1/skps/<int:skp_id>/document", "/api/v1/rhks/<int:rhk_id>",
                   "/api/v1/indicators/<int:indicator_id>")},
    # Writes only (no GET): tests/targets/test_api.py::test_other_organisation_writes_are_404.
    "/api/v1/skps/<int:skp_id>/rhks": None,
    "/api/v1/rhks/<int:rhk_id>/indicators": None,
    # tests/reports/test_aspects.py::test_a_split_is_the_owners_while_the_skp_is_editable.
    "/api/v1/indicators/<int:indicator_id>/period-targets": None,
    "/api/v1/skps/<int:skp_id>/submit": None,
    # tests/targets/test_planning.py::test_planning_on_another_organisations_skp_is_not_found.
    "/api/v1/skps/<int:skp_id>/expectations": None,
    "/api/v1/skps/<int:skp_id>/annex": None,
    "/api/v1/skps/<int:skp_id>/approve": None,
    "/api/v1/skps/<int:skp_id>/return": None,
    # Activities and evidence: an activity of the second organisation with a link.
    **{url: (lambda w: __import__("tests.activities.support",
                                  fromlist=["other_org_ids"]).other_org_ids(w))
       for url in ("/api/v1/activities/<activity_id>",
                   "/api/v1/activities/<activity_id>/history",
                   "/api/v1/activities/<activity_id>/attachments",
                   "/api/v1/attachments/<attachment_id>")},
    # Writes only (no GET): tests/activities/test_api.py::test_other_organisation_writes_are_404.
    "/api/v1/activities/<activity_id>/submit": None,
    "/api/v1/activities/<activity_id>/approve": None,
    "/api/v1/activities/<activity_id>/return": None,
    "/api/v1/activities/<activity_id>/repeat": None,
    # tests/activities/test_withdraw.py::test_nobody_else_withdraws_or_deletes.
    "/api/v1/activities/<activity_id>/withdraw": None,
    "/api/v1/activity-templates/<int:template_id>": None,
    # Notifications are the recipient's alone (a write only, no GET):
    # tests/notifications/test_centre.py::test_someone_elses_notification_is_404.
    "/api/v1/notifications/<int:notification_id>/read": None,
    # Comment threads: the second organisation's activity.
    "/api/v1/activities/<activity_id>/comments": (lambda w: __import__(
        "tests.activities.support", fromlist=["other_org_ids"]).other_org_ids(w)),
    # Continuous feedback: a person of the second organisation.
    "/api/v1/people/<int:person_id>/feedback": lambda w: {"person_id": w.two.staff_a1.id},
    # Absences: one of the second organisation; its writes (approve, reject, cancel) in
    # tests/absences/test_api.py::test_another_organisation_gets_404_and_never_sees_it.
    "/api/v1/absences/<int:absence_id>": (lambda w: __import__(
        "tests.absences.support", fromlist=["other_org_ids"]).other_org_ids(w)),
    "/api/v1/absences/<int:absence_id>/approve": None,
    "/api/v1/absences/<int:absence_id>/reject": None,
    "/api/v1/absences/<int:absence_id>/cancel": None,
    # Development records and mentoring pairs: tests/development/test_api.py.
    **{url: (lambda w: __import__("tests.development.support",
                                  fromlist=["other_org_ids"]).other_org_ids(w))
       for url in ("/api/v1/trainings/<int:training_id>",
                   "/api/v1/trainings/<int:training_id>/certificate",
                   "/api/v1/mentoring/<int:pair_id>")},
    # A write only: test_a_colleague_and_another_organisation_get_404 and the matrix.
    "/api/v1/trainings/<int:training_id>/decision": None,
    # Follow-up of the predikat: each test below tries the second organisation's supervisor
    # and admin (and a colleague) on the item and its writes, and gets 404.
    # tests/followup/test_dialogs.py::test_who_may_see_record_and_confirm
    "/api/v1/dialogs/<int:dialog_id>": None,
    "/api/v1/dialogs/<int:dialog_id>/confirm": None,
    "/api/v1/dialog-actions/<int:action_id>/done": None,
    # tests/followup/test_outcomes.py::test_recognitions_are_seen_by_the_line_and_the_...
    "/api/v1/recognitions/<int:recognition_id>": None,
    "/api/v1/recognitions/<int:recognition_id>/certificate": None,
    # tests/followup/test_outcomes.py::test_only_the_supervisor_runs_the_plan and
    # ::test_the_supervisor_runs_and_closes_the_plan (sessions).
    "/api/v1/coaching-plans/<int:plan_id>": None,
    "/api/v1/coaching-plans/<int:plan_id>/close": None,
    "/api/v1/coaching-plans/<int:plan_id>/sessions": None,
    "/api/v1/coaching-sessions/<int:session_id>": None,
    # tests/followup/test_plan_trainings.py::test_only_the_supervisor_asks_and_only_the_...
    "/api/v1/coaching-plans/<int:plan_id>/trainings": None,
    "/api/v1/coaching-plan-trainings/<int:plan_training_id>/attach": None,
    # tests/followup/test_objections.py::test_nobody_else_decides and
    # ::test_only_the_employee_objects_once_within_the_window.
    "/api/v1/evaluations/<int:evaluation_id>/objection": None,
    "/api/v1/objections/<int:objection_id>": None,
    "/api/v1/objections/<int:objection_id>/decide": None,
    # Delete only: tests/feedback/test_acting.py::
    # test_removing_another_organisations_assignment_is_404.
    "/api/v1/acting-assignments/<int:assignment_id>": None,
    # A device's push subscription is its owner's alone (delete only, no GET):
    # tests/push/test_api.py::test_someone_elses_endpoint_is_404_and_unchanged.
    "/api/v1/push-subscriptions/<int:subscription_id>": None,
    # Organisation holidays: a day off of the second organisation (DELETE: tests/reminders/
    # test_api.py::test_another_organisations_holiday_cannot_be_removed).
    "/api/v1/holidays/<int:holiday_id>": (lambda w: __import__(
        "tests.reminders.support", fromlist=["other_org_ids"]).other_org_ids(w)),
    # Evaluation periods, evaluations, team lists, unit predicates and distributions: a
    # period and an evaluation of the second organisation.
    **{url: (lambda w: __import__("tests.evaluations.support",
                                  fromlist=["other_org_ids"]).other_org_ids(w))
       for url in ("/api/v1/periods/<int:period_id>",
                   "/api/v1/evaluations/<int:evaluation_id>",
                   "/api/v1/evaluations/<int:evaluation_id>/document",
                   "/api/v1/periods/<int:period_id>/team",
                   "/api/v1/periods/<int:period_id>/unit-predicates",
                   "/api/v1/periods/<int:period_id>/distribution",
                   "/api/v1/evaluation-evidence/<int:evidence_id>")},
    # Writes only (no GET): tests/evaluations/test_scoping.py::
    # test_other_organisation_writes_are_404.
    **dict.fromkeys(("/api/v1/periods/<int:period_id>/evaluation",
                     "/api/v1/evaluations/<int:evaluation_id>/refresh",
                     "/api/v1/evaluations/<int:evaluation_id>/evidence",
                     "/api/v1/evaluations/<int:evaluation_id>/submit",
                     "/api/v1/evaluations/<int:evaluation_id>/return",
                     "/api/v1/evaluations/<int:evaluation_id>/reopen",
                     "/api/v1/evaluations/<int:evaluation_id>/assess",
                     "/api/v1/evaluations/<int:evaluation_id>/acknowledge",
                     "/api/v1/periods/<int:period_id>/unit-predicates/<int:unit_id>")),
    # Activation codes and sheets (writes only, no GET): tests/accounts/test_issue_api.py::
    # test_another_organisations_person_is_not_found and tests/accounts/test_sheet.py::
    # test_other_organisation_and_strangers.
    "/api/v1/people/<int:person_id>/activation-code": None,
    "/api/v1/units/<int:unit_id>/activation-sheet": None,
    # Export jobs are their owner's alone: a job of the second organisation's admin.
    **{url: (lambda w: __import__("tests.documents.support",
                                  fromlist=["other_org_ids"]).other_org_ids(w))
       for url in ("/api/v1/exports/<job_id>", "/api/v1/exports/<job_id>/file")},
    # Import jobs: a preview of the second organisation's admin (the apply is a POST:
    # tests/imports/test_jobs.py::test_another_organisations_job_is_not_found).
    "/api/v1/imports/<job_id>": lambda w: __import__(
        "tests.imports.support", fromlist=["other_org_ids"]).other_org_ids(w),
    "/api/v1/imports/<job_id>/apply": None,
}


def concrete(rule) -> str:
    return re.sub(r"<(?:int:)?(\w+)>", "1", re.sub(r"<path:\w+>", "x.css", rule.rule))


def routed(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_public_endpoints_are_exactly_the_listed_ones(app):
    public = {endpoint for endpoint, view in app.view_functions.items()
              if getattr(view, "is_public", False)}
    assert public | {"static"} == set(PUBLIC_ENDPOINTS)


def test_every_private_endpoint_refuses_anonymous_callers(app, client):
    checked = 0
    for rule, method in routed(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.open(concrete(rule), method=method, json={})
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, (method, rule.rule, response.status_code)
            assert response.get_json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302, (method, rule.rule, response.status_code)
            assert response.headers["Location"].startswith("/masuk")
        checked += 1
    assert checked >= 15


def test_anonymous_json_client_gets_401_not_a_redirect_on_api(client, db):
    response = client.get("/api/v1/me", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.is_json


def test_every_api_url_with_an_id_has_a_cross_organisation_case(app):
    with_ids = {rule.rule for rule in app.url_map.iter_rules()
                if rule.rule.startswith("/api/v1/") and "<" in rule.rule
                and "docs" not in rule.rule}
    assert with_ids == set(CROSS_ORG_URLS)


@pytest.mark.parametrize("template", [t for t, ids in CROSS_ORG_URLS.items() if ids])
@pytest.mark.parametrize("who", ["head", "admin", "staff_a1"])
def test_other_organisation_is_404(api, world, template, who):
    api.login(getattr(world.one, who))
    url = template
    for name, value in CROSS_ORG_URLS[template](world).items():
        url = re.sub(rf"<(?:int:)?{name}>", str(value), url)
    response = api.get(url)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_other_organisation_is_absent_from_lists(api, world):
    api.login(world.one.admin)
    people = {p["id"] for p in api.get("/api/v1/people?per_page=200").get_json()["items"]}
    units = {u["id"] for u in api.get("/api/v1/units").get_json()}
    assert world.two.staff_a1.id not in people
    assert world.two.staff_a1.unit_id not in units
    assert world.one.staff_a1.unit_id in units
