"""The permission matrix: every route of the app × every role × own / other organisation.

Routes come from the URL map, so a new route fails ``test_every_route_is_in_the_matrix`` until
it has a row in ``MATRIX``. Each row gives the status answered to each caller, in the order of
``CALLERS``: anonymous, then the first organisation's pegawai (staff_a1), atasan (sup_a, their
supervisor), pimpinan (the head) and HR administrator. Ids in the URL name things of staff_a1
(their activity, SKP, evaluation...) or of the organisation; ``other`` is what the same four
signed-in callers get for the second organisation's ids (``-`` where the route takes no id).

Requests carry an empty body (JSON ``{}`` for the API, an empty form for pages), so a caller
who may act gets past the permission check and stops at validation (400/422) or acts; one
who may not gets 403, or 404 where the item is not theirs to know of. The callers ask in
order, the other organisation's ids first, on a fresh world per route, so an earlier caller's
success can show in a later one's answer (a 409 after an approval): the table records what
happens, in that order.

To regenerate the table after a deliberate change, run with KINERJAKU_PRINT_MATRIX=1 and
review every changed row before pasting it.
"""

import os
import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.org.models import ActingKind

pytestmark = pytest.mark.slow

CALLERS = ("anonymous", "pegawai", "atasan", "pimpinan", "admin")
PEOPLE = {"pegawai": "staff_a1", "atasan": "sup_a", "pimpinan": "head", "admin": "admin"}

#: Routes asked of separately, and why.
ELSEWHERE = {
    "GET /api/v1/stream": "an endless event stream: tests/notifications/test_stream*.py",
}


def _activity(org) -> dict:
    from app.activities import evidence
    from tests.activities.support import make_activity

    person = org.staff_a1
    activity = make_activity(person, on=date.today() - timedelta(days=1), commit=False)
    link = evidence.add_link(person, activity.id, url="https://example.org/bukti")
    return {"activity_id": activity.id, "attachment_id": link.id}


def _targets_and_evaluation(org) -> dict:
    from app.evaluations import services as evaluations
    from tests.evaluations.support import line_skps, quarters

    skp = line_skps(org)["staff_a1"]
    rhk = skp.rhks[0]
    period = quarters(org)["Triwulan IV 2026"]
    evaluation, _ = evaluations.open_evaluation(org.staff_a1, period.id)
    proof = evaluations.add_evidence(org.staff_a1, evaluation.id,
                                     rhk_id=evaluation.rhks[0].rhk_id,
                                     url="https://bukti.example.org/satu")
    return {"skp_id": skp.id, "rhk_id": rhk.id, "indicator_id": rhk.indicators[0].id,
            "period_id": period.id, "evaluation_id": evaluation.id, "evidence_id": proof.id}


def _own_things(org) -> dict:
    from app.activities.services.templates import create_template
    from app.auth.services import create_token
    from app.documents.models import ExportJob, ExportKind, ExportStatus
    from app.notifications.models import NotificationKind, PushSubscription
    from app.notifications.services import notify
    from app.org.lines import create_acting
    from app.reminders.models import OrgHoliday

    person = org.staff_a1
    subscription = PushSubscription(org_id=org.org.id, person_id=person.id,
                                    endpoint=f"https://push.example.org/{org.org.slug}",
                                    p256dh="x", auth="y")
    holiday = OrgHoliday(org_id=org.org.id, day=date(2026, 11, 11), name="Hari jadi")
    job = ExportJob(org_id=org.org.id, owner_id=person.id, kind=ExportKind.UNIT_RECAP,
                    parameters={"month": "2026-11"}, status=ExportStatus.DONE, progress=100,
                    file_key="x.csv", filename="x.csv", content_type="text/csv")
    db.session.add_all([subscription, holiday, job])
    acting = create_acting(org.admin, acting_person_id=org.sup_b.id,
                           for_person_id=org.sup_a.id, starts_on=date(2026, 12, 1),
                           ends_on=date(2026, 12, 31), kind=ActingKind.PLT.value)
    db.session.flush()
    return {
        "template_id": create_template(person, name="Rapat", description="Rapat").id,
        "token_id": create_token(person, "ponsel").id,
        "notification_id": notify(person, NotificationKind.FEEDBACK, title="Umpan balik").id,
        "subscription_id": subscription.id, "holiday_id": holiday.id, "job_id": job.id,
        "assignment_id": acting.id}


def _absence(org) -> dict:
    from app.absences.services import create_absence

    absence = create_absence(org.staff_a1, kind="cuti_tahunan", starts_on=date(2026, 12, 21),
                             ends_on=date(2026, 12, 22), note="Urusan keluarga")
    return {"absence_id": absence.id}


