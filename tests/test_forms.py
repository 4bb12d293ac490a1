"""The form posts of the pages (app.core.forms), through real pages: what was typed comes back
with a message per field, and nothing of a failed post is kept, not even behind a redirect."""

import io
import re

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
import time_machine

from app.errors import Conflict
from app.evaluations.models import EvaluationEvidence
from app.targets import services as targets
from app.targets.models import Rhk, Skp
from tests.evaluations.conftest import NOW as EVALUATION_DAY
from tests.evaluations.support import line_skps, quarters
from tests.evaluations.test_self_evaluation import PNG
from tests.targets.factories import cascade
from tests.test_pages import csrf_from, sign_in


def post(client, url, **data):
    token = csrf_from(client.get("/profil").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data},
                       headers={"Accept-Language": "en"})


@pytest.fixture
def this_year(world):
    return targets.today_for(world.one.staff_a1).year


def test_a_schema_error_shows_the_form_again_with_what_was_typed(client, world, count):
    sign_in(client, world.one.staff_a1)
    response = post(client, "/target", year="dua ribu", approach="kualitatif")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<input id="year" name="year"[^>]* value="dua ribu"', html)
    assert re.search(r'<input id="year"[^>]* aria-invalid="true"', html)
    assert '<p class="field-error" id="year-error">Enter a whole number.</p>' in html
    assert 'value="kualitatif" selected' in html
    assert count(Skp) == 0


def test_an_app_error_comes_back_on_its_field(client, world, this_year, count):
    sign_in(client, world.one.staff_a1)
    assert post(client, "/target", year=str(this_year), approach="kuantitatif").status_code \
        == 303
    response = post(client, "/target", year=str(this_year), approach="kuantitatif")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (f'<p class="field-error" id="year-error">You already have an SKP for {this_year}.'
            in html)
    assert f'value="{this_year}"' in html
    assert count(Skp) == 1


def test_a_failed_post_answered_with_a_redirect_keeps_nothing(client, world, this_year, count,
                                                              monkeypatch):
    """The redirect (303) would be committed: the helper rolls back what the action did."""
    _, _, staff_skp = cascade(world.one, year=this_year)
    rhk = staff_skp.rhks[0]
    delete = targets.delete_rhk

    def delete_then_fail(actor, rhk, version):
        delete(actor, rhk, version)
        raise Conflict("Someone changed this SKP meanwhile.")

    monkeypatch.setattr(targets, "delete_rhk", delete_then_fail)
    sign_in(client, world.one.staff_a1)
    response = post(client, f"/target/rhk/{rhk.id}/hapus", version=str(staff_skp.version))
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Someone changed this SKP meanwhile." in html
    assert count(Rhk, Rhk.id == rhk.id) == 1


@pytest.fixture
def evidence(client, world, evidence_folder):
    """staff_a1's self-evaluation with one photo as evidence, signed in as staff_a1."""
    with time_machine.travel(EVALUATION_DAY, tick=True):
        periods = quarters(world.one)
        line_skps(world.one)
        sign_in(client, world.one.staff_a1)
        url = post(client, f"/evaluasi/periode/{periods['Triwulan IV 2026'].id}/buka"
                   ).headers["Location"]
        html = client.get(url).get_data(as_text=True)
        rhk_id = re.search(r'name="realisation-(\d+)"', html).group(1)
        token = csrf_from(html)
        assert client.post(f"{url}/bukti", data={
            "csrf_token": token, "rhk_id": rhk_id, "label": "Foto rapat",
            "file": (io.BytesIO(PNG), "rapat.png")},
            content_type="multipart/form-data").status_code == 303
        item = re.search(r'action="/evaluasi/bukti/(\d+)/hapus"',
                         client.get(url).get_data(as_text=True)).group(1)
        yield f"/evaluasi/bukti/{item}/hapus"


def test_a_file_is_removed_once_its_removal_is_committed(client, evidence, evidence_folder,
                                                          count):
    assert len(list(evidence_folder.rglob("*.png"))) == 1
    assert post(client, evidence).status_code == 303
    assert count(EvaluationEvidence) == 0
    assert list(evidence_folder.rglob("*.png")) == []


def test_a_file_stays_when_the_commit_fails(client, evidence, evidence_folder, count):
    def refuse(session):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("the database went away"))

    token = csrf_from(client.get("/profil").get_data(as_text=True))
    sa.event.listen(so.Session, "before_commit", refuse)
    try:
        response = client.post(evidence, data={"csrf_token": token})
    finally:
        sa.event.remove(so.Session, "before_commit", refuse)
    assert response.status_code == 503
    assert count(EvaluationEvidence) == 1
    assert len(list(evidence_folder.rglob("*.png"))) == 1
