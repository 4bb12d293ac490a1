"""Signing in on a phone, in a real browser."""

from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_sign_in_on_a_phone_shows_home(phone, world):
    person = world.two.staff_a1
    phone.goto("/")
    assert "/masuk" in phone.url
    expect(phone.get_by_role("heading", level=1)).to_have_text("Masuk ke Kinerjaku")
    phone.get_by_label("NIP").fill(person.nip)
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(person.name)
    phone.get_by_text("Posisi Anda dalam organisasi").click()
    expect(phone.get_by_text("Seksi A1")).to_be_visible()
    expect(phone.get_by_text("WITA (Asia/Makassar)")).to_be_visible()
    nav = phone.get_by_role("navigation", name="Navigasi utama")
    expect(nav.get_by_role("link", name="Beranda")).to_have_attribute("aria-current", "page")


def test_wrong_password_keeps_nip_and_says_why(phone, world):
    person = world.one.staff_a1
    phone.goto("/masuk")
    phone.get_by_label("NIP").fill(person.nip)
    phone.get_by_label("Kata sandi").fill("salah")
    phone.get_by_role("button", name="Masuk").click()
    expect(phone.get_by_role("alert")).to_have_text("NIP atau kata sandi salah.")
    expect(phone.get_by_label("NIP")).to_have_value(person.nip)


def test_touch_targets_are_at_least_48_px(phone, world):
    phone.goto("/masuk")
    for locator in (phone.get_by_role("button", name="Masuk"), phone.get_by_label("NIP"),
                    phone.get_by_label("Kata sandi")):
        box = locator.bounding_box()
        assert box["height"] >= 48, box


def test_page_loads_nothing_from_elsewhere(phone, world, live_server):
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto("/masuk")
    phone.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(live_server) for url in requested)
