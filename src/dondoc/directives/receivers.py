"""What the directives app answers when the registry reorganises bodies: the open work it holds for the
bodies that end (while planning, plan by plan) and its move to the body that carries it (on commit, for all
the reorganisations of the commit at once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from dondoc.directives.models import Assignment, AssignmentTransfer, ProgressReport, ReportState
from dondoc.registry.reorganization import CommittedReorganization, OpenWork, ReorganizationPlan

_ROLE_ORDER = {"lead": 0, "coordinating": 1}


def _open(organization_ids: list[int]) -> QuerySet[Assignment]:
    """Assignments of these bodies whose completion is not yet confirmed."""
    confirmed = ProgressReport.objects.filter(assignment=OuterRef("pk"), state=ReportState.CONFIRMED)
    return Assignment.objects.filter(organization_id__in=organization_ids).filter(~Exists(confirmed))


def open_assignments(
    sender: type, plans: Sequence[ReorganizationPlan], **kwargs: Any
) -> list[list[OpenWork]]:
    """For each plan, one line per ending body holding open assignments, with the body that will carry
    them (one query for the whole program)."""
    ending = {body.id for plan in plans for body in plan.ending}
    rows = _open(list(ending)).values("organization_id").annotate(count=Count("id"))
    counts = {row["organization_id"]: row["count"] for row in rows}
    return [
        [
            OpenWork(body.name, counts[body.id], plan.carrier.name if plan.carrier is not None else "")
            for body in sorted(plan.ending, key=lambda body: body.name)
            if body.id in counts
        ]
        for plan in plans
    ]


def newest_destination() -> Subquery:
    """The body an assignment's newest transfer names, read from the index on (assignment, id) whatever
    PostgreSQL's statistics. Asked for a commit's transfers not merged, it ANDed the index of every transfer
    not merged into each row's lookup (at 1,000,000 generated assignments, minutes for the 2025 mergers)."""
    return Subquery(
        AssignmentTransfer.objects.filter(assignment=OuterRef("pk"))
        .order_by("-id")
        .values("to_organization_id")[:1]
    )


def move_open_assignments(sender: type, committed: Sequence[CommittedReorganization], **kwargs: Any) -> None:
    """Each open assignment of an ending body goes to its carrier, in the commit's transaction, with a
    transfer row saying where it came from and the assignment's own history recording the change; for the
    whole commit at once (a fixed number of queries). A task the carrier already holds (or that two ending
    bodies held) stays with one assignment: the lead's, else the carrier's own, else the first; the others
    are marked merged into it."""
    carried = {
        body.id: (event.carrier, event.reorganization)
        for event in committed
        if event.carrier is not None
        for body in event.plan.ending
    }
    if not carried:
        return
    moving = list(_open(list(carried)).order_by("task_id", "id"))
    if not moving:
        return
    carriers = {carrier.id for carrier, _reorganization in carried.values()}
    held = {
        (assignment.organization_id, assignment.task_id): assignment
        for assignment in Assignment.objects.filter(
            organization_id__in=carriers, task_id__in={a.task_id for a in moving}
        )
    }
    by_task: dict[tuple[int, int], list[Assignment]] = {}
    for assignment in moving:
        carrier, _reorganization = carried[assignment.organization_id]
        by_task.setdefault((carrier.id, assignment.task_id), []).append(assignment)
    moved: list[Assignment] = []
    transfers: list[AssignmentTransfer] = []
    for key, assignments in by_task.items():
        survivor = held.get(key)
        if survivor is None:
            survivor = min(assignments, key=lambda a: (_ROLE_ORDER.get(a.role, 2), a.id))
        for assignment in assignments:
            carrier, reorganization = carried[assignment.organization_id]
            merged = assignment is not survivor
            transfers.append(
                AssignmentTransfer(
                    assignment=assignment,
                    from_organization_id=assignment.organization_id,
                    to_organization=carrier,
                    effective_on=reorganization.effective_on,
                    decision=reorganization.decision,
                    reorganization=reorganization,
                    merged_into=survivor if merged else None,
                )
            )
            if not merged:
                assignment.organization = carrier
                assignment._change_reason = (  # type: ignore[attr-defined]
                    f"{reorganization.get_kind_display()}: {reorganization.decision}"[:100]
                )
                moved.append(assignment)
    AssignmentTransfer.objects.bulk_create(transfers, batch_size=500)
    # one UPDATE for the whole commit: each assignment to the body its newest transfer (just written) names
    Assignment.objects.filter(id__in=[a.id for a in moved]).update(organization=newest_destination())
    Assignment.history.bulk_history_create(moved, update=True, batch_size=500)
