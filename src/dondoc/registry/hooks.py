"""What other apps tell the registry's pages, without the registry importing them (the apps run one way): an
app registers a provider when it is ready, and a body's page asks every provider.

- open assignments: provider(organization_id, on) → [(text, url, due, status label)], the body's work from
  directives still open on the date (directives/registry_links.py registers it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

OpenAssignment = tuple[str, str, date | None, str]
OpenAssignmentsProvider = Callable[[int, date], list[OpenAssignment]]

_open_assignment_providers: list[OpenAssignmentsProvider] = []


def register_open_assignments(provider: OpenAssignmentsProvider) -> None:
    """Add a provider of a body's open assignments (once: an app made ready twice registers it once)."""
    if provider not in _open_assignment_providers:
        _open_assignment_providers.append(provider)


def open_assignments(*, organization_id: int, on: date) -> list[OpenAssignment]:
    """The body's open assignments on the date, from every provider, in the order they were registered."""
    return [row for provider in _open_assignment_providers for row in provider(organization_id, on)]
