"""The day field every form shares: dd/mm/yyyy shown, day first or ISO taken, month first refused."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.utils import translation

from dondoc.core.forms import DayField


@pytest.mark.parametrize(
    "typed", ["17/04/2023", "17/4/2023", "17-04-2023", "17.4.2023", " 17/04/2023 ", "2023-04-17"]
)
def test_a_day_is_read_day_first_or_as_iso(typed):
    assert DayField().clean(typed) == date(2023, 4, 17)


@pytest.mark.parametrize(
    "typed", ["04/17/2023", "17/04/23", "31/02/2023", "17/04-2023", "2023/04/17", "hôm qua"]
)
def test_anything_else_is_refused_with_the_form_to_use(typed):
    with pytest.raises(forms.ValidationError) as refused:
        DayField().clean(typed)
    with translation.override("en"):  # the message is lazy: translated when read
        assert refused.value.messages == ["Enter a date as dd/mm/yyyy, e.g. 17/04/2023."]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_day_is_shown_day_first_in_either_language(language):
    with translation.override(language):
        assert DayField().widget.format_value(date(2023, 4, 7)) == "07/04/2023"
