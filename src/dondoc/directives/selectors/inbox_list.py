"""The inbox: the assignments a user sees, filtered and ordered problems first, and one page of them.

Everything is done by the database, so that a page costs the same whether the scope sees a hundred
assignments or millions: each segment is counted up to COUNTED rows in all (all at once when there are
fewer, else in parts an index range serves each: status_condition_parts), and a page is read
segment by segment (overdue, open, without a deadline, done), each segment one query filtered by status
(status_condition, the rule of directives/status.py as conditions an index can serve) and ordered by plain
columns with LIMIT and OFFSET.
Only the page's rows get their situation (latest report, the current period's report)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy

from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.directives.periods import periods_on
from dondoc.directives.selectors.status_expression import status_condition, status_condition_parts
from dondoc.directives.selectors.statuses import Situation, situations_of
from dondoc.directives.status import Status
from dondoc.periods import ReportingPeriod


@dataclass(frozen=True, slots=True)
class InboxFilters:
    directive_id: int | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    role: str | None = None
    organization_id: int | None = None


# problems first: overdue ones (the newest deadline first), open ones (the nearest deadline first), those
# without a deadline (no report for the current period first), done ones (the newest deadline first); the
# newest assignment first among equals
_SEGMENTS: tuple[tuple[Status, ...], ...] = (
    (Status.OVERDUE,),
    (Status.IN_PROGRESS, Status.NOT_YET_DUE),
    (Status.NO_DEADLINE,),
    (Status.DONE_LATE, Status.DONE_ON_TIME),
)
# every segment but the one without a deadline has a due date: plain orders, which the index on (due, id)
# serves walking backwards
_NEWEST_DEADLINE_FIRST = ("-due", "-id")
_ORDER: dict[Status, tuple[str | OrderBy, ...]] = {
    Status.OVERDUE: _NEWEST_DEADLINE_FIRST,
    Status.IN_PROGRESS: ("due", "-id"),
    Status.NOT_YET_DUE: ("due", "-id"),
    Status.DONE_LATE: _NEWEST_DEADLINE_FIRST,
    Status.DONE_ON_TIME: _NEWEST_DEADLINE_FIRST,
}


# how many rows a list counts before it says "more than": a count is as slow as the rows it counts, and nobody
# pages through ten thousand assignments rather than narrowing them with a filter
COUNTED = 10_000


@dataclass(frozen=True)
class Inbox:
    """The filtered assignments and the size of each segment of the order shown, counted up to COUNTED rows in
    all; `page` reads rows from a position in that order."""

    assignments: QuerySet[Assignment]  # filtered by the stored fields and the status asked for
    today: date
    drafts: bool
    segments: tuple[tuple[tuple[Status, ...], int], ...] = ()  # each segment's statuses and counted rows
    counted: int = COUNTED  # the most rows counted

    @property
    def total(self) -> int:
        """The rows counted: one more than `counted` means more than that."""
        return sum(size for _statuses, size in self.segments)

    @property
    def more_than_counted(self) -> bool:
        return self.total > self.counted

    def page(self, *, offset: int, limit: int) -> list[tuple[Assignment, Situation]]:
        """The rows from position `offset` (from 0), at most `limit` of them, each with its situation: one
        query per segment the page touches, and those of the situations."""
        rows: list[Assignment] = []
        periods: Mapping[int, ReportingPeriod] = {}  # the current period of tasks reported on by period
        start = 0
        for statuses, size in self.segments:
            end = start + size
            if size and offset < end and offset + limit > start:
                first = max(offset - start, 0)
                wanted = min(offset + limit, end) - start - first
                chosen = self.assignments.filter(status_condition(statuses, today=self.today))
                if statuses[0] == Status.NO_DEADLINE:
                    # ordered by each task's current period, which the situations then need too
                    periods = _current_periods(chosen, today=self.today)
                rows += list(self._segment(chosen, statuses, periods)[first : first + wanted])
            start = end
        situations = situations_of(rows, today=self.today, drafts=self.drafts, periods=periods)
        return [(row, situations[row.pk]) for row in rows]

    def _segment(
        self, chosen: QuerySet[Assignment], statuses: Sequence[Status], periods: Mapping[int, ReportingPeriod]
    ) -> QuerySet[Assignment]:
        """The segment's rows (`chosen`) in their order; the segment without a deadline ordered by whether
        each has reported on its task's current period (`periods`)."""
        order: tuple[str | OrderBy | Case, ...]
        if statuses[0] == Status.NO_DEADLINE:
            order = (_reported_for_current_period(periods, drafts=self.drafts), "-id")
        else:
            order = _ORDER[statuses[0]]
        return (
            chosen.order_by(*order)
            .select_related("task__directive", "organization")
            .defer(
                "task__directive__source_text",
                "task__directive__parsed",
                "task__directive__search_text",
                "task__search_text",
            )
        )


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
    """The assignments a user sees, filtered, each segment of the order counted (one query for all when they
    are at most COUNTED, else one each, up to COUNTED rows in all); the caller reads one page
    (`Inbox.page`). `drafts` False for those outside the body, who do not see a report before its leader
    sends it."""
    chosen = filter_assignments(assignments=assignments, filters=filters).order_by()
    kept_segments: list[tuple[Status, ...]] = [
        kept
        for statuses in _SEGMENTS
        if (kept := tuple(status for status in statuses if not filters.status or status == filters.status))
    ]
    limit = COUNTED + 1  # read when called, so that a test may count fewer
    segments = (
        _counted_at_once(chosen, kept_segments, today=today, limit=limit) if len(kept_segments) > 1 else None
    )
    if segments is None:
        segments, left = [], limit
        for segment in kept_segments:
            if not left:
                break
            size = 0
            for part in status_condition_parts(segment, today=today):
                if left:
                    counted = chosen.filter(part)[:left].count()
                    size, left = size + counted, left - counted
            segments.append((segment, size))
    return Inbox(assignments=chosen, today=today, drafts=drafts, segments=tuple(segments), counted=COUNTED)


