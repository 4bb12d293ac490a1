"""The settings pages on a phone: the search boxes narrow the person selects of the acting
supervisors page, the appointment is saved and listed, and no page is wider than the screen."""

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_admin_appoints_a_plh_on_a_phone_by_searching(phone, world):
    admin, sup_b, staff_a2 = world.one.admin, world.one.sup_b, world.one.staff_a2
    sign_in(phone, admin)
    phone.goto("/admin/plt")
    replaced = phone.get_by_label("Atasan yang digantikan", exact=True)
    acting = phone.get_by_label("Pelaksana (Plt/Plh)", exact=True)

    phone.get_by_label("Cari atasan menurut nama atau NIP").fill("atasan b")
    expect(replaced).to_have_value(str(sup_b.id))
    phone.get_by_label("Cari pelaksana menurut nama atau NIP").fill(staff_a2.nip[:14])
    expect(acting).to_have_value(str(staff_a2.id))
    # Only the matching people stay on offer.
    visible = acting.locator("option:not([hidden])")
    expect(visible.filter(has_text=staff_a2.name)).to_have_count(1)
    expect(visible.filter(has_text=world.one.staff_b1.name)).to_have_count(0)

    phone.get_by_label("Jenis").select_option("plh")
    phone.get_by_label("Dari").fill("2030-03-09")
    phone.get_by_label("Sampai").fill("2030-03-13")
    phone.get_by_role("button", name="Tunjuk", exact=True).click()

    expect(phone.get_by_role("status")).to_contain_text("Plt/Plh berhasil ditunjuk")
    card = phone.locator("li.card", has_text=staff_a2.name)
    expect(card).to_contain_text(f"Menggantikan {sup_b.name}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_every_settings_page_fits_a_phone(phone, world):
    sign_in(phone, world.one.admin)
    for url in ("/admin/plt", "/admin/libur", "/admin/pengingat", "/admin/kebijakan-tinjauan"):
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, url
