"""Setting a directive's or a task's reporting schedule (dondoc.followup.models.periods)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from dondoc.directives.models import Directive, Task
from dondoc.followup.models.periods import ReportingSchedule
from dondoc.periods import SUBMISSION_DAYS, Frequency, NamedDate


class ScheduleError(Exception):
    """A reporting schedule refused; the message is for the user."""


def set_schedule(
    *,
    directive: Directive,
    task: Task | None = None,
    frequency: Frequency,
    named_dates: Sequence[NamedDate] = (),
    submission_days: int = SUBMISSION_DAYS,
) -> ReportingSchedule:
    """Give `directive` (or its `task`, which then no longer follows the directive's) a schedule, replacing
    the one it had. The named dates are (day, month) pairs in the order of the year."""
    with transaction.atomic():
        # the row of the directive, locked, so that two people setting its schedules take turns
        Directive.objects.select_for_update().filter(pk=directive.pk).first()
        schedule = ReportingSchedule.objects.filter(
            directive=directive, task=task
        ).first() or ReportingSchedule(directive=directive, task=task)
        schedule.frequency = frequency.value
        schedule.named_dates = [[day, month] for day, month in named_dates]
        schedule.submission_days = submission_days
        try:
            schedule.full_clean()
        except ValidationError as error:
            raise ScheduleError(" ".join(error.messages)) from error
        schedule.save()
    return schedule
