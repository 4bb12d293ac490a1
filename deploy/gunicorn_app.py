"""gunicorn settings shared by the app server (everything but the live stream).

    gunicorn -c deploy/gunicorn_app.py --workers 4 --worker-class gthread --threads 8 \
        --bind 0.0.0.0:8000 'app:create_app()'

Only process-level tuning lives here; workers, threads and the bind stay on the command line.

Garbage collection: once a worker has imported and built the app, the hundreds of thousands of
objects that make it up (modules, mappers, compiled statements, templates) live as long as the
worker. ``gc.freeze()`` moves them out of the collector's generations, so the cyclic collector
no longer walks them again and again; a higher first-generation threshold makes it run less
often on the short-lived objects of each request (which reference counting frees anyway).
Memory is still freed as usual; only the cycle search runs less.
"""

import gc


def post_worker_init(worker):
    """After the worker has loaded the app, before it serves the first request."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
