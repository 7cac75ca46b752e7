"""Who may do what: one place for the rules every page and API endpoint applies.

A role is scoped: a unit's reporter and leader act on their own body's assignments only; a monitor acts
within a jurisdiction; a reader reads there; an auditor reads the change history."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from dondoc.accounts.models import UNIT_ROLES, Membership, Role
from dondoc.accounts.selectors import membership_of
from dondoc.directives.models import Assignment

View = TypeVar("View", bound=Callable[..., HttpResponse])

MANAGING_ROLES = frozenset({Role.ADMINISTRATOR, Role.MONITOR})
HISTORY_ROLES = frozenset({Role.ADMINISTRATOR, Role.MONITOR, Role.AUDITOR})


def can_import(membership: Membership | None) -> bool:
    """Importing, reviewing and publishing directives: the monitor's work (and the administrator's)."""
    return membership is not None and membership.role in MANAGING_ROLES


def can_read_history(membership: Membership | None) -> bool:
    return membership is not None and membership.role in HISTORY_ROLES


def sees_drafts(membership: Membership) -> bool:
    """A progress report stays inside its body until the leader sends it (the administrator sees everything)."""
    return membership.role in UNIT_ROLES or membership.role == Role.ADMINISTRATOR


def can_draft_report(membership: Membership | None, assignment: Assignment) -> bool:
    return (
        membership is not None
        and membership.role in UNIT_ROLES
        and membership.organization_id == assignment.organization_id
    )


def can_approve_report(membership: Membership | None, assignment: Assignment) -> bool:
    return (
        membership is not None
        and membership.role == Role.UNIT_LEADER
        and membership.organization_id == assignment.organization_id
    )


def can_decide(membership: Membership | None) -> bool:
    """Confirming completion, returning reports and deciding on new deadlines, for assignments the user
    sees (the caller starts from visible_assignments)."""
    return membership is not None and membership.role in MANAGING_ROLES


def role_required(*roles: Role) -> Callable[[View], View]:
    """A view for signed-in users with a role (any role when none is named); sets `request.membership`.
    Anonymous users go to the log-in page; a user without the role gets 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_of(request.user)
            if membership is None or (roles and membership.role not in roles):
                raise PermissionDenied
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def membership(request: HttpRequest) -> Membership:
    """The membership role_required put on the request."""
    found: Any = getattr(request, "membership", None)
    if not isinstance(found, Membership):
        raise PermissionDenied
    return found