def _follow_up(org) -> dict:
    from app.followup import dialogs, objections, outcomes, trainings
    from app.followup.models import Recognition
    from tests.followup.support import assessed

    evaluation = assessed(org, "di_bawah", "sesuai")
    plan = outcomes.list_plans(org.sup_a)[0]
    session = outcomes.add_session(org.sup_a, plan.id, scheduled_on=date(2026, 12, 20))
    asked = trainings.ask_training(org.sup_a, plan.id, title="Diklat", kind="training")
    dialog = dialogs.create_dialog(org.sup_a, person_id=org.staff_a1.id,
                                   held_on=date(2026, 11, 20), topic="Capaian", actions=[
                                       {"description": "Jadwal", "due_on": date(2026, 12, 1)}])
    objection = objections.file_objection(org.staff_a1, evaluation.id, reasons="Keberatan")
    recognition = Recognition(org_id=org.org.id, evaluation_id=evaluation.id,
                              person_id=org.staff_a1.id, predikat="sangat_baik",
                              number="PGH/2026/0001")
    db.session.add(recognition)
    db.session.flush()
    return {"dialog_id": dialog.id, "action_id": dialog.actions[0].id, "plan_id": plan.id,
            "session_id": session.id, "objection_id": objection.id,
            "recognition_id": recognition.id, "plan_training_id": asked.id}


def _import_job(org) -> dict:
    from app.org.models import ImportJob, ImportKind, ImportStatus

    job = ImportJob(org_id=org.org.id, owner_id=org.admin.id, kind=ImportKind.PEOPLE,
                    dry_run=True, status=ImportStatus.DONE, progress=100, filename="x.csv",
                    result={"summary": {"create": 0, "update": 0, "unchanged": 0,
                                        "deactivate": 0, "errors": 0}, "rows": []})
    db.session.add(job)
    db.session.flush()
    return {"job_id": job.id}


def _development(org) -> dict:
    from app.development import services

    training = services.create_training(org.staff_a1, title="Diklat", provider="BPSDM",
                                        kind="training", starts_on=date(2026, 3, 2),
                                        ends_on=date(2026, 3, 3), hours=10)
    pair = services.create_pair(org.sup_a, mentor_id=org.staff_a2.id,
                                mentee_id=org.staff_a1.id, starts_on=date(2026, 1, 5),
                                ends_on=date(2026, 6, 30))
    return {"training_id": training.id, "pair_id": pair.id}


def _citizen_message(org) -> dict:
    from app.citizen import services

    response = services.record(org.staff_a1.unit, {**{f"u{n}": 3 for n in range(1, 10)},
                                                   "comment": "Antrean panjang"})
    from app.citizen.models import CitizenMessage

    message = db.session.scalar(db.select(CitizenMessage).where(
        CitizenMessage.response_id == response.id))
    return {"message_id": message.id}


#: Who makes the thing each URL parameter names: (builder, the parameters it fills).
BUILDERS = (
    (_activity, {"activity_id", "attachment_id"}),
    (_targets_and_evaluation, {"skp_id", "rhk_id", "indicator_id", "period_id",
                               "evaluation_id", "evidence_id"}),
    (_own_things, {"template_id", "token_id", "notification_id", "subscription_id",
                   "holiday_id", "job_id", "assignment_id"}),
    (_absence, {"absence_id"}),
    (_follow_up, {"dialog_id", "action_id", "plan_id", "session_id", "objection_id",
                  "recognition_id", "plan_training_id"}),
    (_development, {"training_id", "pair_id"}),
    (_citizen_message, {"message_id"}),
)


def _ids_for(org, names: set[str], rule: str = "") -> dict:
    """Ids of things of ``org``'s staff_a1 and of ``org``, for the URL parameters ``names``
    of ``rule``; only what the route names is made. A ``job_id`` is an export's, or an
    import's (the HR administrator's) on the import routes."""
    ids = {"person_id": org.staff_a1.id, "unit_id": org.staff_a1.unit_id,
           "org_slug": org.org.slug, "unit_code": org.staff_a1.unit.code,
           "filename": "swagger-ui.css", "code": "en"}
    for build, fills in BUILDERS:
        if names & fills:
            ids.update(build(org))
    if "impor" in rule:
        ids.update(_import_job(org))
    db.session.commit()
    return ids


def _url(rule: str, ids: dict) -> str:
    def fill(match):
        return str(ids[match.group(1)])
    return re.sub(r"<(?:\w+:)?(\w+)>", fill, rule)


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield f"{method} {rule.rule}", rule


def _ask(caller, method, url):
    body = {"json": {}} if url.startswith("/api/") else {"data": {}}
    response = caller.client.open(url, method=method, headers=caller._headers(None),
                                  **(body if method != "GET" else {}))
    response.close()
    return response.status_code


def _statuses(app, world, key, rule) -> tuple[str, str]:
    from tests.support import ApiClient

    method = key.split()[0]
    names = set(rule.arguments)
    callers = {role: ApiClient(app) for role in CALLERS}
    for role, name in PEOPLE.items():
        callers[role].login(getattr(world.one, name))
    other = "-"
    if names:
        theirs = _url(rule.rule, _ids_for(world.two, names, rule.rule))
        other = " ".join(str(_ask(callers[role], method, theirs)) for role in CALLERS[1:])
    ours = _url(rule.rule, _ids_for(world.one, names, rule.rule))
    own = " ".join(str(_ask(callers[role], method, ours)) for role in CALLERS)
    return own, other


