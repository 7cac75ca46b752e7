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


class SearchPicker(forms.Widget):
    """One choice among more than a list can hold (the directives or bodies of a whole country), found by
    typing: a search box that asks `search_url` for matches (htmx), which come back as radio buttons of the
    same name, beside "all" and the choice already made. Nothing is listed before the user types, so the
    page costs the same with ten choices or forty thousand. The search box belongs to no form (its `form`
    names none), so typing never applies the filters; picking a result does."""

    template_name = "core/widgets/search_picker.html"

    def __init__(
        self, *, search_url: Any, placeholder: Any = "", attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.placeholder = placeholder

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            search_url=str(self.search_url),
            placeholder=str(self.placeholder),
            selected=self._selected_label(value),
        )
        return context

    def _selected_label(self, value: Any) -> str | None:
        """The label of the choice made, looked up among the field's own choices (a ModelChoiceField sets
        them): one row by its key, never the whole list."""
        choices = getattr(self, "choices", None)
        if value in (None, "") or not str(value).isdecimal() or choices is None:
            return None
        chosen = choices.queryset.filter(pk=int(value)).first()
        return None if chosen is None else str(choices.field.label_from_instance(chosen))


class SearchPickerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField shown as a SearchPicker: its queryset is what may be chosen, asked for one row when
    a choice is checked, never listed whole."""

    def __init__(self, *, search_url: Any, placeholder: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(widget=SearchPicker(search_url=search_url, placeholder=placeholder), **kwargs)
