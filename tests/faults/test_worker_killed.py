"""The task worker killed (SIGKILL) in the middle of a reminder fan-out, then started again.

Hundreds of people are due the daily-log reminder, each with a device on the local push
service. The worker (``flask worker`` on Redis, its clock on a known working day) claims the
reminders chunk by chunk and pushes them; the test kills it once some pushes arrived and
before all did, and starts it again. Every person must then hold the reminder exactly once
(the notifications table and the ``reminders_sent`` ledger), no device may have been pushed
its reminder twice, and every device must have it unless the killed worker had claimed its
push and not sent it yet. The task the killed worker held is lost with it (taking a task
from Redis hands it over once), so the restarted worker's outbox sweeper sends the
notifications not yet pushed again; the per-device claims keep a device from getting a push
twice. A push is claimed right before its request goes out, so what a SIGKILL can still
lose is a push in that instant: at most one per sending thread (4 tasks x PUSH_CONCURRENCY
32), counted below.
"""

import json
from collections import Counter

import pytest

from app.auth.services import hash_password
from app.notifications.models import PushSubscription
from app.org import services as org
from app.org.models import PositionKind, Role
from tests.factories import PASSWORD, new_nip
from tests.faults.conftest import COUNTS
from tests.push.fakepush import FakePushService, decrypt_aes128gcm

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

PEOPLE = 600
#: The most pushes a killed worker can have claimed and not sent: 4 tasks x 32 threads.
IN_FLIGHT_MAX = 4 * 32
#: Tuesday 10 March 2026, 17:30 WIB: a working day, after the daily reminder's 15:30.
CLOCK = "2026-03-10T10:30:00+00:00"


class WorkerClockPushService(FakePushService):
    """The local push service, reading every message, but not checking the VAPID expiry:
    the worker's clock is on CLOCK, so its claims expire by that clock, not ours (the VAPID
    checks are tests/push's)."""

    def __init__(self):
        super().__init__(verify=False)

    def check(self, sub, headers, body):
        message = super().check(sub, headers, body)
        message["payload"] = json.loads(decrypt_aes128gcm(body, sub.private_key, sub.auth))
        return message


def seed(stack, push_service) -> list[int]:
    """An organisation of PEOPLE without logs, each with one device; their ids."""
    with stack.app_context() as db:
        password_hash = hash_password(PASSWORD)
        organisation = org.create_organisation("kota-gangguan", "Pemerintah Kota Gangguan",
                                               "Asia/Jakarta")
        unit = org.create_unit(organisation, "ROOT", "Dinas Uji")
        people = [org.create_person(organisation, unit, nip=new_nip(), name=f"Pegawai {n}",
                                    jabatan="Pelaksana", position_kind=PositionKind.PELAKSANA,
                                    password_hash=password_hash, roles=(Role.PEGAWAI,))
                  for n in range(PEOPLE)]
        for person in people:
            device = push_service.new_subscription()
            db.session.add(PushSubscription(org_id=organisation.id, person_id=person.id,
                                            endpoint=device["endpoint"],
                                            p256dh=device["keys"]["p256dh"],
                                            auth=device["keys"]["auth"]))
        db.session.commit()
        return [person.id for person in people]


def ledger(stack) -> dict:
    with stack.postgres.connect() as conn:
        sent = dict(conn.execute("SELECT kind, count(*) FROM reminders_sent GROUP BY kind"))
        per_person = conn.execute(
            "SELECT person_id, count(*) FROM notifications WHERE kind = 'reminder' "
            "GROUP BY person_id").fetchall()
    return {"sent": sent, "notified": dict(per_person)}


def push_claims(stack) -> set[str]:
    """The local push service's ids of the devices whose push is claimed."""
    with stack.postgres.connect() as conn:
        rows = conn.execute("SELECT s.endpoint FROM push_deliveries d JOIN push_subscriptions s "
                            "ON s.id = d.subscription_id").fetchall()
    return {endpoint.rsplit("/", 1)[1] for (endpoint,) in rows}


def waiting_pushes(stack) -> int:
    with stack.postgres.connect() as conn:
        return conn.execute("SELECT count(*) FROM notifications "
                            "WHERE pushed_at IS NULL").fetchone()[0]


def test_a_worker_killed_mid_fan_out_pushes_no_reminder_twice_nor_loses_unclaimed(stack):
    with WorkerClockPushService() as push_service:
        people = seed(stack, push_service)
        stack.env_extra["KINERJAKU_FAULT_CLOCK"] = CLOCK
        stack.start_worker()
        # Kill it once some pushes arrived, before all did.
        stack.wait_until(lambda: push_service.received, 60, "the first reminder push", 0.01)
        pushed_before_kill = len(push_service.received)
        stack.kill("worker")
        claimed_at_kill = sum(ledger(stack)["sent"].values())
        pushes_claimed_at_kill = push_claims(stack)
        assert pushed_before_kill < PEOPLE, "the fan-out ended before the kill: nothing proved"

        stack.start_worker()
        stack.wait_until(lambda: sum(ledger(stack)["sent"].values()) >= PEOPLE, 120,
                   "every reminder claimed")
        # The sweeper runs on the minute: allow two of its rounds.
        stack.wait_until(lambda: waiting_pushes(stack) == 0, 150, "every push settled")
        settled = []

        def quiet():  # no push arrives for 5 s running
            settled.append(len(push_service.received))
            return len(settled) > 25 and settled[-1] == settled[-26]
        stack.wait_until(quiet, 120, "the pushes to settle")
        after = ledger(stack)
        per_device = Counter(m["subscription"] for m in push_service.received)
        payloads = [m["payload"] for m in push_service.received]

    twice = {sid: n for sid, n in per_device.items() if n > 1}
    devices = set(push_service.subscriptions)
    lost = devices - set(per_device)
    COUNTS.append(
        f"Worker killed mid-fan-out: {PEOPLE} people due, {claimed_at_kill} reminders "
        f"claimed and {pushed_before_kill} pushed at the kill; after the restart "
        f"{sum(after['notified'].values())} reminder notifications, {len(per_device)} devices "
        f"pushed, {len(twice)} pushed twice, {len(lost)} pushes lost (claimed by the "
        f"killed worker, {len(pushes_claimed_at_kill)} claims at the kill)")
    assert after["sent"] == {"daily_log": PEOPLE}
    assert set(after["notified"]) == set(people)
    assert set(after["notified"].values()) == {1}, "a person got the reminder twice"
    assert not twice, f"devices pushed twice: {list(twice.items())[:5]}"
    assert set(per_device.values()) == {1}
    assert lost <= pushes_claimed_at_kill, "a push the killed worker never claimed is lost"
    assert len(lost) <= IN_FLIGHT_MAX
    assert not push_service.rejected
    assert {p["kind"] for p in payloads} == {"reminder"}
    assert len({p["id"] for p in payloads}) == len(payloads), "a notification pushed twice"
