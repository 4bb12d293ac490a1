from datetime import UTC, datetime

import pytest
import time_machine


@pytest.fixture
def clock():
    """Tuesday 10 March 2026, 10:00 WIB: the activities of 9 March are still open."""
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller
