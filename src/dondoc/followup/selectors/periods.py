"""Reporting periods read from the schedules: which schedule a task follows, the period covering a day for a
whole list of tasks (the source the directives app asks, registered when the follow-up is ready), and where
each body stands in each open period of a task. The schedule a directive's own words propose is read by
directives.periods.proposed_schedule and given at publication (followup/receivers.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Q

from dondoc.directives.models import Assignment, ProgressReport, ReportState, Task
from dondoc.followup.models.periods import ReportingSchedule
from dondoc.periods import DEFAULT_SCHEDULE, ReportingPeriod, Schedule


def schedule_for(task: Task) -> Schedule:
    """The schedule `task` follows: its own, else its directive's, else the quarters of Nghị định 09."""
    return _schedules({task.pk: task.directive_id})[task.pk]


def periods_on(task_ids: Collection[int], on: date) -> dict[int, ReportingPeriod]:
    """The period covering `on` for each task of `task_ids`, in two queries (the tasks' directives, then the
    schedules)."""
    return periods_of_tasks(dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "directive_id")), on)


def periods_of_tasks(directive_of: Mapping[int, int], on: date) -> dict[int, ReportingPeriod]:
    """The period covering `on` for each task of `directive_of` (task id → its directive's id), in one query:
    the source of periods the directives app asks (directives.periods.register_period_source)."""
    return {task_id: schedule.period_on(on) for task_id, schedule in _schedules(directive_of).items()}


def _schedules(directive_of: Mapping[int, int]) -> dict[int, Schedule]:
    """Each task's schedule, given its directive: a task's own schedule overrides its directive's."""
    rows = ReportingSchedule.objects.filter(
        Q(task_id__in=directive_of) | Q(task__isnull=True, directive_id__in=set(directive_of.values()))
    )
    own = {row.task_id: row.as_schedule() for row in rows if row.task_id is not None}
    of_directive = {row.directive_id: row.as_schedule() for row in rows if row.task_id is None}
    return {
        task_id: own.get(task_id) or of_directive.get(directive_id, DEFAULT_SCHEDULE)
        for task_id, directive_id in directive_of.items()
    }


class Standing(StrEnum):
    """Where a body stands in one period."""

    REPORTED_ON_TIME = "reported_on_time"
    REPORTED_LATE = "reported_late"
    LATE = "late"  # no report and the deadline has passed
    NOT_YET_DUE = "not_yet_due"


@dataclass(frozen=True, slots=True)
class BodyStanding:
    assignment: Assignment
    standing: Standing
    sent_on: date | None = None


@dataclass(frozen=True, slots=True)
class PeriodStanding:
    """One period of a task and every assigned body's standing in it."""

    period: ReportingPeriod
    bodies: list[BodyStanding]

    def having(self, *standings: Standing) -> list[Assignment]:
        return [body.assignment for body in self.bodies if body.standing in standings]

    @property
    def reported(self) -> list[Assignment]:
        return self.having(Standing.REPORTED_ON_TIME, Standing.REPORTED_LATE)

    @property
    def late(self) -> list[Assignment]:
        return self.having(Standing.LATE)

    @property
    def not_yet_due(self) -> list[Assignment]:
        return self.having(Standing.NOT_YET_DUE)


def period_standings(task: Task, *, on: date, since: date | None = None) -> list[PeriodStanding]:
    """Every period of `task` open on `on` (begun, from the one covering `since`, by default the task's start
    or its directive's issue date) and where each assigned body stands in it, in four queries. A body has
    reported for a period when a report on exactly that period (or, without a period, sent during it) was
    sent by `on`; drafts and returned reports do not count."""
    first = since or task.start or task.directive.issued_on
    periods = schedule_for(task).periods_between(min(first, on), on)
    assignments = list(task.assignments.select_related("organization").order_by("organization__name"))
    first_sent = first_reports(task, periods, on=on)
    return [
        PeriodStanding(
            period,
            [
                BodyStanding(assignment, *standing_in(period, first_sent.get((assignment.pk, period)), on=on))
                for assignment in assignments
            ],
        )
        for period in periods
    ]


def first_reports(
    task: Task,
    periods: Sequence[ReportingPeriod],
    *,
    on: date,
    assignment_ids: Collection[int] | None = None,
) -> dict[tuple[int, ReportingPeriod], date]:
    """The day each assignment of `task` (of `assignment_ids`, when given) first sent a report counting for
    each of `periods` (in order), by `on`. Only the reports that may count are read: on one of those periods
    or sent since the first began, not the task's whole history (a directive's eight tasks followed by
    quarter over 1,830 bodies: 2.2 s, reading every report they ever sent)."""
    if not periods:
        return {}
    begun = periods[0].start
    sent = ProgressReport.objects.filter(
        Q(period_start__gte=begun) | Q(period_start__isnull=True, sent_on__gte=begun),
        assignment__task=task,
        state__in=(ReportState.SENT, ReportState.CONFIRMED),
        sent_on__lte=on,
    )
    if assignment_ids is not None:
        sent = sent.filter(assignment_id__in=assignment_ids)
    first_sent: dict[tuple[int, ReportingPeriod], date] = {}
    rows = sent.order_by("sent_on", "id").values_list(
        "assignment_id", "period_start", "period_end", "sent_on"
    )
    for assignment_id, start, end, sent_on in rows:
        if sent_on is None:  # a sent report has its day; the database does not say so
            continue
        for period in periods:
            if (start, end) == (period.start, period.end) or (start is None and period.covers(sent_on)):
                first_sent.setdefault((assignment_id, period), sent_on)
    return first_sent


def standing_in(period: ReportingPeriod, sent_on: date | None, *, on: date) -> tuple[Standing, date | None]:
    """Where a body stands in `period` on `on`, given the day it first sent a report counting for it."""
    if sent_on is not None:
        return (Standing.REPORTED_ON_TIME if sent_on <= period.deadline else Standing.REPORTED_LATE), sent_on
    return (Standing.LATE if on > period.deadline else Standing.NOT_YET_DUE), None
