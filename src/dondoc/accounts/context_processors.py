"""What every page's frame shows: the user's role and body, and the count of unread notices."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from dondoc.accounts.access import can_import, can_read_history
from dondoc.accounts.models import UNIT_ROLES
from dondoc.accounts.selectors import membership_of
from dondoc.directives.models import Notification


def frame(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None) or membership_of(request.user)
    if membership is None:
        return {}
    addressed = Q(user_id=membership.user_id)
    if membership.organization_id is not None:
        addressed |= Q(organization_id=membership.organization_id)
    return {
        "membership": membership,
        "is_unit": membership.role in UNIT_ROLES,
        "may_import": can_import(membership),
        "may_read_history": can_read_history(membership),
        "unread_notifications": Notification.objects.filter(addressed, read_at__isnull=True).count(),
    }
