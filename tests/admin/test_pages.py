"""The units and people administration pages: what they show, their forms (typed input kept
on errors), pimpinan read-only, other organisations and other roles refused."""

import re

import pytest
import sqlalchemy as sa

from app.org.models import Person, Unit
from tests.factories import new_nip
from tests.support import ApiClient


@pytest.fixture
def admin(app, world):
    return ApiClient(app).login(world.one.admin)


def html(response) -> str:
    return response.get_data(as_text=True)


def form(api, url, data):
    return api.post(url, data={"csrf_token": api.csrf_token, **data})


def person_form(world, **overrides) -> dict:
    return {"nip": new_nip(), "name": "Budi Santoso", "jabatan": "Pengelola Data",
            "position_kind": "pelaksana", "golongan": "II/c",
            "unit_id": str(world.one.staff_a1.unit_id), "supervisor": world.one.sup_a.nip,
            "roles": ["pegawai"], "email": "", **overrides}


def test_the_unit_tree_shows_nesting_counts_zones_and_inactive_units(admin, world, db):
    unit = db.session.get(Unit, world.one.staff_b1.unit_id)
    empty = Unit(organisation=world.one.org, code="LAMA", name="Bagian Lama", parent=unit.parent,
                 timezone="Asia/Makassar", active=False)
    db.session.add(empty)
    db.session.commit()
    page = html(admin.get("/admin/unit"))
    assert re.search(r"Bidang A</strong></a>.*?<ul class=\"unit-tree\">.*?Seksi A1", page, re.S)
    assert "2 pegawai" in page and "WIB" in page and "WITA" in page
    assert f'class="unit unit-inactive" data-unit-id="{empty.id}"' in page
    assert "Dinas kota-dua" not in page


def test_adding_a_unit_and_an_error_keeps_what_was_typed(admin, world, count):
    before = count(Unit)
    bad = form(admin, "/admin/unit", {"code": "A1", "name": "Seksi Duplikat", "parent_id": ""})
    assert bad.status_code == 422
    page = html(bad)
    assert 'value="Seksi Duplikat"' in page and "Kode ini sudah dipakai unit lain." in page
    assert 'aria-invalid="true"' in page
    assert count(Unit) == before
    done = form(admin, "/admin/unit", {"code": "C", "name": "Bidang C",
                                       "parent_id": str(world.one.head.unit_id),
                                       "timezone": ""})
    assert done.status_code == 303
    assert count(Unit) == before + 1


def test_editing_a_unit_refuses_a_loop_on_the_form(admin, world, db):
    root, a1 = world.one.head.unit_id, world.one.staff_a1.unit_id
    page = admin.get(f"/admin/unit/{root}")
    assert page.status_code == 200 and 'name="code"' in html(page)
    refused = form(admin, f"/admin/unit/{root}", {"code": "ROOT", "name": "Dinas Baru",
                                                  "parent_id": str(a1),
                                                  "timezone": "Asia/Jakarta"})
    assert refused.status_code == 422
    assert "Seksi A1" in html(refused) and 'value="Dinas Baru"' in html(refused)
    db.session.rollback()
    assert db.session.get(Unit, root).name == "Dinas kota-satu"


def test_deactivating_a_unit_with_people_says_why(admin, world, db):
    unit_id = world.one.staff_b1.unit_id
    response = form(admin, f"/admin/unit/{unit_id}/status", {"active": "false"})
    assert response.status_code == 303
    assert "masih memiliki" in html(admin.get("/admin/unit"))
    db.session.rollback()
    assert db.session.get(Unit, unit_id).active is True


def test_the_people_list_searches_filters_and_pages(admin, world):
    page = html(admin.get("/admin/pegawai?q=staf"))
    assert "Staf A1 kota-satu" in page and "Atasan A" not in page
    assert f'href="/admin/pegawai/{world.one.staff_a1.id}"' in page
    assert 'aria-live="polite"' in page
    by_nip = html(admin.get(f"/admin/pegawai?q={world.one.sup_b.nip}"))
    assert "Atasan B kota-satu" in by_nip and "Staf B1" not in by_nip
    by_unit = html(admin.get(f"/admin/pegawai?unit={world.one.staff_b1.unit_id}&q="))
    assert "Staf B1 kota-satu" in by_unit and "Staf A1" not in by_unit
    assert "kota-dua" not in html(admin.get("/admin/pegawai?status=semua"))
    assert admin.get(f"/admin/pegawai?unit={world.two.staff_a1.unit_id}").status_code == 404
    assert admin.get("/admin/pegawai?status=hilang").status_code == 422


def test_the_people_list_pages_by_25(admin, world, db):
    for n in range(25):
        db.session.add(Person(organisation=world.one.org, unit=world.one.staff_a1.unit,
                              nip=new_nip(), name=f"Pegawai {n:02d}", jabatan="Staf",
                              position_kind="pelaksana", password_hash=""))
    db.session.commit()
    first = html(admin.get("/admin/pegawai"))
    assert "Halaman 1 dari 2" in first and 'rel="next"' in first
    second = html(admin.get("/admin/pegawai?halaman=2"))
    assert second.count('data-person-id="') == 32 - 25


