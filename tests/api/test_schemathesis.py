"""The API keeps the promises of its OpenAPI schema: schemathesis generates requests from the schema, sends
them through the WSGI application with a role's bearer token, and runs all its checks on every answer: no
server error, a status code the operation declares, the declared content type and a body of the declared
shape, invalid requests refused and valid ones not.

One test per operation (schemathesis' examples, coverage and fuzzing phases). A valid request is sent with
the token of each role, which decides its answer (200, 403 or 404); an invalid one is refused before the
role matters, so it is sent with one role, the roles taking turns. The data is the sample registry, the seed
letter published with its assignments, a second letter, and progress reports in every state, so that the
generated ids find real objects as well as missing ones. Hypothesis is derandomized, with no example
database: the same requests on every run."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import cycle

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from tests.api.conftest import TODAY, assignment_of

from dondoc.accounts.models import User
from dondoc.accounts.services import issue_token
from dondoc.directives.models import Directive
from dondoc.directives.services import approve_report, confirm_report, draft_report, return_report

# one user of each role; the other body's reporter and leader answer as the reporter and leader do
ROLES = ("admin", "monitor", "reporter", "leader", "reader", "auditor")

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261211,
        "generation": {"max-examples": 8, "deterministic": True, "database": "none"},
        "checks": {
            # schemathesis' defaults, and 400: a well-formed request that a service refuses (a blank text, a
            # period that ends before it starts), a rule the schema does not state
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
            },
        },
    }
)
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture
def reports_in_every_state(published: Directive, users: dict[str, User]) -> None:
    """On Cư Jút's assignment: a draft, a confirmed report, a returned one, and two sent ones (one declaring
    the task done)."""
    assignment = assignment_of(published, "CJU.BTV")
    draft_report(assignment=assignment, text="Đang triển khai", percent=20, by=users["reporter"])
    for done, decision in ((True, "confirm"), (True, "return"), (False, None), (True, None)):
        report = draft_report(
            assignment=assignment, text="Đã họp", percent=50, reports_done=done, by=users["reporter"]
        )
        approve_report(report=report, on=TODAY, by=users["leader"])
        if decision == "confirm":
            confirm_report(report=report, on=TODAY, by=users["monitor"])
        elif decision == "return":
            return_report(report=report, comment="Bổ sung số liệu", by=users["monitor"])


@pytest.fixture
def in_the_tests_transaction() -> Iterator[None]:
    """The WSGI application answers inside the test's transaction, as Django's test client does: the hook
    that closes the database connection at the start and end of each request is held off meanwhile."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearers(users: dict[str, User]) -> dict[str, dict[str, str]]:
    return {
        role: {"Authorization": f"Bearer {issue_token(user=users[role], name='schemathesis').key}"}
        for role in ROLES
    }


@pytest.fixture
def taking_turns(bearers: dict[str, dict[str, str]]) -> Iterator[dict[str, str]]:
    return cycle(bearers.values())


@SCHEMA.parametrize()
# the data is set up once per operation, not per generated request: the requests share it, as clients do
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_answer_keeps_to_the_schema(
    case: schemathesis.Case,
    in_the_tests_transaction: None,
    elsewhere: Directive,
    reports_in_every_state: None,
    bearers: dict[str, dict[str, str]],
    taking_turns: Iterator[dict[str, str]],
) -> None:
    valid = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
    for headers in bearers.values() if valid else [next(taking_turns)]:
        case.call_and_validate(headers=headers)
