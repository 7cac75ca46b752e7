"""Who is told what: the monitors who follow an assignment (the services notify them), and the notices a scope
reads (core.notifications', in the scope's terms). What a scope may see at all is directives.access."""

from __future__ import annotations

from django.db.models import QuerySet

from dondoc.accounts.models import Membership, Role
from dondoc.accounts.scope import Scope
from dondoc.core import notifications
from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive
from dondoc.registry.models import Jurisdiction


def monitors_of(*, assignment: Assignment) -> list[int]:
    """The users who follow this assignment as monitors: those whose jurisdiction covers its body (or the body
    above it, or its directive's issuer), as directives.access.assignments_for lets them see it."""
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    places = (
        Assignment.objects.filter(pk=assignment.pk)
        .values_list(
            "organization__jurisdiction_id",
            "organization__parent__jurisdiction_id",
            "task__directive__issuer__jurisdiction_id",
        )
        .first()
        or ()
    )
    covering: set[int] = set()
    for place in places:
        territory: int | None = place
        while territory is not None and territory not in covering:
            covering.add(territory)
            territory = parents.get(territory)
    return list(
        Membership.objects.filter(role=Role.MONITOR, jurisdiction_id__in=covering)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()  # a person may follow it through two memberships
    )


def notifications_for(*, scope: Scope) -> QuerySet[Notification]:
    """A user's own notices and those of the body they act for, newest first, each with the directive or
    assignment it is about (a directive without its long texts)."""
    return notifications.notifications_for(
        user_id=scope.user_id,
        organization_id=scope.organization_id,
        targets=[Directive.objects.defer("source_text", "parsed", "search_text")],
    )
