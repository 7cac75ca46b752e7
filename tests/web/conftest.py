"""Fixtures for the pages and the API: the Đắk Nông sample registry, the seed letter published, and one
signed-in client per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dondoc.accounts.models import Role
from dondoc.accounts.services import create_member
from dondoc.directives.models import Directive
from dondoc.directives.services import create_draft, publish_directive
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Jurisdiction, Organization
from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"
VAGUE = "Các cơ quan, đơn vị liên quan"
PASSWORD = "mat-khau-thu-nghiem"

# role → (body code, territory code); the district bodies are Cư Jút's and Đắk Song's standing boards
MEMBERS: dict[str, tuple[Role, str | None, str | None]] = {
    "admin": (Role.ADMINISTRATOR, None, None),
    "monitor": (Role.MONITOR, "DNO.BTCTU", "DNO"),
    "reporter": (Role.UNIT_REPORTER, "CJU.BTV", None),
    "leader": (Role.UNIT_LEADER, "CJU.BTV", None),
    "other_reporter": (Role.UNIT_REPORTER, "DSO.BTV", None),
    "other_leader": (Role.UNIT_LEADER, "DSO.BTV", None),
    "reader": (Role.READER, None, "DNO"),
    "auditor": (Role.AUDITOR, None, None),
}


@pytest.fixture
def registry(db: None) -> None:
    load_sample_registry()


@pytest.fixture
def users(registry: None) -> dict[str, User]:
    return {
        name: create_member(
            username=name,
            password=PASSWORD,
            role=role,
            organization=Organization.objects.get(code=body) if body else None,
            jurisdiction=Jurisdiction.objects.get(code=territory) if territory else None,
        )
        for name, (role, body, territory) in MEMBERS.items()
    }


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    def signed_in(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        return client

    return signed_in


@pytest.fixture
def draft(users: dict[str, User]) -> Directive:
    text = read_document(SEED).text
    return create_draft(parsed=parse_text(text), source_text=text, file_sha256="5" * 64)


@pytest.fixture
def published(draft: Directive) -> Directive:
    publish_directive(directive=draft, decisions={VAGUE: []})
    draft.refresh_from_db()
    return draft
