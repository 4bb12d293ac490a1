"""The app as the fault tests serve it: gunicorn and ``flask worker`` build it from here.

``KINERJAKU_FAULT_CONFIG`` (JSON) carries the settings the environment cannot (the local
push service over http, the tests' VAPID key, cheap hashing). ``KINERJAKU_FAULT_CLOCK`` (ISO
8601) starts the process's clock at that moment and lets it tick, so the reminder clock of a
worker subprocess sees a known working day whatever day the suite runs.

    gunicorn 'tests.faults.serve:create()'
    python -m tests.faults.serve worker      # flask worker, with the clock above
"""

import json
import os
import sys


def create():
    """The app with the settings of ``KINERJAKU_FAULT_CONFIG`` over the environment's."""
    from app import create_app

    return create_app(json.loads(os.environ.get("KINERJAKU_FAULT_CONFIG") or "{}"))


def main(argv: list[str]) -> None:
    """Run a flask command (``worker``) on :func:`create`'s app, on the tests' clock."""
    moment = os.environ.get("KINERJAKU_FAULT_CLOCK")
    if moment:
        import time_machine

        time_machine.travel(moment, tick=True).start()
    from flask.cli import FlaskGroup

    FlaskGroup(create_app=create).main(args=argv, prog_name="flask")


if __name__ == "__main__":
    main(sys.argv[1:])
