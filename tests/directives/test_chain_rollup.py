"""Progress rolls up the chain: on the seed letter's task × body grid and on the assignment page, a district
standing board carrying a task out through its own plan (Cư Jút's 45-KH/HU) shows the status derived from
the plan's tasks, marked as derived, with the plan's progress."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from dondoc.directives.models import Assignment, Directive, LinkState, TaskLink
from dondoc.directives.rendering import grid_body
from dondoc.directives.selectors import GridCell, GridRow, PlanProgress, TaskBodyGrid, plan_progress
from dondoc.directives.services import (
    approve_report,
    confirm_link,
    confirm_report,
    create_draft,
    draft_report,
    publish_directive,
)
from dondoc.directives.status import Status
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Organization

CU_JUT = "src/dondoc/samples/45-KH-HU-CU-JUT.md"
EN = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def language_kept():
    """A page request switches the thread's language (LocaleMiddleware); the tests after these read in the
    default one again."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def plan(published: Directive, settings) -> Directive:
    """Cư Jút's plan, its proposed links confirmed, published; "today" is in January 2024, every deadline of
    the plan passed."""
    settings.DONDOC_TODAY = "2024-01-15"
    text = read_document(CU_JUT).text
    plan = create_draft(parsed=parse_text(text), source_text=text, file_sha256="d" * 64)
    for link in TaskLink.objects.filter(child__directive=plan, state=LinkState.PROPOSED):
        confirm_link(link=link)
    publish_directive(directive=plan)
    plan.refresh_from_db()
    return plan


def finish(assignments) -> None:
    """Each assignment reported done two days before its deadline, and confirmed."""
    for assignment in assignments:
        report = draft_report(assignment=assignment, text="Đã hoàn thành.", percent=100, reports_done=True)
        approve_report(report=report, on=assignment.due - timedelta(days=2))
        confirm_report(report=report, on=assignment.due - timedelta(days=1))


def the_letter_s_task_1_for(published: Directive, code: str) -> Assignment:
    return Assignment.objects.get(task__directive=published, task__position=1, organization__code=code)


def cell(page: str, assignment: Assignment) -> str:
    """The grid's cell linking to an assignment."""
    before, _link, _after = page.partition(f'href="/directives/assignments/{assignment.pk}/"')
    return before[before.rindex("<td") :]


def test_the_plan_is_cu_jut_s_standing_board_s_the_issuer_being_its_party_committee(plan):
    assert plan.issuer == Organization.objects.get(code="CJU.HU")


def test_a_body_whose_plan_s_tasks_are_all_done_shows_done_derived_on_the_grid(plan, published, client_for):
    finish(Assignment.objects.filter(task__directive=plan))
    page = client_for("monitor").get(f"/directives/{published.pk}/", headers=EN).content.decode()
    cu_jut = cell(page, the_letter_s_task_1_for(published, "CJU.BTV"))
    assert 'class="s-done_on_time derived"' in cu_jut and f'data-plan="{plan.pk}"' in cu_jut
    assert "through its plan 45-KH/HU: 1 of 1 tasks done" in cu_jut
    dak_song = cell(page, the_letter_s_task_1_for(published, "DSO.BTV"))
    assert "derived" not in dak_song
    # the task's line names the plan, linked
    assert f'<a href="/directives/{plan.pk}/">45-KH/HU</a>: 1 of 1 tasks done' in page


def test_a_plan_task_past_its_deadline_makes_the_body_s_status_overdue(plan, published, client_for):
    page = client_for("monitor").get(f"/directives/{published.pk}/", headers=EN).content.decode()
    assert 'class="s-overdue derived"' in cell(page, the_letter_s_task_1_for(published, "CJU.BTV"))


def test_the_assignment_page_shows_the_plan_s_progress_as_derived(plan, published, client_for):
    finish(Assignment.objects.filter(task__directive=plan))
    assignment = the_letter_s_task_1_for(published, "CJU.BTV")
    page = client_for("monitor").get(f"/directives/assignments/{assignment.pk}/", headers=EN).content.decode()
    shown = page.split('id="plan-progress"')[1].split("</dd>")[0]
    assert 'data-status="done_on_time"' in shown and f'<a href="/directives/{plan.pk}/">45-KH/HU</a>' in shown
    assert "1 of 1 tasks done" in shown and "derived from the tasks of the body’s own plan" in shown
    # the assignment's own status is untouched: it was never reported on
    assert 'id="status" data-status="overdue"' in page


def test_the_standing_board_s_own_users_see_their_plan_s_progress_without_a_link_they_cannot_follow(
    plan, published, client_for
):
    assignment = the_letter_s_task_1_for(published, "CJU.BTV")
    page = (
        client_for("reporter").get(f"/directives/assignments/{assignment.pk}/", headers=EN).content.decode()
    )
    shown = page.split('id="plan-progress"')[1].split("</dd>")[0]
    assert "45-KH/HU" in shown and f'href="/directives/{plan.pk}/"' not in shown


def test_plan_progress_is_read_in_three_queries(plan, published, django_assert_num_queries):
    finish(Assignment.objects.filter(task__directive=plan, task__position__in=[1, 3]))
    task_ids = list(published.tasks.values_list("id", flat=True))
    with django_assert_num_queries(3):
        progress = plan_progress(task_ids=task_ids, today=date(2024, 1, 15))
    board = Organization.objects.get(code="CJU.BTV")
    first = progress[published.tasks.get(position=1).pk, board.pk]
    assert (first.done, first.tasks, first.status) == (1, 1, Status.DONE_ON_TIME)
    tenth = progress[published.tasks.get(position=10).pk, board.pk]
    assert (tenth.done, tenth.status) == (0, Status.OVERDUE)


def test_a_derived_cell_says_so_with_every_piece_escaped():
    plan = PlanProgress(directive_id=9, number='<b>"45"</b>', tasks=2, done=1, done_late=0, overdue=1)
    row = GridRow(7, "Ban Thường vụ Huyện ủy Cư Jút", "ban", [GridCell(31, "lead", "not_yet_due", plan)])
    with translation.override("en"):
        html = grid_body(TaskBodyGrid(rows=[row], summaries=[], bodies=1))
    assert '<td class="s-overdue derived" data-plan="9"' in html and "<b>" not in html
    assert (
        "lead, overdue, derived: through its plan &lt;b&gt;&quot;45&quot;&lt;/b&gt;: 1 of 2 tasks done"
        in html
    )
    assert '<a href="/directives/assignments/31/">L<span aria-hidden="true">↳</span>' in html


def test_plan_progress_for_one_body_reads_only_the_plans_that_may_be_its_own(plan, published):
    """An assignment's page asks for its body alone: the board's plan (issued by its Party committee) is read
    as when every plan is, and another body asks for nothing of it."""
    task_ids = list(published.tasks.values_list("id", flat=True))
    board = Organization.objects.get(code="CJU.BTV")
    every_plan = plan_progress(task_ids=task_ids, today=date(2024, 1, 15))
    the_board_s = plan_progress(task_ids=task_ids, today=date(2024, 1, 15), body=board)
    board_s = {key: progress for key, progress in every_plan.items() if key[1] == board.pk}
    assert board_s
    assert {key: progress for key, progress in the_board_s.items() if key[1] == board.pk} == board_s
    other = Organization.objects.exclude(pk__in=[board.pk, board.parent_id]).exclude(
        parent_id=board.parent_id
    )
    assert plan_progress(task_ids=task_ids, today=date(2024, 1, 15), body=other.first()) == {}
