"""What a scope may see and do in the directives app: the querysets every page and API endpoint starts from,
"fetch it or 404" for one object, and the rules for each action. Pages and the API call the same functions,
so an object outside the scope is not found (404) everywhere, and a role that may not act is refused (403).

Every function takes the request's `Scope` (accounts.scope), never a user: the membership and the territory
tree are read once per request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope
from dondoc.core.expressions import IdsIn
from dondoc.directives.models import (
    Assignment,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    DirectiveRegion,
    DirectiveState,
    ImportJob,
    ProgressReport,
    ReportState,
    Task,
    TaskLink,
)
from dondoc.registry.models import Function, Jurisdiction, Organization, Post, Reorganization

# --- what a scope sees ---


def assignments_for(scope: Scope) -> QuerySet[Assignment]:
    """A unit's users see their own body's assignments; monitors and readers those of bodies in their
    jurisdiction (or below a body there, or whose directive a body there issued); administrators everything;
    others nothing."""
    assignments = Assignment.objects.all()
    if scope.role == Role.ADMINISTRATOR:
        return assignments
    seen = _seen_assignments(scope)
    return assignments.filter(seen) if seen is not None else assignments.none()


def bodies_assigned_for(scope: Scope) -> QuerySet[Organization]:
    """The bodies with an assignment the scope sees (what the filters' body picker offers): asked body by
    body, an index probe each."""
    return Organization.objects.filter(Exists(assignments_for(scope).filter(organization_id=OuterRef("pk"))))


# Up to this many bodies (or tasks) a scope's condition names them as a list of ids; more, as a subquery.
# Listed, the database knows how few rows they are and asks "one assignment of this directive's tasks the
# scope sees?" through the task index; as two subqueries OR'd, PostgreSQL took them for three quarters of
# all assignments and scanned all 1,000,000 for every directive (the national shape: minutes for the
# directive list, 86 ms listed). The bound keeps a statement within the databases' limits on parameters.
LISTED_IDS = 10_000


def _seen_assignments(scope: Scope) -> Q | None:
    """The condition on an assignment's own columns that assignments_for applies (None: nothing is seen).

    For a monitor or reader: two conditions, each against a small set read once per request (the bodies of
    the territories, the tasks their bodies issued), rather than an OR across joins to the body, its parent,
    the task, the directive and its issuer, which made every list join every assignment before keeping any.
    A list ordered by deadline walks its index and stops at the page's end; "is there one for this body, or
    this directive" is an index probe."""
    seen = _seen(scope)
    return seen.condition if seen is not None else None


@dataclass(frozen=True, slots=True)
class _Seen:
    condition: Q
    # the assignments of a few bodies (a unit's one body, a territory's few thousand named in a list or under
    # their province's key), which the index on the body or on the region finds; otherwise those of nearly
    # every body (a monitor of the whole country)
    of_few_bodies: bool
    # the ids of the directives with one of those assignments, as queries whose union gives them, when the
    # keys the database keeps answer it without reading the assignments (a province's monitor)
    directives: tuple[QuerySet[Any], ...] = ()


def _seen(scope: Scope) -> _Seen | None:
    if scope.is_unit and scope.organization_id is not None:
        return _Seen(Q(organization_id=scope.organization_id), of_few_bodies=True)
    if not scope.follows_jurisdiction:
        return None
    if (region_id := scope.region_id) is not None:
        return scope.remember("directives.seen_assignments", lambda: _region_condition(region_id))
    if scope.territory_ids:
        return scope.remember("directives.seen_assignments", lambda: _territory_condition(scope))
    return None


def _region_condition(region_id: int) -> _Seen:
    """What the monitor of a region (a province of the country: a territory right under the root) sees, by
    the keys the database keeps on each body and assignment (registry migration 0009): the assignments under
    the region's key, those of the few bodies under one of its bodies that lie elsewhere, and of the tasks
    its bodies issued to bodies outside. The same as _territory_condition gives, without reading a list of
    the province's bodies first (3,549 of them at national scale), and a list by deadline walks one index
    under one key (1,000,000 assignments: 18.1 ms against 4.5, BENCHMARKS.md)."""
    elsewhere = (
        Organization.objects.order_by()
        .filter(parent_region_id=region_id)
        .exclude(region_id=region_id)
        .values_list("id", flat=True)
    )
    listed = list(elsewhere[: LISTED_IDS + 1])
    bodies = Q(region_id=region_id)
    # a directive is read when it has assignments in the region (counted by region, migration 0019), when a
    # body of the region issued it to anyone (in the region or outside), or when it reaches one of the bodies
    # elsewhere: each read from an index, not from the region's assignments
    directives: list[QuerySet[Any]] = [
        DirectiveRegion.objects.order_by().filter(region_id=region_id).values_list("directive_id", flat=True),
        Directive.objects.order_by()
        .filter(issuer_region_id=region_id, has_assignments=True)
        .values_list("id", flat=True),
    ]
    if listed:
        under_its_bodies = (
            Q(organization__parent_region_id=region_id)
            if len(listed) > LISTED_IDS
            else Q(IdsIn("organization_id", listed))
        )
        bodies |= under_its_bodies
        directives.append(
            Assignment.objects.order_by()
            .filter(under_its_bodies)
            .values_list("task__directive_id", flat=True)
        )
    # a task assigned outside the region has its directive counted in another region, or is assigned to a
    # body of no region (the Central's): the directives the region's bodies issued that may so reach outside
    # are read first, from indexes (usually none), and only their tasks' assignments are then read; asked task
    # by task of every task the region's bodies issued, this cost every page of a province's monitor 20 ms at
    # 10,000,000 assignments (888 directives, 6,224 tasks). The two reasons are asked each on its own, so that
    # the database joins rather than asking both of every directive.
    issued = Directive.objects.order_by().filter(issuer_region_id=region_id, has_assignments=True)
    counted_elsewhere = DirectiveRegion.objects.filter(directive_id=OuterRef("pk")).exclude(
        region_id=region_id
    )
    of_no_region = Assignment.objects.filter(task__directive_id=OuterRef("pk"), region_id__isnull=True)
    reaching = (
        issued.filter(Exists(counted_elsewhere))
        .values_list("id", flat=True)
        .union(issued.filter(Exists(of_no_region)).values_list("id", flat=True))
    )
    listed_reaching = list(reaching[: LISTED_IDS + 1])
    if not listed_reaching:
        return _Seen(bodies, of_few_bodies=True, directives=tuple(directives))
    seen = _with_issued_outside(
        bodies,
        Q(directive__issuer_region_id=region_id)
        if len(listed_reaching) > LISTED_IDS
        else Q(IdsIn("directive_id", listed_reaching)),
        of_few_bodies=True,
    )
    return _Seen(seen.condition, seen.of_few_bodies, tuple(directives))


def sees_every_territory(scope: Scope) -> bool:
    """Whether the scope's territories are every territory (the Central Commission's, some 14,000), which a
    condition then asks as "has one" rather than as a list of them all."""
    territories = scope.territory_ids or ()
    return len(territories) > LISTED_IDS and scope.remember(
        "directives.every_territory", lambda: len(territories) >= Jurisdiction.objects.count()
    )


def _territory_condition(scope: Scope) -> _Seen:
    """The assignments of the bodies of the scope's territories (or under a body there) or of the tasks those
    bodies issued (named only when one of them is assigned to a body outside the first set). Each set is
    named by a list of ids when it has some and at most LISTED_IDS, else by a
    subquery (an empty list would make the condition "nothing", which raw SQL built from it cannot be
    written for). A monitor of the whole country sees almost every body: the bodies they do not see are
    listed instead, and when there are none the condition is no condition at all. As subqueries, its lists
    and counts ran for minutes on the national shape."""
    territories = scope.territory_ids or ()
    everywhere = sees_every_territory(scope)
    placed = Q(jurisdiction__isnull=False) if everywhere else Q(IdsIn("jurisdiction_id", territories))
    there = Organization.objects.order_by().filter(placed).values_list("id", flat=True)
    listed_bodies: list[int] = []
    if not everywhere:
        listed_bodies = list(there[: LISTED_IDS + 1])
        if 0 < len(listed_bodies) <= LISTED_IDS:
            # the bodies under those, by the parent index: with the bodies there as a subquery of the same
            # statement, PostgreSQL hashed all of the country's bodies to find a province's (18 ms against 4)
            below = Organization.objects.order_by().filter(IdsIn("parent_id", listed_bodies))
            listed_bodies += below.values_list("id", flat=True)[: LISTED_IDS + 1]
            listed_bodies = list(dict.fromkeys(listed_bodies))
    bodies: Q
    bodies_listed = 0 < len(listed_bodies) <= LISTED_IDS
    if bodies_listed:
        bodies = Q(IdsIn("organization_id", listed_bodies))
    else:
        seen_bodies = placed | Q(parent_id__in=there)
        unseen = Organization.objects.order_by().exclude(seen_bodies).values_list("id", flat=True)
        listed_unseen = list(unseen[: LISTED_IDS + 1]) if listed_bodies or everywhere else None
        if listed_unseen == []:
            return _Seen(Q(), of_few_bodies=False)
        if listed_unseen is not None and len(listed_unseen) <= LISTED_IDS:
            bodies = ~Q(IdsIn("organization_id", listed_unseen))
        else:
            subquery = Organization.objects.order_by().filter(seen_bodies).values_list("id", flat=True)
            bodies = Q(organization_id__in=subquery)
    issuers = (
        Q(directive__issuer__jurisdiction__isnull=False)
        if everywhere
        else Q(IdsIn("directive__issuer__jurisdiction_id", territories))
    )
    return _with_issued_outside(bodies, issuers, of_few_bodies=bodies_listed)


def _with_issued_outside(bodies: Q, issuers: Q, *, of_few_bodies: bool) -> _Seen:
    """The assignments of `bodies` (a condition on the assignment) or of a task whose directive `issuers`
    (a condition on the task) issued.

    Of the tasks issued there, only those assigned to a body outside `bodies` are named: usually none, as a
    territory's directives go to its own bodies. Named all the same, the OR kept PostgreSQL from reading a
    province's bodies through their index: it walked every overdue assignment of the country to count a
    province's (1,000,000 assignments: 61 ms, against 10 ms for the bodies alone; this query: 4 ms)."""
    outside = Assignment.objects.filter(task_id=OuterRef("pk")).exclude(bodies)
    issued_outside = Task.objects.filter(issuers, Exists(outside)).values_list("id", flat=True)
    listed = list(issued_outside[: LISTED_IDS + 1])
    if len(listed) > LISTED_IDS:
        every_issued = Task.objects.filter(issuers).values_list("id", flat=True)
        return _Seen(bodies | Q(task_id__in=every_issued), of_few_bodies)
    return _Seen(bodies | Q(IdsIn("task_id", listed)) if listed else bodies, of_few_bodies)


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


def imports_jurisdiction(scope: Scope) -> Jurisdiction | None:
    """Whose monitors review what this scope imports (Directive.jurisdiction, ImportJob.jurisdiction): a
    monitor's jurisdiction, so the monitors of that territory and of the territories above it; none for an
    administrator, whose imports every monitor reviews."""
    return scope.membership.jurisdiction if scope.role == Role.MONITOR else None


def _reviewed_by(scope: Scope) -> Q:
    """The drafts and imports a monitor reviews: those of a body in their territory or below, and those of no
    body (imported by an administrator, made by a script, or older than the record and not attributable:
    any monitor's, as before)."""
    unattributed = Q(jurisdiction__isnull=True)
    if scope.region_id is not None:
        # a subquery the database hashes once, not a join: joined, no index on the directives could serve the
        # pages' conditions, and each read every directive
        of_region = Jurisdiction.objects.filter(region_id=scope.region_id).values("id")
        return unattributed | Q(jurisdiction_id__in=of_region)
    if not scope.territory_ids:
        return unattributed
    if sees_every_territory(scope):
        return Q()
    # as one array, sent once with each directive query
    return unattributed | Q(IdsIn("jurisdiction_id", scope.territory_ids))


def imports_for(scope: Scope) -> QuerySet[ImportJob]:
    """The import jobs the scope follows: every one for an administrator, those a monitor reviews."""
    if scope.role == Role.ADMINISTRATOR:
        return ImportJob.objects.all()
    if can_import(scope):
        return ImportJob.objects.filter(_reviewed_by(scope))
    return ImportJob.objects.none()


def _assigned_directives(scope: Scope) -> Q | None:
    """Published directives with an assignment the scope sees, and drafts for those who import and review
    them (a monitor: those of their jurisdiction); None: every directive (an administrator).

    Asked directive by directive ("has it one assignment this scope sees?": its tasks, then their assignments
    by index, stopping at the first), never by collecting the directives of every visible assignment, which
    costs as much as the assignments."""
    if scope.role == Role.ADMINISTRATOR:
        return None
    seen_assignments = _seen(scope)
    seen = Q(pk__in=[])
    if seen_assignments is not None:
        seen = scope.remember("directives.assigned", lambda: _published_with(seen_assignments))
    if can_import(scope):
        seen |= Q(state=DirectiveState.DRAFT) & _reviewed_by(scope)
    return seen


def _published_with(seen: _Seen) -> Q:
    """The published directives with one of the assignments seen, read once per request as a list of ids: a
    directive list asks it in four queries (the page, its count, the years and the issuers to filter by),
    and each asked it of every directive again (a province at 1,000,000 assignments: 30 ms a query).

    The assignments of listed bodies are read once, through the index on the body, for their directives:
    asked directive by directive, SQLite looked the (task, body) index up once per listed body for each task
    (100,000 assignments: 274 ms for a province). Those of nearly every body are asked directive by
    directive, each answered by its first assignment, rather than read whole."""
    if seen.directives:
        first, *others = seen.directives
        ids = list(first.union(*others)[: LISTED_IDS + 1])
        if len(ids) > LISTED_IDS:
            return Q(state=DirectiveState.PUBLISHED) & reduce(
                or_, (Q(id__in=each) for each in seen.directives)
            )
        return Q(state=DirectiveState.PUBLISHED) & Q(IdsIn("id", ids)) if ids else Q(pk__in=[])
    if seen.of_few_bodies:
        assigned = Assignment.objects.filter(seen.condition).values("task__directive_id")
        published_with = Q(state=DirectiveState.PUBLISHED, id__in=assigned)
    elif seen.condition == Q():
        # every assignment seen (a monitor of the whole country): the directives with any, by their flag
        return Q(state=DirectiveState.PUBLISHED, has_assignments=True)
    else:
        published_with = Q(state=DirectiveState.PUBLISHED) & Q(
            Exists(Assignment.objects.filter(seen.condition, task__directive_id=OuterRef("pk")))
        )
    listed = list(
        Directive.objects.order_by().filter(published_with).values_list("id", flat=True)[: LISTED_IDS + 1]
    )
    if len(listed) > LISTED_IDS:
        return published_with
    return Q(IdsIn("id", listed)) if listed else Q(pk__in=[])


def directives_for(scope: Scope) -> QuerySet[Directive]:
    """What the directive pages and the API show: the directives assigning the scope something it sees (all of
    them for an administrator, the drafts of their jurisdiction too for monitors), and, to anyone who reads
    directives, the published ones that assign nothing: documents held for reference, such as the central
    conclusion a provincial letter implements, so that the citation trail runs through them."""
    if scope.role == Role.AUDITOR:
        return Directive.objects.none()
    assigned = _assigned_directives(scope)
    if assigned is None:
        return Directive.objects.all()
    reference = Q(state=DirectiveState.PUBLISHED, has_assignments=False)
    return Directive.objects.filter(assigned | reference)


def directives_to_pick(scope: Scope, *, picked: bool) -> QuerySet[Directive]:
    """What a directive filter may pick: directives_for(scope) once one is picked, else nothing, so that a
    page whose filter is not set does not read which directives the scope reads (a province's monitor at
    1,000,000 assignments: 19 ms)."""
    return directives_for(scope) if picked else Directive.objects.none()


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
    """A directive on its review page (a draft of the scope's jurisdiction to correct, or one published,
    shown as such), for those who import directives."""
    if not can_import(scope):
        raise Http404
    found = directives_for(scope).select_related("imported_by", "reviewed_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_import_job(scope: Scope, pk: int) -> ImportJob:
    found = imports_for(scope).select_related("directive", "uploaded_by").filter(pk=pk).first()
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


def changes_for(scope: Scope, *, kind: str, records: QuerySet[Any]) -> QuerySet[Any]:
    """Which of `records` (the recorded changes of one kind of the change log, core.history's) the scope may
    read: the administrator every one; the auditor every one but those of a progress report from before its
    body sent it; the others those of the objects they see (a unit's users: their own assignments, their
    reports and what hangs on them; a monitor's or reader's: their jurisdiction), never a report's from
    before it was sent outside its body, and the registry's bodies only to those who read the change log."""
    if scope.role == Role.ADMINISTRATOR:
        return records
    if kind in _REGISTRY_KINDS:
        return _registry_changes(scope, kind, records)
    if scope.role != Role.AUDITOR:  # the auditor reads every object's changes, those of deleted ones too
        seen = _objects_with_history(scope, kind)
        if seen is None:
            return records.none()
        records = records.filter(id__in=seen.values("id"))
    if sees_drafts(scope):  # a unit's users see their own body's drafts only: the objects seen say so
        return records
    if kind == "progressreport":
        return records.exclude(state=ReportState.DRAFT)
    if kind == "attachment":
        return records.exclude(
            report_id__in=ProgressReport.objects.filter(state=ReportState.DRAFT).values("id")
        )
    return records


# the registry's kinds of the change log: how a recorded change names the body it belongs to
_REGISTRY_KINDS: dict[str, Callable[[QuerySet[Organization]], Q]] = {
    "organization": lambda bodies: Q(id__in=bodies.values("id")),
    "reorganization": lambda bodies: Q(
        id__in=Reorganization.objects.filter(Q(originals__in=bodies) | Q(results__in=bodies)).values("id")
    ),
    "post": lambda bodies: Q(organization_id__in=bodies.values("id")),
    "appointment": lambda bodies: Q(post_id__in=Post.objects.filter(organization__in=bodies).values("id")),
    "function": lambda bodies: Q(organization_id__in=bodies.values("id")),
    "jobposition": lambda bodies: Q(organization_id__in=bodies.values("id")),
    "staffingquota": lambda bodies: Q(organization_id__in=bodies.values("id")),
    "overlapdecision": lambda bodies: Q(
        first_id__in=Function.objects.filter(organization__in=bodies).values("id")
    ),
}


def _registry_changes(scope: Scope, kind: str, records: QuerySet[Any]) -> QuerySet[Any]:
    """The registry's changes, for those who read the change log: those of the bodies the scope may look
    up."""
    if not scope.reads_history:
        return records.none()
    territories = scope.territory_ids
    if territories is None:
        return records
    bodies = Organization.objects.filter(
        Q(jurisdiction_id__in=territories) | Q(parent__jurisdiction_id__in=territories)
    )
    return records.filter(_REGISTRY_KINDS[kind](bodies))


def _objects_with_history(scope: Scope, kind: str) -> QuerySet[Any] | None:
    """The objects of one kind of the directives app whose history the scope may read: those it sees."""
    directives = directives_for(scope)
    assignments = assignments_for(scope)
    match kind:
        case "directive":
            return directives
        case "task":
            return Task.objects.filter(directive__in=directives)
        case "assignment":
            return assignments
        case "progressreport":
            return reports_for(scope, assignments=assignments)
        case "deadlineextension":
            return DeadlineExtension.objects.filter(assignment__in=assignments)
        case "attachment":
            return Attachment.objects.filter(report__in=reports_for(scope, assignments=assignments))
        case "citation":
            return Citation.objects.filter(citing__in=directives)
        case "tasklink":  # a link is the implementing directive's: seen with it
            return TaskLink.objects.filter(child__directive__in=directives)
    return None
