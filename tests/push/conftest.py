import pytest

from app.notifications.signals import notifications_committed
from app.notifications.tasks import enqueue_push
from tests.push.fakepush import FakePushService
from tests.support import ApiClient


@pytest.fixture(scope="session")
def vapid_file(tmp_path_factory):
    """The tests' own VAPID key, made in a temporary folder (never in instance/)."""
    return tmp_path_factory.mktemp("vapid") / "vapid_private.pem"


@pytest.fixture(autouse=True)
def push_config(app, vapid_file):
    """Push to the local fake service over http, with short timeouts."""
    saved = {k: app.config.get(k) for k in ("VAPID_PRIVATE_KEY_FILE", "VAPID_SUBJECT",
                                             "PUSH_ALLOW_INSECURE_ENDPOINTS", "PUSH_TIMEOUT")}
    app.config.update(VAPID_PRIVATE_KEY_FILE=str(vapid_file),
                      VAPID_SUBJECT="mailto:ops@kinerjaku.test",
                      PUSH_ALLOW_INSECURE_ENDPOINTS=True, PUSH_TIMEOUT=5)
    yield app.config
    app.config.update(saved)


@pytest.fixture(autouse=True)
def push_only_when_asked(app, monkeypatch):
    """The tests call push_for_notifications themselves: unhook the after-commit queue."""
    notifications_committed.disconnect(enqueue_push, sender=app)
    yield
    notifications_committed.connect(enqueue_push, sender=app)


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def signed_in(app, db):
    """signed_in(person) -> an ApiClient signed in as that person."""
    def factory(person):
        return ApiClient(app).login(person)
    return factory


@pytest.fixture
def device(signed_in, push_service):
    """device(person, status=201, retry_after=None): a subscribed phone, through the API."""
    def factory(person, status=201, retry_after=None):
        info = push_service.new_subscription(status=status, retry_after=retry_after)
        assert signed_in(person).post("/api/v1/push-subscriptions", json=info).status_code == 201
        return info
    return factory
