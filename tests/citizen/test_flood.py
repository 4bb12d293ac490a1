"""The survey against a flood: a script posting 500 answers a minute from one address is
held off, while a busy counter's 60 genuine answers in an hour (one device, one address)
all count. The hour is simulated: the limiter's moving windows read the clock time-machine
moves, on memory storage (SQLite run) and on Redis (PostgreSQL run) alike."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.citizen.models import CitizenMessage, SurveyResponse
from tests.citizen.test_survey import ANSWERS, csrf_from, token_from

START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # Tuesday 08:00 WIB
COUNTER = "10.20.0.7"  # the service counter's tablet, behind the office network
SCRIPT = "203.0.113.66"  # the flooding script's one address
FLOOD = 500


def url_of(org):
    return f"/survei/{org.org.slug}/A1"


def form(client, org, address):
    html = client.get(url_of(org), environ_base={"REMOTE_ADDR": address}).get_data(
        as_text=True)
    return {**ANSWERS, "csrf_token": csrf_from(html), "form_token": token_from(html)}


def post(client, org, address, data):
    return client.post(url_of(org), data=data, environ_base={"REMOTE_ADDR": address})


def stored(db) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def flood_in_one_minute(app, org, traveller, strategy, number=FLOOD) -> list[int]:
    """``number`` answers in one minute from SCRIPT; returns the statuses."""
    statuses = []
    kept = app.test_client()
    replayed = form(kept, org, SCRIPT) if strategy == "replay token" else None
    for n in range(number):
        traveller.shift(timedelta(seconds=60 / number))
        if strategy == "keep cookie":
            statuses.append(post(kept, org, SCRIPT, form(kept, org, SCRIPT)).status_code)
        elif strategy == "fresh device":  # drops every cookie: a new device each time
            fresh = app.test_client()
            statuses.append(post(fresh, org, SCRIPT, form(fresh, org, SCRIPT)).status_code)
        elif strategy == "replay token":
            statuses.append(post(kept, org, SCRIPT, replayed).status_code)
        elif strategy == "no token":
            data = {**form(kept, org, SCRIPT)}
            data.pop("form_token")
            statuses.append(post(kept, org, SCRIPT, data).status_code)
        else:  # honeypot: a bot fills every field it finds
            statuses.append(post(kept, org, SCRIPT, {**form(kept, org, SCRIPT),
                                                     "website": f"http://spam{n}.example"}
                                 ).status_code)
    return statuses


#: How many of the flood may be stored at most, per strategy (the configured limits:
#: 12 in 10 minutes per device, 20 an hour per address from devices that never answered),
#: and how many answers the script sends in its minute (the cheap tricks with fewer).
ADMITTED = {"keep cookie": 12, "fresh device": 20, "replay token": 1, "no token": 0,
            "honeypot": 0}
SENT = {"keep cookie": FLOOD, "fresh device": FLOOD, "replay token": 100, "no token": 100,
        "honeypot": 100}


@pytest.mark.parametrize("strategy", list(ADMITTED))
def test_a_flood_from_one_address_is_held_off_while_the_counter_counts(
        app, client, world, db, strategy):
    org = world.one
    with time_machine.travel(START, tick=False) as traveller:
        # The counter's first citizen of the day answers before the flood starts.
        assert post(client, org, COUNTER, form(client, org, COUNTER)).status_code == 303
        statuses = flood_in_one_minute(app, org, traveller, strategy, SENT[strategy])
        flooded = stored(db) - 1
        # The other 59 citizens of the hour, one a minute, on the same tablet.
        counted = 1
        for _minute in range(59):
            traveller.shift(timedelta(seconds=59))
            data = form(client, org, COUNTER)
            response = post(client, org, COUNTER, data)
            assert response.status_code == 303, response.get_data(as_text=True)[-400:]
            counted += 1
    assert counted == 60
    assert flooded <= ADMITTED[strategy]
    assert stored(db) == 60 + flooded
    refused = [status for status in statuses if status != 303]
    if strategy == "honeypot":
        assert set(statuses) == {303}  # thanked, and dropped
    else:
        assert len(refused) >= SENT[strategy] - ADMITTED[strategy]
        assert set(refused) <= {400, 429}


def test_the_flood_from_the_counters_own_network_does_not_stop_the_counter(
        app, client, world, db):
    """The script sits behind the same address as the counter (the office network): new
    devices from that address are exhausted (the counter's own first answer was one of the
    20), but the counter's device has answered before and is not counted there."""
    org = world.one
    with time_machine.travel(START, tick=False) as traveller:
        assert post(client, org, COUNTER, form(client, org, COUNTER)).status_code == 303
        statuses = []
        for _n in range(FLOOD):
            traveller.shift(timedelta(seconds=60 / FLOOD))
            fresh = app.test_client()
            statuses.append(post(fresh, org, COUNTER, form(fresh, org, COUNTER)).status_code)
        assert statuses.count(303) == 19 and statuses.count(429) == FLOOD - 19
        for _minute in range(59):
            traveller.shift(timedelta(seconds=59))
            assert post(client, org, COUNTER, form(client, org, COUNTER)).status_code == 303
    assert stored(db) == 60 + 19


def test_a_refused_answer_says_when_to_come_back(app, world, db):
    org = world.one
    kept = app.test_client()
    with time_machine.travel(START, tick=False) as traveller:
        for _n in range(12):
            traveller.shift(timedelta(seconds=1))
            assert post(kept, org, SCRIPT, form(kept, org, SCRIPT)).status_code == 303
        refused = post(kept, org, SCRIPT, form(kept, org, SCRIPT))
        assert refused.status_code == 429
        assert 580 < int(refused.headers["Retry-After"]) <= 600
        assert 'id="survey-notice"' in refused.get_data(as_text=True)
        # Ten minutes after the first, the device may answer again (the window moved on).
        traveller.shift(timedelta(seconds=590))
        assert post(kept, org, SCRIPT, form(kept, org, SCRIPT)).status_code == 303
    assert stored(db) == 13


def test_the_one_time_token_is_bound_to_its_device_and_unit(app, client, world, db):
    org = world.one
    data = form(client, org, COUNTER)
    # Another device (no cookie, or another one) cannot use it.
    other = app.test_client()
    form(other, org, COUNTER)
    assert post(other, org, COUNTER, data).status_code == 400
    # Nor another unit.
    html = client.get(f"/survei/{org.org.slug}/B").get_data(as_text=True)
    assert re.search(r'name="form_token"', html)
    assert client.post(f"/survei/{org.org.slug}/B", data=data).status_code == 400
    # Too old: a token lasts SURVEY_FORM_TOKEN_HOURS.
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=5), tick=False):
        assert post(client, org, COUNTER, data).status_code == 400
    assert post(client, org, COUNTER, data).status_code == 303
    assert post(client, org, COUNTER, data).status_code == 400  # taken once
    assert stored(db) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CitizenMessage)) == 0
