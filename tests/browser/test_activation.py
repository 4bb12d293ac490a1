"""A new person activates on a phone with the code from the printed activation sheet."""

import pytest
from playwright.sync_api import expect

from tests.accounts.support import pending_person
from tests.accounts.test_sheet import CODE, pdf_text


@pytest.fixture
def small_phone(phone):
    """The phone of the other browser tests, at the 360 x 740 the issue asks for."""
    phone.set_viewport_size({"width": 360, "height": 740})
    return phone


def code_from_the_sheet(api, admin, person) -> str:
    """Print the unit's activation sheet as the HR administrator; the person's code on it."""
    api.login(admin)
    response = api.post(f"/api/v1/units/{person.unit_id}/activation-sheet")
    assert response.status_code == 200
    text = pdf_text(response.data)[1]
    return CODE.search(text[text.index(person.nip):]).group(0)


def test_a_new_person_activates_on_a_phone_and_lands_on_beranda(small_phone, api, world):
    person = pending_person(world.one, "Dewi Baru")
    code = code_from_the_sheet(api, world.one.admin, person)
    page = small_phone
    page.goto("/masuk")
    page.get_by_role("link", name="Aktivasi akun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivasi akun Anda")
    page.get_by_label("NIP").fill(person.nip)
    page.get_by_label("Kode aktivasi").fill(code.lower().replace("-", " "))
    page.get_by_label("Kata sandi baru", exact=True).fill("kata-sandi-dewi-1")
    page.get_by_label("Ulangi kata sandi baru").fill("kata-sandi-dewi-1")
    button = page.get_by_role("button", name="Aktifkan dan masuk")
    assert button.bounding_box()["height"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    button.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.name)
    expect(page.get_by_text("Akun Anda sudah aktif")).to_be_visible()
    nav = page.get_by_role("navigation", name="Navigasi utama")
    expect(nav.get_by_role("link", name="Beranda")).to_have_attribute("aria-current", "page")


def test_a_wrong_code_keeps_the_nip_and_says_whom_to_ask(small_phone, world):
    person = pending_person(world.one, "Dewi Baru")
    page = small_phone
    page.goto("/aktivasi")
    page.get_by_label("NIP").fill(person.nip)
    page.get_by_label("Kode aktivasi").fill("ABCD-EFGH-JK")
    page.get_by_label("Kata sandi baru", exact=True).fill("kata-sandi-dewi-1")
    page.get_by_label("Ulangi kata sandi baru").fill("kata-sandi-dewi-1")
    page.get_by_role("button", name="Aktifkan dan masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("admin kepegawaian")
    expect(page.get_by_label("NIP")).to_have_value(person.nip)
    expect(page.get_by_label("Kata sandi baru", exact=True)).to_have_value("")
