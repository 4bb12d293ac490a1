"""Every page of every role, for the checks that must hold on all of them at 360 px.

The tour reads the application's own URL map, so a page added later is either visited here or
named in `NOT_PAGES` with the reason; `test_tour_knows_every_page` fails otherwise.
Pages with ids in their URL get an id the person may open: their own activity, SKP and
evaluation, a team member's activity and evaluation, an assessment period.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from app.activities.models import Activity, ActivityStatus
from app.documents.models import ExportJob, ExportKind, ExportStatus
from app.evaluations.models import Evaluation, EvaluationPeriod
from app.extensions import db
from app.followup.models import CoachingPlan, Objection, PerformanceDialog
from app.org.models import Person, Role, Unit
from app.targets.models import Indicator, Rhk, Skp

#: GET endpoints that are not pages a person reads (files, JSON, redirects), and why.
NOT_PAGES = {
    "static": "files",
    "pwa.manifest": "JSON",
    "pwa.service_worker": "JavaScript",
    "pwa.shell": "the offline shell, filled by the service worker (tests/browser/test_pwa.py)",
    "home.health": "JSON",
    "auth.language": "a redirect",
    "citizen.qr": "an SVG image",
    "documents.ekinerja_download": "a file download",
    "documents.export_download": "a file download",
    "documents.monthly_download": "a file download",
    "documents.team_download": "a file download",
    "evaluations.document": "a PDF",
    "followup.certificate": "a PDF",
    "imports.people_template": "an XLSX download",
    "imports.units_template": "an XLSX download",
}

#: The pages anyone sees before signing in (the survey pages take the first unit).
SIGNED_OUT = ("auth.login", "auth.activate_page", "auth.forgot_password", "citizen.survey",
              "citizen.thanks", "citizen.poster")

#: The four kinds of account, each with the role that makes it that kind.
ROLES = ("pegawai", "atasan", "pimpinan", "admin")


@dataclass(frozen=True)
class Stop:
    """One page of the tour: a name for reports and screenshots, and its path."""

    name: str
    path: str


def page_endpoints(app) -> dict[str, str]:
    """{endpoint: rule} of every GET page outside the API."""
    pages = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith("/api/") or rule.endpoint.startswith("api"):
            continue
        pages[rule.endpoint] = rule.rule
    return pages


def person_for(role: str, org_id: int) -> Person:
    """A pegawai with a supervisor, an atasan of such a pegawai, the head, the HR admin."""
    people = db.session.scalars(sa.select(Person).where(Person.org_id == org_id)
                                .order_by(Person.id)).all()
    if role == "pimpinan":
        return next(p for p in people if Role.PIMPINAN in p.roles)
    if role == "admin":
        return next(p for p in people if Role.ADMIN in p.roles)
    if role == "atasan":
        return next(p for p in people if Role.ATASAN in p.roles and Role.PIMPINAN not in p.roles
                    and any(q.supervisor_id == p.id and Role.ATASAN not in q.roles
                            for q in people))
    return next(p for p in people if p.roles == {Role.PEGAWAI} and p.supervisor_id)


def _first(statement):
    return db.session.scalars(statement.limit(1)).first()


def _team(person: Person) -> list[int]:
    return list(db.session.scalars(sa.select(Person.id).where(Person.supervisor_id == person.id)))


def _own_activity(person, status=None):
    query = sa.select(Activity).where(Activity.person_id == person.id)
    if status is not None:
        query = query.where(Activity.status == status)
    return _first(query.order_by(Activity.date.desc(), Activity.id))


def _team_activity(person):
    return _first(sa.select(Activity).where(Activity.person_id.in_(_team(person)),
                                            Activity.status == ActivityStatus.SUBMITTED)
                  .order_by(Activity.date.desc(), Activity.id))


def _skp(person):
    return _first(sa.select(Skp).where(Skp.person_id == person.id).order_by(Skp.year.desc()))


def _rhk(person):
    skp = _skp(person)
    return skp and _first(sa.select(Rhk).where(Rhk.skp_id == skp.id).order_by(Rhk.id))


def _indicator(person):
    rhk = _rhk(person)
    return rhk and _first(sa.select(Indicator).where(Indicator.rhk_id == rhk.id)
                          .order_by(Indicator.id))


def _own_evaluation(person):
    return _first(sa.select(Evaluation).where(Evaluation.person_id == person.id)
                  .order_by(Evaluation.id))


def _team_evaluation(person):
    return _first(sa.select(Evaluation).where(Evaluation.person_id.in_(_team(person)))
                  .order_by(Evaluation.id))


def _period(person):
    return _first(sa.select(EvaluationPeriod).where(EvaluationPeriod.org_id == person.org_id)
                  .order_by(EvaluationPeriod.id))


def _export(person):
    """A finished export of the person's own (the progress page only shows one's own)."""
    job = ExportJob(org_id=person.org_id, owner_id=person.id, kind=ExportKind.MONTHLY_PDF,
                    parameters={}, status=ExportStatus.DONE, progress=100)
    db.session.add(job)
    db.session.commit()
    return job


def _import(person):
    """A finished preview of a people file, the HR administrator's own."""
    from app.org.models import ImportJob, ImportKind, ImportStatus

    job = ImportJob(org_id=person.org_id, owner_id=person.id, kind=ImportKind.PEOPLE,
                    dry_run=True, status=ImportStatus.DONE, progress=100, filename="pegawai.csv",
                    result={"summary": {"create": 1, "update": 0, "unchanged": 0,
                                        "deactivate": 0, "errors": 0},
                            "rows": [{"row": 2, "nip": person.nip, "action": "create",
                                      "changes": {}, "errors": []}]})
    db.session.add(job)
    db.session.commit()
    return job