def _counted_at_once(
    chosen: QuerySet[Assignment], segments: Sequence[tuple[Status, ...]], *, today: date, limit: int
) -> list[tuple[tuple[Status, ...], int]] | None:
    """Every segment's size in one query over the first `limit` assignments (a body's inbox: one query rather
    than one per segment), or None when there are `limit` or more: then which of them count depends on the
    segments' order, and each is counted in turn."""
    first = Assignment.objects.filter(pk__in=chosen.values("pk")[:limit])
    sizes = first.aggregate(
        total=Count("pk"),
        **{
            f"segment_{index}": Count("pk", filter=status_condition(statuses, today=today))
            for index, statuses in enumerate(segments)
        },
    )
    if sizes["total"] >= limit:
        return None
    return [(statuses, sizes[f"segment_{index}"]) for index, statuses in enumerate(segments)]


def _current_periods(assignments: QuerySet[Assignment], *, today: date) -> Mapping[int, ReportingPeriod]:
    """The current period of the tasks of `assignments` reported on by period. It depends on the task's
    schedule, which the follow-up keeps (directives.periods)."""
    followed_by_period = assignments.filter(without_end=True)
    directive_of = dict(followed_by_period.order_by().values_list("task_id", "task__directive_id").distinct())
    return periods_on(directive_of, on=today)


def _reported_for_current_period(periods: Mapping[int, ReportingPeriod], *, drafts: bool) -> Case:
    """1 when the assignment has a report about its task's current period (what its row shows), else 0: one
    condition per distinct period of `periods` (task id → its current period), of which there are a handful
    (the quarter, a few named dates) whatever the number of tasks."""
    tasks_by_period: dict[ReportingPeriod, list[int]] = defaultdict(list)
    for task_id, period in periods.items():
        tasks_by_period[period].append(task_id)
    reports = ProgressReport.objects.filter(assignment_id=OuterRef("pk"))
    if not drafts:
        reports = reports.exclude(state=ReportState.DRAFT)
    return Case(
        *(
            When(
                Q(task_id__in=sorted(ids))
                & Exists(
                    reports.filter(
                        Q(period_start__lte=period.end, period_end__gte=period.start)
                        | Q(period_start__isnull=True, sent_on__gte=period.start, sent_on__lte=period.end)
                    )
                ),
                then=Value(1),
            )
            for period, ids in tasks_by_period.items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
