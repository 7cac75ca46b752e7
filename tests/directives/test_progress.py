from datetime import date

import pytest

from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.directives.selectors import assignment_statuses
from dondoc.directives.services import (
    DirectiveError,
    approve_report,
    confirm_report,
    create_draft,
    draft_report,
    publish_directive,
    return_report,
)
from dondoc.directives.status import Status
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"


@pytest.fixture
def published(db):
    load_sample_registry()
    text = read_document(SEED).text
    directive = create_draft(parsed=parse_text(text), source_text=text)
    publish_directive(directive=directive, decisions={"Các cơ quan, đơn vị liên quan": []})
    return directive


def task_9_of(code: str) -> Assignment:
    return Assignment.objects.get(task__label="9", organization__code=code)


def by_date_assignment() -> Assignment:
    return Assignment.objects.filter(task__deadline_kind="by_date").select_related("task").first()


def status(assignment: Assignment, today: date) -> Status:
    return assignment_statuses(assignments=Assignment.objects.filter(pk=assignment.pk), today=today)[
        assignment.pk
    ]


def test_a_draft_leaves_the_body_only_once_its_leader_approves(published):
    assignment = by_date_assignment()
    before = assignment.due.replace(day=1)
    report = draft_report(assignment=assignment, text="Đã xây dựng dự thảo đề án", percent=40)
    assert status(assignment, before) == Status.NOT_YET_DUE  # a draft counts for nothing yet
    approve_report(report=report, on=before)
    assert status(assignment, before) == Status.IN_PROGRESS


def test_done_reported_on_time_and_confirmed_later_is_done_on_time(published):
    assignment = by_date_assignment()
    report = draft_report(assignment=assignment, text="Hoàn thành", percent=100, reports_done=True)
    approve_report(report=report, on=assignment.due)
    assert status(assignment, date(2030, 1, 1)) not in (
        Status.DONE_ON_TIME,
        Status.DONE_LATE,
    )  # not yet confirmed
    confirm_report(report=report, on=date(2030, 1, 1))
    assert status(assignment, date(2030, 1, 2)) == Status.DONE_ON_TIME


def test_unconfirmed_work_past_the_deadline_is_overdue(published):
    assignment = by_date_assignment()
    report = draft_report(assignment=assignment, text="Đang thực hiện", percent=60)
    approve_report(report=report, on=assignment.due)
    assert status(assignment, date(2030, 1, 1)) == Status.OVERDUE


def test_the_monitor_returns_a_report_with_a_comment(published):
    report = draft_report(assignment=by_date_assignment(), text="Xong", percent=100, reports_done=True)
    with pytest.raises(DirectiveError):
        return_report(report=report, comment="Chưa gửi")  # a draft is not the monitor's to return
    approve_report(report=report, on=date(2023, 5, 10))
    with pytest.raises(DirectiveError):
        return_report(report=report, comment="  ")
    returned = return_report(report=report, comment="Bổ sung số liệu biên chế")
    assert (returned.state, returned.comment) == (ReportState.RETURNED, "Bổ sung số liệu biên chế")
    with pytest.raises(DirectiveError):
        confirm_report(report=returned, on=date(2023, 5, 12))


def test_a_report_that_does_not_say_done_cannot_be_confirmed(published):
    report = draft_report(assignment=task_9_of("CJU.BTV"), text="Đang rà soát", percent=30)
    approve_report(report=report, on=date(2023, 5, 10))
    with pytest.raises(DirectiveError):
        confirm_report(report=report, on=date(2023, 5, 12))


@pytest.mark.parametrize(("percent", "text"), [(101, "x"), (-1, "x"), (50, "   ")])
def test_bad_reports_are_refused(published, percent, text):
    with pytest.raises(DirectiveError):
        draft_report(assignment=task_9_of("CJU.BTV"), text=text, percent=percent)
    assert ProgressReport.objects.count() == 0


def test_statuses_of_a_whole_list_in_one_query(published, django_assert_num_queries):
    assignments = Assignment.objects.all()
    with django_assert_num_queries(1):
        statuses = assignment_statuses(assignments=assignments, today=date(2023, 6, 1))
    assert len(statuses) == assignments.count()
    assert set(statuses.values()) <= set(Status)


def test_a_reorganisation_plan_lists_the_open_assignments_of_the_bodies_it_ends(published):
    from dondoc.registry.models import Level, Organization, OrganizationKind, ReorganizationKind
    from dondoc.registry.reorganization import NewBody, plan_reorganization

    boards = [Organization.objects.get(code=code) for code in ("CJU.BTV", "DSO.BTV")]
    plan = plan_reorganization(
        kind=ReorganizationKind.MERGE,
        originals=boards,
        effective_on=date(2025, 7, 1),
        decision="Nghị quyết 1",
        new_bodies=[
            NewBody(
                code="NEW.BTV",
                name="Ban Thường vụ Huyện ủy mới",
                kind=OrganizationKind.STANDING_BOARD,
                level=Level.DISTRICT,
            )
        ],
    )
    expected = {b.name: Assignment.objects.filter(organization=b).count() for b in boards}
    assert all(count > 0 for count in expected.values())
    assert {(work.body, work.count, work.successor) for work in plan.open_work} == {
        (name, count, "Ban Thường vụ Huyện ủy mới") for name, count in expected.items()
    }
