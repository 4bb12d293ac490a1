"""The broker: in-process queues, and Redis pub/sub shared by several processes."""

import queue
import uuid

import pytest

from app.notifications.broker import RESYNC, InProcessBroker, RedisBroker
from tests import support
from tests.conftest import unavailable


def test_in_process_delivers_to_the_persons_subscribers_only():
    broker = InProcessBroker()
    mine, also_mine, theirs = broker.subscribe(1), broker.subscribe(1), broker.subscribe(2)
    broker.publish(1, {"id": 7})
    assert mine.get(timeout=1) == {"id": 7}
    assert also_mine.get(timeout=1) == {"id": 7}
    with pytest.raises(queue.Empty):
        theirs.get(timeout=0.05)


def test_in_process_unsubscribe_stops_delivery():
    broker = InProcessBroker()
    subscription = broker.subscribe(1)
    broker.unsubscribe(subscription)
    broker.publish(1, {"id": 7})
    assert broker.subscriber_count() == 0
    with pytest.raises(queue.Empty):
        subscription.get(timeout=0.05)


def test_a_full_queue_turns_into_one_resync():
    broker = InProcessBroker(queue_size=2)
    subscription = broker.subscribe(1)
    for n in range(5):
        broker.publish(1, {"id": n})
    assert subscription.get(timeout=1) is RESYNC


@pytest.fixture
def redis_brokers():
    """Two brokers on the real Redis: what two worker processes each hold."""
    if not support.redis_available():
        unavailable(f"Redis is not reachable at {support.REDIS_URL}")
    prefix = f"kinerjaku-test-{uuid.uuid4().hex[:8]}:notify:"
    brokers = [RedisBroker(support.REDIS_URL, prefix=prefix) for _ in range(2)]
    yield brokers
    for broker in brokers:
        broker.close()


def test_redis_publish_reaches_a_subscriber_of_another_broker(redis_brokers):
    one, two = redis_brokers
    subscription = two.subscribe(42)
    other_person = two.subscribe(43)
    one.publish(42, {"id": 1, "kind": "comment"})
    assert subscription.get(timeout=3) == {"id": 1, "kind": "comment"}
    with pytest.raises(queue.Empty):
        other_person.get(timeout=0.2)


def test_redis_delivers_to_every_process_holding_a_stream(redis_brokers):
    one, two = redis_brokers
    here, there = one.subscribe(5), two.subscribe(5)
    one.publish(5, {"id": 9})
    assert here.get(timeout=3) == {"id": 9}
    assert there.get(timeout=3) == {"id": 9}


def test_redis_listener_reconnects_and_asks_streams_to_resync(redis_brokers):
    import redis

    _, broker = redis_brokers
    subscription = broker.subscribe(8)
    # Cut this broker's pub/sub connection, as a Redis restart would.
    admin = redis.Redis.from_url(support.REDIS_URL, decode_responses=True)
    killed = 0
    for client in admin.client_list():
        if client.get("name") == broker.client_name:
            admin.client_kill_filter(_id=client["id"])
            killed += 1
    assert killed == 1
    assert subscription.get(timeout=10) is RESYNC
    broker.publish(8, {"id": 3})
    assert subscription.get(timeout=3) == {"id": 3}
