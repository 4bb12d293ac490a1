"""gunicorn settings for the live event stream (GET /api/v1/stream): gevent workers.

    gunicorn -c deploy/gunicorn_stream.py 'app:create_app()'

An open stream is a long request: on threads, each pins one; on gevent, one worker holds
about a thousand. Run this next to the threaded app server (``make run``) and let the proxy
send /api/v1/stream here (see README.md, "Live events"). With several workers or hosts set
REDIS_URL, so an event published by any process reaches the stream wherever it is open.

SQLite is not gevent-safe (a writer waiting on its lock freezes the worker): with SQLite,
serve only the stream from here (-w 1), and everything else from the threaded server.
"""

# Patch before anything imports socket, threading or psycopg: psycopg picks its wait
# function when imported, and only cooperates with gevent if the patch came first.
from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

bind = os.environ.get("KINERJAKU_STREAM_BIND", "127.0.0.1:5001")
workers = int(os.environ.get("KINERJAKU_STREAM_WORKERS", "1"))
worker_class = "gevent"
worker_connections = int(os.environ.get("KINERJAKU_STREAM_CONNECTIONS", "1000"))
# Streams end when the client leaves; a restart gives open streams this long to finish.
graceful_timeout = 5
timeout = 30
keepalive = 75
accesslog = os.environ.get("KINERJAKU_STREAM_ACCESSLOG") or None
# Never preload: the app (and psycopg) must be imported in each worker, after the patch,
# and the Redis listener must start after the fork.
preload_app = False


def post_worker_init(worker):
    """Refuse to serve with a psycopg that would block the whole worker on every query."""
    try:
        import psycopg.waiting
    except ImportError:  # no PostgreSQL driver: nothing to check
        return
    name = psycopg.waiting.wait.__name__
    if name != "wait_poll" and os.environ.get("PSYCOPG_WAIT_FUNC") != "wait_poll":
        worker.log.error("psycopg uses %s under gevent (want wait_poll); set "
                         "PSYCOPG_WAIT_FUNC=wait_poll", name)
        raise SystemExit(3)
