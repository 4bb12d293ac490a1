"""The QR code and poster that bring citizens from the service counter to the survey."""

import xml.etree.ElementTree as ET

from app.citizen.views import qr_svg

SVG = "{http://www.w3.org/2000/svg}svg"


def test_qr_code_carries_the_units_survey_address(client, world):
    response = client.get(f"/survei/{world.one.org.slug}/A1/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=86400"  # nothing personal
    assert ET.fromstring(response.data).tag == SVG
    address = f"http://localhost/survei/{world.one.org.slug}/A1"
    assert response.data == qr_svg(address, "Seksi A1")
    assert response.data != qr_svg(f"http://localhost/survei/{world.one.org.slug}/A2",
                                   "Seksi A1")


def test_poster_needs_no_sign_in_and_shows_the_code_and_address(client, world):
    response = client.get(f"/survei/{world.one.org.slug}/A1/poster")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'src="/survei/{world.one.org.slug}/A1/qr.svg"' in html
    assert f"http://localhost/survei/{world.one.org.slug}/A1</code>" in html
    assert "Seksi A1" in html and "data-print" in html


def test_unknown_units_and_organisations_are_404(client, world):
    for path in (f"/survei/{world.one.org.slug}/ZZ/qr.svg", "/survei/nowhere/A1/qr.svg",
                 f"/survei/{world.one.org.slug}/ZZ/poster"):
        response = client.get(path)
        assert response.status_code == 404
