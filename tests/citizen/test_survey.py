"""The public survey page and the index computed by the database."""

import re
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.citizen import services
from app.citizen.models import SurveyResponse

ANSWERS = {"u1": "4", "u2": "3", "u3": "4", "u4": "4", "u5": "3", "u6": "4", "u7": "4",
           "u8": "2", "u9": "3"}


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def url_of(org):
    return f"/survei/{org.org.slug}/A1"


def token_from(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def submit(client, org, **changes):
    html = client.get(url_of(org)).get_data(as_text=True)
    data = {**ANSWERS, "csrf_token": csrf_from(html), "form_token": token_from(html),
            **changes}
    return client.post(url_of(org), data={k: v for k, v in data.items() if v is not None})


def stored(db):
    db.session.rollback()
    return list(db.session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)))


def test_survey_page_needs_no_sign_in_and_asks_nine_questions(client, world):
    response = client.get(url_of(world.one))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Seksi A1" in html
    assert html.count("<fieldset class=\"survey-question\"") == 10  # nine unsur, the kind
    for n in range(1, 10):
        for choice in range(1, 5):
            # Every answer has its own labelled radio button.
            assert f'id="u{n}-{choice}"' in html and f'for="u{n}-{choice}"' in html
    assert 'name="csrf_token"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_submit_stores_the_answers_and_thanks(client, world, db):
    response = submit(client, world.one, service_name="KTP elektronik",
                      comment="Cepat dan ramah")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{url_of(world.one)}/terima-kasih")
    assert client.get(response.headers["Location"]).status_code == 200
    [row] = stored(db)
    assert row.org_id == world.one.org.id and row.unit_id == world.one.staff_a1.unit_id
    assert [getattr(row, f"u{n}") for n in range(1, 10)] == [4, 3, 4, 4, 3, 4, 4, 2, 3]
    assert (row.service_name, row.comment) == ("KTP elektronik", "Cepat dan ramah")


def test_an_answer_of_five_is_refused_and_the_choices_are_kept(client, world, db):
    response = submit(client, world.one, u1="5", comment="Antre lama")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="u1-error"' in html
    # What was chosen elsewhere stays chosen; the typed comment stays.
    assert re.search(r'id="u2-3"[^>]*checked', html)
    assert re.search(r'id="u8-2"[^>]*checked', html)
    assert not re.search(r'id="u1-\d"[^>]*checked', html)
    assert "Antre lama" in html
    assert stored(db) == []


def test_missing_and_non_numeric_answers_are_refused(client, world, db):
    assert submit(client, world.one, u9=None).status_code == 422
    assert submit(client, world.one, u3="tiga").status_code == 422
    assert submit(client, world.one, u4="0").status_code == 422
    assert stored(db) == []


def test_without_the_csrf_token_nothing_is_stored(client, world, db):
    response = client.post(url_of(world.one), data=ANSWERS)
    assert response.status_code == 400
    assert stored(db) == []


def test_unknown_unit_or_organisation_is_404(client, world):
    assert client.get(f"/survei/{world.one.org.slug}/NOPE").status_code == 404
    assert client.get("/survei/tidak-ada/A1").status_code == 404
    assert client.get("/survei/tidak-ada/A1/terima-kasih").status_code == 404


def _response(org, unit_id, answers, when):
    return SurveyResponse(org_id=org.org.id, unit_id=unit_id, submitted_at=when,
                          **{f"u{n}": a for n, a in enumerate(answers, start=1)})


def test_index_by_unit_sums_in_the_database_per_unit_and_period(world, db):
    unit = world.one.staff_a1.unit_id
    other_unit = world.one.staff_b1.unit_id
    march = datetime(2026, 3, 10, 3, 0)
    db.session.add_all([
        _response(world.one, unit, [4] * 9, march),
        _response(world.one, unit, [3] * 9, march),
        _response(world.one, unit, [4, 3, 2, 4, 1, 4, 3, 2, 4], march),
        _response(world.one, other_unit, [1] * 9, march),
        # Outside the period (April in Jakarta) and another organisation's unit.
        _response(world.one, unit, [1] * 9, datetime(2026, 3, 31, 17, 30)),
        _response(world.two, world.two.staff_a1.unit_id, [1] * 9, march),
    ])
    db.session.commit()
    index = services.index_by_unit(world.one.org.id, date(2026, 3, 1), date(2026, 3, 31),
                                   "Asia/Jakarta")
    assert set(index) == {unit, other_unit}
    # Totals per unsur: 11, 10, 9, 11, 8, 11, 10, 9, 11 over 3 questionnaires: sum 90,
    # SKM = 90 / 27 = 3.3333; value 83.33: B.
    assert index[unit].responses == 3
    assert index[unit].nrr[0] == Decimal("3.6667") and index[unit].nrr[4] == Decimal("2.6667")
    assert (index[unit].skm, index[unit].value, index[unit].grade) == (
        Decimal("3.3333"), Decimal("83.33"), "B")
    assert (index[other_unit].value, index[other_unit].grade) == (Decimal("25.00"), "D")
    april = services.index_by_unit(world.one.org.id, date(2026, 4, 1), date(2026, 4, 30),
                                   "Asia/Jakarta")
    assert april[unit].responses == 1
