"""What a user may see, as querysets every page and API endpoint starts from."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from dondoc.accounts.models import JURISDICTION_ROLES, UNIT_ROLES, Membership, Role
from dondoc.directives.models import Assignment
from dondoc.registry.selectors import territory_and_below


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("organization").filter(user_id=user.pk).first()


def visible_assignments(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Assignment]:
    """A unit's users see their own body's assignments; monitors and readers those of bodies in their
    jurisdiction (or whose directive a body there issued); administrators everything; others nothing."""
    membership = membership_of(user)
    assignments = Assignment.objects.all()
    if membership is None:
        return assignments.none()
    if membership.role == Role.ADMINISTRATOR:
        return assignments
    if membership.role in UNIT_ROLES and membership.organization_id is not None:
        return assignments.filter(organization_id=membership.organization_id)
    if membership.role in JURISDICTION_ROLES and membership.jurisdiction_id is not None:
        territories = territory_and_below(jurisdiction_id=membership.jurisdiction_id)
        return assignments.filter(
            Q(organization__jurisdiction_id__in=territories)
            | Q(organization__parent__jurisdiction_id__in=territories)
            | Q(task__directive__issuer__jurisdiction_id__in=territories)
        ).distinct()
    return assignments.none()


def body_territories(*, membership: Membership) -> set[int] | None:
    """The territories whose bodies a user looks up (None: all): a monitor's or reader's jurisdiction and below,
    a unit's own territory and below (the search page and the bodies API share this rule)."""
    if membership.role in JURISDICTION_ROLES and membership.jurisdiction_id is not None:
        return territory_and_below(jurisdiction_id=membership.jurisdiction_id)
    if membership.role in UNIT_ROLES:
        organization = membership.organization
        place = organization.jurisdiction_id if organization is not None else None
        return territory_and_below(jurisdiction_id=place) if place is not None else set()
    return None
