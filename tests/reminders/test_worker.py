"""``flask worker`` when the queue's storage is away: it waits (logging, backing off), never
exits, and keeps its log short while huey's threads ride an outage out."""

import logging
import uuid

import pytest
import redis
from huey import Huey
from huey.storage import RedisExpireStorage

from app.core import queue
from tests.conftest import unavailable
from tests.support import REDIS_URL, redis_available


def refused() -> redis.exceptions.ConnectionError:
    return redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:1.")


def test_the_worker_waits_for_an_unreachable_queue_backing_off(monkeypatch, caplog):
    consumer = object()
    answers = [refused()] * 6 + [consumer]

    def create(**_options):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer
    monkeypatch.setattr(queue.huey, "create_consumer", create)
    pauses = []
    with caplog.at_level(logging.INFO, logger="app.core.queue"):
        assert queue.create_consumer({}, sleep=pauses.append) is consumer
    assert pauses == [1, 2, 4, 8, 10, 10]
    waits = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(waits) == 6
    assert "not reachable" in waits[0].getMessage()
    assert "attempt 6, trying again in 10s" in waits[-1].getMessage()
    assert "reachable again after 6 failed attempt(s)" in caplog.records[-1].getMessage()


def test_any_other_error_making_the_consumer_is_not_waited_for(monkeypatch):
    def create(**_options):
        raise ValueError("workers must be positive")
    monkeypatch.setattr(queue.huey, "create_consumer", create)
    with pytest.raises(ValueError, match="workers"):
        queue.create_consumer({}, sleep=lambda _s: pytest.fail("waited for a bug"))


@pytest.mark.redis
def test_the_worker_waits_for_a_real_redis_that_refuses_then_answers(monkeypatch):
    """What huey raises on a dead Redis (making the consumer flushes its locks) is waited for."""
    if not redis_available():
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    name = f"kinerjaku-test-{uuid.uuid4().hex[:8]}"
    dead = Huey(name, results=False, storage_class=RedisExpireStorage,
                url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(queue, "huey", dead)
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:  # Redis is back
            dead.storage = RedisExpireStorage(name, url=REDIS_URL)
    consumer = queue.create_consumer({"workers": 1, "worker_type": "thread",
                                      "flush_locks": True, "extra_locks": "a-lock"},
                                     sleep=pause)
    assert consumer.huey is dead
    assert pauses == [1, 2]


def test_an_outage_is_one_line_now_and_then_in_the_consumer_log(caplog):
    now = [100.0]
    quiet = queue.QuietOutage(every=30, clock=lambda: now[0])
    log = logging.getLogger("tests.quiet-outage")
    log.addFilter(quiet)
    try:
        with caplog.at_level(logging.INFO, logger=log.name):
            for _ in range(5):  # the scheduler, once a second
                try:
                    raise refused()
                except redis.exceptions.ConnectionError:
                    log.exception("Error reading schedule.")
                now[0] += 1
            now[0] += 30
            try:
                raise refused()
            except redis.exceptions.ConnectionError:
                log.exception("Error reading schedule.")
            try:
                raise KeyError("a bug")
            except KeyError:
                log.exception("Unhandled error")
    finally:
        log.removeFilter(quiet)
    outage = [r for r in caplog.records if "not reachable" in r.getMessage()]
    assert len(outage) == 2
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in outage)
    assert outage[0].getMessage().startswith("Error reading schedule.: the task queue is not "
                                             "reachable (Error 111")
    bug = caplog.records[-1]
    assert bug.getMessage() == "Unhandled error" and bug.exc_info is not None
    assert bug.levelno == logging.ERROR
