from collections import Counter
from datetime import UTC, datetime

import pytest
import time_machine

#: Requests sent by the fuzz tests, per backend: their figures are printed at the end.
SENT: Counter = Counter()


@pytest.fixture
def clock():
    """Tuesday 10 March 2026, 10:00 WIB: the activities of 9 March are still open."""
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller


def pytest_terminal_summary(terminalreporter):
    """Say how many requests the fuzzing sent."""
    if SENT:
        terminalreporter.write_line("fuzz requests sent: " + ", ".join(
            f"{key} {value}" for key, value in sorted(SENT.items())))


def count(app, kind: str) -> None:
    SENT[f"{kind} [{app.config['BACKEND']}]"] += 1