def test_creating_a_person_through_the_form(admin, world, db):
    new = admin.get("/admin/pegawai/baru")
    assert new.status_code == 200 and 'name="roles"' in html(new)
    data = person_form(world)
    response = form(admin, "/admin/pegawai/baru", data)
    assert response.status_code == 303, html(response)[:2000]
    db.session.rollback()
    created = db.session.scalar(sa.select(Person).where(Person.nip == data["nip"]))
    assert created.supervisor_id == world.one.sup_a.id and created.golongan == "II/c"
    assert response.headers["Location"].endswith(f"/admin/pegawai/{created.id}")


def test_a_refused_person_form_keeps_everything_typed(admin, world, count):
    before = count(Person)
    data = person_form(world, nip="12345", supervisor="199999999999999999",
                       roles=["pegawai", "atasan"], email="budi@example.go.id")
    response = form(admin, "/admin/pegawai/baru", data)
    assert response.status_code == 422
    page = html(response)
    assert 'value="12345"' in page and 'value="Budi Santoso"' in page
    assert 'value="Pengelola Data"' in page and 'value="budi@example.go.id"' in page
    assert 'value="199999999999999999"' in page
    assert re.search(r'value="atasan" checked', page)
    assert re.search(r'<option value="II/c" selected>', page)
    assert 'id="supervisor-error"' in page
    bad_nip = html(form(admin, "/admin/pegawai/baru", {**data, "supervisor": ""}))
    assert 'id="nip-error"' in bad_nip and 'value="12345"' in bad_nip
    assert count(Person) == before


def test_editing_a_person_and_a_supervisor_loop_named_on_the_form(admin, world, db):
    head = world.one.head
    page = html(admin.get(f"/admin/pegawai/{head.id}"))
    assert f'value="{head.nip}"' in page and 'value="pimpinan" checked' in page
    data = person_form(world, nip=head.nip, name=head.name, supervisor=world.one.staff_a1.nip,
                       roles=["pegawai", "atasan", "pimpinan"],
                       unit_id=str(head.unit_id))
    refused = form(admin, f"/admin/pegawai/{head.id}", data)
    assert refused.status_code == 422
    assert world.one.staff_a1.name in html(refused) and world.one.sup_a.name in html(refused)
    data["supervisor"] = f"{world.one.admin.nip} — {world.one.admin.name}"
    data["supervisor"] = ""
    data["jabatan"] = "Kepala Dinas"
    assert form(admin, f"/admin/pegawai/{head.id}", data).status_code == 303
    db.session.rollback()
    assert db.session.get(Person, head.id).jabatan == "Kepala Dinas"


def test_deactivate_and_reactivate_buttons(admin, world, db):
    person = world.one.staff_b1
    page = html(admin.get(f"/admin/pegawai/{person.id}"))
    assert "<details" in page and 'name="active" value="false"' in page
    assert form(admin, f"/admin/pegawai/{person.id}/status",
                {"active": "false"}).status_code == 303
    db.session.rollback()
    assert db.session.get(Person, person.id).active is False
    assert 'name="active" value="true"' in html(admin.get(f"/admin/pegawai/{person.id}"))
    form(admin, f"/admin/pegawai/{person.id}/status", {"active": "true"})
    db.session.rollback()
    assert db.session.get(Person, person.id).active is True


def test_the_activation_link_appears_once_accounts_exist(app, admin, world):
    page = html(admin.get(f"/admin/pegawai/{world.one.staff_a1.id}"))
    has_accounts = "accounts.index" in app.view_functions
    assert ("/admin/akun" in page) == has_accounts


def test_pimpinan_sees_the_pages_without_forms(app, world, count):
    head = ApiClient(app).login(world.one.head)
    for url in ("/admin/unit", "/admin/pegawai", f"/admin/pegawai/{world.one.staff_a1.id}",
                f"/admin/unit/{world.one.staff_a1.unit_id}"):
        response = head.get(url)
        assert response.status_code == 200, url
        assert 'method="post"' not in html(response), url
    assert head.get("/admin/pegawai/baru").status_code == 403
    before = count(Person)
    assert form(head, "/admin/pegawai/baru", person_form(world)).status_code == 403
    assert form(head, "/admin/unit", {"code": "X", "name": "X"}).status_code == 403
    assert form(head, f"/admin/pegawai/{world.one.staff_a1.id}/status",
                {"active": "false"}).status_code == 403
    assert count(Person) == before


@pytest.mark.parametrize("who", ["staff_a1", "sup_a"])
def test_pegawai_and_atasan_are_refused(app, world, who):
    client = ApiClient(app).login(getattr(world.one, who))
    for url in ("/admin/unit", "/admin/pegawai", f"/admin/pegawai/{world.one.staff_a1.id}",
                "/admin/pegawai/baru", f"/admin/unit/{world.one.staff_a1.unit_id}"):
        assert client.get(url).status_code == 403, url
    assert form(client, f"/admin/pegawai/{world.one.staff_a2.id}/status",
                {"active": "false"}).status_code == 403


def test_another_organisations_ids_are_not_found_on_the_pages(admin, world):
    theirs = world.two.staff_a1
    for url in (f"/admin/pegawai/{theirs.id}", f"/admin/unit/{theirs.unit_id}"):
        assert admin.get(url).status_code == 404
    assert form(admin, f"/admin/pegawai/{theirs.id}/status",
                {"active": "false"}).status_code == 404
    assert form(admin, f"/admin/unit/{theirs.unit_id}/status",
                {"active": "false"}).status_code == 404
    assert form(admin, f"/admin/pegawai/{theirs.id}", person_form(world)).status_code == 404
