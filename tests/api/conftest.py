"""The web fixtures (registry, one user per role, the seed letter published) and API clients signed in by
bearer token; a second directive addressed to Đắk Song's standing board only; helpers that read the API's
JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from dondoc.accounts.models import User
from dondoc.accounts.services import issue_token
from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState, Task
from dondoc.registry.models import Organization

TODAY = date(2023, 5, 10)
ROLES = ("admin", "monitor", "reporter", "leader", "other_reporter", "other_leader", "reader", "auditor")


@pytest.fixture(autouse=True)
def fixed_today(settings: Any) -> None:
    settings.DONDOC_TODAY = TODAY


@pytest.fixture
def token_for(users: dict[str, User]) -> Callable[[str], str]:
    """A fresh API key of the named user."""

    def key(name: str) -> str:
        return issue_token(user=users[name], name="tests").key

    return key


@pytest.fixture
def api_for(token_for: Callable[[str], str]) -> Callable[[str], Client]:
    """A client sending the named user's bearer token, with no session."""

    def client(name: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(name)}")

    return client


@pytest.fixture
def elsewhere(published: Directive) -> Directive:
    """A published letter of the provincial committee with one task, assigned to Đắk Song's standing board
    only (test data written directly: publishing is tested elsewhere)."""
    directive = Directive.objects.create(
        issuer_text="TỈNH ỦY ĐẮK NÔNG",
        issuer=published.issuer,
        number="1400-CV/TU",
        type_code="công văn",
        issued_on=date(2023, 5, 2),
        subject="Về việc rà soát tổ chức bộ máy",
        source_text="…",
        duplicate_key="elsewhere",
        state=DirectiveState.PUBLISHED,
    )
    task = Task.objects.create(
        directive=directive,
        position=1,
        label="1",
        text="Rà soát tổ chức bộ máy huyện",
        deadline_kind="by_date",
        due=date(2023, 6, 30),
    )
    Assignment.objects.create(
        task=task,
        organization=Organization.objects.get(code="DSO.BTV"),
        role=AssignmentRole.LEAD,
        due=task.due,
    )
    return directive


def assignment_of(directive: Directive, body: str, position: int = 9) -> Assignment:
    return Assignment.objects.get(task__directive=directive, task__position=position, organization__code=body)


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    found: list[dict[str, Any]] = response.json()["items"]
    return found