def _unit(person):
    return db.session.get(Unit, person.unit_id)


#: endpoint -> [(name suffix, function(person) -> URL arguments or None)].
ARGUMENTS: dict[str, list[tuple[str, Callable]]] = {
    "activities.detail": [
        ("own", lambda p: (a := _own_activity(p)) and {"activity_id": a.id}),
        ("team", lambda p: (a := _team_activity(p)) and {"activity_id": a.id})],
    "activities.edit": [
        ("draft", lambda p: (a := _own_activity(p, ActivityStatus.DRAFT))
         and {"activity_id": a.id})],
    "targets.detail": [("own", lambda p: (s := _skp(p)) and {"skp_id": s.id})],
    "targets.add_rhk": [("own", lambda p: (s := _skp(p)) and {"skp_id": s.id})],
    "targets.edit_rhk": [("own", lambda p: (r := _rhk(p)) and {"rhk_id": r.id})],
    "targets.add_indicator": [("own", lambda p: (r := _rhk(p)) and {"rhk_id": r.id})],
    "targets.edit_indicator": [("own", lambda p: (i := _indicator(p))
                                and {"indicator_id": i.id})],
    "evaluations.detail": [
        ("own", lambda p: (e := _own_evaluation(p)) and {"evaluation_id": e.id}),
        ("team", lambda p: (e := _team_evaluation(p)) and {"evaluation_id": e.id})],
    "evaluations.assess_form": [
        ("team", lambda p: (e := _team_evaluation(p)) and {"evaluation_id": e.id})],
    "evaluations.edit_period": [("first", lambda p: (e := _period(p)) and {"period_id": e.id})],
    "feedback.person_feedback": [("team", lambda p: (t := _team(p)) and {"person_id": t[0]})],
    "documents.export_page": [("done", lambda p: {"job_id": _export(p).id})],
    "targets.split_indicator": [("own", lambda p: (i := _indicator(p))
                                 and {"indicator_id": i.id})],
    "targets.set_annex": [("own", lambda p: (s := _skp(p)) and {"skp_id": s.id})],
    "targets.set_expectations": [
        ("team", lambda p: (t := _team(p)) and (s := _skp(db.session.get(Person, t[0])))
         and {"skp_id": s.id})],
    "admin.unit": [("own", lambda p: {"unit_id": p.unit_id})],
    "admin.person": [("self", lambda p: {"person_id": p.id})],
    "imports.job": [("preview", lambda p: Role.ADMIN in p.roles and {"job_id": _import(p).id})],
    "followup.dialog": [("first", lambda p: (d := _visible(p, PerformanceDialog))
                         and {"dialog_id": d.id})],
    "followup.plan": [("first", lambda p: (c := _visible(p, CoachingPlan))
                       and {"plan_id": c.id})],
    "followup.objection": [("first", lambda p: (o := _visible(p, Objection))
                            and {"objection_id": o.id})],
    "citizen.survey": [("unit", lambda p: _survey(p))],
    "citizen.thanks": [("unit", lambda p: _survey(p))],
    "citizen.poster": [("unit", lambda p: _survey(p))],
}


def _visible(person, model):
    """The first follow-up item of ``model`` ``person`` may open (theirs, their team's, or
    any for those who oversee the organisation)."""
    query = sa.select(model).where(model.org_id == person.org_id)
    if not person.roles & {Role.ADMIN, Role.PIMPINAN}:
        query = query.where(model.person_id.in_([person.id, *_team(person)]))
    return _first(query.order_by(model.id))


def _survey(person):
    unit = _unit(person)
    return {"org_slug": unit.organisation.slug, "unit_code": unit.code}


def stops(app, person: Person | None, endpoints) -> Iterator[Stop]:
    """The tour's stops through `endpoints`, with ids `person` may open."""
    from flask import url_for

    pages = page_endpoints(app)
    for endpoint in endpoints:
        rule = pages[endpoint]
        if "<" not in rule:
            with app.test_request_context():
                yield Stop(endpoint, url_for(endpoint))
            continue
        for suffix, arguments in ARGUMENTS[endpoint]:
            values = arguments(person)
            if values:
                with app.test_request_context():
                    yield Stop(f"{endpoint}-{suffix}", url_for(endpoint, **values))


def signed_in_endpoints(app) -> list[str]:
    return sorted(e for e in page_endpoints(app) if e not in SIGNED_OUT)
