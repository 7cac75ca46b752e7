"""The apparatus as of a date: the tree of the jurisdiction's bodies on a chosen day, filtered by level, kind
and name, with what changed between that day and another. Read by every role but the auditor, each within its
territory (a unit's leader and reporter: their body's territory)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import READING_ROLES
from dondoc.core.forms import DayField
from dondoc.registry.apparatus_reads import apparatus as apparatus_of
from dondoc.registry.apparatus_reads import changes_between
from dondoc.registry.models import Level, OrganizationKind, ReorganizationKind
from dondoc.registry.rendering import apparatus_tree


def reads_registry(scope: Any) -> bool:
    """Who sees the registry's pages in the menu: every role that reads (the auditor reads the change log)."""
    return bool(scope.role in READING_ROLES)


class ApparatusForm(forms.Form):
    on = DayField(label=gettext_lazy("As of"), required=False)
    compare = DayField(label=gettext_lazy("Compare with"), required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"), choices=[("", gettext_lazy("any")), *Level.choices], required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("any")), *OrganizationKind.choices],
        required=False,
    )
    q = forms.CharField(label=gettext_lazy("Name of the body"), required=False, max_length=200)


# how the changes list names each kind of change
CHANGE_LABELS = {
    **dict(ReorganizationKind.choices),
    "created": pgettext_lazy("a body", "created"),
    "ended": gettext_lazy("ended"),
    "renamed": gettext_lazy("renamed"),
}


@role_required(*READING_ROLES)
def apparatus(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    territories = acting.territory_ids
    query = request.GET.copy()
    if not query.get("on"):  # the field shows the day the tree is of
        query["on"] = f"{clock.today():%d/%m/%Y}"
    form = ApparatusForm(query)
    filters = form.cleaned_data if form.is_valid() else {}
    on = filters.get("on") or clock.today()
    compare = filters.get("compare")
    found = apparatus_of(
        on=on,
        territory_ids=territories,
        level=filters.get("level", ""),
        kind=filters.get("kind", ""),
        search=filters.get("q", ""),
    )
    body_prefix = reverse("registry:body", args=[0]).removesuffix("0/")
    context = {
        "acting": acting,
        "form": form,
        "on": on,
        "compare": compare,
        "tree": apparatus_tree(found.roots, body_url=lambda body_id: f"{body_prefix}{body_id}/"),
        "counts": [(label, found.counts[value]) for value, label in Level.choices if found.counts[value]],
        "total": found.total,
        "changes": (
            [
                (change, CHANGE_LABELS[change.what])
                for change in changes_between(
                    start=on,
                    end=compare,
                    territory_ids=territories,
                    level=filters.get("level", ""),
                    kind=filters.get("kind", ""),
                    search=filters.get("q", ""),
                )
            ]
            if compare is not None
            else None
        ),
    }
    return render(request, "registry/apparatus.html", context)
