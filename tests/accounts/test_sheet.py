"""The activation sheet: a PDF of slips with fresh codes that work, per unit or chosen people."""

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.auth.models import ActivationCode
from tests.accounts.support import activate, pending_person

CODE = re.compile(r"\b[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}\b")


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def sheet(api, unit_id, query=""):
    return api.post(f"/api/v1/units/{unit_id}/activation-sheet{query}")


def test_the_sheet_lists_who_awaits_activation_with_codes_that_work(api, app, world):
    waiting = [pending_person(world.one, f"Pegawai {n}") for n in range(5)]
    elsewhere = pending_person(world.one, "Di Bidang B", unit=world.one.staff_b1.unit,
                               supervisor=world.one.sup_b)
    api.login(world.one.admin)
    response = sheet(api, world.one.sup_a.unit_id)  # Bidang A and its Seksi A1
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader, text = pdf_text(response.data)
    assert len(reader.pages) == 2  # four slips a page
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    for person in waiting:
        assert person.name in text and person.nip in text and person.jabatan in text
    assert elsewhere.name not in text
    assert world.one.staff_a1.name not in text  # has activated already
    assert "Kode aktivasi" in text and "http://localhost/aktivasi" in text
    assert "Berlaku sampai" in text
    codes = CODE.findall(text)
    assert len(codes) == len(waiting)
    # The code printed beside a person's name is theirs.
    first = waiting[0]
    slip = text[text.index(first.name):]
    code = CODE.search(slip).group(0)
    assert activate(app.test_client(), first.nip, code).status_code == 200


def test_chosen_people_get_a_sheet_even_after_activating(api, world, db):
    api.login(world.one.admin)
    chosen = [world.one.staff_a1, world.one.staff_a2]
    response = sheet(api, world.one.head.unit_id, f"?people={chosen[0].id},{chosen[1].id}")
    assert response.status_code == 200
    _, text = pdf_text(response.data)
    assert len(CODE.findall(text)) == 2
    assert all(person.name in text for person in chosen)
    assert world.one.staff_b1.name not in text


def test_printing_again_revokes_the_earlier_codes(api, app, world):
    person = pending_person(world.one)
    api.login(world.one.admin)
    first = CODE.findall(pdf_text(sheet(api, person.unit_id).data)[1])[0]
    second = CODE.findall(pdf_text(sheet(api, person.unit_id).data)[1])[0]
    assert activate(app.test_client(), person.nip, first).status_code == 422
    assert activate(app.test_client(), person.nip, second).status_code == 200


def test_nobody_waiting_is_422(api, world, count):
    api.login(world.one.admin)
    response = sheet(api, world.one.staff_a1.unit_id)
    assert response.status_code == 422
    assert count(ActivationCode) == 0


def test_other_organisation_and_strangers(api, world, count):
    pending_person(world.two)
    api.login(world.one.admin)
    assert sheet(api, world.two.staff_a1.unit_id).status_code == 404
    # A chosen person of another organisation (or another unit) is not found.
    own = world.one.staff_a1.unit_id
    assert sheet(api, own, f"?people={world.two.staff_a1.id}").status_code == 404
    assert sheet(api, own, f"?people={world.one.staff_b1.id}").status_code == 404
    assert sheet(api, own, "?people=abc").status_code == 422
    api.login(world.one.head)
    assert sheet(api, own).status_code == 403
    assert count(ActivationCode) == 0


def test_the_sheets_codes_are_stored_only_as_hashes(api, world, db):
    person = pending_person(world.one)
    api.login(world.one.admin)
    code = CODE.findall(pdf_text(sheet(api, person.unit_id).data)[1])[0]
    stored = db.session.scalars(sa.select(ActivationCode.code_hash)).all()
    assert len(stored) == 1 and code not in stored[0] and stored[0].startswith("$argon2")
