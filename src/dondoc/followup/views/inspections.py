"""The inspection pages: the list (by state, or of one body: `?body=`), planning, an inspection's page with
its findings and recommendations, and its conclusion, published as a directive whose tasks are followed up on
the directive pages.

Every page starts from the request's scope (followup.selectors.inspections): an inspection it does not see is
not found (404); a change by anyone but a monitor of its territory is forbidden (403)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import Role, User
from dondoc.accounts.scope import Scope
from dondoc.core.pagination import paginate
from dondoc.followup.forms.inspections import (
    ConclusionForm,
    FindingForm,
    InspectionFilterForm,
    PlanForm,
    RecommendationForm,
)
from dondoc.followup.models.inspections import Finding, Inspection, InspectionState, Recommendation
from dondoc.followup.selectors.inspections import (
    access_inspection,
    bodies_to_inspect,
    can_change_inspection,
    can_plan_inspection,
    directives_to_inspect,
    inspection_findings,
    inspection_rows,
    inspections_for,
)
from dondoc.followup.services import inspections as services
from dondoc.registry.models import Organization

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _changeable(request: HttpRequest, pk: int) -> Inspection:
    """An inspection the scope sees (else 404) and may change (else 403)."""
    acting = scope(request)
    inspection = access_inspection(acting, pk)
    if not can_change_inspection(acting, inspection):
        raise PermissionDenied
    return inspection


# --- the list ---


@role_required()
def inspections(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    form = InspectionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    body_id = filters.get("body")
    rows = inspection_rows(inspections_for(acting), state=filters.get("state", ""), organization_id=body_id)
    page = paginate(request, list(rows), per_page=PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "total": page.paginator.count,
        "body": Organization.objects.filter(pk=body_id).first() if body_id is not None else None,
        "may_plan": can_plan_inspection(acting),
    }
    return render(request, "followup/inspection_list.html", context)


# --- the plan ---


def _plan_form(acting: Scope, data: Any = None, *, initial: dict[str, Any] | None = None) -> PlanForm:
    return PlanForm(
        data,
        initial=initial,
        bodies=bodies_to_inspect(acting, on=clock.today()),
        directives=directives_to_inspect(acting),
    )


def _plan(form: PlanForm) -> services.InspectionPlan:
    data = form.cleaned_data
    return services.InspectionPlan(
        title=data["title"],
        legal_basis=data["legal_basis"],
        team=data["team"],
        leader=data["leader"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        scope_text=data["scope_text"],
        organizations=list(data["organizations"]),
        directives=list(data["directives"]),
    )


@role_required(Role.MONITOR)
def plan_inspection(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    form = _plan_form(acting, request.POST or None, initial={"leader": acting.user_id})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.plan_inspection(
                plan=_plan(form), jurisdiction=acting.membership.jurisdiction, by=_user(request)
            )
        except services.InspectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The inspection is planned."))
            return redirect(inspection)
    status = 400 if form.is_bound else 200
    return render(request, "followup/inspection_plan.html", {"form": form, "inspection": None}, status=status)


@role_required()
def update_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    initial = {
        "title": inspection.title,
        "legal_basis": inspection.legal_basis,
        "team": inspection.team,
        "leader": inspection.leader_id,
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "scope_text": inspection.scope_text,
        "organizations": list(inspection.organizations.values_list("pk", flat=True)),
        "directives": list(inspection.directives.values_list("pk", flat=True)),
    }
    form = _plan_form(scope(request), request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_inspection(inspection=inspection, plan=_plan(form))
        except services.InspectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The inspection's plan is saved."))
            return redirect(inspection)
    status = 400 if form.is_bound else 200
    context = {"form": form, "inspection": inspection}
    return render(request, "followup/inspection_plan.html", context, status=status)


# --- an inspection's page and its actions ---


def _open_recommendations(inspection: Inspection) -> QuerySet[Recommendation]:
    """The recommendations not yet a task: those the conclusion may turn into tasks."""
    return Recommendation.objects.filter(finding__inspection=inspection, task__isnull=True)


def _inspection_page(
    request: HttpRequest,
    inspection: Inspection,
    *,
    bound: tuple[str, int, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    acting = scope(request)
    may_change = can_change_inspection(acting, inspection) and inspection.state != InspectionState.CONCLUDED
    findings = inspection_findings(inspection)
    organizations = list(inspection.organizations.select_related("jurisdiction").order_by("name"))
    bodies = bodies_to_inspect(acting, on=clock.today())
    inspected_ids = {organization.pk for organization in organizations}
    finding_form: forms.Form | None = FindingForm() if may_change else None
    recommendation_forms: dict[int, forms.Form] = (
        {
            finding.pk: RecommendationForm(
                bodies=bodies, inspected_ids=inspected_ids, prefix=f"finding-{finding.pk}"
            )
            for finding in findings
        }
        if may_change
        else {}
    )
    to_choose = list(_open_recommendations(inspection)) if may_change else []
    conclusion_form: forms.Form | None = (
        ConclusionForm(
            recommendations=_open_recommendations(inspection),
            initial={"concluded_on": clock.today(), "recommendations": to_choose},
        )
        if may_change
        else None
    )
    if bound is not None:
        kind, pk, form = bound
        if kind == "finding":
            finding_form = form
        elif kind == "recommendation":
            recommendation_forms[pk] = form
        else:
            conclusion_form = form
    context = {
        "inspection": inspection,
        "organizations": organizations,
        "directives": list(inspection.directives.order_by("-issued_on")),
        "findings": [(finding, recommendation_forms.get(finding.pk)) for finding in findings],
        "may_change": may_change,
        "finding_form": finding_form,
        "conclusion_form": conclusion_form,
        # none recorded yet: the conclusion form says where they come from instead of an empty choice
        "recommendations_to_choose": bool(to_choose),
    }
    return render(request, "followup/inspection_detail.html", context, status=status)


@role_required()
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    return _inspection_page(request, access_inspection(scope(request), pk))


@role_required()
def concluded_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection a published conclusion (directive `pk`) came from: its tasks link back to it."""
    found = inspections_for(scope(request)).filter(conclusion_id=pk).values_list("pk", flat=True).first()
    if found is None:
        raise Http404
    return redirect("followup:inspection", pk=found)


