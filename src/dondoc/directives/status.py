"""The status of an assignment, computed the way Vietnamese task tracking counts it, never stored by hand."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.parsing.model import DeadlineKind

# Kinds with no end date: they are followed period by period instead ("không thời hạn")
# The database keeps Assignment.without_end by this set (migration 0023): a change to it needs a migration.
WITHOUT_END = frozenset(
    {
        DeadlineKind.ONGOING,
        DeadlineKind.ON_DEMAND,
        DeadlineKind.PER_ROADMAP,
        DeadlineKind.RECURRING,
        DeadlineKind.NONE,
        DeadlineKind.FROM_DATE,
    }
)


class Status(models.TextChoices):
    NOT_YET_DUE = "not_yet_due", _("not yet due")
    IN_PROGRESS = "in_progress", _("in progress within the deadline")
    OVERDUE = "overdue", _("overdue")
    DONE_ON_TIME = "done_on_time", _("done on time")
    DONE_LATE = "done_late", _("done late")
    NO_DEADLINE = "no_deadline", _("no deadline")


def assignment_status(
    *, deadline_kind: str, due: date | None, today: date, started: bool, done_on: date | None
) -> Status:
    """`started`: a progress report exists; `done_on`: the day completion was reported and then confirmed.

    A task with a due date is done on time when done on or before it; open past it, it is overdue. Tasks
    without an end (ongoing, on demand, per roadmap) count under "no deadline" whatever their reports say."""
    if DeadlineKind(deadline_kind) in WITHOUT_END or due is None:
        return Status.NO_DEADLINE
    if done_on is not None:
        return Status.DONE_ON_TIME if done_on <= due else Status.DONE_LATE
    if today > due:
        return Status.OVERDUE
    return Status.IN_PROGRESS if started else Status.NOT_YET_DUE
