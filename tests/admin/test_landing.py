"""The administration landing page: HR administrators and pimpinan only, in the menu."""

from app.admin.sections import SECTIONS


def test_admin_sees_the_landing_page_and_the_menu_entry(api, world):
    api.login(world.one.admin)
    page = api.get("/admin")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/admin"' in html
    assert "Administrasi" in html
    assert "hanya admin kepegawaian" not in html


def test_pimpinan_sees_the_pages_read_only(api, world):
    api.login(world.one.head)
    html = api.get("/admin").get_data(as_text=True)
    assert "hanya admin kepegawaian yang dapat mengubahnya" in html


def test_a_pegawai_is_refused_and_not_offered_the_entry(api, world):
    api.login(world.one.staff_a1)
    assert api.get("/admin").status_code == 403
    assert 'href="/admin"' not in api.get("/").get_data(as_text=True)


def test_every_section_names_a_page_that_exists(app):
    assert [section.endpoint for section in SECTIONS
            if section.endpoint not in app.view_functions] == []


def test_the_landing_page_links_every_section(api, world):
    api.login(world.one.admin)
    html = api.get("/admin").get_data(as_text=True)
    for href in ("/admin/unit", "/admin/pegawai", "/admin/akun", "/admin/impor", "/admin/plt",
                 "/admin/libur", "/admin/pengingat", "/admin/kebijakan-tinjauan",
                 "/evaluasi/periode", "/admin/audit"):
        assert f'href="{href}"' in html, href
