"""Redis killed (SIGKILL) under load, then started again on the same port.

- writes keep succeeding while it is away (the database is the record; Redis only carries
  events, rate limits and the queue);
- a live stream opened before the kill hears events again once Redis is back (the server's
  listener reconnects; a stream the server closed is reopened as a browser would, with
  Last-Event-ID);
- a notification raised after Redis is back is pushed to the device once; one raised
  while it was away reaches the stream, and is pushed once by the outbox's sweeper;
- an export asked for during the outage runs exactly once after Redis is back;
- the worker rides the outage out; one started while Redis is down waits for it (logging
  and backing off), never exits, and works once Redis is back.
"""

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.activities import deadlines
from app.auth import services as auth
from app.models import utcnow
from app.notifications.models import PushSubscription
from tests.factories import build_world
from tests.faults.conftest import COUNTS, private_stack
from tests.faults.load import OutboxLoad
from tests.feedback.support import submitted
from tests.loopback import Stream
from tests.push.fakepush import FakePushService

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

#: What the worker logs while it waits for an unreachable queue.
QUEUE_UNREACHABLE = "The task queue (RedisExpireStorage) is not reachable"


def seed(stack, push_service) -> dict:
    with stack.app_context() as db:
        world = build_world(db)
        owner = world.one.staff_a1
        activity = submitted(owner, on=deadlines.local_today(owner, utcnow()))
        device = push_service.new_subscription()
        db.session.add(PushSubscription(org_id=owner.org_id, person_id=owner.id,
                                        endpoint=device["endpoint"],
                                        p256dh=device["keys"]["p256dh"],
                                        auth=device["keys"]["auth"]))
        token = auth.create_token(world.one.staff_a2, "fault test").token
        db.session.commit()
        return {"owner": owner.nip, "supervisor": world.one.sup_a.nip,
                "activity_id": activity.id, "token": token, "endpoint": device["endpoint"]}


def comment(stack, supervisor: dict, activity_id: str, body: str):
    status, _, raw = stack.http.request("POST", f"/api/v1/activities/{activity_id}/comments",
                                        {"body": body}, supervisor)
    assert status == 201, raw[:300]


@pytest.fixture(scope="module")
def outage():
    """Redis killed and started again under load, with a stream open and a device."""
    with private_stack() as stack, FakePushService() as push_service:
        facts = seed(stack, push_service)
        stack.start_app()
        stack.start_worker()
        owner, supervisor = stack.http.login(facts["owner"]), stack.http.login(facts["supervisor"])
        stream = Stream(stack.http, owner["Cookie"])
        stack.wait_until(lambda: stream.connects, 30, "the stream")
        comment(stack, supervisor, facts["activity_id"], "Sebelum gangguan")
        stack.wait_until(lambda: "Sebelum gangguan" in stream.comments(), 30, "the first event")
        load = OutboxLoad(stack.http, {"Authorization": f"Bearer {facts['token']}"}, 4).start()
        time.sleep(2)
        # The outage is to hit a running worker (one that starts during it has its own test).
        stack.wait_for_worker()
        stack.redis.kill()
        time.sleep(1)
        month = datetime.now(ZoneInfo("Asia/Jakarta")).strftime("%Y-%m")
        export = stack.http.request("POST", "/api/v1/exports",
                                    {"kind": "monthly_xlsx", "month": month}, owner)
        during = stack.http.request("POST",
                                    f"/api/v1/activities/{facts['activity_id']}/comments",
                                    {"body": "Selama gangguan"}, supervisor)
        time.sleep(3)
        stack.redis.start()
        time.sleep(3)
        load.stop()
        try:
            yield {"stack": stack, "facts": facts, "load": load, "stream": stream,
                   "push": push_service, "owner": owner, "supervisor": supervisor,
                   "export": export, "during": during}
        finally:
            stream.close()


def assert_worker_survived(stack):
    worker = stack.processes["worker"]
    assert worker.poll() is None, f"the worker did not survive the outage:\n{stack.report()}"
    starts = stack.worker_starts()
    assert starts == 1, (f"the worker's consumer started {starts} times, not once (it should "
                         f"ride the outage out):\n{stack.report()}")


