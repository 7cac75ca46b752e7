"""The dashboards' filter: a reporting period (month, quarter, half-year or year, in the cut-offs of Nghị định
09/2019/NĐ-CP), a directive and a body among those the user sees, a level, a status. A value that is not
offered is a form error on the page, never a server error."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from dondoc.core.forms import SearchPickerField
from dondoc.directives.forms import BodyPickerField, DirectivePickerField
from dondoc.directives.models import Directive
from dondoc.directives.periods import period_label
from dondoc.directives.status import Status
from dondoc.followup.selectors.dashboard import DashboardFilters
from dondoc.periods import Frequency, ReportingPeriod, Schedule
from dondoc.registry.models import Level, Organization

# the fields that narrow a directive's bodies (DashboardFilters.narrows_bodies): passed on to the follow-up
# page, which chooses the late ones under them
NARROWING_FILTERS = ("period", "body", "level")
# the periods offered: from this many years back to the next year
YEARS_BACK = 3
# periods per year, for the frequencies a dashboard is filtered by
_PER_YEAR = {Frequency.YEAR: 1, Frequency.HALF_YEAR: 2, Frequency.QUARTER: 4, Frequency.MONTH: 12}


def period_code(period: ReportingPeriod) -> str:
    """How a period is written in the address: "quarter-2024-2", "half-year-2024-1", "month-2024-3" …"""
    return f"{period.frequency.value}-{period.year}-{period.number}"


def reporting_period(frequency: Frequency, year: int, number: int) -> ReportingPeriod:
    """Period `number` of `year` (quarter 2 of 2024 …): the one whose data cut-off falls in its last month."""
    last_month = number * 12 // _PER_YEAR[frequency]
    return Schedule(frequency).period_on(date(year, last_month, 1))


def period_from_code(code: str) -> ReportingPeriod:
    """The period `period_code` wrote; ValueError for a code it could not have written."""
    frequency, year, number = code.rsplit("-", 2)
    return reporting_period(Frequency(frequency), int(year), int(number))


def _period_choice(period: ReportingPeriod) -> tuple[str, str]:
    span = f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
    return period_code(period), f"{period_label(period)} ({span})"


def period_choices(today: date, *, months: bool = True) -> list[tuple[Any, Any]]:
    """The periods offered, newest first, grouped by frequency (months too unless `months` is False)."""
    years = range(today.year + 1, today.year - YEARS_BACK - 1, -1)
    groups = (
        (gettext_lazy("Years"), Frequency.YEAR),
        (gettext_lazy("Half-years"), Frequency.HALF_YEAR),
        (gettext_lazy("Quarters"), Frequency.QUARTER),
        *([(gettext_lazy("Months"), Frequency.MONTH)] if months else []),
    )
    return [
        (
            name,
            [
                _period_choice(reporting_period(frequency, year, number))
                for year in years
                for number in range(_PER_YEAR[frequency], 0, -1)
            ],
        )
        for name, frequency in groups
    ]


class DashboardForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Reporting period"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a reporting period from the list.")},
    )
    # found by typing (directives.forms): a province follows thousands of directives and bodies
    directive = DirectivePickerField(
        label=gettext_lazy("Directive followed"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the directives in the list.")},
    )
    body = BodyPickerField(
        label=gettext_lazy("Body assigned"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the bodies in the list.")},
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level of the body"),
        choices=[("", gettext_lazy("any level")), *Level.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the levels in the list.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status of the assignment"),
        choices=[("", gettext_lazy("any status")), *Status.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the statuses in the list.")},
    )

    def __init__(
        self,
        *args: Any,
        today: date,
        directives: QuerySet[Directive],
        bodies: QuerySet[Organization] | None,
        **kwargs: Any,
    ) -> None:
        """What may be picked: `directives`, `bodies` (None: no choice of body, a unit's users' or one body's
        page, nor of level)."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["period"].choices = [("", gettext_lazy("any period")), *period_choices(today)]
        fields["directive"].queryset = directives
        if bodies is None:
            del self.fields["body"], self.fields["level"]
        else:
            fields["body"].queryset = bodies

    def clean_period(self) -> ReportingPeriod | None:
        code: str = self.cleaned_data["period"]
        return period_from_code(code) if code else None

    def filters(self) -> DashboardFilters:
        data = self.cleaned_data
        return DashboardFilters(
            period=data.get("period"),
            directive_id=data["directive"].pk if data.get("directive") else None,
            organization_id=data["body"].pk if data.get("body") else None,
            level=data.get("level", ""),
            status=data.get("status", ""),
        )

    def chosen(self) -> list[tuple[str, str]]:
        """The filters chosen, as (label, value shown), for the page's summary and the exported workbook."""
        chosen = []
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, SearchPickerField):
                chosen.append((str(field.label), field.label_from_instance(value)))
                continue
            shown = dict(_flat(field.choices))  # type: ignore[attr-defined]
            key = period_code(value) if isinstance(value, ReportingPeriod) else str(value)
            chosen.append((str(field.label), str(shown.get(key, key))))
        return chosen


def _flat(choices: Any) -> list[tuple[str, Any]]:
    """Choices with their groups opened, keys as strings."""
    flat: list[tuple[str, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend((str(inner), shown) for inner, shown in label)
        else:
            flat.append((str(key), label))
    return flat
