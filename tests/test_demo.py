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
        assert len(years) == 2 and years[1] == years[0] + 1
        for year in years:
            of_year = [p for p in periods if p.year == year]
            assert sorted(p.kind.value for p in of_year) == ["annual"] + ["quarterly"] * 4
            assert [p.is_final for p in of_year if p.kind.value == "annual"] == [True]
            assert all(p.starts_on <= p.ends_on < p.deadline for p in of_year)