#: route: (own organisation: anonymous pegawai atasan pimpinan admin,
#:         other organisation: pegawai atasan pimpinan admin)
MATRIX = {
    "DELETE /api/v1/acting-assignments/<int:assignment_id>": ("401 403 403 403 204", "403 403 403 404"),
    "DELETE /api/v1/activities/<activity_id>": ("401 204 404 404 404", "404 404 404 404"),
    "DELETE /api/v1/activity-templates/<int:template_id>": ("401 204 404 404 404", "404 404 404 404"),
    "DELETE /api/v1/attachments/<attachment_id>": ("401 204 404 404 404", "404 404 404 404"),
    "DELETE /api/v1/auth/tokens/<int:token_id>": ("401 204 404 404 404", "404 404 404 404"),
    "DELETE /api/v1/evaluation-evidence/<int:evidence_id>": ("401 204 404 404 404", "404 404 404 404"),
    "DELETE /api/v1/holidays/<int:holiday_id>": ("401 403 403 403 204", "403 403 403 404"),
    "DELETE /api/v1/indicators/<int:indicator_id>": ("401 422 422 422 422", "422 422 422 422"),
    "DELETE /api/v1/periods/<int:period_id>": ("401 403 403 403 409", "403 403 403 404"),
    "DELETE /api/v1/push-subscriptions": ("401 422 422 422 422", "-"),
    "DELETE /api/v1/push-subscriptions/<int:subscription_id>": ("401 204 404 404 404", "404 404 404 404"),
    "DELETE /api/v1/rhks/<int:rhk_id>": ("401 422 422 422 422", "422 422 422 422"),
    "GET /": ("302 200 200 200 200", "-"),
    "GET /admin": ("302 403 403 200 200", "-"),
    "GET /admin/akun": ("302 403 403 200 200", "-"),
    "GET /admin/audit": ("302 403 403 200 200", "-"),
    "GET /admin/impor": ("302 403 403 403 200", "-"),
    "GET /admin/impor/<job_id>": ("302 403 403 403 200", "403 403 403 404"),
    "GET /admin/impor/templat-pegawai.xlsx": ("302 403 403 403 200", "-"),
    "GET /admin/impor/templat-unit.xlsx": ("302 403 403 403 200", "-"),
    "GET /admin/kebijakan-tinjauan": ("302 403 403 200 200", "-"),
    "GET /admin/libur": ("302 403 403 200 200", "-"),
    "GET /admin/pegawai": ("302 403 403 200 200", "-"),
    "GET /admin/pegawai/<int:person_id>": ("302 403 403 200 200", "403 403 404 404"),
    "GET /admin/pegawai/baru": ("302 403 403 403 200", "-"),
    "GET /admin/pengingat": ("302 403 403 200 200", "-"),
    "GET /admin/plt": ("302 403 403 200 200", "-"),
    "GET /admin/unit": ("302 403 403 200 200", "-"),
    "GET /admin/unit/<int:unit_id>": ("302 403 403 200 200", "403 403 404 404"),
    "GET /aktivasi": ("200 200 200 200 200", "-"),
    "GET /aktivitas/<activity_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /aktivitas/<activity_id>/ubah": ("302 200 403 403 403", "404 404 404 404"),
    "GET /aktivitas/baru": ("302 200 200 200 200", "-"),
    "GET /api/v1/absences": ("401 200 200 200 200", "-"),
    "GET /api/v1/absences/<int:absence_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/acting-assignments": ("401 200 200 200 200", "-"),
    "GET /api/v1/activities": ("401 200 200 200 200", "-"),
    "GET /api/v1/activities/<activity_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/activities/<activity_id>/attachments": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/activities/<activity_id>/comments": ("401 200 200 200 404", "404 404 404 404"),
    "GET /api/v1/activities/<activity_id>/history": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/activities/deadline": ("401 200 200 200 200", "-"),
    "GET /api/v1/activities/defaults": ("401 200 200 200 200", "-"),
    "GET /api/v1/activity-templates": ("401 200 200 200 200", "-"),
    "GET /api/v1/attachments/<attachment_id>": ("401 404 404 404 404", "404 404 404 404"),
    "GET /api/v1/audit": ("401 403 403 200 200", "-"),
    "GET /api/v1/audit/export": ("401 403 403 200 200", "-"),
    "GET /api/v1/audit/verification": ("401 403 403 200 200", "-"),
    "GET /api/v1/auth/tokens": ("401 200 200 200 200", "-"),
    "GET /api/v1/coaching-plans": ("401 200 200 200 200", "-"),
    "GET /api/v1/coaching-plans/<int:plan_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/comments": ("401 422 422 422 422", "-"),
    "GET /api/v1/dashboards/organisation": ("401 403 403 200 200", "-"),
    "GET /api/v1/dashboards/team": ("401 403 200 200 403", "-"),
    "GET /api/v1/dialogs": ("401 200 200 200 200", "-"),
    "GET /api/v1/dialogs/<int:dialog_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/docs": ("401 200 200 200 200", "-"),
    "GET /api/v1/docs/assets/<path:filename>": ("401 200 200 200 200", "200 200 200 200"),
    "GET /api/v1/documents/ekinerja": ("401 422 422 422 422", "-"),
    "GET /api/v1/documents/monthly-report": ("401 200 200 200 200", "-"),
    "GET /api/v1/documents/team-recap": ("401 200 200 200 200", "-"),
    "GET /api/v1/evaluation-evidence/<int:evidence_id>": ("401 404 404 404 404", "404 404 404 404"),
    "GET /api/v1/evaluations": ("401 200 200 200 200", "-"),
    "GET /api/v1/evaluations/<int:evaluation_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/evaluations/<int:evaluation_id>/document": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/exports": ("401 200 200 200 200", "-"),
    "GET /api/v1/exports/<job_id>": ("401 200 404 404 404", "404 404 404 404"),
    "GET /api/v1/exports/<job_id>/file": ("401 404 404 404 404", "404 404 404 404"),
    "GET /api/v1/follow-up-policy": ("401 200 200 200 200", "-"),
    "GET /api/v1/follow-up/summary": ("401 403 403 200 200", "-"),
    "GET /api/v1/holidays": ("401 200 200 200 200", "-"),
    "GET /api/v1/holidays/<int:holiday_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/imports/<job_id>": ("401 404 404 404 200", "404 404 404 404"),
    "GET /api/v1/indicators/<int:indicator_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/me": ("401 200 200 200 200", "-"),
    "GET /api/v1/notifications": ("401 200 200 200 200", "-"),
    "GET /api/v1/objections": ("401 200 200 200 200", "-"),
    "GET /api/v1/objections/<int:objection_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/openapi.json": ("401 200 200 200 200", "-"),
    "GET /api/v1/people": ("401 200 200 200 200", "-"),
    "GET /api/v1/people/<int:person_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/people/<int:person_id>/feedback": ("401 200 200 200 404", "404 404 404 404"),
    "GET /api/v1/periods": ("401 200 200 200 200", "-"),
    "GET /api/v1/periods/<int:period_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/periods/<int:period_id>/distribution": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/periods/<int:period_id>/team": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/periods/<int:period_id>/unit-predicates": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/progress": ("401 200 200 200 200", "-"),
    "GET /api/v1/push-subscriptions": ("401 200 200 200 200", "-"),
    "GET /api/v1/push/public-key": ("401 200 200 200 200", "-"),
    "GET /api/v1/recaps/monthly": ("401 200 200 200 200", "-"),
    "GET /api/v1/recaps/monthly/team": ("401 200 200 200 200", "-"),
    "GET /api/v1/recognitions": ("401 200 200 200 200", "-"),
    "GET /api/v1/recognitions/<int:recognition_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/recognitions/<int:recognition_id>/certificate": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/reminder-rules": ("401 403 403 403 200", "-"),
    "GET /api/v1/reminder-settings": ("401 200 200 200 200", "-"),
    "GET /api/v1/review-policy": ("401 200 200 200 200", "-"),
    "GET /api/v1/rhks/<int:rhk_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/skps": ("401 200 200 200 200", "-"),
    "GET /api/v1/skps/<int:skp_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/skps/<int:skp_id>/document": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/skps/<int:skp_id>/history": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/targets": ("401 200 200 200 200", "-"),
    "GET /api/v1/team": ("401 200 200 200 200", "-"),
    "GET /api/v1/units": ("401 200 200 200 200", "-"),
    "GET /api/v1/units/<int:unit_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /bahasa/<code>": ("303 303 303 303 303", "303 303 303 303"),
    "GET /cuti": ("302 200 200 200 200", "-"),
    "GET /cuti/semua": ("302 403 403 200 200", "-"),
    "GET /dasbor": ("302 403 200 200 302", "-"),
    "GET /dasbor/organisasi": ("302 403 403 200 200", "-"),
    "GET /ekspor/<job_id>": ("302 200 404 404 404", "404 404 404 404"),
    "GET /ekspor/<job_id>/unduh": ("302 404 404 404 404", "404 404 404 404"),
    "GET /evaluasi": ("302 200 200 200 200", "-"),
    "GET /evaluasi/<int:evaluation_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /evaluasi/<int:evaluation_id>/dokumen": ("302 200 200 200 200", "404 404 404 404"),
    "GET /evaluasi/<int:evaluation_id>/penilaian": ("302 403 200 403 403", "404 404 404 404"),
    "GET /evaluasi/distribusi": ("302 200 200 200 200", "-"),
    "GET /evaluasi/periode": ("302 403 403 200 200", "-"),
    "GET /evaluasi/periode/<int:period_id>/ubah": ("302 403 403 403 200", "403 403 403 404"),
    "GET /evaluasi/tim": ("302 200 200 200 200", "-"),
    "GET /healthz": ("200 200 200 200 200", "-"),
    "GET /laporan-bulanan": ("302 200 200 200 200", "-"),
    "GET /laporan-bulanan/ekinerja": ("302 422 422 422 422", "-"),
    "GET /laporan-bulanan/tim": ("302 200 200 200 200", "-"),
    "GET /laporan-bulanan/tim/unduh": ("302 200 200 200 200", "-"),
    "GET /laporan-bulanan/unduh": ("302 200 200 200 200", "-"),
    "GET /lupa-kata-sandi": ("200 200 200 200 200", "-"),
    "GET /manifest.webmanifest": ("200 200 200 200 200", "-"),
    "GET /masuk": ("200 302 302 302 302", "-"),
    "GET /notifikasi": ("302 200 200 200 200", "-"),
    "GET /profil": ("302 200 200 200 200", "-"),
    "GET /profil/kata-sandi": ("302 200 200 200 200", "-"),
    "GET /rekap-unit": ("302 403 403 200 200", "-"),
    "GET /shell": ("200 200 200 200 200", "-"),
    "GET /survei/<org_slug>/<unit_code>": ("200 200 200 200 200", "200 200 200 200"),
    "GET /survei/<org_slug>/<unit_code>/poster": ("200 200 200 200 200", "200 200 200 200"),
    "GET /survei/<org_slug>/<unit_code>/qr.svg": ("200 200 200 200 200", "200 200 200 200"),
    "GET /survei/<org_slug>/<unit_code>/terima-kasih": ("200 200 200 200 200", "200 200 200 200"),
    "GET /sw.js": ("200 200 200 200 200", "-"),
    "GET /target": ("302 200 200 200 200", "-"),
    "GET /target/indikator/<int:indicator_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /target/indikator/<int:indicator_id>/periode": ("302 200 200 200 200", "404 404 404 404"),
    "GET /target/rhk/<int:rhk_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /target/rhk/<int:rhk_id>/indikator": ("302 200 200 200 200", "404 404 404 404"),
    "GET /target/skp/<int:skp_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /target/skp/<int:skp_id>/ekspektasi": ("302 403 403 403 403", "404 404 404 404"),
    "GET /target/skp/<int:skp_id>/lampiran": ("302 403 403 403 403", "404 404 404 404"),
    "GET /target/skp/<int:skp_id>/rhk": ("302 200 200 200 200", "404 404 404 404"),
    "GET /target/tim": ("302 200 200 200 200", "-"),
    "GET /tim": ("302 200 200 200 200", "-"),
    "GET /tindak-lanjut": ("302 200 200 200 200", "-"),
    "GET /tindak-lanjut/dialog/<int:dialog_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /tindak-lanjut/dialog/baru": ("302 200 200 200 200", "-"),
    "GET /tindak-lanjut/keberatan/<int:objection_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /tindak-lanjut/pembinaan/<int:plan_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /tindak-lanjut/pengaturan": ("302 403 403 200 200", "-"),
    "GET /tindak-lanjut/penghargaan/<int:recognition_id>": ("302 200 200 200 200", "404 404 404 404"),
    "GET /umpan-balik/<int:person_id>": ("302 200 200 200 404", "404 404 404 404"),
    "PATCH /api/v1/activities/<activity_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PATCH /api/v1/coaching-plans/<int:plan_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PATCH /api/v1/coaching-sessions/<int:session_id>": ("401 403 200 403 403", "404 404 404 404"),
    "PATCH /api/v1/evaluations/<int:evaluation_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PATCH /api/v1/indicators/<int:indicator_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PATCH /api/v1/me": ("401 422 422 422 422", "-"),
    "PATCH /api/v1/people/<int:person_id>": ("401 403 403 403 200", "403 403 403 404"),
    "PATCH /api/v1/periods/<int:period_id>": ("401 403 403 403 200", "403 403 403 404"),
    "PATCH /api/v1/rhks/<int:rhk_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PATCH /api/v1/skps/<int:skp_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PATCH /api/v1/units/<int:unit_id>": ("401 403 403 403 200", "403 403 403 404"),
    "POST /admin/akun/<int:person_id>/kode": ("302 403 403 403 200", "403 403 403 404"),
    "POST /admin/akun/lembar": ("302 403 403 403 303", "-"),
    "POST /admin/impor": ("302 403 403 403 422", "-"),
    "POST /admin/impor/<job_id>/terapkan": ("302 403 403 403 303", "403 403 403 404"),
    "POST /admin/kebijakan-tinjauan": ("302 403 403 403 422", "-"),
    "POST /admin/libur": ("302 403 403 403 422", "-"),
    "POST /admin/libur/<int:holiday_id>/hapus": ("302 403 403 403 303", "403 403 403 404"),
    "POST /admin/pegawai/<int:person_id>": ("302 403 403 403 422", "403 403 404 404"),
    "POST /admin/pegawai/<int:person_id>/status": ("302 403 403 403 303", "403 403 403 404"),
    "POST /admin/pegawai/baru": ("302 403 403 403 422", "-"),
    "POST /admin/pengingat": ("302 403 403 403 422", "-"),
    "POST /admin/plt": ("302 403 403 403 422", "-"),
    "POST /admin/plt/<int:assignment_id>/hapus": ("302 403 403 403 303", "403 403 403 404"),
    "POST /admin/unit": ("302 403 403 403 422", "-"),
    "POST /admin/unit/<int:unit_id>": ("302 403 403 403 303", "403 403 404 404"),
    "POST /admin/unit/<int:unit_id>/status": ("302 403 403 403 303", "403 403 403 404"),
    "POST /aktivasi": ("400 422 422 422 422", "-"),
    "POST /aktivitas/<activity_id>/bukti": ("302 303 303 303 303", "303 303 303 303"),
    "POST /aktivitas/<activity_id>/hapus": ("302 303 404 404 404", "404 404 404 404"),
    "POST /aktivitas/<activity_id>/kembalikan": ("302 303 303 303 303", "303 303 303 303"),
    "POST /aktivitas/<activity_id>/kirim": ("302 303 303 303 303", "404 404 404 404"),
    "POST /aktivitas/<activity_id>/komentar": ("302 422 422 422 422", "404 404 404 404"),
    "POST /aktivitas/<activity_id>/setujui": ("302 303 303 303 303", "404 404 404 404"),
    "POST /aktivitas/<activity_id>/tarik": ("302 303 303 303 303", "404 404 404 404"),
    "POST /aktivitas/<activity_id>/templat": ("302 303 403 403 403", "404 404 404 404"),
    "POST /aktivitas/<activity_id>/ubah": ("302 422 403 403 403", "404 404 404 404"),
    "POST /aktivitas/baru": ("302 422 422 422 422", "-"),
    "POST /api/v1/absences": ("401 422 422 422 422", "-"),
    "POST /api/v1/absences/<int:absence_id>/approve": ("401 403 200 409 409", "404 404 404 404"),
    "POST /api/v1/absences/<int:absence_id>/cancel": ("401 200 403 403 409", "404 404 404 404"),
    "POST /api/v1/absences/<int:absence_id>/reject": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/absences/import": ("401 403 403 403 422", "-"),
    "POST /api/v1/acting-assignments": ("401 403 403 403 422", "-"),
    "POST /api/v1/activities": ("401 422 422 422 422", "-"),
    "POST /api/v1/activities/<activity_id>/approve": ("401 403 409 409 403", "404 404 404 404"),
    "POST /api/v1/activities/<activity_id>/attachments": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/activities/<activity_id>/comments": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/activities/<activity_id>/repeat": ("401 201 403 403 403", "404 404 404 404"),
    "POST /api/v1/activities/<activity_id>/return": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/activities/<activity_id>/submit": ("401 200 403 403 403", "404 404 404 404"),
    "POST /api/v1/activities/<activity_id>/withdraw": ("401 409 403 403 403", "404 404 404 404"),
    "POST /api/v1/activities/batch": ("401 422 422 422 422", "-"),
    "POST /api/v1/activity-templates": ("401 422 422 422 422", "-"),
    "POST /api/v1/auth/activate": ("422 422 422 422 422", "-"),
    "POST /api/v1/auth/login": ("422 422 422 422 422", "-"),
    "POST /api/v1/auth/logout": ("401 204 204 204 204", "-"),
    "POST /api/v1/auth/password": ("401 422 422 422 422", "-"),
    "POST /api/v1/auth/tokens": ("401 422 422 422 422", "-"),
    "POST /api/v1/coaching-plan-trainings/<int:plan_training_id>/attach": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/coaching-plans/<int:plan_id>/close": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/coaching-plans/<int:plan_id>/sessions": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/coaching-plans/<int:plan_id>/trainings": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/dialog-actions/<int:action_id>/done": ("401 200 200 403 403", "404 404 404 404"),
    "POST /api/v1/dialogs": ("401 422 422 422 422", "-"),
    "POST /api/v1/dialogs/<int:dialog_id>/confirm": ("401 200 200 403 403", "404 404 404 404"),
    "POST /api/v1/evaluations/<int:evaluation_id>/acknowledge": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/evaluations/<int:evaluation_id>/assess": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/evaluations/<int:evaluation_id>/evidence": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/evaluations/<int:evaluation_id>/objection": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/evaluations/<int:evaluation_id>/refresh": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/evaluations/<int:evaluation_id>/reopen": ("401 403 200 403 403", "404 404 404 404"),
    "POST /api/v1/evaluations/<int:evaluation_id>/return": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/evaluations/<int:evaluation_id>/submit": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/exports": ("401 422 422 422 422", "-"),
    "POST /api/v1/holidays": ("401 403 403 403 422", "-"),
    "POST /api/v1/imports/<job_id>/apply": ("401 403 403 403 422", "403 403 403 404"),
    "POST /api/v1/imports/people": ("401 403 403 403 422", "-"),
    "POST /api/v1/imports/units": ("401 403 403 403 422", "-"),
    "POST /api/v1/notifications/<int:notification_id>/read": ("401 200 404 404 404", "404 404 404 404"),
    "POST /api/v1/notifications/read-all": ("401 200 200 200 200", "-"),
    "POST /api/v1/objections/<int:objection_id>/decide": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/people": ("401 403 403 403 422", "-"),
    "POST /api/v1/people/<int:person_id>/activation-code": ("401 403 403 403 201", "403 403 403 404"),
    "POST /api/v1/people/<int:person_id>/feedback": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/periods": ("401 403 403 403 422", "-"),
    "POST /api/v1/periods/<int:period_id>/evaluation": ("401 200 201 201 409", "404 404 404 404"),
    "POST /api/v1/periods/generate": ("401 403 403 403 422", "-"),
    "POST /api/v1/push-subscriptions": ("401 422 422 422 422", "-"),
    "POST /api/v1/rhks/<int:rhk_id>/indicators": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/skps": ("401 422 422 422 422", "-"),
    "POST /api/v1/skps/<int:skp_id>/approve": ("401 403 409 409 403", "404 404 404 404"),
    "POST /api/v1/skps/<int:skp_id>/return": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/skps/<int:skp_id>/rhks": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/skps/<int:skp_id>/submit": ("401 409 403 403 403", "404 404 404 404"),
    "POST /api/v1/team/approve-day": ("401 422 422 422 422", "-"),
    "POST /api/v1/units": ("401 403 403 403 422", "-"),
    "POST /api/v1/units/<int:unit_id>/activation-sheet": ("401 403 403 403 422", "403 403 403 404"),
    "POST /cuti": ("302 422 422 422 422", "-"),
    "POST /cuti/<int:absence_id>/batal": ("302 303 303 303 303", "404 404 404 404"),
    "POST /cuti/<int:absence_id>/setujui": ("302 303 303 303 303", "404 404 404 404"),
    "POST /cuti/<int:absence_id>/tolak": ("302 303 303 303 303", "303 303 303 303"),
    "POST /cuti/semua": ("302 403 403 403 422", "-"),
    "POST /cuti/semua/impor": ("302 403 403 403 422", "-"),
    "POST /evaluasi/<int:evaluation_id>": ("302 422 422 422 422", "404 404 404 404"),
    "POST /evaluasi/<int:evaluation_id>/buka-kembali": ("302 303 303 303 303", "404 404 404 404"),
    "POST /evaluasi/<int:evaluation_id>/bukti": ("302 303 303 303 303", "303 303 303 303"),
    "POST /evaluasi/<int:evaluation_id>/kembalikan": ("302 303 303 303 303", "303 303 303 303"),
    "POST /evaluasi/<int:evaluation_id>/penilaian": ("302 403 422 403 403", "404 404 404 404"),
    "POST /evaluasi/<int:evaluation_id>/terima": ("302 303 303 303 303", "404 404 404 404"),
    "POST /evaluasi/bukti/<int:evidence_id>/hapus": ("302 303 404 404 404", "404 404 404 404"),
    "POST /evaluasi/distribusi/predikat-unit": ("302 303 303 303 303", "-"),
    "POST /evaluasi/periode": ("302 403 403 403 422", "-"),
    "POST /evaluasi/periode/<int:period_id>/buka": ("302 303 303 303 303", "404 404 404 404"),
    "POST /evaluasi/periode/<int:period_id>/hapus": ("302 403 403 403 303", "403 403 403 404"),
    "POST /evaluasi/periode/<int:period_id>/ubah": ("302 403 403 403 422", "403 403 403 404"),
    "POST /evaluasi/periode/buat": ("302 403 403 403 303", "-"),
    "POST /keluar": ("302 303 303 303 303", "-"),
    "POST /masuk": ("400 422 422 422 422", "-"),
    "POST /notifikasi/<int:notification_id>/baca": ("302 303 404 404 404", "404 404 404 404"),
    "POST /notifikasi/baca-semua": ("302 303 303 303 303", "-"),
    "POST /profil/bahasa": ("302 303 303 303 303", "-"),
    "POST /profil/kata-sandi": ("302 422 422 422 422", "-"),
    "POST /profil/pengingat": ("302 303 303 303 303", "-"),
    "POST /profil/token": ("302 303 303 303 303", "-"),
    "POST /profil/token/<int:token_id>/cabut": ("302 303 404 404 404", "404 404 404 404"),
    "POST /rekap-unit": ("302 422 422 422 422", "-"),
    "POST /survei/<org_slug>/<unit_code>": ("400 400 400 400 400", "400 400 400 400"),
    "POST /target": ("302 422 422 422 422", "-"),
    "POST /target/indikator/<int:indicator_id>": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/indikator/<int:indicator_id>/hapus": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/indikator/<int:indicator_id>/periode": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/rhk/<int:rhk_id>": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/rhk/<int:rhk_id>/hapus": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/rhk/<int:rhk_id>/indikator": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/ekspektasi": ("302 403 403 403 403", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/kembalikan": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/kirim": ("302 303 403 403 403", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/lampiran": ("302 403 403 403 403", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/pendekatan": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/rhk": ("302 422 422 422 422", "404 404 404 404"),
    "POST /target/skp/<int:skp_id>/setujui": ("302 403 303 303 403", "404 404 404 404"),
    "POST /tim/aktivitas/<activity_id>/kembalikan": ("302 303 303 303 303", "303 303 303 303"),
    "POST /tim/aktivitas/<activity_id>/komentar": ("302 303 303 303 303", "303 303 303 303"),
    "POST /tim/aktivitas/<activity_id>/setujui": ("302 303 303 303 303", "404 404 404 404"),
    "POST /tim/setujui-hari": ("302 404 404 404 404", "-"),
    "POST /tindak-lanjut/dialog": ("302 422 422 422 422", "-"),
    "POST /tindak-lanjut/dialog/<int:dialog_id>/konfirmasi": ("302 303 303 403 403", "404 404 404 404"),
    "POST /tindak-lanjut/dialog/aksi/<int:action_id>/selesai": ("302 303 303 403 403", "404 404 404 404"),
    "POST /tindak-lanjut/evaluasi/<int:evaluation_id>/keberatan": ("302 303 303 303 303", "404 404 404 404"),
    "POST /tindak-lanjut/keberatan/<int:objection_id>": ("302 422 422 422 422", "404 404 404 404"),
    "POST /tindak-lanjut/pembinaan/<int:plan_id>": ("302 422 422 422 422", "404 404 404 404"),
    "POST /tindak-lanjut/pembinaan/<int:plan_id>/pelatihan": ("302 422 422 422 422", "404 404 404 404"),
    "POST /tindak-lanjut/pembinaan/<int:plan_id>/sesi": ("302 422 422 422 422", "404 404 404 404"),
    "POST /tindak-lanjut/pembinaan/<int:plan_id>/tutup": ("302 422 422 422 422", "404 404 404 404"),
    "POST /tindak-lanjut/pembinaan/pelatihan/<int:plan_training_id>": ("302 422 422 422 422", "404 404 404 404"),
    "POST /tindak-lanjut/pembinaan/sesi/<int:session_id>": ("302 403 303 403 403", "404 404 404 404"),
    "POST /tindak-lanjut/pengaturan": ("302 403 403 403 422", "-"),
    "POST /umpan-balik/<int:person_id>": ("302 422 422 422 404", "404 404 404 404"),
    "PUT /api/v1/follow-up-policy": ("401 403 403 403 422", "-"),
    "PUT /api/v1/indicators/<int:indicator_id>/period-targets": ("401 422 422 422 422", "422 422 422 422"),
    "PUT /api/v1/periods/<int:period_id>/unit-predicates/<int:unit_id>": ("401 422 422 422 422", "422 422 422 422"),
    "PUT /api/v1/reminder-rules": ("401 403 403 403 422", "-"),
    "PUT /api/v1/reminder-settings": ("401 422 422 422 422", "-"),
    "PUT /api/v1/review-policy": ("401 403 403 403 422", "-"),
    "PUT /api/v1/skps/<int:skp_id>/annex": ("401 422 422 422 422", "422 422 422 422"),
    "PUT /api/v1/skps/<int:skp_id>/expectations": ("401 422 422 422 422", "422 422 422 422"),
    "GET /api/v1/development": ("401 422 422 422 422", "-"),
    "GET /api/v1/development/below-target": ("401 422 422 422 422", "-"),
    "GET /api/v1/mentoring": ("401 200 200 200 200", "-"),
    "GET /api/v1/mentoring/<int:pair_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/trainings": ("401 200 200 200 200", "-"),
    "GET /api/v1/trainings/<int:training_id>": ("401 200 200 200 200", "404 404 404 404"),
    "GET /api/v1/trainings/<int:training_id>/certificate": ("401 404 404 404 404", "404 404 404 404"),
    "GET /api/v1/trainings/waiting": ("401 200 200 200 200", "-"),
    "GET /pengembangan": ("302 200 200 200 200", "-"),
    "GET /pengembangan/<int:training_id>/sertifikat": ("302 404 404 404 404", "404 404 404 404"),
    "GET /suara-warga": ("302 403 200 200 200", "-"),
    "GET /suara-warga/<int:message_id>": ("302 404 200 404 200", "404 404 404 404"),
    "GET /suara-warga/laporan": ("302 403 200 200 200", "-"),
    "GET /suara-warga/petugas": ("302 200 200 200 200", "-"),
    "PATCH /api/v1/mentoring/<int:pair_id>": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/mentoring": ("401 422 422 422 422", "-"),
    "POST /api/v1/trainings": ("401 422 422 422 422", "-"),
    "POST /api/v1/trainings/<int:training_id>/certificate": ("401 422 422 422 422", "422 422 422 422"),
    "POST /api/v1/trainings/<int:training_id>/decision": ("401 422 422 422 422", "422 422 422 422"),
    "POST /pengembangan": ("302 422 422 422 422", "-"),
    "POST /pengembangan/<int:training_id>/keputusan": ("302 303 303 303 303", "404 404 404 404"),
    "POST /pengembangan/mentoring": ("302 422 422 422 422", "-"),
    "POST /pengembangan/target": ("302 303 303 303 303", "-"),
    "POST /profil/petugas-layanan": ("302 303 303 303 303", "-"),
    "POST /suara-warga/<int:message_id>/jawab": ("302 404 422 404 422", "404 404 404 404"),
    "POST /suara-warga/<int:message_id>/terbitkan": ("302 404 303 404 303", "404 404 404 404"),
    "POST /suara-warga/<int:message_id>/tutup": ("302 404 303 404 303", "404 404 404 404"),
    "POST /suara-warga/laporan/tindak-lanjut": ("302 403 303 303 303", "-"),
    "PUT /api/v1/development/target": ("401 422 422 422 422", "-"),
}


def _route_keys() -> list[str]:
    """Every route of the app, read at collection from an app built for that purpose."""
    from app import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
    return sorted(key for key, _rule in _routes(app) if key not in ELSEWHERE)


def test_no_other_organisation_id_is_served_to_a_signed_in_caller():
    """Whatever the table says, another organisation's ids never answer 2xx, except on the
    public pages that are meant for anyone (the survey, its poster and QR code)."""
    public = ("GET /survei/", "GET /api/v1/docs/assets/")
    served = [key for key, (_own, other) in MATRIX.items()
              if other != "-" and not key.startswith(public)
              and any(status.startswith("2") for status in other.split())]
    assert served == []


def test_the_matrix_names_only_routes_that_exist(app):
    assert set(MATRIX) - {key for key, _rule in _routes(app)} == set()


@pytest.mark.parametrize("key", _route_keys())
def test_permission_matrix(app, world, key, monkeypatch):
    """A route missing from MATRIX fails with its observed row, to review and paste."""
    # The test's push subscriptions name no real device.
    monkeypatch.setitem(app.config, "PUSH_ENABLED", False)
    rules = dict(_routes(app))
    own, other = _statuses(app, world, key, rules[key])
    row = f'    "{key}": ("{own}", "{other}"),'
    if os.environ.get("KINERJAKU_PRINT_MATRIX"):
        print(f"\nMATRIX_ROW{row}")
    assert key in MATRIX, f"add this row to MATRIX after checking it:\n{row}"
    assert (own, other) == MATRIX[key]
