"""The pages: sign-in links, /aktivasi, /lupa-kata-sandi and the admin page /admin/akun."""

import re

from tests.accounts.support import activate, pending_person
from tests.accounts.test_sheet import CODE, pdf_text
from tests.test_pages import csrf_from

NEW_PASSWORD = "kata-sandi-baru-1"


def post_activation(client, nip, code, password=NEW_PASSWORD, confirm=None):
    page = client.get("/aktivasi").get_data(as_text=True)
    return client.post("/aktivasi", data={
        "nip": nip, "code": code, "password": password,
        "confirm_password": password if confirm is None else confirm,
        "csrf_token": csrf_from(page)})


def issued_on_page(api, person):
    """Issue a code through the admin page; the code it shows."""
    page = api.get("/admin/akun").get_data(as_text=True)
    response = api.post(f"/admin/akun/{person.id}/kode", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 200
    return re.search(r'id="code-value"[^>]*value="([^"]+)"', response.get_data(as_text=True)
                     ).group(1)


def test_sign_in_page_links_to_activation_and_forgotten_password(client, db):
    html = client.get("/masuk").get_data(as_text=True)
    assert 'href="/aktivasi">Aktivasi akun</a>' in html
    assert 'href="/lupa-kata-sandi">Lupa kata sandi</a>' in html


def test_forgotten_password_tells_whom_to_ask_and_nothing_else(client, world):
    html = client.get("/lupa-kata-sandi").get_data(as_text=True)
    assert "admin kepegawaian" in html and 'href="/aktivasi"' in html
    assert client.get("/lupa-kata-sandi?nip=" + world.one.staff_a1.nip).get_data(
        as_text=True) == html


def test_activation_page_signs_in_and_lands_on_home(api, client, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issued_on_page(api, person)
    page = client.get("/aktivasi").get_data(as_text=True)
    assert 'for="nip"' in page and 'for="code"' in page and 'for="confirm_password"' in page
    response = post_activation(client, person.nip, code.lower())
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert person.name in home and "Akun Anda sudah aktif" in home


def test_a_failed_activation_keeps_what_was_typed_except_passwords(api, client, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issued_on_page(api, person)
    wrong = post_activation(client, person.nip, "ABCD-EFGH-JK")
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert f'value="{person.nip}"' in html and 'value="ABCD-EFGH-JK"' in html
    assert NEW_PASSWORD not in html and 'role="alert"' in html
    assert "admin kepegawaian" in html
    differ = post_activation(client, person.nip, code, confirm="lain-sekali-99")
    assert differ.status_code == 422
    assert 'id="confirm_password-error"' in differ.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not signed in
    assert post_activation(client, person.nip, code).status_code == 303  # the code still works


def test_admin_finds_people_by_name_or_nip_and_sees_their_status(api, world):
    waiting = pending_person(world.one, "Ratna Menunggu")
    api.login(world.one.admin)
    html = api.get("/admin/akun?q=ratna").get_data(as_text=True)
    assert waiting.name in html and "Menunggu aktivasi" in html
    assert world.one.staff_a1.name not in html
    by_nip = api.get(f"/admin/akun?q={world.one.staff_a1.nip[:12]}").get_data(as_text=True)
    assert world.one.staff_a1.name in by_nip and "Sudah aktif" in by_nip
    # The NIP stays beside the name, not in a column of its own cut at a phone's edge.
    assert f'<span class="nip">{world.one.staff_a1.nip}</span>' in by_nip
    everyone = api.get("/admin/akun").get_data(as_text=True)
    assert world.two.staff_a1.name not in everyone  # never another organisation
    assert "Setel ulang kata sandi" in everyone and "Cetak lembar aktivasi" in everyone


def test_a_code_issued_on_the_page_works(api, app, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = issued_on_page(api, person)
    assert CODE.fullmatch(code)
    assert activate(app.test_client(), person.nip, code).status_code == 200


def test_the_page_prints_the_sheet_of_a_unit(api, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    page = api.get("/admin/akun").get_data(as_text=True)
    assert f'<option value="{person.unit_id}"' in page
    response = api.post("/admin/akun/lembar", data={"unit_id": str(person.unit_id),
                                                   "csrf_token": csrf_from(page)})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert person.name in pdf_text(response.data)[1]
    # Nobody left waiting in Bidang B: back to the page with a message.
    empty = api.post("/admin/akun/lembar", data={"unit_id": str(world.one.sup_b.unit_id),
                                                "csrf_token": csrf_from(page)})
    assert empty.status_code == 303
    assert "Tidak ada pegawai" in api.get("/admin/akun").get_data(as_text=True)


def test_pimpinan_see_the_page_read_only(api, world):
    person = pending_person(world.one)
    api.login(world.one.head)
    html = api.get("/admin/akun").get_data(as_text=True)
    assert person.name in html
    assert "/kode" not in html and "/admin/akun/lembar" not in html
    assert "hanya admin kepegawaian" in html
    csrf = csrf_from(api.get("/profil").get_data(as_text=True))
    assert api.post(f"/admin/akun/{person.id}/kode",
                    data={"csrf_token": csrf}).status_code == 403
    assert api.post("/admin/akun/lembar", data={"unit_id": str(person.unit_id),
                                                "csrf_token": csrf}).status_code == 403


def test_others_are_refused_and_other_organisations_not_found(api, world):
    api.login(world.one.staff_a1)
    assert api.get("/admin/akun").status_code == 403
    api.login(world.one.admin)
    csrf = csrf_from(api.get("/admin/akun").get_data(as_text=True))
    assert api.post(f"/admin/akun/{world.two.staff_a1.id}/kode",
                    data={"csrf_token": csrf}).status_code == 404
    assert api.post("/admin/akun/lembar", data={"unit_id": str(world.two.staff_a1.unit_id),
                                                "csrf_token": csrf}).status_code == 404
