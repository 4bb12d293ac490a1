"""Schemathesis over the whole OpenAPI document, in-process (WSGI), as every role.

Every operation the document lists is fuzzed, so a new endpoint needs no edit here: all of
schemathesis' phases per operation (examples, coverage, fuzzing), then the stateful phase,
which chains operations along the links schemathesis infers. Each request is sent with a
bearer token of a person in a seeded world, the roles taking turns (pegawai, atasan, HR
administrator, pimpinan), and must pass four checks: no server error, a documented status,
a documented content type, a body matching its documented schema.

Bounded and deterministic: a fixed seed and few examples per operation (``FUZZ_EXAMPLES``,
default 4). Skip it locally with ``PYTEST_ARGS='-m "not fuzz"'``.
"""

import itertools
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.api import api
from app.auth.services import create_token
from app.core.uow import commit
from app.extensions import db, limiter
from tests import support
from tests.conftest import TEST_CONFIG
from tests.factories import build_world
from tests.fuzz.conftest import count

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
ROLES = ("pegawai", "atasan", "admin", "pimpinan")
#: The roles take turns across all generated requests.
_turns = itertools.cycle(ROLES)


def openapi_document() -> dict:
    """The document the API serves, built by an app of its own at collection time (it does
    not depend on the database; the tests' apps are built later)."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
    with app.app_context():
        return api.spec.to_dict()


schema = schemathesis.openapi.from_dict(openapi_document())


def tokens_of(world) -> dict:
    """A bearer token for a person of each role in organisation one."""
    people = {"pegawai": world.one.staff_a1, "atasan": world.one.sup_a,
              "admin": world.one.admin, "pimpinan": world.one.head}
    tokens = {role: create_token(person, f"fuzz {role}").token
              for role, person in people.items()}
    commit()
    return tokens


@pytest.fixture
def role_tokens(world):
    return tokens_of(world)


@pytest.fixture(autouse=True)
def short_streams(app, monkeypatch):
    """The live stream never ends by itself: it beats often, and is read for a second."""
    monkeypatch.setitem(app.config, "SSE_HEARTBEAT", 0.2)


def call_kwargs(app, role_tokens, turns=_turns) -> dict:
    """How a request is sent: to the app in-process, as the next role, uncompressed (the
    checks read the body as it is); an event stream is read for one second."""
    count(app, "schemathesis")
    return {"app": app, "timeout": 1,
            "headers": {"Authorization": f"Bearer {role_tokens[next(turns)]}",
                        "Accept-Encoding": "identity"}}


@schema.parametrize()
@SETTINGS
def test_every_operation(case, app, role_tokens):
    case.call_and_validate(checks=CHECKS, **call_kwargs(app, role_tokens))


def test_stateful_sequences(app, role_tokens):
    class Sequences(schema.as_state_machine()):
        """Each sequence starts alike: the same data (emptied and built again: a sequence
        deletes and creates), the roles' turns from the first, the rate limits cleared.
        Hypothesis replays a sequence's beginning to extend or shrink it, and a replay must
        meet the same answers, or it reports a flaky strategy instead of the failure."""

        def __init__(self):
            super().__init__()
            db.session.remove()
            support.empty_database(db)
            role_tokens.update(tokens_of(build_world(db)))
            self.turns = itertools.cycle(ROLES)
            limiter.reset()

        def get_call_kwargs(self, case):
            return call_kwargs(app, role_tokens, self.turns)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    run_state_machine_as_test(Sequences, settings=settings(
        SETTINGS, max_examples=EXAMPLES * 5, stateful_step_count=6))
