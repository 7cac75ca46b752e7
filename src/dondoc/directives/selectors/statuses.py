"""Where each assignment stands on a day: its status, its latest report and, for a task without an end date,
the current reporting period's report; read for whole lists at once, in one query (the statuses), two (the
situations) and those of the reporting schedules (directives.periods)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.directives.periods import period_label, periods_on
from dondoc.directives.selectors.status_expression import status_of_read, with_status
from dondoc.directives.status import WITHOUT_END, Status
from dondoc.parsing.model import DeadlineKind
from dondoc.periods import ReportingPeriod


def assignment_statuses(*, assignments: QuerySet[Assignment], today: date) -> dict[int, Status]:
    """Each assignment's status on `today`, in one query that reads no report (status_expression)."""
    annotated = with_status(assignments.order_by(), today=today)
    # "status" is with_status's annotation, which the stubs cannot see
    rows = annotated.values_list("id", "status")  # type: ignore[misc]
    return {assignment_id: Status(status) for assignment_id, status in rows}


def reports_by_period(deadline_kind: str) -> bool:
    """Tasks without an end (ongoing, on demand, per roadmap …) are reported on period by period."""
    return DeadlineKind(deadline_kind) in WITHOUT_END


# how far a period's report has come, to show the furthest one when there are several
_REPORT_RANK = {ReportState.RETURNED: 0, ReportState.DRAFT: 1, ReportState.SENT: 2, ReportState.CONFIRMED: 3}


@dataclass(frozen=True, slots=True)
class Situation:
    """What a list shows for one assignment: its computed status, the state of its latest report, and for a
    task without an end date the state of the current period's report (None: no report yet)."""

    status: Status
    last_report: str | None = None
    period: ReportingPeriod | None = None
    period_report: str | None = None

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def period_note(self) -> str:
        """ "no report yet for Q4/2026", "Q4/2026: sent" …; empty for a task with a deadline."""
        if self.period is None:
            return ""
        if self.period_report is None:
            return _("no report yet for %(period)s") % {"period": period_label(self.period)}
        return _("%(period)s: %(state)s") % {
            "period": period_label(self.period),
            "state": report_state_label(self.period_report),
        }

    @property
    def last_report_label(self) -> str:
        return report_state_label(self.last_report) if self.last_report else ""


def report_state_label(state: str) -> str:
    """A report's state in a word, for lists ("drafted", "sent" …)."""
    labels = {
        ReportState.DRAFT: _("drafted"),
        ReportState.SENT: _("sent"),
        ReportState.RETURNED: _("returned"),
        ReportState.CONFIRMED: _("confirmed"),
    }
    return labels.get(ReportState(state), state)


def assignment_situations(
    *, assignments: QuerySet[Assignment], today: date, drafts: bool = True
) -> dict[int, Situation]:
    """Each assignment's situation on `today`, in two queries whatever the number of assignments (the
    statuses with the assignments, then their reports) and those of the reporting periods; `drafts` False
    for those outside the body, who do not see a report before its leader sends it. The reports are selected
    by a subquery, not a list of ids, which for thousands of assignments costs more to build than to run."""
    rows = list(
        with_status(assignments.order_by(), today=today).values_list(  # type: ignore[misc]
            "id",
            "task__deadline_kind",
            "task_id",
            "task__directive_id",
            "status",  # "status": with_status's annotation
        )
    )
    reports = ProgressReport.objects.filter(assignment_id__in=assignments.values("id"))
    return _situations(rows, reports=reports, today=today, drafts=drafts, periods={})


def situations_of(
    assignments: Sequence[Assignment],
    *,
    today: date,
    drafts: bool = True,
    periods: Mapping[int, ReportingPeriod],
) -> dict[int, Situation]:
    """The situations of assignments already read with their task (a list's page): one query for their
    reports, and one for the periods of tasks `periods` (task id → its current period) does not hold."""
    rows = [
        (
            assignment.pk,
            assignment.task.deadline_kind,
            assignment.task_id,
            assignment.task.directive_id,
            status_of_read(assignment, today=today),
        )
        for assignment in assignments
    ]
    reports = ProgressReport.objects.filter(assignment_id__in=[row[0] for row in rows])
    return _situations(rows, reports=reports, today=today, drafts=drafts, periods=periods)


def _situations(
    rows: Sequence[tuple[int, str, int, int, str]],
    *,
    reports: QuerySet[ProgressReport],
    today: date,
    drafts: bool,
    periods: Mapping[int, ReportingPeriod],
) -> dict[int, Situation]:
    """The situations of `rows` (id, task's deadline kind, task id, its directive's id, status) from their
    `reports`, the current period of each task reported on by period read where `periods` lacks it."""
    if not rows:
        return {}
    by_period = {kind: reports_by_period(kind) for kind in {row[1] for row in rows}}
    unknown = {
        task_id: directive_id
        for _id, kind, task_id, directive_id, _status in rows
        if by_period[kind] and task_id not in periods
    }
    task_periods = {**periods, **periods_on(unknown, on=today)}
    period_of = {
        assignment_id: task_periods[task_id]
        for assignment_id, kind, task_id, _directive_id, _status in rows
        if by_period[kind]
    }
    last: dict[int, str] = {}
    in_period: dict[int, str] = {}
    if not drafts:
        reports = reports.exclude(state=ReportState.DRAFT)
    for assignment_id, state, start, end, sent_on in reports.order_by("id").values_list(
        "assignment_id", "state", "period_start", "period_end", "sent_on"
    ):
        last[assignment_id] = state
        # a report sent without a period counts for the period it was sent in
        period = period_of.get(assignment_id)
        if period is not None and _in_period(period, start, end, sent_on):
            known = in_period.get(assignment_id)
            if known is None or _REPORT_RANK[ReportState(state)] >= _REPORT_RANK[ReportState(known)]:
                in_period[assignment_id] = state
    return {
        assignment_id: Situation(
            status=Status(status),
            last_report=last.get(assignment_id),
            period=period_of.get(assignment_id),
            period_report=in_period.get(assignment_id),
        )
        for assignment_id, _kind, _task_id, _directive_id, status in rows
    }


def _in_period(period: ReportingPeriod, start: date | None, end: date | None, sent_on: date | None) -> bool:
    """Whether a report is about `period`: its days meet the period's, or, sent without a period, it was sent
    during it."""
    if start is not None and end is not None:
        return start <= period.end and end >= period.start
    return start is None and sent_on is not None and period.covers(sent_on)
