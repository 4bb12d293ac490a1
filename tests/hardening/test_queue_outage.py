"""Redis away: POST /api/v1/exports still answers 202 with its job ``queued`` (never 500),
and once Redis is back the worker's sweeper sends the job again and it runs once."""

import uuid
from datetime import timedelta

import pytest
from huey.storage import RedisExpireStorage

from app.core import queue
from app.documents import jobs
from app.documents.models import ExportJob, ExportStatus
from app.models import utcnow
from tests import support

EXPORTS = "/api/v1/exports"


@pytest.fixture
def point_queue(app):
    """Point the queue at a Redis URL, as a deployed app (not immediate); restored after."""
    saved = (queue.huey._immediate, queue.huey.storage)

    def point(url):
        queue.huey._immediate = False
        queue.huey.storage = RedisExpireStorage(f"kinerjaku-test-{uuid.uuid4().hex[:8]}",
                                                url=url)
        return queue.huey.storage

    yield point
    queue.huey._immediate, queue.huey.storage = saved


def test_an_export_waits_out_a_queue_outage_and_runs_once(api, world, db, point_queue,
                                                          tmp_path, monkeypatch):
    if not support.redis_available():
        pytest.skip("needs Redis for the 'reachable again' half")
    monkeypatch.setitem(api.app.config, "EXPORT_FOLDER", str(tmp_path))
    api.login(world.one.admin)
    point_queue("redis://127.0.0.1:9/0")  # nothing listens there

    response = api.post(EXPORTS, json={"kind": "unit_recap", "month": "2026-11",
                                       "unit_id": world.one.head.unit_id})

    assert response.status_code == 202, response.get_data(as_text=True)
    job_id = response.get_json()["id"]
    assert response.get_json()["status"] == "queued"
    assert api.get(f"{EXPORTS}/{job_id}").get_json()["status"] == "queued"

    storage = point_queue(support.REDIS_URL)  # Redis is back
    assert jobs.requeue_waiting_exports() == 0  # too fresh to be sent again yet
    later = utcnow() + timedelta(seconds=jobs.DEFAULT_REQUEUE_AFTER + 1)
    assert jobs.requeue_waiting_exports(later) == 1
    assert jobs.requeue_waiting_exports(later) == 1  # sent twice: still runs once
    assert storage.queue_size() == 2
    while (message := queue.huey.dequeue()) is not None:  # the worker
        queue.huey.execute(message)
    db.session.rollback()
    job = db.session.get(ExportJob, job_id)
    assert job.status == ExportStatus.DONE and job.file_key
    assert len(list(tmp_path.rglob("*.*"))) == 1
    assert jobs.requeue_waiting_exports(later) == 0
    storage.flush_all()
