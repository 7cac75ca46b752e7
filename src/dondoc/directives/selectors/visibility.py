"""Who reads what: the directives, reports and notices a user sees, and the monitors who follow an
assignment. The pages, the API and the change log all scope their reads through these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from dondoc.accounts.access import can_import, sees_drafts
from dondoc.accounts.models import Membership, Role
from dondoc.accounts.selectors import membership_of, visible_assignments
from dondoc.directives.models import (
    Assignment,
    Directive,
    DirectiveState,
    Notification,
    ProgressReport,
    ReportState,
)
from dondoc.registry.models import Jurisdiction


def monitors_of(*, assignment: Assignment) -> list[int]:
    """The users who follow this assignment as monitors: those whose jurisdiction covers its body (or the body
    above it, or its directive's issuer), as accounts.selectors.visible_assignments lets them see it."""
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
    )


def notifications_for(*, membership: Membership) -> QuerySet[Notification]:
    """A user's own notices and their body's, newest first."""
    addressed = Q(user_id=membership.user_id)
    if membership.organization_id is not None:
        addressed |= Q(organization_id=membership.organization_id)
    return (
        Notification.objects.filter(addressed)
        .select_related("directive", "assignment__task")
        .defer("directive__source_text", "directive__parsed", "directive__search_text")
    )


def _assigned_directives(
    *, user: AbstractBaseUser | AnonymousUser, membership: Membership
) -> QuerySet[Directive]:
    """Published directives with an assignment the user sees (every one for an administrator), and drafts for
    those who import and review them (monitors and administrators)."""
    if membership.role == Role.ADMINISTRATOR:
        return Directive.objects.all()
    seen = Q(
        state=DirectiveState.PUBLISHED, id__in=visible_assignments(user=user).values("task__directive_id")
    )
    if can_import(membership):
        seen |= Q(state=DirectiveState.DRAFT)
    return Directive.objects.filter(seen)


def visible_reports(*, membership: Membership, assignments: QuerySet[Assignment]) -> QuerySet[ProgressReport]:
    """The progress reports on assignments the user sees; a draft stays inside its body (and the
    administrator's view) until its leader sends it."""
    reports = ProgressReport.objects.filter(assignment__in=assignments)
    return reports if sees_drafts(membership) else reports.exclude(state=ReportState.DRAFT)


def readable_directives(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Directive]:
    """What the directive pages and the API show: the directives assigning the user something they see (all of
    them for an administrator, drafts too for monitors), and, to anyone who reads directives, the published
    ones that assign nothing: documents held for reference, such as the central conclusion a provincial letter
    implements, so that the citation trail runs through them."""
    membership = membership_of(user)
    if membership is None or membership.role == Role.AUDITOR:
        return Directive.objects.none()
    reference = Q(state=DirectiveState.PUBLISHED) & ~Exists(
        Assignment.objects.filter(task__directive=OuterRef("pk"))
    )
    assigned = _assigned_directives(user=user, membership=membership)
    return Directive.objects.filter(Q(id__in=assigned.values("id")) | reference)
