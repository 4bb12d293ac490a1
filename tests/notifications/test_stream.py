"""GET /api/v1/stream: live delivery, replay on reconnect, heartbeats, only one's own events."""

import time

import pytest

from app.notifications.broker import RESYNC
from tests.notifications.support import Stream, raise_notification


@pytest.fixture
def stream_of(signed_in):
    opened = []

    def open_stream(person, **kwargs):
        stream = Stream(signed_in(person).client, **kwargs)
        opened.append(stream)
        return stream
    yield open_stream
    for stream in opened:
        stream.close()


def test_stream_starts_with_retry_and_sse_headers(stream_of, world):
    stream = stream_of(world.one.staff_a1)
    assert stream.response.status_code == 200
    assert stream.response.mimetype == "text/event-stream"
    assert stream.response.headers["Cache-Control"] == "no-cache"
    assert stream.response.headers["X-Accel-Buffering"] == "no"
    assert "Content-Encoding" not in stream.response.headers
    first = stream.read_until(lambda events: events)[0]
    assert first["retry"] == 3000


def test_stream_delivers_a_notification_committed_after_connecting(app, stream_of, world):
    stream = stream_of(world.one.staff_a1)
    stream.read_until(lambda events: events)
    notification_id = raise_notification(app, world.one.staff_a1.id, title="Komentar baru",
                                         data={"activity_id": "x"})
    stream.wait_for_ids([notification_id])
    event = next(e for e in stream.events if e.get("id") == notification_id)
    assert event["event"] == "comment"
    assert event["data"]["title"] == "Komentar baru"
    assert event["data"]["data"] == {"activity_id": "x"}


def test_stream_sends_keepalive_comments(stream_of, world):
    stream = stream_of(world.one.staff_a1)
    stream.read_until(lambda events: sum(e.get("comment") == "keepalive" for e in events) >= 2)


def test_a_person_receives_only_their_own_events(app, stream_of, world):
    mine = stream_of(world.one.staff_a1)
    theirs = stream_of(world.one.staff_a2)
    other_org = stream_of(world.two.staff_a1)
    for_a2 = raise_notification(app, world.one.staff_a2.id)
    for_a1 = raise_notification(app, world.one.staff_a1.id)
    mine.wait_for_ids([for_a1])
    theirs.wait_for_ids([for_a2])
    other_org.read_until(lambda events: sum("comment" in e for e in events) >= 3)
    assert mine.ids() == [for_a1]
    assert theirs.ids() == [for_a2]
    assert other_org.ids() == []


@pytest.mark.parametrize("how", ["header", "query"])
def test_reconnect_with_last_event_id_replays_what_was_missed(app, stream_of, world, how):
    person = world.one.staff_a1
    first = stream_of(person)
    seen = raise_notification(app, person.id, title="seen")
    first.wait_for_ids([seen])
    first.close()
    missed = [raise_notification(app, person.id, title=f"missed {n}") for n in range(3)]
    if how == "header":
        again = stream_of(person, headers={"Last-Event-ID": str(seen)})
    else:
        again = stream_of(person, url=f"/api/v1/stream?last_event_id={seen}")
    again.wait_for_ids(missed)
    replayed = again.ids()
    assert replayed[-3:] == missed  # in order, each once
    assert len(replayed) == len(set(replayed))


def test_a_new_stream_without_cursor_replays_nothing(app, stream_of, world):
    raise_notification(app, world.one.staff_a1.id)
    stream = stream_of(world.one.staff_a1)
    stream.read_until(lambda events: sum("comment" in e for e in events) >= 3)
    assert stream.ids() == []


def test_replay_never_includes_someone_elses_events(app, stream_of, world):
    mine = raise_notification(app, world.one.staff_a1.id)
    raise_notification(app, world.one.staff_a2.id)
    raise_notification(app, world.two.staff_a1.id)
    stream = stream_of(world.one.staff_a1, headers={"Last-Event-ID": "0"})
    stream.read_until(lambda events: sum("comment" in e for e in events) >= 3)
    assert stream.ids() == [mine]


def test_a_bad_last_event_id_is_422(signed_in, world):
    api = signed_in(world.one.staff_a1)
    response = api.get("/api/v1/stream", headers={"Last-Event-ID": "abc"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_stream_needs_a_session_or_token(client, db):
    response = client.get("/api/v1/stream")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_closing_the_stream_unsubscribes(app, stream_of, world):
    broker = app.extensions["kinerjaku_broker"]
    before = broker.subscriber_count()
    stream = stream_of(world.one.staff_a1)
    stream.read_until(lambda events: events)
    assert broker.subscriber_count() == before + 1
    stream.close()
    assert broker.subscriber_count() == before


def subscriptions(broker, person_id: int) -> set:
    with broker._lock:
        return set(broker._subscribers.get(person_id, ()))


def test_a_stalled_stream_resyncs_from_the_database(app, stream_of, world):
    """More events than a stream's queue holds: it drops them and replays from the DB."""
    person = world.one.staff_a1
    broker = app.extensions["kinerjaku_broker"]
    # A stream an earlier test left may still be subscribed for this id (it leaves at its
    # next heartbeat): this stream's subscription is the one that was not there before.
    before = subscriptions(broker, person.id)
    stream = stream_of(person)
    stream.read_until(lambda events: events)
    opened = subscriptions(broker, person.id) - before
    assert len(opened) == 1, f"the stream opened {len(opened)} subscriptions"
    (subscription,) = opened
    subscription.queue.maxsize = 3
    delivered = []
    put = subscription.put
    subscription.put = lambda message: (delivered.append(message), put(message))
    ids = [raise_notification(app, person.id, title=f"n{n}") for n in range(8)]
    # Every event reaches the mailbox (through Redis: a moment later) while nobody reads it,
    # so it overflows: what is left starts with the order to replay.
    deadline = time.monotonic() + 10
    while len(delivered) < len(ids):
        assert time.monotonic() < deadline, f"{len(delivered)} of {len(ids)} delivered"
        time.sleep(0.02)
    assert list(subscription.queue.queue)[0] is RESYNC
    stream.wait_for_ids(ids)
    assert sorted(set(stream.ids())) == ids


def test_a_stream_that_fails_to_open_leaves_no_subscription(app, signed_in, world,
                                                           monkeypatch):
    """A failure between subscribing and answering (the database away while the stream reads
    where to start) must not leave a mailbox that takes this person's events for ever."""
    from app.notifications import api as stream_api

    def unavailable(_person):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(stream_api.inbox, "summary", unavailable)
    broker = app.extensions["kinerjaku_broker"]
    person = world.one.staff_a1
    before = subscriptions(broker, person.id)
    client = signed_in(person).client
    response = client.get("/api/v1/stream")
    assert response.status_code == 500
    assert subscriptions(broker, person.id) == before
