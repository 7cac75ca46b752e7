"""The status of an assignment as a database expression, so that a dashboard counts statuses in one aggregate
query (`with_status(...).values("status").annotate(n=Count("id"))`) instead of reading every assignment and
its reports. status.assignment_status stays the rule; this is the same rule in SQL, and
tests/directives/test_status_expression.py holds the two equal on every combination of their inputs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.directives.status import WITHOUT_END, Status


def with_status(assignments: QuerySet[Assignment], *, today: date) -> QuerySet[Assignment]:
    """`assignments` annotated with `status` (a Status value) on `today`, read as
    statuses.assignment_statuses reads it. The deadline is the assignment's own `due`: copied from the task
    when the directive is published, moved by an approved extension. Started once a report was sent by
    `today`; done on the day the first report the monitor confirmed by `today` was sent.

    The first confirmed report is read once, by a subquery that gives "done on time" or "done late" itself:
    named twice in the CASE, it would be run twice per assignment."""
    sent = ProgressReport.objects.filter(
        assignment_id=OuterRef("pk"),
        state__in=[ReportState.SENT, ReportState.CONFIRMED],
        sent_on__lte=today,
    )
    done = Subquery(
        sent.filter(state=ReportState.CONFIRMED, confirmed_on__lte=today)
        .order_by("sent_on")
        .annotate(
            done=Case(
                When(sent_on__lte=OuterRef("due"), then=Value(Status.DONE_ON_TIME.value)),
                default=Value(Status.DONE_LATE.value),
                output_field=CharField(),
            )
        )
        .values("done")[:1],
        output_field=CharField(),
    )
    open_status = Case(
        When(due__lt=Value(today), then=Value(Status.OVERDUE.value)),
        When(Exists(sent), then=Value(Status.IN_PROGRESS.value)),
        default=Value(Status.NOT_YET_DUE.value),
        output_field=CharField(),
    )
    return assignments.annotate(
        status=Case(
            When(
                Q(task__deadline_kind__in=[kind.value for kind in WITHOUT_END]) | Q(due__isnull=True),
                then=Value(Status.NO_DEADLINE.value),
            ),
            default=Coalesce(done, open_status),
            output_field=CharField(),
        )
    )


def status_condition(statuses: Sequence[str], *, today: date) -> Q:
    """The assignments whose status on `today` is one of `statuses`, as a condition on columns and on the
    existence of reports (the rule of with_status, written out status by status). Unlike a filter on
    with_status's CASE, which the database computes for every row before it can keep any, each part of this
    is a plain comparison or an EXISTS: a list ordered by the deadline walks the deadline's index and stops at
    the page's last row. tests/directives/test_status_expression.py holds it equal to the rule."""
    reports = ProgressReport.objects.filter(assignment_id=OuterRef("pk"), sent_on__lte=today)
    confirmed = reports.filter(state=ReportState.CONFIRMED, confirmed_on__lte=today)
    sent = Q(Exists(reports.filter(state__in=[ReportState.SENT, ReportState.CONFIRMED])))
    done = Q(Exists(confirmed))
    done_in_time = Q(Exists(confirmed.filter(sent_on__lte=OuterRef("due"))))
    no_deadline = Q(task__deadline_kind__in=[kind.value for kind in WITHOUT_END]) | Q(due__isnull=True)
    still_open = ~no_deadline & ~done
    conditions: dict[Status, Q] = {
        Status.NO_DEADLINE: no_deadline,
        Status.OVERDUE: still_open & Q(due__lt=today),
        Status.IN_PROGRESS: still_open & Q(due__gte=today) & sent,
        Status.NOT_YET_DUE: still_open & Q(due__gte=today) & ~sent,
        Status.DONE_ON_TIME: ~no_deadline & done_in_time,
        Status.DONE_LATE: ~no_deadline & done & ~done_in_time,
    }
    first, *others = statuses
    chosen = conditions[Status(first)]
    for status in others:
        chosen |= conditions[Status(status)]
    return chosen


def status_counts(
    assignments: QuerySet[Assignment], *, today: date, by: Sequence[str] = (), status: str = ""
) -> list[tuple[Any, ...]]:
    """How many of `assignments` have each status on `today`, grouped by the fields or annotations `by` too:
    rows of the values of `by`, the status and the count (only `status`, when given).

    The rule is with_status's. On PostgreSQL it is read through one join to the reports aggregated per
    assignment rather than a lookup per assignment, which PostgreSQL hashes: over a million assignments the
    lookups cost more than all the rest (BENCHMARKS.md, the follow-up). Django groups by the aggregate per
    assignment; the count over those groups is one plain outer query (the ORM cannot group the rows of an
    aggregate). SQLite, which joins by looking up an index, counts faster over with_status's lookups."""
    if connection.vendor != "postgresql":
        looked_up = with_status(assignments.order_by(), today=today)
        if status:
            looked_up = looked_up.filter(Q(status=status))
        return [
            tuple(row)
            for row in looked_up.values(*by, "status").annotate(n=Count("id")).values_list(*by, "status", "n")
        ]
    confirmed = Q(
        reports__state=ReportState.CONFIRMED, reports__confirmed_on__lte=today, reports__sent_on__lte=today
    )
    sent = Q(reports__state__in=[ReportState.SENT, ReportState.CONFIRMED], reports__sent_on__lte=today)
    per_assignment = (
        assignments.order_by()
        .annotate(_done_on=Min("reports__sent_on", filter=confirmed), _sent=Count("reports", filter=sent))
        .annotate(
            status=Case(
                When(
                    Q(task__deadline_kind__in=[kind.value for kind in WITHOUT_END]) | Q(due__isnull=True),
                    then=Value(Status.NO_DEADLINE.value),
                ),
                When(_done_on__lte=F("due"), then=Value(Status.DONE_ON_TIME.value)),
                When(_done_on__isnull=False, then=Value(Status.DONE_LATE.value)),
                When(due__lt=Value(today), then=Value(Status.OVERDUE.value)),
                When(_sent__gt=0, then=Value(Status.IN_PROGRESS.value)),
                default=Value(Status.NOT_YET_DUE.value),
                output_field=CharField(),
            )
        )
    )
    if status:
        per_assignment = per_assignment.filter(status=status)
    inner = per_assignment.values_list(*by, "status")
    sql, parameters = inner.query.sql_with_params()
    # the inner SELECT's columns named by position (a plain field has no alias of its own)
    columns = ", ".join(f"c{index}" for index in range(len(by) + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH counted ({columns}) AS ({sql}) SELECT {columns}, COUNT(*) FROM counted GROUP BY {columns}",
            parameters,
        )
        return [tuple(row) for row in cursor.fetchall()]
