"""What every page's frame shows: the user's role and body, and the count of unread notices."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dondoc.accounts.access import can_import, can_read_history
from dondoc.accounts.models import UNIT_ROLES
from dondoc.accounts.selectors import membership_of
from dondoc.directives.selectors import notifications_for


def frame(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None) or membership_of(request.user)
    if membership is None:
        return {}
    return {
        "membership": membership,
        "is_unit": membership.role in UNIT_ROLES,
        "may_import": can_import(membership),
        "may_read_history": can_read_history(membership),
        "unread_notifications": notifications_for(membership=membership).filter(read_at__isnull=True).count(),
    }
