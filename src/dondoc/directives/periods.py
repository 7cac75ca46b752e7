"""The reporting period of a task without an end date: what a report covers by default, and the one period a
report may cover.

Which schedule a task follows is the follow-up's business (dondoc.followup), which this app may not import:
the follow-up registers a source of periods when it is ready, as the apps register their menu items. Without
one, every task follows the quarters of Nghị định 09/2019/NĐ-CP (dondoc.periods)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from django.utils.translation import gettext as _

from dondoc.directives.models import Task
from dondoc.parsing.deadlines import parse_deadline
from dondoc.periods import DEFAULT_SCHEDULE, Frequency, ReportingPeriod, Schedule, schedule_from_recurrence

# the period covering a day for each of a set of tasks, given as task id → its directive's id (which callers
# read with the tasks, and a schedule may belong to), read at once for whole lists
PeriodSource = Callable[[Mapping[int, int], date], Mapping[int, ReportingPeriod]]


def _default_periods(directive_of: Mapping[int, int], on: date) -> Mapping[int, ReportingPeriod]:
    period = DEFAULT_SCHEDULE.period_on(on)
    return dict.fromkeys(directive_of, period)


# the default first; the last one registered is asked
_sources: list[PeriodSource] = [_default_periods]


def register_period_source(source: PeriodSource) -> None:
    """Let `source` say which period covers a day for each task."""
    if source not in _sources:
        _sources.append(source)


def periods_on(directive_of: Mapping[int, int], *, on: date) -> Mapping[int, ReportingPeriod]:
    """The period covering `on` for each task of `directive_of` (task id → its directive's id)."""
    return _sources[-1](directive_of, on) if directive_of else {}


def current_period(task: Task, *, on: date) -> ReportingPeriod:
    """The period covering `on` for `task`: what its report covers by default."""
    return periods_on({task.pk: task.directive_id}, on=on)[task.pk]


def period_problem(task: Task, *, start: date | None, end: date | None) -> str | None:
    """Why a report on `task` from `start` to `end` does not cover exactly one of its periods, or None."""
    if start is None or end is None:
        return None
    period = current_period(task, on=start)
    if (start, end) == (period.start, period.end):
        return None
    return _("A report covers exactly one reporting period: %(period)s runs from %(start)s to %(end)s.") % {
        "period": period_label(period),
        "start": _day(period.start),
        "end": _day(period.end),
    }


def proposed_schedule(task: Task) -> Schedule | None:
    """The schedule a task's deadline as printed names ("trước ngày 15/6 và 15/12 hằng năm", "báo cáo hằng
    quý"), read again by the parser, or None: it takes precedence over the decree's quarters, proposed in
    review and given to the task when the directive is published."""
    deadline = parse_deadline(task.deadline_text, issued_on=task.directive.issued_on)
    return schedule_from_recurrence(deadline.recurrence)


def schedule_label(schedule: Schedule) -> str:
    """ "every quarter", "on 15/6 and 15/12 every year"."""
    if schedule.frequency is Frequency.NAMED_DATES:
        days = [f"{day}/{month}" for day, month in schedule.named_dates]
        listed = (
            days[0]
            if len(days) == 1
            else _("%(days)s and %(last)s")
            % {
                "days": ", ".join(days[:-1]),
                "last": days[-1],
            }
        )
        return _("on %(days)s every year") % {"days": listed}
    return {
        Frequency.MONTH: _("every month"),
        Frequency.QUARTER: _("every quarter"),
        Frequency.HALF_YEAR: _("every half-year"),
        Frequency.YEAR: _("every year"),
    }[schedule.frequency]


def period_label(period: ReportingPeriod) -> str:
    """ "Q2/2024", "first half of 2024", "year 2024", "month 3/2024", "period ending 15/6/2024"."""
    values = {"number": period.number, "year": period.year}
    if period.frequency is Frequency.QUARTER:
        return _("Q%(quarter)d/%(year)d") % {"quarter": period.number, "year": period.year}
    if period.frequency is Frequency.HALF_YEAR:
        if period.number == 1:
            return _("first half of %(year)d") % values
        return _("second half of %(year)d") % values
    if period.frequency is Frequency.YEAR:
        return _("year %(year)d") % values
    if period.frequency is Frequency.MONTH:
        return _("month %(number)d/%(year)d") % values
    return _("period ending %(day)s") % {"day": _day(period.end)}


def _day(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"
