"""flask seed-demo: two organisations, valid NIPs, every role, idempotent, --json."""

import json
from collections import Counter

import sqlalchemy as sa

from app.demo.seed import seed_demo
from app.org.models import Organisation, Person, Role, Unit
from app.org.nip import parse_nip


def test_seed_builds_two_organisations_in_different_zones(db, count):
    accounts = seed_demo()
    orgs = db.session.scalars(sa.select(Organisation)).all()
    assert len(orgs) == 2
    assert {o.timezone for o in orgs} == {"Asia/Jakarta", "Asia/Makassar"}
    assert 36 <= count(Person) <= 44
    assert len(accounts) == count(Person)
    for person in db.session.scalars(sa.select(Person)):
        parse_nip(person.nip)
        assert person.supervisor is None or person.supervisor.org_id == person.org_id


def test_seed_units_are_three_levels_deep(db):
    seed_demo()
    depths = Counter(len(unit.path()) for unit in db.session.scalars(sa.select(Unit)))
    assert set(depths) == {1, 2, 3}


def test_seed_has_every_role_and_a_full_line(db):
    seed_demo()
    for org in db.session.scalars(sa.select(Organisation)):
        people = db.session.scalars(sa.select(Person).where(Person.org_id == org.id)).all()
        roles = set().union(*(p.roles for p in people))
        assert roles == set(Role)
        chain_lengths = []
        for person in people:
            length, current = 0, person
            while current.supervisor is not None:
                length, current = length + 1, current.supervisor
            assert Role.PIMPINAN in current.roles
            chain_lengths.append(length)
        assert max(chain_lengths) == 3  # kepala dinas > kabid > kasi > staff


def test_seed_is_idempotent(db, count):
    first = seed_demo()
    second = seed_demo()
    assert first == second
    assert count(Person) == len(first)
    assert count(Organisation) == 2


def test_seed_demo_json_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    accounts = json.loads(result.output)
    assert {"org", "role", "nip", "name", "password"} <= set(accounts[0])
    assert {a["role"] for a in accounts} == {"pimpinan", "admin_kepegawaian", "atasan",
                                              "pegawai"}


def test_demo_account_signs_in_and_sees_its_unit_and_supervisor(app, db, client):
    accounts = seed_demo()
    staff = next(a for a in accounts if a["role"] == "pegawai"
                 and a["org"] == "Pemerintah Kota Mataram")
    response = client.post("/api/v1/auth/login",
                           json={"nip": staff["nip"], "password": staff["password"]})
    assert response.status_code == 200
    me = client.get("/api/v1/me").get_json()
    assert me["unit"]["name"] == staff["unit"]
    assert me["supervisor"]["name"]
    assert me["timezone"] == "Asia/Makassar"


def test_seed_defines_quarterly_periods_and_the_final_one(db):
    from app.evaluations.models import EvaluationPeriod

    seed_demo()
    seed_demo()
    for org in db.session.scalars(sa.select(Organisation)):
        periods = db.session.scalars(sa.select(EvaluationPeriod).where(
            EvaluationPeriod.org_id == org.id).order_by(EvaluationPeriod.starts_on)).all()
        years = sorted({p.year for p in periods})
        # Early in a year last year's periods come too, so the demo has a closed quarter.
        assert len(years) in (2, 3) and years == list(range(years[0], years[0] + len(years)))
        for year in years:
            of_year = [p for p in periods if p.year == year]
            assert sorted(p.kind.value for p in of_year) == ["annual"] + ["quarterly"] * 4
            assert [p.is_final for p in of_year if p.kind.value == "annual"] == [True]
            assert all(p.starts_on <= p.ends_on < p.deadline for p in of_year)


# --- the demo shows the product from the first sign-in (issue 14, finding 1) ---------------

def readme_accounts() -> dict[str, str]:
    """The README's accounts table: role (first word) -> NIP."""
    import pathlib
    import re

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    rows = re.findall(r"^\| `(\d{18})` \| ([a-z]+)", readme, re.MULTILINE)
    found = {}
    for nip, role in rows:
        found.setdefault(role, nip)
    return found


def signed_in(app, nip):
    client = app.test_client()
    response = client.post("/api/v1/auth/login", json={"nip": nip, "password": "Kinerja#2026"})
    assert response.status_code == 200, response.get_json()
    client.csrf = response.get_json()["csrf_token"]
    return client


def test_readme_atasan_supervises_the_readme_pegawai(db):
    seed_demo()
    listed = readme_accounts()
    pegawai = db.session.scalar(sa.select(Person).where(Person.nip == listed["pegawai"]))
    atasan = db.session.scalar(sa.select(Person).where(Person.nip == listed["atasan"]))
    assert pegawai is not None and atasan is not None
    assert pegawai.supervisor_id == atasan.id


