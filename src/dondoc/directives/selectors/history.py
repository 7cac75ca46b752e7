"""The directives app's records in the change log (core.history reads it): how each kind is described for
people and what the description reads, registered when the app is ready (DirectivesConfig.ready). The
registry registers its bodies itself; who may see an object's history is directives.access."""

from __future__ import annotations

from typing import Any

from dondoc.core.history import register_history_source
from dondoc.directives.models import (
    Assignment,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    ProgressReport,
    Task,
    TaskLink,
)

# what an assignment's description reads, from the assignment itself
_ASSIGNMENT = ("task__directive", "organization")


def _assignment(assignment: Any) -> str:
    task = assignment.task
    return f"{task.directive.number} · {task.label or task.position} → {assignment.organization.name}"


def _directive(record: Any) -> str:
    return f"{record.number or '—'} {record.issued_on:%d/%m/%Y}"


def _task(record: Any) -> str:
    return f"{record.directive.number} · {record.label or record.position}. {record.text[:60]}"


def _report(record: Any) -> str:
    return f"{_assignment(record.assignment)}: {record.percent}%"


def _extension(record: Any) -> str:
    return f"{_assignment(record.assignment)}: {record.requested_due:%d/%m/%Y}"


def _attachment(record: Any) -> str:
    return f"{_assignment(record.report.assignment)}: {record.original_name}"


def _citation(record: Any) -> str:
    return f"{record.citing.number} → {record.number or record.type_text}"


def _task_link(record: Any) -> str:
    child, parent = record.child, record.parent
    return (
        f"{child.directive.number} · {child.label or child.position} → "
        f"{parent.directive.number} · {parent.label or parent.position}"
    )


def register_history_sources() -> None:
    """The change log's kinds of the directives app, in the order its filter lists them (a directive's long
    texts are not printed)."""
    register_history_source(
        kind="directive", model=Directive, describe=_directive, elided=("source_text", "parsed")
    )
    register_history_source(kind="task", model=Task, describe=_task, related=("directive",))
    register_history_source(kind="assignment", model=Assignment, describe=_assignment, related=_ASSIGNMENT)
    register_history_source(
        kind="progressreport",
        model=ProgressReport,
        describe=_report,
        related=tuple(f"assignment__{each}" for each in _ASSIGNMENT),
    )
    register_history_source(
        kind="deadlineextension",
        model=DeadlineExtension,
        describe=_extension,
        related=tuple(f"assignment__{each}" for each in _ASSIGNMENT),
    )
    register_history_source(
        kind="attachment",
        model=Attachment,
        describe=_attachment,
        related=tuple(f"report__assignment__{each}" for each in _ASSIGNMENT),
    )
    register_history_source(kind="citation", model=Citation, describe=_citation, related=("citing",))
    register_history_source(
        kind="tasklink",
        model=TaskLink,
        describe=_task_link,
        related=("child__directive", "parent__directive"),
    )
