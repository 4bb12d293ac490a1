from datetime import UTC, datetime

import pytest
import time_machine

#: Tuesday 10 March 2026, 10:00 WIB / 11:00 WITA.
NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    """The tests' world lives in March 2026; the clock keeps ticking from there."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller
