"""The survey poster as a phone camera would meet it: the QR code, read from the rendered
page, opens the unit's survey, on screen and as printed."""

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import expect


def read_qr(locator) -> list[str]:
    image = Image.open(io.BytesIO(locator.screenshot()))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_posters_qr_code_opens_the_units_survey(phone, live_server, world):
    survey = f"{live_server}/survei/{world.one.org.slug}/A1"
    phone.goto(f"/survei/{world.one.org.slug}/A1/poster")
    code = phone.locator("img.poster-qr")
    phone.wait_for_function(
        "() => { const i = document.querySelector('img.poster-qr');"
        " return i && i.complete && i.naturalWidth > 0; }")
    assert read_qr(code) == [survey]
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bagaimana pelayanan kami hari ini?")

    phone.emulate_media(media="print")
    expect(phone.locator(".app-header")).to_be_hidden()
    expect(phone.get_by_role("button", name="Cetak poster ini")).to_be_hidden()
    assert read_qr(code) == [survey]

    # And the code leads where it says: the survey of that unit.
    phone.emulate_media(media="screen")
    phone.goto(survey)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Survei kepuasan layanan")
