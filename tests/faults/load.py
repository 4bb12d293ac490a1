"""Client threads that create activities the way the PWA's outbox does, and what they saw.

Each write gets a client UUID and is sent again with the same UUID, after a short pause, until
the server acknowledges it (2xx): after a 503, after any other error status, after a broken
connection. Every answer is kept, so a test can check both what was stored and what clients
were told while a service was down.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

#: The prefix of every description the load writes; the rest is the activity's UUID.
DESCRIPTION = "Uji gangguan "


@dataclass
class Answer:
    id: str
    at: float
    status: int | None  # None: the connection failed
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def envelope(self) -> dict | None:
        """The JSON error envelope's ``error``, or None when the body is not one."""
        try:
            error = json.loads(self.body)["error"]
        except (ValueError, KeyError, TypeError):
            return None
        return error if isinstance(error, dict) else None


class OutboxLoad:
    """``threads`` clients writing through ``http`` with ``headers`` until ``stop()``."""

    def __init__(self, http, headers: dict, threads: int, timezone: str = "Asia/Jakarta",
                 pause: float = 0.2, give_up_after: float = 120):
        self.http = http
        self.headers = headers
        self.pause = pause
        self.give_up_after = give_up_after
        self.today = datetime.now(ZoneInfo(timezone)).date().isoformat()
        self.answers: list[Answer] = []
        self.acknowledged: dict[str, int] = {}
        self.unfinished: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.threads = threads
        self._threads: list[threading.Thread] = []

    def start(self) -> "OutboxLoad":
        """Start the clients (again, after a ``stop()``)."""
        self._stopping.clear()
        self._threads = [threading.Thread(target=self._client, daemon=True)
                         for _ in range(self.threads)]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 180) -> None:
        """Stop starting new writes; wait until every write begun is acknowledged."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout)
            assert not thread.is_alive(), "a client thread never finished its write"

    def body(self, activity_id: str) -> dict:
        return {"id": activity_id, "date": self.today, "start_time": "08:00",
                "end_time": "09:00", "description": DESCRIPTION + activity_id,
                "work_kind": "lainnya"}

    def _client(self) -> None:
        while not self._stopping.is_set():
            self.write(str(uuid.uuid4()))

    def write(self, activity_id: str) -> Answer | None:
        """Send one create until it is acknowledged; the acknowledging answer."""
        give_up = time.monotonic() + self.give_up_after
        while time.monotonic() < give_up:
            answer = self._send(activity_id)
            with self._lock:
                self.answers.append(answer)
                if answer.status is not None and 200 <= answer.status < 300:
                    self.acknowledged[activity_id] = answer.status
                    return answer
            time.sleep(self.pause)
        with self._lock:
            self.unfinished.append(activity_id)
        return None

    def _send(self, activity_id: str) -> Answer:
        try:
            status, headers, raw = self.http.request("POST", "/api/v1/activities",
                                                     self.body(activity_id), self.headers)
        except OSError:
            return Answer(activity_id, time.monotonic(), None)
        return Answer(activity_id, time.monotonic(), status, headers, raw)

    def refused(self) -> list[Answer]:
        """Every answer that was not an acknowledgement (including broken connections)."""
        return [a for a in self.answers if a.status is None or not 200 <= a.status < 300]
