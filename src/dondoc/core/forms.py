"""Form fields every app shares: a day, shown and typed as dd/mm/yyyy whatever the browser's language.

In core, the lowest app, so that any app's forms may use it; its texts are in core's own catalogue."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy

DAY_FORMAT = "%d/%m/%Y"
# day first, as Vietnamese write it; ISO too, so links and query strings with yyyy-mm-dd keep working.
# strptime's %d and %m take one or two digits, %Y exactly four: 04/17/2023 and 17/04/23 are refused.
DAY_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DayInput(forms.DateInput):
    """A text box, not `type="date"`: the browser's date picker follows the browser's language
    (mm/dd/yyyy)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "class": "day",
                "placeholder": gettext_lazy("dd/mm/yyyy"),
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 10,
                **(attrs or {}),
            },
            format=DAY_FORMAT,
        )


class DayField(forms.DateField):
    """A date typed as d/m/yyyy or dd/mm/yyyy (with /, - or .) or as yyyy-mm-dd, never month first."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": gettext_lazy("Enter a date as dd/mm/yyyy, e.g. 17/04/2023."),
    }
