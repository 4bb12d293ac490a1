"""Create (or complete) the demo organisations; running it again changes nothing."""

from datetime import date

import sqlalchemy as sa

from app.auth.services import hash_password
from app.core.uow import unit_of_work
from app.demo import story
from app.demo.data import DEMO_PASSWORD, ORGANISATIONS, PEOPLE, UNITS, demo_nip
from app.extensions import db
from app.org import services
from app.org.models import Organisation, Person, Role, Unit
from app.org.nip import make_nip

#: The role an account is listed under, most senior first.
ROLE_ORDER = (Role.PIMPINAN, Role.ADMIN, Role.ATASAN, Role.PEGAWAI)


def seed_demo() -> list[dict]:
    """Seed both organisations, in one unit of work, and return the demo accounts."""
    with unit_of_work():
        return _seed_organisations()


def _seed_organisations() -> list[dict]:
    password_hash = None
    accounts = []
    for org_index, (slug, name, timezone, _offset) in enumerate(ORGANISATIONS):
        org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if org is None:
            org = services.create_organisation(slug, name, timezone)
        units = {}
        for code, parent_code, unit_name in UNITS:
            unit = db.session.scalar(sa.select(Unit).where(Unit.org_id == org.id,
                                                           Unit.code == code))
            if unit is None:
                unit = services.create_unit(org, code, unit_name, units.get(parent_code))
            units[code] = unit
        people = {}
        for index, (key, boss, unit_code, jabatan, kind, golongan, roles, sex,
                    names) in enumerate(PEOPLE):
            nip = make_nip(*demo_nip(org_index, index, sex))
            person = db.session.scalar(sa.select(Person).where(Person.nip == nip))
            if person is None:
                password_hash = password_hash or hash_password(DEMO_PASSWORD)
                person = services.create_person(
                    org, units[unit_code], nip=nip, name=names[org_index], jabatan=jabatan,
                    position_kind=kind, golongan=golongan, password_hash=password_hash,
                    supervisor=people.get(boss), roles=roles)
            people[key] = person
            main_role = next(role for role in ROLE_ORDER if role in person.roles)
            accounts.append({"org": org.name, "role": main_role.value, "nip": person.nip,
                             "name": person.name, "password": DEMO_PASSWORD,
                             "unit": person.unit.name,
                             "supervisor": person.supervisor.nip if person.supervisor else None,
                             "roles": sorted(role.value for role in person.roles)})
        today = _seed_periods(org, people)
        story.tell(people, today)
    return accounts


def _seed_periods(org: Organisation, people: dict[str, Person]) -> date:
    """Quarterly evaluation periods and the annual final one, this year and next (and last
    year's early in the year, so the demo has a closed quarter); answers the local today."""
    from app.evaluations.models import PeriodKind
    from app.evaluations.services import generate_periods, standard_periods
    from app.reports.services import local_today

    admin = next(person for person in people.values() if Role.ADMIN in person.roles)
    year = local_today(admin).year
    first_closes = standard_periods(year, PeriodKind.QUARTERLY)[0]["deadline"]
    years = (year - 1, year, year + 1) if local_today(admin) <= first_closes else (year, year + 1)
    for each in years:
        generate_periods(admin, each, PeriodKind.QUARTERLY)
    return local_today(admin)
