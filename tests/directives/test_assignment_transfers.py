"""A reorganisation moves the open assignments of the bodies it ends to the body that carries them, in the
commit's transaction, and the grid shows each assignment under the body that held it on the day asked. The
seed letter is published by the shared fixture (tests/fixtures/members.py)."""

from datetime import date

import pytest
from django.db import connection

from dondoc.directives.models import Assignment, AssignmentTransfer
from dondoc.directives.receivers import newest_destination
from dondoc.directives.selectors import task_body_grid
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.registry.models import Level, Organization, OrganizationKind, ReorganizationKind
from dondoc.registry.reorganization import NewBody, commit_reorganization, plan_reorganization

EFFECTIVE = date(2025, 7, 1)
BEFORE, AFTER = date(2023, 6, 1), date(2025, 8, 1)


def body(code: str) -> Organization:
    return Organization.objects.get(code=code)


def dissolve(code: str, successor: str | None):
    plan = plan_reorganization(
        kind=ReorganizationKind.DISSOLVE,
        originals=[body(code)],
        successor=body(successor) if successor else None,
        effective_on=EFFECTIVE,
        decision="Quyết định số 9-QĐ/TU ngày 30/6/2025",
    )
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    return plan


def test_a_dissolution_moves_the_open_assignments_to_the_successor_with_their_history(published):
    board = body("CJU.BTV")
    open_before = set(Assignment.objects.filter(organization=board).values_list("id", flat=True))
    assert open_before
    plan = dissolve("CJU.BTV", "GNG-NGHIA-DUC.DU")
    assert [(w.body, w.count, w.successor) for w in plan.open_work] == [
        (board.name, len(open_before), "Đảng ủy phường Nghĩa Đức")
    ]
    moved = Assignment.objects.filter(id__in=open_before)
    assert set(moved.values_list("organization__code", flat=True)) == {"GNG-NGHIA-DUC.DU"}
    assert set(
        AssignmentTransfer.objects.filter(assignment__in=moved).values_list(
            "from_organization__code", "effective_on", "merged_into"
        )
    ) == {("CJU.BTV", EFFECTIVE, None)}
    history = moved.first().history.first()
    assert history.organization_id == body("GNG-NGHIA-DUC.DU").id
    assert "9-QĐ/TU" in history.history_change_reason


def test_work_moved_twice_goes_to_the_last_successor_with_both_transfers(published):
    """Each commit moves an assignment to its newest transfer's body: the one the commit itself wrote."""
    moving = set(Assignment.objects.filter(organization__code="CJU.BTV").values_list("id", flat=True))
    dissolve("CJU.BTV", "GNG-NGHIA-DUC.DU")
    dissolve("GNG-NGHIA-DUC.DU", "GNG-NGHIA-TAN.DU")
    moved = Assignment.objects.filter(id__in=moving)
    assert set(moved.values_list("organization__code", flat=True)) == {"GNG-NGHIA-TAN.DU"}
    assert sorted(
        AssignmentTransfer.objects.filter(assignment=moved.first()).values_list(
            "from_organization__code", "to_organization__code"
        )
    ) == [("CJU.BTV", "GNG-NGHIA-DUC.DU"), ("GNG-NGHIA-DUC.DU", "GNG-NGHIA-TAN.DU")]


def test_a_confirmed_assignment_stays_with_the_body_that_did_it(published):
    assignment = Assignment.objects.filter(organization__code="CJU.BTV").first()
    report = draft_report(assignment=assignment, text="Đã hoàn thành", percent=100, reports_done=True)
    approve_report(report=report, on=date(2024, 1, 5))
    confirm_report(report=report, on=date(2024, 1, 6))
    dissolve("CJU.BTV", "GNG-NGHIA-DUC.DU")
    assignment.refresh_from_db()
    assert assignment.organization.code == "CJU.BTV"
    assert not assignment.transfers.exists()


def test_without_a_successor_nothing_moves_and_the_plan_says_so(published):
    plan = dissolve("CJU.BTV", None)
    assert plan.open_work and not plan.open_work[0].successor
    assert any("chưa hoàn thành" in warning for warning in plan.warnings)
    assert not AssignmentTransfer.objects.exists()


def test_two_bodies_merged_with_the_same_task_keep_one_assignment_of_it(published):
    boards = [body("CJU.BTV"), body("DSO.BTV")]
    tasks = set(Assignment.objects.filter(organization=boards[0]).values_list("task_id", flat=True))
    shared = tasks & set(Assignment.objects.filter(organization=boards[1]).values_list("task_id", flat=True))
    assert shared
    plan = plan_reorganization(
        kind=ReorganizationKind.MERGE,
        originals=boards,
        effective_on=EFFECTIVE,
        decision="Quyết định số 10-QĐ/TU",
        new_bodies=[
            NewBody(
                code="NEW.BTV",
                name="Ban Thường vụ mới",
                kind=OrganizationKind.STANDING_BOARD,
                level=Level.DISTRICT,
            )
        ],
    )
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    merged = body("NEW.BTV")
    assert (
        set(Assignment.objects.filter(organization=merged).values_list("task_id", flat=True))
        == tasks | shared
    )
    for task_id in shared:
        kept = Assignment.objects.get(organization=merged, task_id=task_id)
        [folded] = AssignmentTransfer.objects.filter(assignment__task_id=task_id, merged_into__isnull=False)
        assert folded.merged_into == kept
        assert folded.assignment.organization in boards  # stays where it was, marked


def test_the_grid_shows_the_body_that_held_each_task_on_the_day_asked(published):
    task_ids = list(published.tasks.values_list("id", flat=True))
    dissolve("CJU.BTV", "GNG-NGHIA-DUC.DU")

    def rows(on: date) -> dict[str, list[str]]:
        grid = task_body_grid(task_ids=task_ids, assignments=Assignment.objects.all(), today=on)
        return {row.name: row.carried_from for row in grid.rows}

    before, after = rows(BEFORE), rows(AFTER)
    assert before["Ban Thường vụ Huyện ủy Cư Jút"] == []
    assert "Đảng ủy phường Nghĩa Đức" not in before
    assert "Ban Thường vụ Huyện ủy Cư Jút" not in after
    assert after["Đảng ủy phường Nghĩa Đức"] == ["Ban Thường vụ Huyện ủy Cư Jút"]
    assert len(before) == len(after)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_move_reads_each_assignments_newest_transfer_from_its_index(published):
    """The move's lookup (directives.receivers.move_open_assignments) in a commit's transaction, on a table
    without statistics: PostgreSQL walked the primary key back from the newest transfer for each assignment
    moved, quadratic in a commit's transfers (the generated 2025 mergers at 10,000,000 assignments)."""
    moving = list(Assignment.objects.filter(organization__code="CJU.BTV").values_list("id", flat=True))
    dissolve("CJU.BTV", "GNG-NGHIA-DUC.DU")
    plan = Assignment.objects.filter(id__in=moving).annotate(carried_to=newest_destination()).explain()
    assert "assignment_transfer_newest" in plan, plan
