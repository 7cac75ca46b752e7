"""What a scope sees of inspections, and the reads their pages share.

Monitors and readers see the inspections planned in their territory and below; a unit's users those that
covered their body; administrators and auditors every one. Only a monitor of that territory changes one."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope
from dondoc.directives.access import directives_for
from dondoc.directives.models import Directive, DirectiveState
from dondoc.followup.models.inspections import Finding, Inspection, Recommendation
from dondoc.registry.models import Organization


def inspections_for(scope: Scope) -> QuerySet[Inspection]:
    inspections = Inspection.objects.all()
    if scope.role in (Role.ADMINISTRATOR, Role.AUDITOR):
        return inspections
    if scope.is_unit and scope.organization_id is not None:
        return inspections.filter(organizations=scope.organization_id)
    if scope.follows_jurisdiction and scope.territory_ids:
        return inspections.filter(jurisdiction_id__in=scope.territory_ids)
    return inspections.none()


def inspections_of(organization: Organization) -> QuerySet[Inspection]:
    """The inspections that covered a body (within what a scope sees, when given `inspections_for(…)`)."""
    return Inspection.objects.filter(organizations=organization)


def access_inspection(scope: Scope, pk: int) -> Inspection:
    found = (
        inspections_for(scope).select_related("leader", "jurisdiction", "conclusion").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def can_plan_inspection(scope: Scope) -> bool:
    """A monitor plans the inspections of their territory; the conclusion is issued by their body."""
    return scope.role == Role.MONITOR


def can_change_inspection(scope: Scope, inspection: Inspection) -> bool:
    return can_plan_inspection(scope) and inspection.jurisdiction_id in (scope.territory_ids or ())


def bodies_to_inspect(scope: Scope, *, on: date) -> QuerySet[Organization]:
    """The bodies of the monitor's territory and below as they stand `on` a day, for the pickers."""
    return (
        Organization.objects.as_of(on)
        .filter(jurisdiction_id__in=scope.territory_ids or ())
        .select_related("jurisdiction")
        .order_by("jurisdiction__name", "name")
    )


def directives_to_inspect(scope: Scope) -> QuerySet[Directive]:
    return directives_for(scope).filter(state=DirectiveState.PUBLISHED).order_by("-issued_on", "-id")


def inspection_rows(
    inspections: QuerySet[Inspection], *, state: str = "", organization_id: int | None = None
) -> QuerySet[Inspection]:
    """The list: each inspection with the count of its bodies and findings, filtered by state and body."""
    if state:
        inspections = inspections.filter(state=state)
    if organization_id is not None:
        inspections = inspections.filter(organizations=organization_id)
    return inspections.annotate(
        body_count=Count("organizations", distinct=True), finding_count=Count("findings", distinct=True)
    ).select_related("conclusion")


def inspection_findings(inspection: Inspection) -> list[Finding]:
    """The findings with their recommendations, each recommendation's bodies and task loaded: three
    queries."""
    recommendations = Recommendation.objects.select_related("lead", "task").prefetch_related("coordinating")
    return list(
        inspection.findings.prefetch_related(
            Prefetch("recommendations", queryset=recommendations.order_by("id"))
        )
    )
