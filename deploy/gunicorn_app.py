"""gunicorn settings shared by the app server (everything but the live stream).

    gunicorn -c deploy/gunicorn_app.py --workers 4 --worker-class gthread --threads 8 \
        --bind 0.0.0.0:8000 'app:create_app()'

Only process-level tuning lives here; workers, threads and the bind stay on the command line.

Preloading: the master imports and builds the app once, then forks the workers, which share
those pages with it for as long as nobody writes to them (copy-on-write). Each worker then
holds privately only what its own requests make; without it every worker loads its own copy
(about 100 MiB each). The master opens no database connection while building the app, and
each worker starts with an empty connection pool all the same (:func:`post_fork`).

Garbage collection: the hundreds of thousands of objects that make up the app (modules,
mappers, compiled statements, templates) live as long as the process. ``gc.freeze()`` moves
them out of the collector's generations, so the cyclic collector no longer walks them again
and again; done in the master before forking, it also keeps the collector from writing to
their pages in the workers (a walk marks each object, which would copy every shared page). A
higher first-generation threshold makes it run less often on the short-lived objects of each
request (which reference counting frees anyway). Memory is still freed as usual.
"""

import gc

preload_app = True


def when_ready(server):
    """In the master, the app loaded (preloaded), before the first worker is forked."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """In a new worker: connections are never shared across a fork."""
    app = getattr(server.app, "callable", None)
    if app is not None:
        from app.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)


def post_worker_init(worker):
    """After the worker has loaded the app, before it serves the first request."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
