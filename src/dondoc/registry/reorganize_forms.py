"""The forms of the reorganisation planner (views/reorganize.py): the kind, the original bodies, the effective
date and the decision, the absorbing body or the body that carries a dissolved body's open work, and up to
`NEW_BODY_ROWS` new bodies for a merger, a split or a renaming.

The bodies offered are those of the scope's territories; whether each exists on the effective date is the
plan's to say (`plan_reorganization`), with its own message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from dondoc.core.forms import DayField
from dondoc.registry.models import Jurisdiction, Level, Organization, OrganizationKind, ReorganizationKind

NEW_BODY_ROWS = 3  # a split into more is rare enough to be done in two steps
CREATING_KINDS = frozenset({ReorganizationKind.MERGE, ReorganizationKind.SPLIT, ReorganizationKind.RENAME})


def _numbered_new_body(row: int) -> str:
    return gettext_lazy("New body %(number)s") % {"number": row + 1}


class ReorganizeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of reorganisation"),
        choices=ReorganizationKind.choices,
        initial=ReorganizationKind.MERGE,
        widget=forms.RadioSelect,
    )
    originals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Original bodies"),
        queryset=Organization.objects.none(),
        error_messages={"required": gettext_lazy("Choose the bodies the reorganisation changes.")},
    )
    effective_on = DayField(label=gettext_lazy("Effective on"))
    decision = forms.CharField(
        label=gettext_lazy("Decision"),
        max_length=300,
        help_text=gettext_lazy("Its number and date, e.g. Nghị quyết số 1670/NQ-UBTVQH15 ngày 16/6/2025."),
        error_messages={"required": gettext_lazy("Give the number and date of the decision.")},
    )
    absorber = forms.ModelChoiceField(
        label=gettext_lazy("Absorbing body"), queryset=Organization.objects.none(), required=False
    )
    successor = forms.ModelChoiceField(
        label=gettext_lazy("Body that carries the open work"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("nobody: the open work stays with the ended bodies"),
    )
    work_to = forms.TypedChoiceField(
        label=gettext_lazy("New body that carries the open work"),
        coerce=int,
        choices=[(row, _numbered_new_body(row)) for row in range(NEW_BODY_ROWS)],
        initial=0,
        required=False,
        help_text=gettext_lazy("Every post goes to the first new body unless the plan sends it to another."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, bodies: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("originals", "absorber", "successor"):
            self.fields[name].queryset = bodies  # type: ignore[attr-defined]


class NewBodyForm(forms.Form):
    """A body the reorganisation creates; kind, level, parent and territory left blank are the originals'."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    code = forms.CharField(label=gettext_lazy("Code"), max_length=60)
    short_name = forms.CharField(label=gettext_lazy("Short name"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("as the original bodies")), *OrganizationKind.choices],
        required=False,
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=[("", gettext_lazy("as the original bodies")), *Level.choices],
        required=False,
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Parent body"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("as the original bodies"),
    )
    jurisdiction = forms.ModelChoiceField(
        label=gettext_lazy("Territory"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        empty_label=gettext_lazy("as the original bodies"),
    )

    def __init__(
        self, *args: Any, bodies: QuerySet[Organization], territories: QuerySet[Jurisdiction], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["jurisdiction"].queryset = territories  # type: ignore[attr-defined]


NewBodyFormSet = forms.formset_factory(NewBodyForm, extra=NEW_BODY_ROWS, max_num=NEW_BODY_ROWS)
