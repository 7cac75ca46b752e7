"""The seed letter across the 2025 reorganisation, as the Organization Commission lives it: published on
17/4/2023 to the district standing boards among others, reports filed, then the province merger and the end
of the district level committed through the same service the planner uses. The task × body grid answers for
2023 with the district standing boards and for today with the bodies that carry their open work on."""

from datetime import date

import pytest
from tests.fixtures.replay import replayed

from dondoc.directives.models import Assignment, AssignmentTransfer
from dondoc.directives.selectors import task_body_grid
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.directives.status import Status
from dondoc.registry.history_2025 import load_2025_reorganization
from dondoc.registry.models import Organization, OrganizationKind

IN_2023, TODAY = date(2023, 6, 1), date(2026, 12, 4)
DISTRICTS = ("GNG", "CJU", "DGL", "DMI", "DRL", "DSO", "KNO", "TDU")


@pytest.fixture
def walked(published):
    """The seed letter published (tests/fixtures/members.py), Cư Jút done with one task in May 2023 and
    Đắk Song reporting progress on another, then the 2025 reorganisation committed: some 13 seconds, run for
    the first test and replayed for the others (tests/fixtures/replay.py)."""

    def walk():
        done = Assignment.objects.filter(task__directive=published, organization__code="CJU.BTV").first()
        report = draft_report(assignment=done, text="Đã hoàn thành rà soát", percent=100, reports_done=True)
        approve_report(report=report, on=date(2023, 5, 20))
        confirm_report(report=report, on=date(2023, 5, 22))
        going = Assignment.objects.filter(task__directive=published, organization__code="DSO.BTV").last()
        approve_report(
            report=draft_report(assignment=going, text="Đang xây dựng đề án", percent=40),
            on=date(2023, 5, 25),
        )
        load_2025_reorganization(today=TODAY)
        return published, done, going

    def read_again(first):
        _directive, done, going = first
        return published, Assignment.objects.get(pk=done.pk), Assignment.objects.get(pk=going.pk)

    return replayed("walked through 2025", walk, read_again)


def grid(directive, on: date):
    task_ids = list(directive.tasks.values_list("id", flat=True))
    return task_body_grid(task_ids=task_ids, assignments=Assignment.objects.all(), today=on)


def test_in_2023_the_grid_shows_the_eight_district_standing_boards(walked):
    directive, done, _ = walked
    rows = {row.name: row for row in grid(directive, IN_2023).rows}
    boards = Organization.objects.filter(code__in=[f"{code}.BTV" for code in DISTRICTS])
    assert {board.name for board in boards} <= set(rows)
    assert not any(row.carried_from or row.gone_since for row in rows.values())
    cell = next(c for c in rows[done.organization.name].cells if c and c.assignment_id == done.id)
    assert cell.status == Status.DONE_ON_TIME.value or cell.status == Status.DONE_LATE.value


def test_today_the_open_work_of_the_boards_is_carried_by_bodies_that_exist(walked):
    directive, done, going = walked
    boards = list(Organization.objects.filter(code__in=[f"{code}.BTV" for code in DISTRICTS]))
    assert all(not board.is_valid_on(TODAY) for board in boards)
    moved = Assignment.objects.filter(transfers__from_organization__in=boards, transfers__merged_into=None)
    assert (
        moved.count()
        == AssignmentTransfer.objects.filter(from_organization__in=boards, merged_into=None).count()
        > 0
    )
    assert all(each.organization.is_valid_on(TODAY) for each in moved.select_related("organization"))
    going.refresh_from_db()
    assert going.organization.is_valid_on(TODAY) and going.organization.code != "DSO.BTV"
    assert going.reports.get().text == "Đang xây dựng đề án"  # its history travels with it
    done.refresh_from_db()
    assert done.organization.code == "CJU.BTV"  # what Cư Jút finished stays Cư Jút's

    rows = {row.name: row for row in grid(directive, TODAY).rows}
    carrying = rows[going.organization.name]
    assert "Ban Thường vụ Huyện ủy Đắk Song" in carrying.carried_from
    live_boards = {board.name for board in boards} & set(rows)
    assert live_boards == {"Ban Thường vụ Huyện ủy Cư Jút"}  # only for the task it finished
    assert sum(1 for cell in rows["Ban Thường vụ Huyện ủy Cư Jút"].cells if cell) == 1
    assert rows["Ban Thường vụ Huyện ủy Cư Jút"].gone_since == date(2025, 7, 1)
    assert carrying.gone_since is None


def test_the_successors_of_the_standing_boards_are_bodies_of_the_new_province(walked):
    boards = Organization.objects.filter(code__in=[f"{code}.BTV" for code in DISTRICTS])
    carriers = set(
        AssignmentTransfer.objects.filter(from_organization__in=boards).values_list(
            "to_organization__kind", flat=True
        )
    )
    assert carriers and carriers <= set(OrganizationKind.values)