def test_writes_succeed_and_streams_and_pushes_resume(outage):
    stack, facts, load, stream = (outage[k] for k in ("stack", "facts", "load", "stream"))
    assert_worker_survived(stack)
    comment(stack, outage["supervisor"], facts["activity_id"], "Setelah gangguan")
    stack.wait_until(lambda: "Setelah gangguan" in stream.comments(), 60,
                     "an event after Redis returned")
    push = outage["push"]
    stack.wait_until(lambda: any(m["payload"]["body"] == "Setelah gangguan"
                                 for m in push.received), 120, "the push after the outage")
    time.sleep(3)  # a second delivery would come about now
    after = [m for m in push.received if m["payload"]["body"] == "Setelah gangguan"]
    COUNTS.append(
        f"Redis killed: {len(load.acknowledged)} writes acknowledged, "
        f"{len(load.refused())} refused; stream connections {stream.connects}, "
        f"events heard {len(stream.events)}; the push after the outage delivered "
        f"{len(after)} time(s)")
    assert not load.refused(), [(a.status, a.body[:100]) for a in load.refused()[:3]]
    assert not load.unfinished
    assert stream.comments().count("Setelah gangguan") == 1
    # What was raised while Redis was away reaches the open stream too (its resync).
    assert outage["during"][0] == 201, outage["during"][2][:300]
    stack.wait_until(lambda: "Selama gangguan" in stream.comments(), 30,
                     "the outage's event on the stream")
    assert stream.comments().count("Selama gangguan") == 1
    assert len(after) == 1, f"the push after the outage came {len(after)} times"
    assert not push.rejected
    assert_worker_survived(stack)


def test_an_export_asked_for_during_the_outage_runs_once_after(outage):
    stack, owner = outage["stack"], outage["owner"]
    status, _, raw = outage["export"]
    assert status == 202, raw[:300]
    job_id = json.loads(raw)["id"]

    def finished():
        code, _, body = stack.http.request("GET", f"/api/v1/exports/{job_id}", None, owner)
        return code == 200 and json.loads(body)["status"] in ("done", "failed") and body
    job = json.loads(stack.wait_until(finished, 120, "the export to finish"))
    assert job["status"] == "done", job
    with stack.postgres.connect() as conn:
        assert conn.execute("SELECT count(*) FROM export_jobs").fetchone()[0] == 1
    files = list((stack.folder / "exports").rglob("*.xlsx"))
    assert len(files) == 1, files


def test_a_notification_raised_during_the_outage_is_pushed_once_after(outage):
    stack, push = outage["stack"], outage["push"]
    stack.wait_until(lambda: any(m["payload"]["body"] == "Selama gangguan"
                                 for m in push.received), 150, "the outage's push")
    time.sleep(3)  # a second delivery would come about now
    during = [m["payload"]["body"] for m in push.received].count("Selama gangguan")
    COUNTS.append(f"Redis killed: the push raised during the outage delivered {during} "
                  "time(s) after it")
    assert during == 1, f"the push raised during the outage came {during} times"
    assert_worker_survived(stack)


def test_a_worker_started_while_redis_is_down_waits_for_it_then_pushes():
    """A worker (re)started during an outage waits for Redis, saying so, and never exits;
    once Redis is back it consumes: a push raised then reaches the device once."""
    with private_stack() as stack, FakePushService() as push_service:
        facts = seed(stack, push_service)
        stack.start_app()
        supervisor = stack.http.login(facts["supervisor"])
        stack.redis.kill()
        worker = stack.start_worker()
        # Two refusals logged: it is waiting, and backing off (1 s, then 2 s).
        stack.wait_until(lambda: stack.log_tail("worker").count(QUEUE_UNREACHABLE) >= 2, 60,
                         "the worker to say it waits for the queue")
        assert worker.poll() is None, f"the worker exited:\n{stack.report()}"
        assert stack.worker_starts() == 0
        stack.redis.start()
        stack.wait_for_worker()
        comment(stack, supervisor, facts["activity_id"], "Setelah pekerja menunggu")
        stack.wait_until(lambda: any(m["payload"]["body"] == "Setelah pekerja menunggu"
                                     for m in push_service.received), 60,
                         "the push after the worker waited")
        time.sleep(3)  # a second delivery would come about now
        bodies = [m["payload"]["body"] for m in push_service.received]
        COUNTS.append("Redis down at the worker's start: it logged "
                      f"{stack.log_tail('worker', 10**9).count(QUEUE_UNREACHABLE)} refusals; "
                      f"the push after delivered {bodies.count('Setelah pekerja menunggu')} "
                      "time(s)")
        assert bodies.count("Setelah pekerja menunggu") == 1, bodies
        assert not push_service.rejected
        assert worker.poll() is None, f"the worker exited:\n{stack.report()}"
