"""Reading Server-Sent Events in tests: through the test client, or over a real socket."""

import json
import time

from app.extensions import db
from app.notifications.services import notify
from app.org.models import Person


def parse(text: str) -> list[dict]:
    """SSE blocks -> [{"id", "event", "data"} or {"comment"} or {"retry"}]."""
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        event = {}
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "":
                event["comment"] = value
            elif field == "data":
                event["data"] = json.loads(value)
            elif field in ("id", "retry"):
                event[field] = int(value)
            else:
                event[field] = value
        events.append(event)
    return events


class Stream:
    """An open stream from the Flask test client; the generator runs as we read."""

    def __init__(self, client, url="/api/v1/stream", headers=None):
        self.response = client.get(url, headers=headers or {}, buffered=False)
        self.chunks = iter(self.response.response)
        self.events: list[dict] = []

    def read_until(self, predicate, timeout=5.0) -> list[dict]:
        """Read until ``predicate(events)`` holds; needs a short SSE_HEARTBEAT to wake up."""
        deadline = time.monotonic() + timeout
        while not predicate(self.events):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; got {self.events}")
            chunk = next(self.chunks)
            self.events.extend(parse(chunk.decode() if isinstance(chunk, bytes) else chunk))
        return self.events

    def ids(self) -> list[int]:
        return [e["id"] for e in self.events if "id" in e]

    def wait_for_ids(self, wanted, timeout=5.0):
        wanted = set(wanted)
        self.read_until(lambda events: wanted <= set(self.ids()), timeout)

    def close(self):
        self.response.close()


def raise_notification(app, person_id: int, title="Ping", kind="comment", data=None) -> int:
    """Store and publish one notification in its own transaction (like a request would)."""
    with app.app_context():
        person = db.session.get(Person, person_id)
        notification = notify(person, kind, title=title, data=data or {})
        db.session.commit()
        return notification.id
