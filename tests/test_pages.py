"""Server-rendered pages: sign-in form, home, profile, password, tokens, language."""

import re

from tests.factories import PASSWORD


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, person, password=PASSWORD, next_url=None):
    page = client.get("/masuk").get_data(as_text=True)
    url = "/masuk" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"nip": person.nip, "password": password,
                                  "csrf_token": csrf_from(page)})


def test_sign_in_page_is_in_bahasa_indonesia_by_default(client, db):
    html = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk ke Kinerjaku" in html
    assert 'for="nip"' in html and 'for="password"' in html


def test_sign_in_page_follows_english_browser(client, db):
    html = client.get("/masuk", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True)
    assert '<html lang="en">' in html
    assert "Sign in to Kinerjaku" in html


def test_language_link_before_sign_in(client, db):
    client.get("/bahasa/en")
    assert "Sign in to Kinerjaku" in client.get("/masuk").get_data(as_text=True)


def test_form_sign_in_lands_on_home_with_place_in_organisation(client, world):
    response = sign_in(client, world.two.staff_a1)
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert world.two.staff_a1.name in html
    assert "Seksi A1" in html and "Bidang A" in html
    assert world.two.sup_a.name in html
    assert "WITA" in html


def test_home_shows_date_in_bahasa_indonesia(client, world):
    sign_in(client, world.one.staff_a1)
    html = client.get("/").get_data(as_text=True)
    days = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    assert any(f"{day}, " in html for day in days)
    assert re.search(r"\d{2}\.\d{2} WIB", html)


def test_form_sign_in_without_csrf_token_is_refused(client, world):
    response = client.post("/masuk", data={"nip": world.one.staff_a1.nip,
                                           "password": PASSWORD})
    assert response.status_code == 400
    assert "kinerjaku_session" not in response.headers.get("Set-Cookie", "") or \
        client.get("/").status_code == 302


def test_wrong_password_keeps_the_typed_nip(client, world):
    response = sign_in(client, world.one.staff_a1, "salah")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert f'value="{world.one.staff_a1.nip}"' in html
    assert 'role="alert"' in html


def test_empty_form_shows_field_messages(client, db):
    page = client.get("/masuk").get_data(as_text=True)
    response = client.post("/masuk", data={"nip": "", "password": "",
                                           "csrf_token": csrf_from(page)})
    assert response.status_code == 422
    assert 'id="nip-error"' in response.get_data(as_text=True)


def test_next_is_followed_only_inside_the_site(client, world):
    assert sign_in(client, world.one.staff_a1, next_url="/profil").headers["Location"] == \
        "/profil"
    client.post("/keluar", data={"csrf_token": csrf_from(
        client.get("/profil").get_data(as_text=True))})
    response = sign_in(client, world.one.staff_a1, next_url="//evil.example/")
    assert response.headers["Location"] == "/"


def test_sign_out_ends_the_session(client, world):
    sign_in(client, world.one.staff_a1)
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    assert client.post("/keluar", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 302


def test_language_setting_switches_to_english(client, world):
    sign_in(client, world.one.staff_a1)
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    client.post("/profil/bahasa", data={"locale": "en", "csrf_token": token})
    assert "Your place in the organisation" in client.get("/").get_data(as_text=True)
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    client.post("/profil/bahasa", data={"locale": "id", "csrf_token": token})
    assert "Posisi Anda dalam organisasi" in client.get("/", headers={
        "Accept-Language": "en"}).get_data(as_text=True)


def test_change_password_page(client, world):
    sign_in(client, world.one.staff_a1)
    token = csrf_from(client.get("/profil/kata-sandi").get_data(as_text=True))
    mismatch = client.post("/profil/kata-sandi", data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": "teh-manis-hangat",
        "confirm_password": "teh-manis-dingin"})
    assert mismatch.status_code == 422
    ok = client.post("/profil/kata-sandi", data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": "teh-manis-hangat",
        "confirm_password": "teh-manis-hangat"})
    assert ok.status_code == 303


def test_token_page_shows_token_once(client, world):
    sign_in(client, world.one.staff_a1)
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    html = client.post("/profil/token", data={"name": "rekap", "csrf_token": token}).get_data(
        as_text=True)
    secret = re.search(r'value="(kjk_[^"]+)"', html).group(1)
    profile = client.get("/profil").get_data(as_text=True)
    assert "rekap" in profile and secret not in profile
    me = client.application.test_client().get("/api/v1/me",
                                               headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


def test_pages_are_accessible_basics(client, world):
    sign_in(client, world.one.staff_a1)
    for url in ("/", "/profil", "/profil/kata-sandi"):
        html = client.get(url).get_data(as_text=True)
        assert "<main" in html and "<nav" in html and "<header" in html
        assert 'class="skip-link"' in html
        inputs = re.findall(r'<input[^>]*id="([^"]+)"', html)
        for input_id in inputs:
            assert f'for="{input_id}"' in html, (url, input_id)
