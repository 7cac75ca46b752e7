"""The status of an assignment as a database expression, so that a dashboard counts statuses in one aggregate
query (`with_status(...).values("status").annotate(n=Count("id"))`) instead of reading every assignment and
its reports. status.assignment_status stays the rule; this is the same rule in SQL over the dates the
database keeps on each assignment (Assignment.started_from, done_from, done_in_time_from), and
tests/directives/test_status_expression.py holds the two equal on every combination of their inputs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from dondoc.directives.models import Assignment
from dondoc.directives.status import Status


def without_end_date() -> Q:
    """Assignments without an end date, which status.assignment_status counts under "no deadline": their
    task's kind has none, or they have no due date."""
    return Q(without_end=True) | Q(due__isnull=True)


def _progress(today: date, *, not_done: Q | None = None) -> dict[Status, Q]:
    """Each status on `today` as a condition on the assignment's own columns: its deadline, its task's kind
    and the days from which its reports made it started, done and done in time (Assignment.started_from …,
    kept by the database's triggers from the reports). `not_done` narrows the open statuses to one part
    of not done (status_condition_parts)."""
    no_deadline = without_end_date()
    started = Q(started_from__lte=today)
    done = Q(done_from__lte=today)
    done_in_time = Q(done_in_time_from__lte=today)
    still_open = ~no_deadline & (~done if not_done is None else not_done)
    return {
        Status.NO_DEADLINE: no_deadline,
        Status.OVERDUE: still_open & Q(due__lt=today),
        Status.IN_PROGRESS: still_open & Q(due__gte=today) & started,
        Status.NOT_YET_DUE: still_open & Q(due__gte=today) & ~started,
        Status.DONE_ON_TIME: ~no_deadline & done_in_time,
        Status.DONE_LATE: ~no_deadline & done & ~done_in_time,
    }


def with_status(assignments: QuerySet[Assignment], *, today: date) -> QuerySet[Assignment]:
    """`assignments` annotated with `status` (a Status value) on `today`, by status.assignment_status's
    rule. The deadline is the assignment's own `due`: copied from the task
    when the directive is published, moved by an approved extension. Started once a report was sent by
    `today`; done on the day the first report the monitor confirmed by `today` was sent."""
    conditions = _progress(today)
    order = (
        Status.NO_DEADLINE,
        Status.DONE_ON_TIME,
        Status.DONE_LATE,
        Status.OVERDUE,
        Status.IN_PROGRESS,
    )
    return assignments.annotate(
        status=Case(
            *(When(conditions[status], then=Value(status.value)) for status in order),
            default=Value(Status.NOT_YET_DUE.value),
            output_field=CharField(),
        )
    )


def status_of_read(assignment: Assignment, *, today: date) -> Status:
    """The status on `today` of an assignment already read, from the same columns and in the same order as
    with_status: a list's page computes its rows' statuses without the expression in its query, which costs
    more to build than to run. tests/directives/test_status_expression.py holds it equal to the rule."""

    def by(day: date | None) -> bool:
        return day is not None and day <= today

    if assignment.without_end or assignment.due is None:
        return Status.NO_DEADLINE
    if by(assignment.done_in_time_from):
        return Status.DONE_ON_TIME
    if by(assignment.done_from):
        return Status.DONE_LATE
    if assignment.due < today:
        return Status.OVERDUE
    return Status.IN_PROGRESS if by(assignment.started_from) else Status.NOT_YET_DUE


def status_condition(statuses: Sequence[str], *, today: date) -> Q:
    """The assignments whose status on `today` is one of `statuses`, as comparisons of their columns. Unlike
    a filter on with_status's CASE, which the database computes for every row before it can keep any, a
    list ordered by the deadline walks the deadline's index and stops at the page's last row.
    tests/directives/test_status_expression.py holds it equal to the rule."""
    return _any_of(statuses, _progress(today))


def _any_of(statuses: Sequence[str], conditions: dict[Status, Q]) -> Q:
    first, *others = statuses
    chosen = conditions[Status(first)]
    for status in others:
        chosen |= conditions[Status(status)]
    return chosen


_OPEN = frozenset({Status.OVERDUE, Status.IN_PROGRESS, Status.NOT_YET_DUE})


def status_condition_parts(statuses: Sequence[str], *, today: date) -> list[Q]:
    """status_condition as conditions that exclude one another, each a range of the index on a province's
    assignments by the day they were done (assignment_region_done): the OR of never done and done after
    `today` in status_condition is no range of an index, so a count of a province's overdue assignments
    would read its done ones as well (10,000,000 assignments: some 100,000 index entries to count 10,000).
    Not done by `today` is in two parts: no report has made it done, or one made it done only after `today`
    (a day asked about in the past). tests/directives/test_status_expression.py holds the parts' union
    equal to the rule."""
    parts = [_any_of(statuses, _progress(today, not_done=Q(done_from__isnull=True)))]
    if still_open := [status for status in statuses if Status(status) in _OPEN]:
        parts.append(_any_of(still_open, _progress(today, not_done=Q(done_from__gt=today))))
    return parts


def status_counts(
    assignments: QuerySet[Assignment], *, today: date, by: Sequence[str] = (), status: str = ""
) -> list[tuple[Any, ...]]:
    """How many of `assignments` have each status on `today`, grouped by the fields or annotations `by` too:
    rows of the values of `by`, the status and the count (only `status`, when given), in one aggregate
    query that reads no report."""
    counted = with_status(assignments.order_by(), today=today)
    if status:
        counted = counted.filter(status_condition([status], today=today))
    return [
        tuple(row)
        for row in counted.values(*by, "status").annotate(n=Count("id")).values_list(*by, "status", "n")
    ]
