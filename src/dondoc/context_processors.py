"""What every page's frame shows: who is acting and in which role (with the others they may switch to), the
menu that role sees, and the count of unread notices. Project level: it gathers what every app offers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dondoc.accounts.access import request_scope
from dondoc.accounts.models import Role
from dondoc.directives.access import can_import
from dondoc.directives.selectors import notifications_for


def frame(request: HttpRequest) -> dict[str, Any]:
    scope = request_scope(request)
    if scope is None:
        return {}
    return {
        "scope": scope,
        "membership": scope.membership,
        "is_unit": scope.is_unit,
        "may_import": can_import(scope),
        "may_read_history": scope.reads_history,
        "is_administrator": scope.role == Role.ADMINISTRATOR,
        "unread_notifications": notifications_for(scope=scope).filter(read_at__isnull=True).count(),
    }
