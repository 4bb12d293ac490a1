"""Test data: small organisations built through the real services.

``build_world`` gives two organisations, each with this line (unit in brackets)::

    head (root, pimpinan) ─┬─ sup_a (bidang A, atasan) ─┬─ staff_a1 (seksi A1)
                           │                            └─ staff_a2 (seksi A1)
                           ├─ sup_b (bidang B, atasan) ─── staff_b1 (bidang B)
                           └─ admin (root, admin kepegawaian)
"""

import itertools
from dataclasses import dataclass
from datetime import date

from app.auth.services import hash_password
from app.org import services
from app.org.models import Organisation, Person, PositionKind, Role
from app.org.nip import make_nip

PASSWORD = "rahasia-123"
_sequence = itertools.count(1)


def new_nip(sex: str = "L") -> str:
    """A structurally valid NIP no other test person has."""
    n = next(_sequence)
    birth = date(1975 + n % 20, 1 + n % 12, 1 + n % 28)
    return make_nip(birth, birth.year + 20 + n % 10, 1 + n % 12, sex, 1 + n % 999)


@dataclass
class Org:
    org: Organisation
    head: Person
    sup_a: Person
    staff_a1: Person
    staff_a2: Person
    sup_b: Person
    staff_b1: Person
    admin: Person


@dataclass
class World:
    one: Org
    two: Org


def add_person(org, unit, name, supervisor=None, roles=(Role.PEGAWAI,),
               kind=PositionKind.PELAKSANA, password_hash=None):
    return services.create_person(
        org, unit, nip=new_nip(), name=name, jabatan=f"Jabatan {name}", position_kind=kind,
        golongan="III/a", password_hash=password_hash or hash_password(PASSWORD),
        supervisor=supervisor, roles=roles)


def build_org(db, slug: str, timezone: str, password_hash: str) -> Org:
    org = services.create_organisation(slug, f"Pemerintah {slug.title()}", timezone)
    root = services.create_unit(org, "ROOT", f"Dinas {slug}")
    unit_a = services.create_unit(org, "A", "Bidang A", root)
    unit_a1 = services.create_unit(org, "A1", "Seksi A1", unit_a)
    unit_b = services.create_unit(org, "B", "Bidang B", root)

    def person(unit, name, boss=None, roles=(Role.PEGAWAI,), kind=PositionKind.PELAKSANA):
        return add_person(org, unit, f"{name} {slug}", boss, roles, kind, password_hash)

    head = person(root, "Kepala", None, (Role.PIMPINAN, Role.ATASAN, Role.PEGAWAI),
                  PositionKind.JPT)
    sup_a = person(unit_a, "Atasan A", head, (Role.ATASAN, Role.PEGAWAI),
                   PositionKind.ADMINISTRATOR)
    sup_b = person(unit_b, "Atasan B", head, (Role.ATASAN, Role.PEGAWAI),
                   PositionKind.ADMINISTRATOR)
    built = Org(
        org=org, head=head, sup_a=sup_a,
        staff_a1=person(unit_a1, "Staf A1", sup_a), staff_a2=person(unit_a1, "Staf A2", sup_a),
        sup_b=sup_b, staff_b1=person(unit_b, "Staf B1", sup_b),
        admin=person(root, "Admin", head, (Role.ADMIN, Role.PEGAWAI), PositionKind.FUNGSIONAL))
    return built


def build_world(db) -> World:
    password_hash = hash_password(PASSWORD)
    world = World(one=build_org(db, "kota-satu", "Asia/Jakarta", password_hash),
                  two=build_org(db, "kota-dua", "Asia/Makassar", password_hash))
    db.session.commit()
    return world
