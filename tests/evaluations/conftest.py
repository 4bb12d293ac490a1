from datetime import UTC, datetime

import pytest
import time_machine

from tests.support import ApiClient

#: Monday 23 November 2026, 10:00 WIB / 11:00 WITA: in Triwulan IV, after Triwulan III's
#: input deadline.
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def as_(app, db):
    """``as_(person)``: an API client signed in as that person (several per test)."""
    def sign_in(person):
        return ApiClient(app).login(person)
    return sign_in