def test_every_demo_person_has_an_approved_skp_that_supports_the_supervisors(db):
    from app.targets.models import Skp, SkpStatus

    seed_demo()
    year = db.session.scalar(sa.select(sa.func.max(Skp.year)))
    for person in db.session.scalars(sa.select(Person)):
        skp = db.session.scalar(sa.select(Skp).where(Skp.person_id == person.id,
                                                     Skp.year == year))
        assert skp is not None and skp.status is SkpStatus.APPROVED, person.name
        assert skp.rhks and all(rhk.indicators for rhk in skp.rhks)
        if person.supervisor is None:
            assert skp.is_jpt and all(rhk.perspective for rhk in skp.rhks)
        else:
            assert all(rhk.parent.skp.person_id == person.supervisor_id for rhk in skp.rhks)


def test_the_heads_skp_is_approved_by_the_hr_administrator(db):
    """PermenPANRB 6/2022: the PPK sets a regional JPT's SKP; the admin records it in the app."""
    from app.audit.models import AuditEntry
    from app.targets.models import Skp

    seed_demo()
    for head in db.session.scalars(sa.select(Person).where(Person.supervisor_id.is_(None))):
        skp = db.session.scalar(sa.select(Skp).where(Skp.person_id == head.id))
        approval = db.session.scalar(sa.select(AuditEntry).where(
            AuditEntry.subject_id == str(skp.id), AuditEntry.action == "approve",
            AuditEntry.subject_type == "skp"))
        approver = db.session.get(Person, approval.actor_id)
        assert Role.ADMIN in approver.roles and approver.org_id == head.org_id


def test_demo_pegawai_sees_skp_progress_and_opens_a_self_evaluation(app, db):
    from app.evaluations.models import EvaluationPeriod

    seed_demo()
    client = signed_in(app, readme_accounts()["pegawai"])
    target = client.get("/target").get_data(as_text=True)
    assert "Anda belum punya SKP" not in target and "You do not have" not in target
    assert "dokumen" in target
    home = client.get("/").get_data(as_text=True)
    assert 'class="progress-item"' in home
    picker = client.get("/aktivitas/baru").get_data(as_text=True)
    assert "Jumlah dokumen administrasi kepegawaian" in picker
    pegawai = db.session.scalar(sa.select(Person).where(
        Person.nip == readme_accounts()["pegawai"]))
    from app.reports.services import local_today
    today = local_today(pegawai)
    current = db.session.scalar(sa.select(EvaluationPeriod).where(
        EvaluationPeriod.org_id == pegawai.org_id, EvaluationPeriod.kind == "quarterly",
        EvaluationPeriod.starts_on <= today, EvaluationPeriod.ends_on >= today))
    opened = client.post(f"/evaluasi/periode/{current.id}/buka",
                         data={"csrf_token": client.csrf})
    assert opened.status_code == 303
    assert "/evaluasi/" in opened.headers["Location"]
    assert "periode" not in opened.headers["Location"]


def test_demo_has_a_month_of_activities_in_every_state_with_comments(db, count):
    from app.activities.models import Activity, ActivityStatus
    from app.feedback.models import Comment

    seed_demo()
    for status in ActivityStatus:
        assert count(Activity, Activity.status == status) > 0, status
    returned = db.session.scalars(sa.select(Activity).where(
        Activity.status == ActivityStatus.RETURNED)).all()
    assert all(a.return_reason for a in returned)
    days = db.session.scalars(sa.select(Activity.date).distinct()).all()
    assert (max(days) - min(days)).days >= 28
    assert count(Comment) >= 40


def test_demo_has_a_closed_quarter_with_assessments_and_survey_answers(db, count):
    from app.citizen.models import SurveyResponse
    from app.evaluations.models import Evaluation, EvaluationStatus
    from app.org.models import Unit

    seed_demo()
    assessed = db.session.scalars(sa.select(Evaluation)).all()
    assert len(assessed) == count(Person)
    assert {e.status for e in assessed} == {EvaluationStatus.ASSESSED,
                                            EvaluationStatus.ACKNOWLEDGED}
    assert all(e.predikat and e.period.kind.value == "quarterly" for e in assessed)
    assert len({e.period_id for e in assessed}) == 2  # one closed quarter per organisation
    assert all(any(row.approved_count for row in e.indicators) for e in assessed)
    for unit in db.session.scalars(sa.select(Unit)):
        assert count(SurveyResponse, SurveyResponse.unit_id == unit.id) >= 8
