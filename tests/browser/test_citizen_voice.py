"""The citizens' voice at a phone's size: a citizen scans the counter's poster and writes a
comment with the survey, the unit's head answers it in the inbox, and the answer appears on
the unit's public survey page."""

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, sign_in


def poster_address(page) -> str:
    page.wait_for_function(
        "() => { const i = document.querySelector('img.poster-qr');"
        " return i && i.complete && i.naturalWidth > 0; }")
    image = Image.open(io.BytesIO(page.locator("img.poster-qr").screenshot()))
    [address] = [result.text for result in zxingcpp.read_barcodes(image)]
    return address


def test_a_comment_is_answered_and_the_answer_published(browser, phone, live_server, world):
    # The citizen, at the counter: the poster's QR code leads to the survey.
    phone.goto(f"/survei/{world.one.org.slug}/A1/poster")
    survey = poster_address(phone)
    assert survey == f"{live_server}/survei/{world.one.org.slug}/A1"
    phone.goto(survey)
    for n in range(1, 10):
        phone.locator(f"#u{n}-3").check()
    phone.get_by_label("Pengaduan", exact=True).check()
    phone.get_by_label("Saran atau komentar (boleh dikosongkan)").fill(
        "Loket pembayaran tutup jam 12, padahal jadwal sampai jam 14.")
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone).to_have_url(f"{survey}/terima-kasih")

    # The head of the unit, on their own phone: the inbox, the message, the answer.
    context = browser.new_context(base_url=live_server, locale="id-ID", **PHONE)
    head = context.new_page()
    sign_in(head, world.one.sup_a)
    head.goto("/suara-warga")
    expect(head.get_by_role("heading", level=1)).to_have_text("Suara warga")
    head.get_by_role("link", name="Loket pembayaran tutup jam 12").click()
    expect(head.locator("#message-body")).to_contain_text("padahal jadwal sampai jam 14")
    head.get_by_label("Jawaban Anda").fill(
        "Terima kasih. Mulai Senin loket pembayaran buka sampai pukul 14.00.")
    head.get_by_label("Terbitkan di halaman survei unit").check()
    head.get_by_role("button", name="Kirim jawaban").click()
    expect(head.locator(".flashes")).to_contain_text(
        "diterbitkan di halaman survei")
    width = head.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"]
    context.close()

    # Back on the citizen's phone: the answer is on the unit's page.
    phone.goto(survey)
    answers = phone.get_by_role("region", name="Anda bertanya, kami menjawab")
    expect(answers).to_contain_text("Loket pembayaran tutup jam 12")
    expect(answers).to_contain_text("Mulai Senin loket pembayaran buka sampai pukul 14.00.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= \
        PHONE["viewport"]["width"]
