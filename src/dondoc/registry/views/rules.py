"""The rule checks page: every violation of the registry's rules on a chosen day (dd/mm/yyyy, today when
none), grouped by rule with each body's figure, limit and legal source, filtered by rule, level and the body's
name, counted per rule, and exported as .xlsx (`?format=xlsx`, the same filtered list, in Vietnamese).

The monitor, reader and administrator see the bodies of their territories (the administrator every body); a
unit's reporter and leader see their own body's violations only; the auditor is refused."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import READING_ROLES
from dondoc.accounts.scope import Scope
from dondoc.core.forms import DayField
from dondoc.registry.models import Level
from dondoc.registry.rule_checks import (
    RULES,
    Finding,
    counts_by_rule,
    filter_findings,
    findings_on,
    findings_workbook,
    group_by_rule,
)
from dondoc.registry.rules import Check
from dondoc.writing import write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RuleCheckForm(forms.Form):
    on = DayField(label=_("On"), required=False)
    check = forms.ChoiceField(
        label=_("Rule"),
        required=False,
        choices=[("", _("Every rule")), *((check.value, label) for check, (label, _why) in RULES.items())],
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Every level")), *Level.choices]
    )
    q = forms.CharField(label=_("Body"), required=False, max_length=200)


def _findings(acting: Scope, on: date) -> list[Finding]:
    if acting.is_unit:
        if acting.organization_id is None:  # a unit's membership names its body (Membership.clean)
            raise PermissionDenied
        return findings_on(on=on, organization_id=acting.organization_id)
    return findings_on(on=on, territory_ids=acting.territory_ids)


def _query(request: HttpRequest, **changes: str) -> str:
    """The page's query string with some parameters changed (an empty value drops the parameter)."""
    query = request.GET.copy()
    for name, value in changes.items():
        if value:
            query[name] = value
        else:
            query.pop(name, None)
    return query.urlencode()


@role_required(*READING_ROLES)
def rule_checks(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    today = clock.today()
    form = RuleCheckForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a filter typed wrong is shown with its error and left out; the others apply
        filters = form.cleaned_data
    on = filters.get("on") or today
    check = Check(filters["check"]) if filters.get("check") else None
    level, words = filters.get("level", ""), filters.get("q", "")
    if request.GET.get("format") == "xlsx":
        with translation.override("vi"):
            chosen = filter_findings(_findings(acting, on), check=check, level=level, words=words)
            workbook = write_workbook(findings_workbook(chosen, on=on, created=today))
        response = HttpResponse(workbook, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="kiem-tra-quy-dinh-{on:%Y-%m-%d}.xlsx"'
        return response
    in_level = filter_findings(_findings(acting, on), level=level, words=words)
    chosen = filter_findings(in_level, check=check)
    context = {
        "form": form,
        "on": on,
        "total": len(chosen),
        "groups": group_by_rule(chosen),
        "counts": [
            {
                "check": each,
                "label": RULES[each][0],
                "explanation": RULES[each][1],
                "count": count,
                "chosen": each == check,
                "query": _query(request, check=each.value),
            }
            for each, count in counts_by_rule(in_level).items()
        ],
        "every_rule_query": _query(request, check=""),
        "export_query": _query(request, format="xlsx"),
    }
    return render(request, "registry/rule_checks.html", context)
