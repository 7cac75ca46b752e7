"""The status of an assignment as a database expression, so that a dashboard counts statuses in one aggregate
query (`with_status(...).values("status").annotate(n=Count("id"))`) instead of reading every assignment and
its reports. status.assignment_status stays the rule; this is the same rule in SQL, and
tests/directives/test_status_expression.py holds the two equal on every combination of their inputs."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Exists,
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
