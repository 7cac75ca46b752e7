from datetime import date

import pytest

from dondoc.calendar import (
    add_months,
    add_working_days,
    end_of_half,
    end_of_month,
    end_of_quarter,
    end_of_year,
    holiday_name,
    is_working_day,
    quarter_of,
    start_of_half,
    start_of_quarter,
)


def test_weekdays_are_working_days():
    assert is_working_day(date(2024, 9, 18))  # a Wednesday


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2024, 9, 21))
    assert not is_working_day(date(2024, 9, 22))


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 1, 1),  # Tết Dương lịch
        date(2024, 2, 8),  # 29 Tết Giáp Thìn
        date(2024, 2, 14),  # mùng 5 Tết
        date(2024, 4, 18),  # Giỗ Tổ Hùng Vương
        date(2024, 4, 30),
        date(2024, 5, 1),
        date(2024, 9, 2),
        date(2024, 9, 3),
        date(2025, 1, 29),  # mùng 1 Tết Ất Tỵ
        date(2025, 1, 31),
    ],
)
def test_public_holidays_are_not_working_days(day):
    assert not is_working_day(day)


def test_lunar_tet_is_a_named_holiday():
    assert holiday_name(date(2024, 2, 10)) == "Lunar New Year"
    assert holiday_name(date(2024, 2, 15)) is None


def test_a_day_off_in_lieu_is_not_a_working_day():
    assert not is_working_day(date(2024, 4, 29))  # nghỉ bù, worked on Saturday 04/5/2024


def test_a_make_up_saturday_is_a_working_day():
    assert is_working_day(date(2024, 5, 4))


def test_working_days_are_counted_from_the_day_after():
    assert add_working_days(date(2024, 9, 18), 1) == date(2024, 9, 19)


def test_seven_working_days_after_a_wednesday_skip_one_weekend():
    assert add_working_days(date(2024, 9, 18), 7) == date(2024, 9, 27)


def test_working_days_skip_tet_2024():
    # Thứ Tư 07/02/2024; nghỉ Tết từ 08/02 đến 14/02/2024.
    assert add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert add_working_days(date(2024, 2, 5), 5) == date(2024, 2, 19)


def test_working_days_skip_tet_2025():
    # Thứ Sáu 24/01/2025; nghỉ Tết từ 25/01 đến 02/02/2025.
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert add_working_days(date(2025, 1, 20), 10) == date(2025, 2, 10)


def test_working_days_skip_the_national_day_holiday():
    assert add_working_days(date(2024, 8, 30), 1) == date(2024, 9, 4)


def test_working_days_cross_the_new_year():
    assert add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 2)


def test_zero_working_days_is_the_start_itself():
    assert add_working_days(date(2024, 9, 21), 0) == date(2024, 9, 21)


def test_negative_working_days_count_backwards():
    assert add_working_days(date(2024, 9, 27), -7) == date(2024, 9, 18)


def test_end_of_month_knows_leap_years():
    assert end_of_month(2024, 2) == date(2024, 2, 29)
    assert end_of_month(2023, 2) == date(2023, 2, 28)
    assert end_of_month(2023, 5) == date(2023, 5, 31)


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (1, date(2024, 1, 1), date(2024, 3, 31)),
        (3, date(2024, 7, 1), date(2024, 9, 30)),
        (4, date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarters(quarter, first, last):
    assert start_of_quarter(2024, quarter) == first
    assert end_of_quarter(2024, quarter) == last


def test_quarter_of_a_day():
    assert quarter_of(date(2024, 8, 15)) == 3


def test_halves_of_the_year():
    assert (start_of_half(2025, 1), end_of_half(2025, 1)) == (date(2025, 1, 1), date(2025, 6, 30))
    assert (start_of_half(2025, 2), end_of_half(2025, 2)) == (date(2025, 7, 1), date(2025, 12, 31))


def test_end_of_year():
    assert end_of_year(2025) == date(2025, 12, 31)


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError):
        end_of_quarter(2024, 5)


def test_adding_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
