"""The fault tests' private PostgreSQL and Redis (see tests/loopback.py), and their counts."""

import pytest

from tests.loopback import private_stack

#: One line per fault run, shown at the end of the session (the issue asks for the counts).
COUNTS: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if COUNTS:
        terminalreporter.section("fault test counts")
        for line in COUNTS:
            terminalreporter.write_line(line)


@pytest.fixture
def stack():
    with private_stack() as built:
        yield built
