"""The Target pages: the year's SKP, forms that keep what was typed, review by the supervisor."""

import re

import pytest

from app.targets import services
from app.targets.models import Indicator, Skp, SkpStatus
from tests.factories import PASSWORD
from tests.targets.factories import cascade


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def browser(app, db):
    """A signed-in browser whose posts carry the CSRF token (English UI, for stable text)."""
    class Browser:
        def login(self, person):
            nonlocal client
            client = app.test_client()
            page = client.get("/masuk").get_data(as_text=True)
            client.post("/masuk", data={"nip": person.nip, "password": PASSWORD,
                                        "csrf_token": csrf_from(page)})
            self.token = csrf_from(client.get("/profil").get_data(as_text=True))
            return self

        def get(self, url):
            return client.get(url, headers={"Accept-Language": "en"})

        def post(self, url, **data):
            return client.post(url, data={"csrf_token": self.token, **data},
                               headers={"Accept-Language": "en"})
    client = None
    return Browser()


@pytest.fixture
def this_year(world):
    return services.today_for(world.one.staff_a1).year


def test_target_page_offers_to_start_the_skp(browser, world, this_year, count):
    browser.login(world.one.staff_a1)
    html = browser.get("/target").get_data(as_text=True)
    assert 'for="year"' in html and 'for="approach"' in html
    assert 'href="/target"' in html  # the navigation entry
    response = browser.post("/target", year=str(this_year), approach="kuantitatif")
    assert response.status_code == 303
    assert count(Skp) == 1
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert f"SKP {this_year}" in html and "Draft" in html and "History" in html


def test_start_form_keeps_input_on_error(browser, world):
    browser.login(world.one.staff_a1)
    response = browser.post("/target", year="dua ribu", approach="kualitatif")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="dua ribu"' in html and 'aria-invalid="true"' in html
    assert 'value="kualitatif" selected' in html


def test_rhk_and_indicator_forms(browser, world, this_year, db):
    _, sup_skp, staff_skp = cascade(world.one, year=this_year)
    browser.login(world.one.staff_a1)
    url = f"/target/skp/{staff_skp.id}/rhk"
    html = browser.get(url).get_data(as_text=True)
    assert sup_skp.rhks[0].description in html and 'for="parent_rhk_id"' in html
    # Missing description: 422, the choice and the order are kept.
    response = browser.post(url, version=str(staff_skp.version), kind="tambahan",
                            description="", parent_rhk_id=str(sup_skp.rhks[1].id),
                            position="7")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="description-error"' in html and 'value="7"' in html
    assert f'value="{sup_skp.rhks[1].id}" selected' in html
    response = browser.post(url, version=str(staff_skp.version), kind="tambahan",
                            description="Data kepegawaian mutakhir",
                            parent_rhk_id=str(sup_skp.rhks[1].id))
    assert response.status_code == 303
    db.session.rollback()
    rhk = [r for r in db.session.get(Skp, staff_skp.id).rhks if r.kind.value == "tambahan"][0]
    version = db.session.get(Skp, staff_skp.id).version
    url = f"/target/rhk/{rhk.id}/indikator"
    response = browser.post(url, version=str(version), aspect="kuantitas",
                            description="Data diperbarui", target_min="12,5",
                            target_max="3", unit="persen")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="target_max-error"' in html and 'value="12,5"' in html
    assert 'value="persen"' in html
    response = browser.post(url, version=str(version), aspect="kuantitas",
                            description="Data diperbarui", target_min="12,5", unit="%")
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.get(Skp, staff_skp.id).rhks[0].indicators  # still there
    indicator = db.session.query(Indicator).filter_by(rhk_id=rhk.id).one()
    assert str(indicator.target_min) == "12.50"
    html = browser.get("/target").get_data(as_text=True)
    assert "B. Additional results" in html and "12.5 %" in html


def test_stale_form_shows_the_current_skp(browser, world, this_year):
    _, sup_skp, staff_skp = cascade(world.one, year=this_year)
    browser.login(world.one.staff_a1)
    response = browser.post(f"/target/skp/{staff_skp.id}/rhk", version="1", kind="utama",
                            description="Hasil lama", parent_rhk_id=str(sup_skp.rhks[0].id))
    assert response.status_code == 303
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "changed elsewhere" in html


def test_submit_review_and_return_reason_shown(browser, world, this_year):
    _, _, staff_skp = cascade(world.one, year=this_year)
    browser.login(world.one.staff_a1)
    response = browser.post(f"/target/skp/{staff_skp.id}/kirim",
                            version=str(staff_skp.version))
    assert response.status_code == 303
    assert "Waiting for your supervisor" in browser.get("/target").get_data(as_text=True)
    browser.login(world.one.sup_a)
    assert world.one.staff_a1.name in browser.get("/target/tim").get_data(as_text=True)
    html = browser.get(f"/target/skp/{staff_skp.id}").get_data(as_text=True)
    assert "Approve" in html and 'for="reason"' in html
    response = browser.post(f"/target/skp/{staff_skp.id}/kembalikan", reason="")
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    response = browser.post(f"/target/skp/{staff_skp.id}/kembalikan",
                            reason="Tambahkan aspek kualitas.")
    assert response.status_code == 303
    browser.login(world.one.staff_a1)
    html = browser.get("/target").get_data(as_text=True)
    assert "Returned" in html and "Tambahkan aspek kualitas." in html


def test_approve_from_the_page(browser, world, this_year, db):
    _, _, staff_skp = cascade(world.one, year=this_year, staff_status=SkpStatus.SUBMITTED)
    browser.login(world.one.sup_a)
    response = browser.post(f"/target/skp/{staff_skp.id}/setujui")
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.get(Skp, staff_skp.id).status == SkpStatus.APPROVED


@pytest.mark.parametrize("who", ["staff_a2", "sup_b"])
def test_pages_outside_the_line_are_404(browser, world, this_year, who):
    _, _, staff_skp = cascade(world.one, year=this_year)
    browser.login(getattr(world.one, who))
    assert browser.get(f"/target/skp/{staff_skp.id}").status_code == 404
    assert browser.get(f"/target/rhk/{staff_skp.rhks[0].id}").status_code == 404
    browser.login(world.two.admin)
    assert browser.get(f"/target/skp/{staff_skp.id}").status_code == 404
    response = browser.post(f"/target/skp/{staff_skp.id}/setujui")
    assert response.status_code == 404


def test_hr_admin_finds_and_approves_the_heads_skp_on_the_team_page(browser, world, this_year,
                                                                    db):
    """The head of agency's (JPT) SKP is set by the head of region (PPK); the HR administrator
    records it. The admin reports to the head here, and still finds it under "SKP tim"."""
    from tests.targets.factories import make_skp, simple_rhks

    head_skp = make_skp(world.one.head, this_year, rhks=simple_rhks("Kepala"),
                        status=SkpStatus.SUBMITTED)
    make_skp(world.two.head, this_year, rhks=simple_rhks("Dua"), status=SkpStatus.SUBMITTED)
    browser.login(world.one.admin)
    team = browser.get(f"/target/tim?year={this_year}").get_data(as_text=True)
    assert f"/target/skp/{head_skp.id}" in team and world.one.head.name in team
    assert world.two.head.name not in team
    page = browser.get(f"/target/skp/{head_skp.id}").get_data(as_text=True)
    assert f"/target/skp/{head_skp.id}/setujui" in page
    response = browser.post(f"/target/skp/{head_skp.id}/setujui", version=head_skp.version)
    assert response.status_code == 303
    db.session.rollback()
    assert db.session.get(Skp, head_skp.id).status == SkpStatus.APPROVED
