"""Reporting schedules: how a directive's tasks without an end date are reported on, period by period.

A schedule belongs to a directive and holds for all its tasks, or to one of its tasks, whose schedule then
overrides the directive's. Without one, a task follows the quarters of Nghị định 09/2019/NĐ-CP
(dondoc.periods, which computes the periods)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.periods import SUBMISSION_DAYS, Frequency, NamedDate, Schedule, is_day_of_year


class FrequencyChoice(models.TextChoices):
    MONTH = Frequency.MONTH.value, _("every month")
    QUARTER = Frequency.QUARTER.value, _("every quarter")
    HALF_YEAR = Frequency.HALF_YEAR.value, _("every six months")
    YEAR = Frequency.YEAR.value, _("every year")
    NAMED_DATES = Frequency.NAMED_DATES.value, _("on the dates the directive names")


class ReportingSchedule(models.Model):
    """How often a directive's tasks (or one task) are reported on; for named dates, the (day, month) pairs in
    calendar order ("trước ngày 15/6 và 15/12 hằng năm": [[15, 6], [15, 12]])."""

    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("directive"),
        on_delete=models.CASCADE,
        related_name="reporting_schedules",
    )
    task = models.ForeignKey(
        "directives.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reporting_schedules",
        help_text=_("Empty: the schedule of every task of the directive that has none of its own."),
    )
    frequency = models.CharField(_("reported"), max_length=20, choices=FrequencyChoice.choices)
    named_dates = models.JSONField(_("named dates (day, month)"), default=list, blank=True)
    submission_days = models.PositiveSmallIntegerField(
        _("days from the cut-off to the deadline"), default=SUBMISSION_DAYS
    )

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["directive"], condition=models.Q(task__isnull=True), name="one_schedule_per_directive"
            ),
            models.UniqueConstraint(fields=["task"], name="one_schedule_per_task"),
        ]

    def __str__(self) -> str:
        return f"{self.task or self.directive}: {self.get_frequency_display()}"

    def validate_constraints(self, exclude: Any = None) -> None:
        # the constraints' own messages name no field; these say which schedule is already there
        self._refuse_a_second_schedule()
        super().validate_constraints(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if self.task is not None and self.directive_id and self.task.directive_id != self.directive_id:
            raise ValidationError({"task": _("This task belongs to another directive.")})
        if not self.frequency:
            return  # the field's own error says it is missing
        named = self.named_date_pairs()
        if self.frequency == Frequency.NAMED_DATES and not named:
            raise ValidationError({"named_dates": _("Name at least one date on which the report is due.")})
        if self.frequency != Frequency.NAMED_DATES and named:
            raise ValidationError({"named_dates": _("Only a schedule on named dates names dates.")})
        for day, month in named:
            if not is_day_of_year((day, month)):
                raise ValidationError(
                    {
                        "named_dates": _("%(day)d/%(month)d is not a day of the year.")
                        % {"day": day, "month": month}
                    }
                )
        seen: set[NamedDate] = set()
        for pair in named:
            if pair in seen:
                raise ValidationError(
                    {
                        "named_dates": _("%(day)d/%(month)d is named twice.")
                        % {"day": pair[0], "month": pair[1]}
                    }
                )
            seen.add(pair)
        in_year = [(month, day) for day, month in named]
        if in_year != sorted(in_year):
            raise ValidationError(
                {"named_dates": _("Name the dates in the order of the year, from January.")}
            )

    def named_date_pairs(self) -> list[NamedDate]:
        """The named dates as (day, month) pairs; refused unless a list of pairs of numbers."""
        value = self.named_dates or []
        if not isinstance(value, list) or not all(
            isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(n, int) for n in pair)
            for pair in value
        ):
            raise ValidationError({"named_dates": _("Give each date as a day and a month.")})
        return [(pair[0], pair[1]) for pair in value]

    def as_schedule(self) -> Schedule:
        return Schedule(Frequency(self.frequency), tuple(self.named_date_pairs()), self.submission_days)

    def _refuse_a_second_schedule(self) -> None:
        others = ReportingSchedule.objects.exclude(pk=self.pk)
        if self.task_id is not None and others.filter(task_id=self.task_id).exists():
            raise ValidationError(_("This task already has a reporting schedule; change that one."))
        if (
            self.task_id is None
            and self.directive_id is not None
            and others.filter(directive_id=self.directive_id, task__isnull=True).exists()
        ):
            raise ValidationError(_("This directive already has a reporting schedule; change that one."))
