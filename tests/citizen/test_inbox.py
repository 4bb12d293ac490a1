"""The citizens' voice, answered: a comment reaches the unit's head and HR, is answered,
published on the survey page, closed; unanswered ones remind the head after N working days;
named officers see their feedback, never counted in the unit's index."""

from datetime import datetime

import sqlalchemy as sa

from app.citizen import inbox, services
from app.citizen.models import CitizenMessage, MessageStatus, OfficerMention, ServingOfficer
from app.extensions import db
from app.reminders.models import ReminderKind
from tests.citizen.test_survey import submit
from tests.reminders.support import sent_rows, tick

UNANSWERED = ReminderKind.CITIZEN_UNANSWERED


def messages() -> list[CitizenMessage]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(CitizenMessage).order_by(CitizenMessage.id)))


def test_a_comment_reaches_the_head_of_its_unit_and_hr(client, api, world):
    one = world.one
    assert submit(client, one, comment="Antrean panjang, tolong tambah loket",
                  kind="complaint").status_code == 303
    assert submit(client, one, comment=None).status_code == 303  # no comment: no message
    [message] = messages()
    assert (message.kind.value, message.status) == ("complaint", MessageStatus.NEW)
    assert message.unit_id == one.staff_a1.unit_id
    # Seksi A1 has no supervisor of its own: its head is the head of Bidang A above it.
    for reader in (one.sup_a, one.admin):
        api.login(reader)
        page = api.get("/suara-warga").get_data(as_text=True)
        assert "Antrean panjang" in page and f'data-message-id="{message.id}"' in page
        assert api.get(f"/suara-warga/{message.id}").status_code == 200
    # The head of another unit, staff and another organisation: not theirs.
    api.login(one.sup_b)
    assert "Antrean panjang" not in api.get("/suara-warga").get_data(as_text=True)
    assert api.get(f"/suara-warga/{message.id}").status_code == 404
    api.login(one.staff_a1)
    assert api.get("/suara-warga").status_code == 403
    assert api.get(f"/suara-warga/{message.id}").status_code == 404
    api.login(world.two.admin)
    assert api.get(f"/suara-warga/{message.id}").status_code == 404
    assert api.post(f"/suara-warga/{message.id}/jawab",
                    data={"answer": "x"}).status_code == 404


def test_heads_of_units(world):
    one = world.one
    heads = inbox.heads_by_unit(one.org.id)
    units = {person.unit.code: person.unit_id for person in
             (one.head, one.sup_a, one.staff_a1, one.sup_b)}
    assert heads[units["ROOT"]] == {one.head.id}
    assert heads[units["A"]] == heads[units["A1"]] == {one.sup_a.id}
    assert heads[units["B"]] == {one.sup_b.id}


def test_answer_publish_and_close(client, api, world):
    one = world.one
    submit(client, one, comment="Apakah bisa bayar dengan QRIS?")
    [message] = messages()
    api.login(one.sup_a)
    assert api.post(f"/suara-warga/{message.id}/jawab", data={"answer": ""}).status_code == 422
    answered = api.post(f"/suara-warga/{message.id}/jawab",
                        data={"answer": "Bisa, mulai bulan depan.", "publish": "true"})
    assert answered.status_code == 303
    [message] = messages()
    assert (message.status, message.published) == (MessageStatus.ANSWERED, True)
    assert message.answered_by_id == one.sup_a.id
    public = client.get("/survei/kota-satu/A1").get_data(as_text=True)
    assert "Anda bertanya, kami menjawab" in public
    assert "Apakah bisa bayar dengan QRIS?" in public and "Bisa, mulai bulan depan." in public
    # Withdrawn from the page, published again, then closed.
    assert api.post(f"/suara-warga/{message.id}/terbitkan", data={"publish": "0"}
                    ).status_code == 303
    assert "Bisa, mulai bulan depan." not in client.get("/survei/kota-satu/A1").get_data(
        as_text=True)
    api.post(f"/suara-warga/{message.id}/terbitkan", data={"publish": "1"})
    assert api.post(f"/suara-warga/{message.id}/tutup").status_code == 303
    [message] = messages()
    assert message.status is MessageStatus.CLOSED and message.closed_at is not None
    # A closed message takes no answer; the published one stays on the page.
    api.post(f"/suara-warga/{message.id}/jawab", data={"answer": "Lagi"})
    assert messages()[0].answer == "Bisa, mulai bulan depan."
    assert "Bisa, mulai bulan depan." in client.get("/survei/kota-satu/A1").get_data(
        as_text=True)
    # Another unit's page does not show it.
    assert "QRIS" not in client.get("/survei/kota-satu/B").get_data(as_text=True)
    api.login(one.admin)
    assert 'status-returned' in api.get("/suara-warga?status=closed").get_data(as_text=True)


def test_an_unpublished_answer_stays_off_the_page(client, api, world):
    submit(client, world.one, comment="Toilet kotor")
    [message] = messages()
    api.login(world.one.admin)
    api.post(f"/suara-warga/{message.id}/jawab", data={"answer": "Segera kami bersihkan"})
    assert messages()[0].status is MessageStatus.ANSWERED
    assert "Segera kami bersihkan" not in client.get("/survei/kota-satu/A1").get_data(
        as_text=True)


