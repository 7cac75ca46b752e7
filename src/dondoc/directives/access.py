"""What a scope may see and do in the directives app: the querysets every page and API endpoint starts from,
"fetch it or 404" for one object, and the rules for each action. Pages and the API call the same functions,
so an object outside the scope is not found (404) everywhere, and a role that may not act is refused (403).

Every function takes the request's `Scope` (accounts.scope), never a user: the membership and the territory
tree are read once per request."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope
from dondoc.directives.models import (
    Assignment,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)

# --- what a scope sees ---


def assignments_for(scope: Scope) -> QuerySet[Assignment]:
    """A unit's users see their own body's assignments; monitors and readers those of bodies in their
    jurisdiction (or below a body there, or whose directive a body there issued); administrators everything;
    others nothing."""
    assignments = Assignment.objects.all()
    if scope.role == Role.ADMINISTRATOR:
        return assignments
    if scope.is_unit and scope.organization_id is not None:
        return assignments.filter(organization_id=scope.organization_id)
    if scope.follows_jurisdiction and scope.territory_ids:
        territories = scope.territory_ids
        return assignments.filter(
            Q(organization__jurisdiction_id__in=territories)
            | Q(organization__parent__jurisdiction_id__in=territories)
            | Q(task__directive__issuer__jurisdiction_id__in=territories)
        ).distinct()
    return assignments.none()


def sees_drafts(scope: Scope) -> bool:
    """A progress report stays inside its body until the leader sends it (the administrator sees all)."""
    return scope.is_unit or scope.role == Role.ADMINISTRATOR


def reports_for(scope: Scope, *, assignments: QuerySet[Assignment] | None = None) -> QuerySet[ProgressReport]:
    """The progress reports on the assignments the scope sees (or on `assignments`, already within it); a
    draft stays inside its body (and the administrator's view) until its leader sends it."""
    reports = ProgressReport.objects.filter(
        assignment__in=assignments if assignments is not None else assignments_for(scope)
    )
    return reports if sees_drafts(scope) else reports.exclude(state=ReportState.DRAFT)


def _assigned_directives(scope: Scope) -> QuerySet[Directive]:
    """Published directives with an assignment the scope sees (every one for an administrator), and drafts for
    those who import and review them (monitors and administrators)."""
    if scope.role == Role.ADMINISTRATOR:
        return Directive.objects.all()
    seen = Q(state=DirectiveState.PUBLISHED, id__in=assignments_for(scope).values("task__directive_id"))
    if can_import(scope):
        seen |= Q(state=DirectiveState.DRAFT)
    return Directive.objects.filter(seen)


def directives_for(scope: Scope) -> QuerySet[Directive]:
    """What the directive pages and the API show: the directives assigning the scope something it sees (all of
    them for an administrator, drafts too for monitors), and, to anyone who reads directives, the published
    ones that assign nothing: documents held for reference, such as the central conclusion a provincial letter
    implements, so that the citation trail runs through them."""
    if scope.role == Role.AUDITOR:
        return Directive.objects.none()
    reference = Q(state=DirectiveState.PUBLISHED) & ~Exists(
        Assignment.objects.filter(task__directive=OuterRef("pk"))
    )
    return Directive.objects.filter(Q(id__in=_assigned_directives(scope).values("id")) | reference)


# --- fetch it or 404 ---


def access_assignment(scope: Scope, pk: int) -> Assignment:
    found = assignments_for(scope).select_related("task__directive", "organization").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_report(scope: Scope, pk: int) -> ProgressReport:
    found = (
        reports_for(scope)
        .select_related("assignment__task__directive", "assignment__organization")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_extension(scope: Scope, pk: int) -> DeadlineExtension:
    found = DeadlineExtension.objects.filter(assignment__in=assignments_for(scope), pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_attachment(scope: Scope, pk: int) -> Attachment:
    found = Attachment.objects.filter(report__in=reports_for(scope), pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_directive(scope: Scope, pk: int, *, deferred: Sequence[str] = ()) -> Directive:
    """A directive the scope reads, without the `deferred` fields (its long texts, when a page needs none)."""
    found = directives_for(scope).defer(*deferred).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_review(scope: Scope, pk: int) -> Directive:
    """A directive on its review page (a draft to correct, or one published, shown as such), for those who
    import directives."""
    if not can_import(scope):
        raise Http404
    found = Directive.objects.select_related("imported_by", "reviewed_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_task(scope: Scope, pk: int) -> Task:
    found = (
        Task.objects.filter(directive__in=directives_for(scope), pk=pk).select_related("directive").first()
    )
    if found is None:
        raise Http404
    return found


# --- what a scope may do ---


def can_import(scope: Scope) -> bool:
    """Importing, reviewing and publishing directives: the monitor's work (and the administrator's)."""
    return scope.manages


def can_draft_report(scope: Scope, assignment: Assignment) -> bool:
    return scope.is_unit and scope.organization_id == assignment.organization_id


def can_approve_report(scope: Scope, assignment: Assignment) -> bool:
    return scope.role == Role.UNIT_LEADER and scope.organization_id == assignment.organization_id


def can_decide(scope: Scope) -> bool:
    """Confirming completion, returning reports and deciding on new deadlines, for assignments the scope sees
    (the caller starts from assignments_for or an access_* function)."""
    return scope.manages


def may_see_history(scope: Scope, *, kind: str, object_id: int) -> bool:
    """An object's history is for whoever may see the object (a unit's users: their own assignments, their
    reports and what hangs on them) and for those who read the change log."""
    if scope.reads_history:
        return True
    directives = directives_for(scope)
    assignments = assignments_for(scope)
    match kind:
        case "directive":
            return directives.filter(pk=object_id).exists()
        case "task":
            return Task.objects.filter(pk=object_id, directive__in=directives).exists()
        case "assignment":
            return assignments.filter(pk=object_id).exists()
        case "progressreport":
            return reports_for(scope, assignments=assignments).filter(pk=object_id).exists()
        case "deadlineextension":
            return DeadlineExtension.objects.filter(pk=object_id, assignment__in=assignments).exists()
        case "attachment":
            reports = reports_for(scope, assignments=assignments)
            return Attachment.objects.filter(pk=object_id, report__in=reports).exists()
        case "citation":
            return Citation.objects.filter(pk=object_id, citing__in=directives).exists()
    return False
