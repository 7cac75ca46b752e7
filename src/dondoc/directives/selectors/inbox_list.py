"""The inbox: the assignments a user sees, filtered and ordered problems first, and one page of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from dondoc.directives.models import Assignment
from dondoc.directives.selectors.statuses import Situation, _situations
from dondoc.directives.status import Status


@dataclass(frozen=True, slots=True)
class InboxFilters:
    directive_id: int | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    role: str | None = None
    organization_id: int | None = None


# problems first: overdue, then open tasks by the nearest deadline, then tasks without one, then done ones
_URGENCY = {
    Status.OVERDUE: 0,
    Status.IN_PROGRESS: 1,
    Status.NOT_YET_DUE: 1,
    Status.NO_DEADLINE: 2,
    Status.DONE_LATE: 3,
    Status.DONE_ON_TIME: 3,
}


@dataclass(frozen=True, slots=True)
class Inbox:
    ids: list[int]  # the filtered assignments in the order shown
    situations: dict[int, Situation]


def filter_assignments(*, assignments: QuerySet[Assignment], filters: InboxFilters) -> QuerySet[Assignment]:
    """The stored filters (directive, deadline range, role, body); the status, computed, is filtered by
    callers."""
    if filters.directive_id is not None:
        assignments = assignments.filter(task__directive_id=filters.directive_id)
    if filters.due_from is not None:
        assignments = assignments.filter(due__gte=filters.due_from)
    if filters.due_to is not None:
        assignments = assignments.filter(due__lte=filters.due_to)
    if filters.role:
        assignments = assignments.filter(role=filters.role)
    if filters.organization_id is not None:
        assignments = assignments.filter(organization_id=filters.organization_id)
    return assignments


def inbox(
    *, assignments: QuerySet[Assignment], today: date, filters: InboxFilters, drafts: bool = True
) -> Inbox:
    """The assignments a user sees, filtered, problems first: overdue ones (the newest deadline first), open
    ones (the nearest deadline first), those without a deadline (no report for the period first), done ones
    (the newest first). Two queries whatever the number of assignments; the caller pages through `ids`."""
    situations, due = _situations(
        filter_assignments(assignments=assignments, filters=filters), today, drafts=drafts
    )

    def urgency(assignment_id: int) -> tuple[int, int, int]:
        situation, deadline = situations[assignment_id], due[assignment_id]
        rank = _URGENCY[situation.status]
        day = deadline.toordinal() if deadline else 0
        if situation.status == Status.NO_DEADLINE:
            day = 0 if situation.period_report is None else 1
        elif rank != 1:
            day = -day
        return rank, day, -assignment_id

    ids = sorted(
        (
            i
            for i, situation in situations.items()
            if not filters.status or situation.status == filters.status
        ),
        key=urgency,
    )
    return Inbox(ids, situations)


def inbox_page(*, ids: Sequence[int]) -> list[Assignment]:
    """One page of the inbox, in the order given, with what its rows show, in one query."""
    found = (
        Assignment.objects.filter(id__in=list(ids))
        .select_related("task__directive", "organization")
        .defer(
            "task__directive__source_text",
            "task__directive__parsed",
            "task__directive__search_text",
            "task__search_text",
        )
    )
    by_id = {assignment.pk: assignment for assignment in found}
    return [by_id[i] for i in ids if i in by_id]
