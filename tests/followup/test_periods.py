"""Reporting periods in plain Python: the cut-offs of Nghị định 09/2019/NĐ-CP, Article 12, for each frequency,
across the turn of the year, on named dates, and in leap years."""

from datetime import date
from itertools import pairwise

import pytest

from dondoc.periods import (
    DEFAULT_SCHEDULE,
    SUBMISSION_DAYS,
    Frequency,
    ReportingPeriod,
    Schedule,
    schedule_from_recurrence,
)

MONTH = Schedule(Frequency.MONTH)
QUARTER = Schedule(Frequency.QUARTER)
HALF_YEAR = Schedule(Frequency.HALF_YEAR)
YEAR = Schedule(Frequency.YEAR)
JUNE_AND_DECEMBER = Schedule(Frequency.NAMED_DATES, ((15, 6), (15, 12)))


def bounds(period: ReportingPeriod) -> tuple[int, int, date, date]:
    return period.number, period.year, period.start, period.end


@pytest.mark.parametrize(
    ("schedule", "day", "expected"),
    [
        # a month: the 15th of the month before to the 14th
        (MONTH, date(2024, 3, 14), (3, 2024, date(2024, 2, 15), date(2024, 3, 14))),
        (MONTH, date(2024, 3, 15), (4, 2024, date(2024, 3, 15), date(2024, 4, 14))),
        (MONTH, date(2024, 1, 1), (1, 2024, date(2023, 12, 15), date(2024, 1, 14))),
        # a quarter: the 15th of the last month of the quarter before to the 14th of its own last month
        (QUARTER, date(2023, 5, 20), (2, 2023, date(2023, 3, 15), date(2023, 6, 14))),
        (QUARTER, date(2023, 6, 14), (2, 2023, date(2023, 3, 15), date(2023, 6, 14))),
        (QUARTER, date(2023, 6, 15), (3, 2023, date(2023, 6, 15), date(2023, 9, 14))),
        (QUARTER, date(2023, 12, 14), (4, 2023, date(2023, 9, 15), date(2023, 12, 14))),
        # after the cut-off of mid-December, a day belongs to the first quarter of the next year
        (QUARTER, date(2023, 12, 15), (1, 2024, date(2023, 12, 15), date(2024, 3, 14))),
        (QUARTER, date(2023, 12, 31), (1, 2024, date(2023, 12, 15), date(2024, 3, 14))),
        # six months: 15/12 of the year before to 14/6, then 15/6 to 14/12
        (HALF_YEAR, date(2024, 1, 10), (1, 2024, date(2023, 12, 15), date(2024, 6, 14))),
        (HALF_YEAR, date(2024, 6, 15), (2, 2024, date(2024, 6, 15), date(2024, 12, 14))),
        (HALF_YEAR, date(2024, 12, 20), (1, 2025, date(2024, 12, 15), date(2025, 6, 14))),
        # a year: 15/12 of the year before to 14/12
        (YEAR, date(2024, 7, 1), (1, 2024, date(2023, 12, 15), date(2024, 12, 14))),
        (YEAR, date(2024, 12, 15), (1, 2025, date(2024, 12, 15), date(2025, 12, 14))),
    ],
)
def test_the_cut_offs_of_decree_09(schedule, day, expected):
    period = schedule.period_on(day)
    assert bounds(period) == expected and period.covers(day)


def test_the_submission_deadline_follows_the_cut_off():
    period = QUARTER.period_on(date(2023, 5, 20))
    assert period.deadline == date(2023, 6, 14 + SUBMISSION_DAYS) == date(2023, 6, 20)
    assert Schedule(Frequency.QUARTER, submission_days=2).period_on(date(2023, 5, 20)).deadline == date(
        2023, 6, 16
    )


def test_the_default_is_the_quarter():
    assert DEFAULT_SCHEDULE == QUARTER


def test_a_leap_year_lengthens_the_periods_that_hold_february():
    assert MONTH.period_on(date(2024, 2, 29)).end == date(2024, 3, 14)
    assert (MONTH.period_on(date(2024, 3, 1)).end - MONTH.period_on(date(2024, 3, 1)).start).days == 28
    assert (MONTH.period_on(date(2023, 3, 1)).end - MONTH.period_on(date(2023, 3, 1)).start).days == 27
    assert (QUARTER.period_on(date(2024, 2, 29)).end - QUARTER.period_on(date(2024, 2, 29)).start).days == 90


@pytest.mark.parametrize("schedule", [MONTH, QUARTER, HALF_YEAR, YEAR, JUNE_AND_DECEMBER])
def test_the_periods_tile_the_years_without_gap_or_overlap(schedule):
    periods = schedule.periods_between(date(2023, 1, 1), date(2025, 12, 31))
    for before, after in pairwise(periods):
        assert (after.start - before.end).days == 1
    assert periods[0].covers(date(2023, 1, 1)) and periods[-1].covers(date(2025, 12, 31))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 1), (1, 2024, date(2023, 12, 16), date(2024, 6, 15))),
        (date(2024, 6, 15), (1, 2024, date(2023, 12, 16), date(2024, 6, 15))),
        (date(2024, 6, 16), (2, 2024, date(2024, 6, 16), date(2024, 12, 15))),
        (date(2024, 12, 16), (1, 2025, date(2024, 12, 16), date(2025, 6, 15))),
    ],
)
def test_named_dates_are_the_deadlines_and_a_period_starts_the_day_after_the_one_before(day, expected):
    period = JUNE_AND_DECEMBER.period_on(day)
    assert bounds(period) == expected and period.deadline == period.end


def test_a_single_named_date_makes_a_yearly_period():
    period = Schedule(Frequency.NAMED_DATES, ((31, 1),)).period_on(date(2024, 5, 1))
    assert bounds(period) == (1, 2025, date(2024, 2, 1), date(2025, 1, 31))


def test_29_february_falls_on_the_28th_outside_leap_years():
    leap_day = Schedule(Frequency.NAMED_DATES, ((29, 2), (31, 8)))
    assert leap_day.period_on(date(2024, 2, 1)).end == date(2024, 2, 29)
    assert leap_day.period_on(date(2023, 2, 1)).end == date(2023, 2, 28)
    assert leap_day.period_on(date(2023, 3, 1)).start == date(2023, 3, 1)


@pytest.mark.parametrize(
    "named_dates",
    [
        ((15, 12), (15, 6)),  # out of order
        ((15, 6), (15, 6)),  # twice
        ((31, 4),),  # no such day
        (),  # none
    ],
)
def test_named_dates_must_be_days_in_the_order_of_the_year(named_dates):
    with pytest.raises(ValueError):
        Schedule(Frequency.NAMED_DATES, named_dates)


def test_dates_go_only_with_the_named_dates_frequency():
    with pytest.raises(ValueError):
        Schedule(Frequency.QUARTER, ((15, 6),))


@pytest.mark.parametrize(
    ("recurrence", "expected"),
    [
        ("yearly: 06-15, 12-15", JUNE_AND_DECEMBER),
        ("yearly: 12-15, 06-15", JUNE_AND_DECEMBER),
        ("period: quarter", QUARTER),
        ("period: half-year", HALF_YEAR),
        ("period: year", YEAR),
        ("period: month", MONTH),
        ("monthly: 05", MONTH),
        ("yearly: 02-30", None),
        ("period: week", None),
        (None, None),
        ("", None),
    ],
)
def test_a_parsed_recurrence_proposes_a_schedule(recurrence, expected):
    assert schedule_from_recurrence(recurrence) == expected
