"""What the directives app answers when the registry reorganises bodies: the open work it holds for the
bodies that end (while planning) and its move to the body that carries it (on commit)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from simple_history.utils import bulk_update_with_history

from dondoc.directives.models import Assignment, AssignmentTransfer, ProgressReport, ReportState
from dondoc.registry.models import Organization, Reorganization
from dondoc.registry.reorganization import OpenWork, ReorganizationPlan

_ROLE_ORDER = {"lead": 0, "coordinating": 1}


def _open(plan: ReorganizationPlan) -> QuerySet[Assignment]:
    """Assignments of the bodies that end whose completion is not yet confirmed."""
    confirmed = ProgressReport.objects.filter(assignment=OuterRef("pk"), state=ReportState.CONFIRMED)
    ending = [body.id for body in plan.originals if body not in plan.results]
    return Assignment.objects.filter(organization_id__in=ending).filter(~Exists(confirmed))


def open_assignments(sender: type, plan: ReorganizationPlan, **kwargs: Any) -> list[OpenWork]:
    """One line per ending body holding open assignments, with the body that will carry them."""
    successor = plan.carrier.name if plan.carrier is not None else ""
    rows = _open(plan).values("organization__name").annotate(count=Count("id")).order_by("organization__name")
    return [OpenWork(row["organization__name"], row["count"], successor) for row in rows]


def move_open_assignments(
    sender: type,
    reorganization: Reorganization,
    plan: ReorganizationPlan,
    carrier: Organization | None,
    **kwargs: Any,
) -> None:
    """Each open assignment of an ending body goes to the carrier, in the commit's transaction, with a
    transfer row saying where it came from and the assignment's own history recording the change. A task
    the carrier already holds (or that two ending bodies held) stays with one assignment: the lead's, else
    the carrier's own, else the first; the others are marked merged into it."""
    if carrier is None:
        return
    moving = list(_open(plan).select_related("organization").order_by("task_id", "id"))
    if not moving:
        return
    held = {
        assignment.task_id: assignment
        for assignment in Assignment.objects.filter(
            organization=carrier, task_id__in={a.task_id for a in moving}
        )
    }
    by_task: dict[int, list[Assignment]] = {}
    for assignment in moving:
        by_task.setdefault(assignment.task_id, []).append(assignment)
    moved: list[Assignment] = []
    transfers: list[AssignmentTransfer] = []
    for task_id, assignments in by_task.items():
        survivor = held.get(task_id)
        if survivor is None:
            survivor = min(assignments, key=lambda a: (_ROLE_ORDER.get(a.role, 2), a.id))
        for assignment in assignments:
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
                moved.append(assignment)
    bulk_update_with_history(
        moved,
        Assignment,
        ["organization"],
        batch_size=500,
        default_change_reason=f"{reorganization.get_kind_display()}: {reorganization.decision}"[:100],
    )
    AssignmentTransfer.objects.bulk_create(transfers, batch_size=500)
