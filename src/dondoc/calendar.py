"""Vietnamese working days, public holidays and reporting periods.

The only module that knows the calendar. "Today" is always passed in, never read here.
"""

from __future__ import annotations

import calendar as _gregorian
from datetime import date, timedelta
from functools import lru_cache

import holidays

__all__ = [
    "add_months",
    "add_working_days",
    "end_of_half",
    "end_of_month",
    "end_of_quarter",
    "end_of_year",
    "holiday_name",
    "is_working_day",
    "quarter_of",
    "start_of_half",
    "start_of_quarter",
]


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Public holidays (with lunar Tết and days off in lieu) and make-up Saturdays of one year."""
    country = holidays.country_holidays("VN", years=year)
    days_off = {day: name for day, name in country.items() if day.year == year}
    make_up_days = frozenset(d for d in getattr(country, "weekend_workdays", ()) if d.year == year)
    return days_off, make_up_days


def holiday_name(d: date) -> str | None:
    """The public holiday falling on `d` ("Lunar New Year", …), or None."""
    return _year(d.year)[0].get(d)


def is_working_day(d: date) -> bool:
    """Monday to Friday, or a Saturday declared a make-up working day, and not a public holiday."""
    days_off, make_up_days = _year(d.year)
    if d in days_off:
        return False
    return d.weekday() < 5 or d in make_up_days


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start`, counting from the day after (n = 0 gives `start`)."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def add_months(start: date, n: int) -> date:
    """Same day n months later, clamped to the end of a shorter month (31/1 + 1 month → 28 or 29/2)."""
    index = start.year * 12 + start.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _gregorian.monthrange(year, month)[1]))


def end_of_month(year: int, month: int) -> date:
    return date(year, month, _gregorian.monthrange(year, month)[1])


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def start_of_quarter(year: int, quarter: int) -> date:
    _check_range("quarter", quarter, 4)
    return date(year, 3 * quarter - 2, 1)


def end_of_quarter(year: int, quarter: int) -> date:
    _check_range("quarter", quarter, 4)
    return end_of_month(year, 3 * quarter)


def start_of_half(year: int, half: int) -> date:
    _check_range("half", half, 2)
    return date(year, 1 if half == 1 else 7, 1)


def end_of_half(year: int, half: int) -> date:
    _check_range("half", half, 2)
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)


def end_of_year(year: int) -> date:
    return date(year, 12, 31)


def _check_range(name: str, value: int, last: int) -> None:
    if not 1 <= value <= last:
        raise ValueError(f"{name} must be between 1 and {last}, got {value}")