def _message_at(world, received: datetime) -> CitizenMessage:
    unit = world.one.staff_a1.unit
    response = services.record(unit, {**{f"u{n}": 3 for n in range(1, 10)},
                                      "comment": "Pelayanan lambat"})
    message = db.session.scalar(sa.select(CitizenMessage).where(
        CitizenMessage.response_id == response.id))
    message.received_at = received
    db.session.commit()
    return message


def test_unanswered_messages_remind_the_unit_head_after_three_working_days(world):
    one = world.one
    # Received Monday 2 November 2026, 10:00 WIB.
    message = _message_at(world, datetime(2026, 11, 2, 3, 0))
    # Thursday 5 November is the third working day after: not yet.
    assert {row for row in tick("2026-11-05T03:00:00+00:00") if row[1] is UNANSWERED} == set()
    # Friday 6 November, 09:00 WIB: the head of Bidang A (A1's head) is reminded, once.
    due = {row for row in tick("2026-11-06T02:00:00+00:00") if row[1] is UNANSWERED}
    assert due == {(one.sup_a.id, UNANSWERED, "2026-11-06")}
    assert {row for row in tick("2026-11-06T05:00:00+00:00") if row[1] is UNANSWERED} == set()
    # Saturday: no reminder. Monday again, while it waits.
    assert {row for row in tick("2026-11-07T02:00:00+00:00") if row[1] is UNANSWERED} == set()
    assert (one.sup_a.id, UNANSWERED, "2026-11-09") in tick("2026-11-09T02:00:00+00:00")
    # Answered: no more reminders.
    message = db.session.get(CitizenMessage, message.id)
    message.status = MessageStatus.ANSWERED
    db.session.commit()
    assert {row for row in tick("2026-11-10T02:00:00+00:00") if row[1] is UNANSWERED} == set()
    assert {person for person, kind, _key in sent_rows(UNANSWERED)} == {one.sup_a.id}


def test_a_holiday_does_not_count_as_a_working_day_of_waiting(world):
    # Received Tuesday 22 December 2026; 24, 25 December are cuti bersama and Natal.
    _message_at(world, datetime(2026, 12, 22, 3, 0))
    # Working days after: 23, 28, 29 December; the first reminder is on the 30th.
    assert not {row for row in tick("2026-12-29T03:00:00+00:00") if row[1] is UNANSWERED}
    assert {row for row in tick("2026-12-30T03:00:00+00:00") if row[1] is UNANSWERED} == {
        (world.one.sup_a.id, UNANSWERED, "2026-12-30")}


def test_a_named_officer_sees_the_feedback_and_the_index_ignores_it(client, api, world):
    one = world.one
    # Not opted in: the survey offers nobody, and naming them anyway is refused.
    page = client.get("/survei/kota-satu/A1").get_data(as_text=True)
    assert 'name="officer_id"' not in page
    assert submit(client, one, officer_id=str(one.staff_a1.id)).status_code == 422
    api.login(one.staff_a1)
    assert api.post("/profil/petugas-layanan", data={"serving": "1"}).status_code == 303
    db.session.rollback()
    assert db.session.get(ServingOfficer, one.staff_a1.id) is not None
    page = client.get("/survei/kota-satu/A1").get_data(as_text=True)
    assert f'<option value="{one.staff_a1.id}"' in page
    assert f'<option value="{one.staff_a2.id}"' not in page
    assert submit(client, one, officer_id=str(one.staff_a1.id), u6="2", u7="1",
                  comment="Petugas kurang ramah").status_code == 303
    assert submit(client, one).status_code == 303
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfficerMention)) == 1
    own = api.get("/suara-warga/petugas?dari=2020-01-01&sampai=2030-12-31").get_data(
        as_text=True)
    assert "Petugas kurang ramah" in own and "Staf A1" in own
    api.login(one.sup_a)
    assert "Petugas kurang ramah" in api.get(
        "/suara-warga/petugas?dari=2020-01-01&sampai=2030-12-31").get_data(as_text=True)
    for other in (one.staff_a2, one.sup_b, world.two.admin):
        api.login(other)
        assert "Petugas kurang ramah" not in api.get(
            "/suara-warga/petugas?dari=2020-01-01&sampai=2030-12-31").get_data(as_text=True)
    # The unit's index counts both answers as answers, whoever was named (NRR u7 = 2.5).
    db.session.rollback()
    unit = one.staff_a1.unit
    today = datetime.now().date()
    skm = services.index_of_unit(one.org.id, unit.id, today.replace(month=1, day=1),
                                 today.replace(month=12, day=31), unit.timezone)
    assert skm.responses == 2 and str(skm.nrr[6]) == "2.5000"
    # Opting out: the survey no longer offers the officer.
    api.login(one.staff_a1)
    api.post("/profil/petugas-layanan", data={"serving": "0"})
    assert 'name="officer_id"' not in client.get("/survei/kota-satu/A1").get_data(
        as_text=True)
