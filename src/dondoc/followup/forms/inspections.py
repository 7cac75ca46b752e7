"""The inspection pages' forms: the plan, a finding, a recommendation, the conclusion, the list's filter.

The bodies offered are those of the monitor's territory, the inspected ones first when a recommendation names
its bodies (it is mostly for them, but any body of the territory may lead or help); the services check the
rest and say what is wrong. The conclusion's choice names each recommendation with its lead body and deadline:
choosing which become tasks is choosing who must do what by when."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext, gettext_lazy

from dondoc.accounts.models import Role, User
from dondoc.core.forms import DayField
from dondoc.directives.models import Directive
from dondoc.followup.models.inspections import InspectionState, Recommendation
from dondoc.registry.models import Organization

# a recommendation's text is shown whole in the conclusion's choice up to this length, then cut after a word
RECOMMENDATION_SHOWN = 300


class _InspectedFirst(ModelChoiceIterator):  # type: ignore[type-arg]
    """The bodies in two groups, "Bodies inspected" then "Other bodies", when the field knows which bodies
    were inspected and some of them are offered; one list otherwise."""

    def __iter__(self) -> Iterator[Any]:
        field = self.field
        assert isinstance(field, BodyChoice)
        if field.empty_label is not None:
            yield ("", field.empty_label)
        bodies = list(self.queryset)
        inspected = [self.choice(body) for body in bodies if body.pk in field.inspected_ids]
        if not inspected:
            yield from (self.choice(body) for body in bodies)
            return
        yield (gettext("Bodies inspected"), inspected)
        if others := [self.choice(body) for body in bodies if body.pk not in field.inspected_ids]:
            yield (gettext("Other bodies"), others)


class BodyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A body, named with its territory (each district has its "Ban Tổ chức")."""

    iterator = _InspectedFirst
    inspected_ids: Collection[int] = ()

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.jurisdiction.name}" if obj.jurisdiction else str(obj.name)


class BodiesChoice(BodyChoice, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several bodies, named as BodyChoice names one."""


class PlanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Name of the inspection"), max_length=300)
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    team = forms.CharField(
        label=gettext_lazy("Team"),
        required=False,
        help_text=gettext_lazy("Its members and their posts, one a line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    leader = forms.ModelChoiceField(
        label=gettext_lazy("Team leader"), queryset=User.objects.none(), required=False
    )
    starts_on = DayField(label=gettext_lazy("From"))
    ends_on = DayField(label=gettext_lazy("To"))
    scope_text = forms.CharField(
        label=gettext_lazy("Scope and content"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    organizations = BodiesChoice(
        label=gettext_lazy("Bodies inspected"),
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "picker"}),
        error_messages={"required": gettext_lazy("Choose at least one body to inspect.")},
    )
    directives = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Directives covered"),
        queryset=Directive.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "picker"}),
    )

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[Organization],
        directives: QuerySet[Directive],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["directives"].queryset = directives  # type: ignore[attr-defined]
        # the team is led by a monitor: one of those who follow the inspection up in dondoc
        self.fields["leader"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__role=Role.MONITOR).distinct().order_by("last_name", "username")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext_lazy("The inspection ends before it starts."))
        return cleaned


class FindingForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Finding"), widget=forms.Textarea(attrs={"rows": 3}))


class RecommendationForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = BodyChoice(
        label=gettext_lazy("Lead body"),
        queryset=Organization.objects.none(),
        error_messages={"required": gettext_lazy("Choose the body that leads the recommendation.")},
    )
    coordinating = BodiesChoice(
        label=gettext_lazy("Coordinating bodies"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5, "class": "picker"}),
    )
    due = DayField(label=gettext_lazy("Deadline"))

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[Organization],
        inspected_ids: Collection[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead", "coordinating"):
            field = self.fields[name]
            assert isinstance(field, BodyChoice)
            field.queryset, field.inspected_ids = bodies, inspected_ids


def _shortened(text: str, limit: int) -> str:
    """`text` whole when it is at most `limit` characters long, else cut after its last word that fits."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut[:limit]).rstrip(",;:.") + "…"


class RecommendationChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Each recommendation by its text, lead body and deadline."""

    def label_from_instance(self, obj: Any) -> str:
        return gettext("%(text)s · lead: %(lead)s · deadline: %(due)s") % {
            "text": _shortened(obj.text, RECOMMENDATION_SHOWN),
            "lead": obj.lead.name,
            "due": f"{obj.due:%d/%m/%Y}",
        }


class ConclusionForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave it empty for the clerk to fill in."),
    )
    concluded_on = DayField(label=gettext_lazy("Concluded on"))
    recommendations = RecommendationChoices(
        label=gettext_lazy("Recommendations to follow up as tasks"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, recommendations: QuerySet[Recommendation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = recommendations.select_related(  # type: ignore[attr-defined]
            "lead"
        ).order_by("finding__position", "id")


class InspectionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("any")), *InspectionState.choices],
        required=False,
    )
    body = forms.IntegerField(widget=forms.HiddenInput, required=False)
