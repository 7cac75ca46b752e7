"""Reporting periods: which days a periodic report covers, when its data are cut off, and when it is due.

The defaults follow Nghị định 09/2019/NĐ-CP (the reporting regime of state administrative bodies), Article 12,
"thời gian chốt số liệu": a period runs from the 15th of the month before it to the 14th of its last month.

- month n: 15 of month n-1 to 14 of month n;
- quarter n: 15 of the last month of the quarter before to 14 of the quarter's last month (Q1: 15/12 of the
  year before to 14/3);
- half-year: 15/12 of the year before to 14/6 (the second half, which the decree leaves to the yearly report,
  runs on from 15/6 to 14/12 so that the periods tile the year);
- year: 15/12 of the year before to 14/12.

A day after the 14th of December therefore belongs to the next year's first period. A directive may name its
own dates instead ("trước ngày 15/6 và 15/12 hằng năm"): each named date is then both the period's last day
and its deadline, and the period starts the day after the date named before it.

Language-neutral: a period is a kind, a number and a year; the pages word it (dondoc.directives.periods)."""

from __future__ import annotations

import calendar as _gregorian
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "DEFAULT_SCHEDULE",
    "SUBMISSION_DAYS",
    "Frequency",
    "NamedDate",
    "ReportingPeriod",
    "Schedule",
    "is_day_of_year",
    "schedule_from_recurrence",
]

# Days from a period's cut-off to its submission deadline. The decree lets each reporting regime set its own
# deadline; 6 days after the cut-off on the 14th is the 20th of the period's last month, the latest day on
# which ministries and provinces send their periodic reports to the Government.
SUBMISSION_DAYS = 6

# the first day of a period, in the month before it (Article 12 of Nghị định 09/2019/NĐ-CP)
_CUT_OFF_START_DAY = 15

# a named date as (day, month), the order people write it in ("15/6")
NamedDate = tuple[int, int]


class Frequency(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half-year"
    YEAR = "year"
    NAMED_DATES = "named-dates"


# months per period, for the frequencies the decree fixes
_MONTHS = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.HALF_YEAR: 6, Frequency.YEAR: 12}


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    """One period: its `number` within `year` (month 1-12, quarter 1-4, half 1-2, year 1, or the index of
    the named date), the days it covers (`end` is the data cut-off, inclusive) and its submission deadline."""

    frequency: Frequency
    number: int
    year: int
    start: date
    end: date
    deadline: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def is_day_of_year(named: NamedDate) -> bool:
    """Whether (day, month) is a day of some year: 29/2 is, and falls on 28/2 in the years without it."""
    day, month = named
    return 1 <= month <= 12 and 1 <= day <= _gregorian.monthrange(2024, month)[1]


def _named_date_in(year: int, named: NamedDate) -> date:
    day, month = named
    return date(year, month, min(day, _gregorian.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Schedule:
    """How a task is reported on: a frequency of Nghị định 09/2019/NĐ-CP, or the dates a directive names
    (`named_dates`, in calendar order, each at most once)."""

    frequency: Frequency
    named_dates: tuple[NamedDate, ...] = ()
    submission_days: int = SUBMISSION_DAYS

    def __post_init__(self) -> None:
        if (self.frequency is Frequency.NAMED_DATES) != bool(self.named_dates):
            raise ValueError("named dates go with, and only with, the named-dates frequency")
        if not all(is_day_of_year(named) for named in self.named_dates):
            raise ValueError(f"not a day of the year: {self.named_dates}")
        in_order = [(month, day) for day, month in self.named_dates]
        if in_order != sorted(set(in_order)):
            raise ValueError(f"named dates must be in calendar order, each once: {self.named_dates}")
        if self.submission_days < 0:
            raise ValueError("the submission deadline cannot come before the cut-off")

    def period_on(self, day: date) -> ReportingPeriod:
        """The period that covers `day`."""
        if self.frequency is Frequency.NAMED_DATES:
            return self._named_period_on(day)
        months = _MONTHS[self.frequency]
        # the period is named after the month of its cut-off: a day from the 15th on belongs to the next month
        month_index = day.year * 12 + day.month - 1 + (1 if day.day >= _CUT_OFF_START_DAY else 0)
        year, month_of_year = divmod(month_index, 12)
        number = month_of_year // months + 1
        return self._fixed_period(year, number)

    def periods_between(self, first: date, last: date) -> list[ReportingPeriod]:
        """The periods that cover any day from `first` to `last`, in order."""
        found = []
        period = self.period_on(first)
        while period.start <= last:
            found.append(period)
            period = self.period_on(period.end + timedelta(days=1))
        return found

    def _fixed_period(self, year: int, number: int) -> ReportingPeriod:
        months = _MONTHS[self.frequency]
        last_month = number * months
        start_year, start_month = divmod(year * 12 + last_month - months - 1, 12)
        end = date(year, last_month, _CUT_OFF_START_DAY - 1)
        return ReportingPeriod(
            frequency=self.frequency,
            number=number,
            year=year,
            start=date(start_year, start_month + 1, _CUT_OFF_START_DAY),
            end=end,
            deadline=end + timedelta(days=self.submission_days),
        )

    def _named_period_on(self, day: date) -> ReportingPeriod:
        for number, named in enumerate(self.named_dates, start=1):
            end = _named_date_in(day.year, named)
            if day <= end:
                return self._named_period(day.year, number, end)
        # after the year's last named date: the first period of the next year
        return self._named_period(day.year + 1, 1, _named_date_in(day.year + 1, self.named_dates[0]))

    def _named_period(self, year: int, number: int, end: date) -> ReportingPeriod:
        previous_year, previous = (year, number - 2) if number > 1 else (year - 1, len(self.named_dates) - 1)
        start = _named_date_in(previous_year, self.named_dates[previous]) + timedelta(days=1)
        return ReportingPeriod(Frequency.NAMED_DATES, number, year, start, end, deadline=end)


DEFAULT_SCHEDULE = Schedule(Frequency.QUARTER)

_PERIOD_RECURRENCE = {
    "month": Frequency.MONTH,
    "quarter": Frequency.QUARTER,
    "half-year": Frequency.HALF_YEAR,
    "year": Frequency.YEAR,
}
_YEARLY_DATE = re.compile(r"(\d{2})-(\d{2})")


def schedule_from_recurrence(recurrence: str | None) -> Schedule | None:
    """The schedule a parsed deadline's `recurrence` describes ("yearly: 06-15, 12-15", "period: quarter",
    "monthly: 05"), or None when it describes none. A monthly deadline on a given day is proposed as the
    decree's month: its cut-off days are those of every monthly report."""
    if not recurrence:
        return None
    kind, _sep, value = recurrence.partition(":")
    value = value.strip()
    if kind == "yearly":
        named = _named_dates(value)
        try:
            return Schedule(Frequency.NAMED_DATES, tuple(sorted(set(named), key=lambda d: (d[1], d[0]))))
        except ValueError:
            return None
    if kind == "monthly":
        return Schedule(Frequency.MONTH)
    if kind == "period" and value in _PERIOD_RECURRENCE:
        return Schedule(_PERIOD_RECURRENCE[value])
    return None


def _named_dates(value: str) -> Sequence[NamedDate]:
    return [(int(day), int(month)) for month, day in _YEARLY_DATE.findall(value)]
