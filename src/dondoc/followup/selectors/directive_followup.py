"""A directive's follow-up by period: the directives app's task × body grid, and for each task without an end
date the standing of every body shown in its recent reporting periods (followup.selectors.periods: the reports
of those bodies that count for those periods, read in one query per task), so that
one page says who reported, who is late and who is not yet due, and leads to each assignment's reports.

The grid is the directive page's own (directives.selectors.task_body_grid, with its filters); the period cells
follow its rows, so a body the scope does not see, or that the filters leave out, has none."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from dondoc.directives.models import Assignment, Directive, Task
from dondoc.directives.selectors import TaskBodyGrid, reports_by_period, task_body_grid
from dondoc.followup.selectors.periods import Standing, first_reports, schedule_for, standing_in
from dondoc.periods import ReportingPeriod

# the current period and the three before it: a year of quarters
RECENT_PERIODS = 4


@dataclass(frozen=True, slots=True)
class PeriodCell:
    """One body's standing in one period of one task, and the day it sent its report for it."""

    assignment_id: int
    standing: Standing
    sent_on: date | None


@dataclass(frozen=True, slots=True)
class StandingCount:
    standing: Standing
    count: int


@dataclass(frozen=True, slots=True)
class PeriodColumn:
    """One period of one task without an end date, with how many of the bodies shown stand where in it."""

    task: Task
    period: ReportingPeriod
    current: bool  # the period covering today
    counts: list[StandingCount]  # every standing, in the order of the Standing enum, zeros included


@dataclass(frozen=True, slots=True)
class DirectiveFollowup:
    grid: TaskBodyGrid
    columns: list[PeriodColumn]  # task by task in the directive's order, each task's periods oldest first
    cells: list[list[PeriodCell | None]]  # one list per row of the grid, one cell per column


def directive_followup(
    *,
    directive: Directive,
    tasks: Sequence[Task],
    assignments: QuerySet[Assignment],
    today: date,
    status: str = "",
    body: str = "",
) -> DirectiveFollowup:
    """The grid of `tasks` (the directive's, in order) over the `assignments` the scope sees, filtered by
    status and body name as on the directive page, with the recent periods of every task without an end
    date. Three queries for the grid and two per such task (its schedule, its reports), whatever the number
    of bodies."""
    grid = task_body_grid(
        task_ids=[task.pk for task in tasks], assignments=assignments, today=today, status=status, body=body
    )
    columns: list[PeriodColumn] = []
    cells: list[list[PeriodCell | None]] = [[] for _row in grid.rows]
    for index, task in enumerate(tasks):
        if not reports_by_period(task.deadline_kind):
            continue
        shown = [row.cells[index] for row in grid.rows]
        periods = _recent_periods(task, issued_on=directive.issued_on, today=today)
        first_sent = first_reports(
            task, periods, on=today, assignment_ids=[cell.assignment_id for cell in shown if cell is not None]
        )
        for period in periods:
            counter: Counter[Standing] = Counter()
            for cell, row_cells in zip(shown, cells, strict=True):
                if cell is None:  # the body holds no assignment of the task
                    row_cells.append(None)
                    continue
                standing, sent_on = standing_in(
                    period, first_sent.get((cell.assignment_id, period)), on=today
                )
                row_cells.append(PeriodCell(cell.assignment_id, standing, sent_on))
                counter[standing] += 1
            columns.append(
                PeriodColumn(
                    task,
                    period,
                    current=period.covers(today),
                    counts=[StandingCount(each, counter[each]) for each in Standing],
                )
            )
    return DirectiveFollowup(grid, columns, cells)


def _recent_periods(task: Task, *, issued_on: date, today: date) -> list[ReportingPeriod]:
    """The task's last periods up to today, from its start (or the directive's issue)."""
    first = min(task.start or issued_on, today)
    return schedule_for(task).periods_between(first, today)[-RECENT_PERIODS:]
