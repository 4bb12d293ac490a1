"""The cursor trap (DESIGN.md): ids are taken before commit, so a row with an older id can
commit after a newer one was streamed. A client resuming "after the newest id it saw" must
still receive it."""

import random
import threading
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.services import notify
from app.org.models import Person
from tests.notifications.support import Stream, raise_notification


class SlowWriter(threading.Thread):
    """Stores a notification (its id is taken at flush), then waits before committing."""

    def __init__(self, app, person_id, hold: threading.Event | float, committed: list,
                 lock: threading.Lock):
        super().__init__(daemon=True)
        self.app, self.person_id, self.hold = app, person_id, hold
        self.committed, self.lock = committed, lock
        self.flushed = threading.Event()
        self.id = None

    def run(self):
        with self.app.app_context():
            person = db.session.get(Person, self.person_id)
            self.id = notify(person, "comment", title="slow", data={}).id
            self.flushed.set()
            if isinstance(self.hold, threading.Event):
                self.hold.wait(10)
            else:
                time.sleep(self.hold)
            db.session.commit()
            with self.lock:
                self.committed.append(self.id)


@pytest.fixture
def client_of(signed_in):
    return lambda person: signed_in(person).client


def test_resume_after_the_newest_id_still_delivers_an_older_id_committed_later(
        app, client_of, world):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("SQLite lets one writer at a time flush: ids commit in order there")
    person = world.one.staff_a1
    client = client_of(person)
    stream = Stream(client)
    release, committed, lock = threading.Event(), [], threading.Lock()
    slow = SlowWriter(app, person.id, release, committed, lock)
    slow.start()
    assert slow.flushed.wait(5)
    newer = raise_notification(app, person.id, title="fast")
    assert newer > slow.id  # 41 is taken, 42 commits first
    stream.wait_for_ids([newer])
    assert slow.id not in stream.ids()
    stream.close()  # the phone goes into a tunnel having seen 42
    release.set()
    slow.join(5)
    assert committed == [slow.id]
    # What a naive "id > cursor" replay would send: nothing. 41 would be lost.
    db.session.rollback()
    naive = db.session.scalars(sa.select(Notification.id).where(
        Notification.person_id == person.id, Notification.id > newer)).all()
    assert naive == []
    again = Stream(client, headers={"Last-Event-ID": str(newer)})
    try:
        again.wait_for_ids([slow.id])
    finally:
        again.close()


def test_a_client_resuming_from_its_newest_id_receives_every_row_under_concurrent_writers(
        app, client_of, world):
    """Many writers commit in random order while the client keeps dropping and resuming."""
    person = world.one.staff_a1
    client = client_of(person)
    rng = random.Random(5)
    # At most ~10 open transactions: the pool holds 15 connections.

    committed, lock = [], threading.Lock()
    writers = [SlowWriter(app, person.id, rng.uniform(0, 0.15), committed, lock)
               for _ in range(10)]
    seen: set[int] = set()

    def session(last_id, seconds):
        headers = {"Last-Event-ID": str(last_id)} if last_id else {}
        stream = Stream(client, headers=headers)
        end = time.monotonic() + seconds
        try:
            stream.read_until(lambda _events: time.monotonic() > end, timeout=seconds + 5)
        finally:
            stream.close()
        return stream.ids()

    def start_writers():
        for writer in writers:
            writer.start()
            time.sleep(rng.uniform(0, 0.03))

    launcher = threading.Thread(target=start_writers, daemon=True)
    baseline = raise_notification(app, person.id, title="before")
    seen.add(baseline)
    launcher.start()
    while launcher.is_alive() or any(w.is_alive() for w in writers):
        # The client remembers what it saw and resumes after the newest id.
        seen.update(session(max(seen), rng.uniform(0.05, 0.2)))
    launcher.join()
    for writer in writers:
        writer.join(5)
    all_ids = {baseline} | {w.id for w in writers}
    # One last resume once everything has committed.
    seen.update(session(max(seen), 0.3))
    assert all_ids <= seen, sorted(all_ids - seen)
    if app.config["BACKEND"] == "postgresql":
        # The trap was really there: rows committed out of id order.
        assert committed != sorted(committed)