@require_POST
@role_required()
def record_finding(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.record_finding(inspection=inspection, text=form.cleaned_data["text"])
        except services.InspectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The finding is recorded."))
            return redirect(inspection)
    return _inspection_page(request, inspection, bound=("finding", inspection.pk, form), status=400)


@require_POST
@role_required()
def record_recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    acting = scope(request)
    finding = get_object_or_404(
        Finding.objects.filter(inspection__in=inspections_for(acting)).select_related("inspection"), pk=pk
    )
    inspection = _changeable(request, finding.inspection_id)
    form = RecommendationForm(
        request.POST,
        bodies=bodies_to_inspect(acting, on=clock.today()),
        inspected_ids=set(inspection.organizations.values_list("pk", flat=True)),
        prefix=f"finding-{finding.pk}",
    )
    if form.is_valid():
        try:
            services.record_recommendation(
                finding=finding,
                text=form.cleaned_data["text"],
                lead=form.cleaned_data["lead"],
                coordinating=list(form.cleaned_data["coordinating"]),
                due=form.cleaned_data["due"],
            )
        except services.InspectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recommendation is recorded."))
            return redirect(inspection)
    return _inspection_page(request, inspection, bound=("recommendation", finding.pk, form), status=400)


@require_POST
@role_required()
def conclude_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _changeable(request, pk)
    form = ConclusionForm(request.POST, recommendations=_open_recommendations(inspection))
    if form.is_valid():
        try:
            directive = services.conclude_inspection(
                inspection=inspection,
                recommendations=list(form.cleaned_data["recommendations"]),
                number=form.cleaned_data["number"],
                issuer=scope(request).membership.organization,
                on=form.cleaned_data["concluded_on"],
                by=_user(request),
            )
        except services.InspectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The inspection is concluded: its conclusion is published with %(count)d task(s).")
                % {"count": directive.tasks.count()},
            )
            return redirect(inspection)
    return _inspection_page(request, inspection, bound=("conclusion", inspection.pk, form), status=400)
