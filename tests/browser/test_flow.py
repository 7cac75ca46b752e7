"""The whole flow as its users walk it, in a real browser: the monitor imports, reviews and publishes the seed
letter; Cư Jút's reporter reports task 9 done, the body's leader approves and sends it; the monitor confirms;
the status changes in the inbox and on the directive. Screenshots of each page on the way
(var/screenshots)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, log_in, screenshots
from tests.fixtures.members import SEED, VAGUE

from dondoc.directives.models import (
    Assignment,
    Directive,
    DirectiveState,
    ImportJob,
    ProgressReport,
    ReportState,
)

pytestmark = pytest.mark.browser

TASK_9_BODY = "CJU.BTV"
REPORT = "Đã rà soát, đánh giá kết quả thực hiện và báo cáo Ban Thường vụ Tỉnh ủy; nhiệm vụ hoàn thành."


def inbox_status(page: Page, assignment: Assignment) -> str:
    return page.locator(f"#assignment-{assignment.pk} .status").get_attribute("class") or ""


def task_summary(page: Page, assignment: Assignment) -> dict[str, int]:
    """The directive page's count of bodies per status for the assignment's task."""
    spans = page.locator(f"#task-{assignment.task_id} .summary .status")
    return {
        spans.nth(index).get_attribute("data-status") or "": int(
            spans.nth(index).get_attribute("data-count") or 0
        )
        for index in range(spans.count())
    }


def grid_cell(page: Page, directive: Directive, assignment: Assignment) -> str:
    """The class of the task × body grid's cell for the assignment (s-<status>)."""
    position = list(directive.tasks.order_by("position").values_list("pk", flat=True)).index(
        assignment.task_id
    )
    cell = page.locator(f"#task-body tr[data-body='{assignment.organization_id}'] td").nth(position)
    return cell.get_attribute("class") or ""


def import_review_and_publish(page: Page) -> Directive:
    """The monitor uploads the seed letter, waits for the review page, decides the vague phrase, publishes."""
    page.get_by_role("navigation").locator("a[href='/directives/import/']").click()
    page.wait_for_url("**/directives/import/")
    screenshots(page, "import")
    page.locator("#id_file").set_input_files(SEED)
    with page.expect_navigation():
        page.locator("form.import-form button[type=submit]").click()
    # the job's page follows the background reading and offers the review (or htmx goes there by itself)
    page.wait_for_url(re.compile(r"/directives/(import/\d+|\d+/review)/$"))
    if "/review/" not in page.url:
        screenshots(page, "import-job")
        page.locator("#review-link").click()
        page.wait_for_url(re.compile(r"/directives/\d+/review/$"))
    job = ImportJob.objects.get()
    assert job.directive is not None and job.directive.state == DirectiveState.DRAFT
    assert job.uploaded_by is not None and job.uploaded_by.username == "monitor"
    screenshots(page, "review")

    # publishing without the confirmation and the decision is refused, plainly
    with page.expect_navigation():
        page.locator("#publish-button").click()
    assert page.locator("ul.messages .error").count() >= 1
    assert Directive.objects.get().state == DirectiveState.DRAFT

    decision = page.locator("fieldset.decision").filter(has=page.locator("legend", has_text=VAGUE))
    assert decision.count() == 1, "the vague phrase is not offered for a decision"
    decision.locator("input[value=none]").check()
    page.locator("#confirm").check()
    with page.expect_navigation():
        page.locator("#publish-button").click()
    directive = Directive.objects.get()
    assert directive.state == DirectiveState.PUBLISHED
    page.wait_for_url(f"**/directives/{directive.pk}/")
    assert directive.reviewed_by is not None and directive.reviewed_by.username == "monitor"
    return directive


def test_import_review_publish_report_approve_confirm_as_the_users_do_it(new_page, users):
    # 1. the monitor imports, reviews and publishes the seed letter
    monitor = new_page(LAPTOP)
    monitor.goto("/accounts/login/")
    screenshots(monitor, "login")
    log_in(monitor, "monitor")
    directive = import_review_and_publish(monitor)
    assignment = Assignment.objects.get(
        task__directive=directive, task__label="9", organization__code=TASK_9_BODY
    )
    assert task_summary(monitor, assignment).get("not_yet_due", 0) >= 1
    assert "s-not_yet_due" in grid_cell(monitor, directive, assignment)
    screenshots(monitor, "directive", full_page=False)

    # 2. Cư Jút's reporter: the inbox, task 9's assignment, a draft saying the task is done
    reporter = new_page(LAPTOP)
    log_in(reporter, "reporter")
    assert reporter.url.endswith("/directives/assignments/")  # a unit's users start from their inbox
    assert "status-not_yet_due" in inbox_status(reporter, assignment)
    screenshots(reporter, "inbox")
    reporter.locator(f"#assignment-{assignment.pk} a").first.click()
    reporter.wait_for_url(f"**/directives/assignments/{assignment.pk}/")
    assert reporter.locator("#status").get_attribute("data-status") == "not_yet_due"
    screenshots(reporter, "assignment")
    reporter.locator("#id_text").fill(REPORT)
    reporter.locator("#id_reports_done").check()
    with reporter.expect_navigation():
        reporter.locator("#report-form button[type=submit]").click()
    report = ProgressReport.objects.get(assignment=assignment)
    assert (
        report.state == ReportState.DRAFT and report.reports_done and report.drafted_by == users["reporter"]
    )
    assert reporter.locator(f"#report-{report.pk}").get_attribute("data-state") == "draft"
    assert reporter.locator(f"#approve-{report.pk}").count() == 0  # only the leader sends it

    # 3. the body's leader approves and sends it
    leader = new_page(LAPTOP)
    log_in(leader, "leader")
    leader.goto(f"/directives/assignments/{assignment.pk}/")
    with leader.expect_navigation():
        leader.locator(f"#approve-{report.pk}").click()
    assert leader.locator(f"#report-{report.pk}").get_attribute("data-state") == "sent"
    report.refresh_from_db()
    assert report.state == ReportState.SENT and report.approved_by == users["leader"]
    # a sent report puts the task in progress; done waits for the monitor
    assert leader.locator("#status").get_attribute("data-status") == "in_progress"

    # 4. back as the monitor: confirm completion
    monitor.goto(f"/directives/assignments/{assignment.pk}/")
    with monitor.expect_navigation():
        monitor.locator(f"#confirm-{report.pk}").click()
    assert monitor.locator(f"#report-{report.pk}").get_attribute("data-state") == "confirmed"
    assert monitor.locator("#status").get_attribute("data-status") == "done_on_time"
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED and report.decided_by == users["monitor"]

    # 5. the status changed where it shows: the body's inbox, the directive's task summary and grid
    reporter.goto("/directives/assignments/")
    assert "status-done_on_time" in inbox_status(reporter, assignment)
    monitor.goto(f"/directives/{directive.pk}/")
    assert task_summary(monitor, assignment).get("done_on_time") == 1
    assert "s-done_on_time" in grid_cell(monitor, directive, assignment)

    # 6. the search finds the letter without its accents; a screenshot of the results
    monitor.goto("/directives/search/?q=thuc+hien+ket+luan+so+50")
    assert monitor.locator(f"#documents a[href='/directives/{directive.pk}/']").count() == 1
    screenshots(monitor, "search")
