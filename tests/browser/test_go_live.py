"""Go-live end to end: the HR administrator loads the staff list at a desk, a new person
activates with the code from the printed sheet and signs in on a phone."""

from types import SimpleNamespace

from playwright.sync_api import expect

from tests.accounts.test_sheet import CODE, pdf_text
from tests.browser.conftest import PHONE, sign_in
from tests.factories import new_nip

DESK = {"viewport": {"width": 1280, "height": 800}}
HEADER = "NIP;Nama;Jabatan;Jenis Jabatan;Golongan;Kode Unit;NIP Atasan;Email\n"


def staff_file(tmp_path, name, rows) -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(";".join(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def preview(page, path):
    page.goto("/admin/impor")
    page.get_by_label("Pegawai", exact=True).check()
    page.get_by_label("Berkas (XLSX atau CSV)").set_input_files(path)
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pratinjau")


def test_import_with_errors_fix_apply_then_activate_from_the_sheet_on_a_phone(
        browser, live_server, world, tmp_path):
    org = world.one
    rina, budi = new_nip("P"), new_nip()
    boss = org.sup_a.nip
    desk = browser.new_context(base_url=live_server, locale="id-ID", accept_downloads=True,
                               **DESK)
    page = desk.new_page()
    sign_in(page, org.admin)

    # A file with two bad rows: nothing can be applied, the errors are shown by row.
    preview(page, staff_file(tmp_path, "pegawai.csv", [
        (rina, "Rina Baru", "Pengelola Data", "Pelaksana", "II/c", "A1", boss, ""),
        ("12345", "Budi Baru", "Analis", "Fungsional", "III/a", "A1", boss, ""),
        (new_nip(), "Citra Baru", "Analis", "Fungsional", "III/a", "ZZ", boss, ""),
    ]))
    errors = page.locator("tr[data-action='error']")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("NIP")
    expect(errors.nth(1)).to_contain_text("ZZ")
    expect(page.get_by_role("button", name="Terapkan")).to_have_count(0)

    # The fixed file previews clean and applies.
    preview(page, staff_file(tmp_path, "pegawai-perbaikan.csv", [
        (rina, "Rina Baru", "Pengelola Data", "Pelaksana", "II/c", "A1", boss, ""),
        (budi, "Budi Baru", "Analis", "Fungsional", "III/a", "A1", boss, ""),
    ]))
    expect(page.locator("tr[data-action='create']")).to_have_count(2)
    expect(page.locator("tr[data-action='error']")).to_have_count(0)
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_text("Impor telah diterapkan.")).to_be_visible()

    # The activation sheet of the unit, printed as a PDF; Rina's code read back from it.
    page.goto("/admin/akun")
    page.get_by_label("Unit kerja").select_option(label="A1 · Seksi A1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Cetak lembar aktivasi (PDF)").click()
    with open(download.value.path(), "rb") as printed:
        text = pdf_text(printed.read())[1]
    assert "Rina Baru" in text and "Budi Baru" in text
    code = CODE.search(text[text.index(rina):]).group(0)
    desk.close()

    # Rina, on her phone: activation, then a sign-in with the password she chose.
    phone = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    screen = phone.new_page()
    screen.set_viewport_size({"width": 360, "height": 740})
    screen.goto("/masuk")
    screen.get_by_role("link", name="Aktivasi akun").click()
    screen.get_by_label("NIP").fill(rina)
    screen.get_by_label("Kode aktivasi").fill(code)
    screen.get_by_label("Kata sandi baru", exact=True).fill("rina-kinerja-2026")
    screen.get_by_label("Ulangi kata sandi baru").fill("rina-kinerja-2026")
    screen.get_by_role("button", name="Aktifkan dan masuk").click()
    expect(screen.get_by_role("heading", level=1)).to_contain_text("Rina Baru")
    screen.goto("/profil")
    screen.get_by_role("button", name="Keluar", exact=True).click()
    screen.wait_for_url("**/masuk")
    sign_in(screen, SimpleNamespace(nip=rina, name="Rina Baru"), "rina-kinerja-2026")
    assert screen.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
