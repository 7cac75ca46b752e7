"""The overlaps and gaps page: the pairs of function items of two bodies found alike on a chosen day
(dd/mm/yyyy, today when none), side by side with the score and the shared terms, and the required functions
nobody holds, within the scope's territories.

Administrators, monitors and readers read it; administrators and monitors record a decision on a pair (a
real overlap to resolve, not an overlap, resolved by a decision) or reopen it. Units and the auditor are
refused."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES, Role
from dondoc.core.forms import DayField
from dondoc.registry.models import Function, OverlapDecision, OverlapOutcome
from dondoc.registry.overlap_reads import overlaps_page, within
from dondoc.registry.overlap_services import record_overlap_decision, reopen_overlap
from dondoc.registry.services import RegistryError

READERS = (Role.ADMINISTRATOR, Role.MONITOR, Role.READER)


class OnForm(forms.Form):
    on = DayField(label=gettext_lazy("On"), required=False)


class DecisionForm(forms.Form):
    first = forms.IntegerField(widget=forms.HiddenInput)
    second = forms.IntegerField(widget=forms.HiddenInput)
    on = DayField(required=False, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=OverlapOutcome.choices)
    number = forms.CharField(label=gettext_lazy("Decision number"), required=False, max_length=100)
    decided_on = DayField(label=gettext_lazy("Decision date"), required=False)
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@role_required(*READERS)
def overlaps(request: HttpRequest) -> HttpResponse:
    form = OnForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or clock.today()
    page = overlaps_page(on=on, territory_ids=scope(request).territory_ids)
    return render(
        request,
        "registry/overlaps.html",
        {
            "form": form,
            "on": on,
            "page": page,
            "decides": scope(request).manages,
            "outcomes": OverlapOutcome.choices,
        },
    )


@require_POST
@role_required(*MANAGING_ROLES)
def decide(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request,
                f"{label}: {' '.join(str(error) for error in errors)}"
                if label
                else " ".join(str(error) for error in errors),
            )
        return _back_to_page(form.cleaned_data.get("on"))
    data = form.cleaned_data
    first, second = _readable_function(request, data["first"]), _readable_function(request, data["second"])
    try:
        record_overlap_decision(
            first=first,
            second=second,
            decision=OverlapOutcome(data["decision"]),
            number=data["number"],
            decided_on=data["decided_on"],
            comment=data["comment"],
            by=request.user,  # type: ignore[arg-type]  # role_required lets signed-in users only
            today=clock.today(),
        )
    except RegistryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The decision on %(first)s and %(second)s is recorded.")
            % {"first": first.organization.name, "second": second.organization.name},
        )
    return _back_to_page(data.get("on"))


@require_POST
@role_required(*MANAGING_ROLES)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    decision = OverlapDecision.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404
    _readable_function(request, decision.first_id)
    reopen_overlap(decision=decision, by=request.user)  # type: ignore[arg-type]  # signed in, as above
    messages.success(request, _("The pair is reopened: it is proposed as new again."))
    on = OnForm(request.POST)
    return _back_to_page(on.cleaned_data.get("on") if on.is_valid() else None)


def _readable_function(request: HttpRequest, pk: int) -> Function:
    """The item, if its body lies in the scope's territories; outside them the scope may not decide on it."""
    function: Function | None = (
        Function.objects.select_related("organization__parent__parent").filter(pk=pk).first()
    )
    if function is None:
        raise Http404
    if not within(function, scope(request).territory_ids):
        raise PermissionDenied
    return function


def _back_to_page(on: date | None) -> HttpResponseRedirect:
    url = reverse("registry:overlaps")
    if on:
        url += "?" + urlencode({"on": f"{on:%d/%m/%Y}"})
    return HttpResponseRedirect(url)
