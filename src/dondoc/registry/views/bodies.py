"""A body's page: what the registry knows of one body as of a date (names, functions, posts and holders,
deputies against their limit, staffing against the quota and the reduction roadmap, job positions, lineage,
open assignments from other apps through registry.hooks). Administrators, monitors and readers read the bodies
of their territories; a unit's leader and reporter read their own body; the auditor, whose work is the change
log, is refused."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import READING_ROLES
from dondoc.clock import today
from dondoc.core.forms import DayField
from dondoc.registry.body_reads import Roadmap, body_page
from dondoc.registry.hooks import open_assignments
from dondoc.registry.models import Organization
from dondoc.registry.roadmap_chart import roadmap_chart


class AsOfForm(forms.Form):
    on = DayField(label=gettext_lazy("As of"), required=False)


@role_required(*READING_ROLES)
def body(request: HttpRequest, pk: int) -> HttpResponse:
    found = _readable_body(request, pk)
    form = AsOfForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or today()
    page = body_page(body=found, on=on)
    return render(
        request,
        "registry/body.html",
        {
            "form": form,
            "page": page,
            "body": found,
            "on": on,
            "charts": [
                (roadmap, _chart(roadmap, number)) for number, roadmap in enumerate(page.staffing.roadmaps)
            ],
            "open_assignments": open_assignments(organization_id=found.id, on=on),
        },
    )


def _readable_body(request: HttpRequest, pk: int) -> Organization:
    """The body, if the scope reads it: a unit its own body only; the others the bodies of their territories
    (or under a body there), every body when they have no bound. Anything else is 404, as if absent."""
    request_scope = scope(request)
    if request_scope.is_unit and request_scope.organization_id != pk:
        raise Http404
    found: Organization | None = (
        Organization.objects.select_related("parent", "jurisdiction").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    territories = request_scope.territory_ids
    if request_scope.is_unit or territories is None:
        return found
    parent_territory = found.parent.jurisdiction_id if found.parent is not None else None
    if found.jurisdiction_id not in territories and parent_territory not in territories:
        raise Http404
    return found


def _chart(roadmap: Roadmap, number: int) -> str:
    years = [row.year for row in roadmap.years]
    markup = roadmap_chart(
        chart_id=f"roadmap-{number}",
        title=_("%(target)s: the roadmap") % {"target": roadmap.target.name},
        years=years,
        series=[
            (_("most allowed"), [row.limit for row in roadmap.years]),
            (_("quota"), [row.assigned for row in roadmap.years]),
            (_("staff"), [row.actual for row in roadmap.years]),
        ],
    )
    return mark_safe(markup)  # drawn by roadmap_chart, every text escaped there
