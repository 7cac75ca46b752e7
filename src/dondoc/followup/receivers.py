"""The follow-up's answers to what the directives app tells it (directives/signals.py)."""

from __future__ import annotations

from typing import Any

from dondoc.directives.models import Directive
from dondoc.directives.periods import proposed_schedule
from dondoc.directives.selectors import reports_by_period
from dondoc.followup.services.periods import set_schedule


def schedule_as_the_directive_says(sender: Any, *, directive: Directive, **kwargs: Any) -> None:
    """A task without an end date whose deadline names its reporting dates ("trước ngày 15/6 và 15/12 hằng
    năm", "báo cáo hằng quý") is reported on those, not on the decree's default quarters: the schedule the
    review page proposed, given when the directive is published."""
    for task in directive.tasks.all():
        if not reports_by_period(task.deadline_kind):
            continue
        schedule = proposed_schedule(task)
        if schedule is not None:
            set_schedule(
                directive=directive, task=task, frequency=schedule.frequency, named_dates=schedule.named_dates
            )
