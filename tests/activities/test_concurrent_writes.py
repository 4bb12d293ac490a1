"""Concurrent writers on one database all succeed; on SQLite they queue behind the process's
write lock (app.core.uow.serialise_sqlite_writes) instead of SQLite's busy back-off."""

import threading
import time
import uuid

from app.activities.models import Activity
from app.core.uow import WRITE_WAIT_SECONDS
from tests.activities.test_api import URL, entry
from tests.support import ApiClient


def test_concurrent_creates_and_batches_all_succeed(app, world, count):
    people = [world.one.staff_a1, world.one.staff_a2, world.one.staff_b1,
              world.two.staff_a1]
    clients = [ApiClient(app).login(person) for person in people for _ in range(2)]
    barrier, answers, lock = threading.Barrier(len(clients)), [], threading.Lock()

    def write(client, n):
        barrier.wait()
        for k in range(4):
            start = f"{6 + k * 2 + n % 2:02d}:{15 * (n // 2 % 4):02d}"
            body = entry(id=str(uuid.uuid4()), start_time=start, end_time=start[:3] + "59")
            began = time.monotonic()
            if k % 2:
                response = client.post(URL, json=body)
            else:
                response = client.post(URL + "/batch", json={"entries": [
                    {"op": "create", "id": body.pop("id"), "data": body}]})
            with lock:
                answers.append((response.status_code, time.monotonic() - began))
        refused = client.post(URL, json=entry(id=str(uuid.uuid4()), end_time="07:00"))
        with lock:
            answers.append((refused.status_code, 0))

    threads = [threading.Thread(target=write, args=(client, n))
               for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 16 + [201] * 16 + [422] * 8
    # Nobody waited out the lock: every transaction gave it back, also those rolled back.
    assert max(seconds for _, seconds in answers) < WRITE_WAIT_SECONDS
    assert count(Activity) == 32
