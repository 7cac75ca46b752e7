"""Log-in, log-out and the start page, which sends each role where its work is."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dondoc.accounts.access import membership, role_required
from dondoc.accounts.models import UNIT_ROLES, Role


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    role = membership(request).role
    if role in UNIT_ROLES:
        return redirect("directives:inbox")
    if role == Role.AUDITOR:
        return redirect("directives:history")
    return redirect("directives:list")
