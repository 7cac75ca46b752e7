"""A digest of the generated rows that two runs with the same seed share on any database: every row read by
its natural key (codes, numbers, positions) instead of its primary key, in that order, without the moments
of writing (created_at, committed_at, the history's dates) or the users' password hashes, streamed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from dondoc.accounts.models import Membership, User
from dondoc.directives.models import Assignment, AssignmentTransfer, Directive, ProgressReport, Task
from dondoc.registry.models import Jurisdiction, Organization, Reorganization

CHUNK = 5_000
_DIRECTIVE = ("issuer__code", "number", "issued_on")
_TASK = (*(f"directive__{key}" for key in _DIRECTIVE), "position")
_ASSIGNMENT = (*(f"task__{key}" for key in _TASK), "organization__code")


def _rows(label: str, query: Iterable[tuple[Any, ...]]) -> Iterable[bytes]:
    for row in query:
        yield (label + "|" + "|".join("" if value is None else str(value) for value in row) + "\n").encode()


def generated_rows() -> Iterable[bytes]:
    """Every generated row as a line, in natural order."""
    yield from _rows(
        "jurisdiction",
        Jurisdiction.objects.order_by("code")
        .values_list("code", "name", "kind", "level", "parent__code", "valid_from", "valid_to")
        .iterator(CHUNK),
    )
    yield from _rows(
        "body",
        Organization.objects.order_by("code")
        .values_list(
            "code", "name", "kind", "level", "parent__code", "jurisdiction__code", "valid_from", "valid_to"
        )
        .iterator(CHUNK),
    )
    # one decision names many events: they are told apart, and ordered, by the bodies they changed
    events = sorted(
        (
            sorted(body.code for body in event.originals.all()),
            sorted(body.code for body in event.results.all()),
            event.kind,
            event.effective_on,
            event.decision,
        )
        for event in Reorganization.objects.prefetch_related("originals", "results")
    )
    yield from _rows("reorganization", events)
    yield from _rows(
        "directive",
        Directive.objects.order_by(*_DIRECTIVE)
        .values_list(
            *_DIRECTIVE, "issuer_text", "type_code", "subject", "state", "published_at", "duplicate_key"
        )
        .iterator(CHUNK),
    )
    yield from _rows(
        "task",
        Task.objects.order_by(*_TASK)
        .values_list(*_TASK, "text", "deadline_kind", "due", "start", "deadline_text")
        .iterator(CHUNK),
    )
    yield from _rows(
        "assignment",
        Assignment.objects.order_by(*_ASSIGNMENT).values_list(*_ASSIGNMENT, "role", "due").iterator(CHUNK),
    )
    transfer = tuple(f"assignment__{key}" for key in _ASSIGNMENT)
    yield from _rows(
        "transfer",
        AssignmentTransfer.objects.order_by(*transfer, "effective_on")
        .values_list(
            *transfer,
            "from_organization__code",
            "to_organization__code",
            "effective_on",
            "merged_into__organization__code",
        )
        .iterator(CHUNK),
    )
    report = tuple(f"assignment__{key}" for key in _ASSIGNMENT)
    fields = ("state", "sent_on", "confirmed_on", "period_start", "period_end", "percent", "text")
    yield from _rows(
        "report",
        ProgressReport.objects.order_by(*report, *fields)
        .values_list(*report, *fields, "reports_done")
        .iterator(CHUNK),
    )
    yield from _rows(
        "user",
        User.objects.order_by("username")
        .values_list("username", "first_name", "last_name", "email")
        .iterator(CHUNK),
    )
    yield from _rows(
        "membership",
        Membership.objects.order_by("user__username", "role", "organization__code", "jurisdiction__code")
        .values_list("user__username", "role", "organization__code", "jurisdiction__code")
        .iterator(CHUNK),
    )


def digest() -> str:
    """The SHA-256 of every generated row in natural order."""
    hashed = hashlib.sha256()
    for line in generated_rows():
        hashed.update(line)
    return hashed.hexdigest()
