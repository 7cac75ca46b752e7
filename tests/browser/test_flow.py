"""The whole flow as its users walk it, in a real browser: the monitor imports, reviews and publishes the seed
letter; Cư Jút's reporter reports task 9 done, the body's leader approves and sends it; the monitor confirms;
the status changes in the inbox and on the directive."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot

from dondoc.directives.models import Assignment, Directive, ProgressReport, ReportState

pytestmark = pytest.mark.browser

TASK_9_BODY = "CJU.BTV"


def status_of(page: Page, assignment: Assignment) -> str | None:
    return page.locator(f"#assignment-{assignment.pk} .status").get_attribute("class")


def report_on_task_9(new_page, directive: Directive) -> Assignment:
    assignment = Assignment.objects.get(
        task__directive=directive, task__label="9", organization__code=TASK_9_BODY
    )
    # the reporter: the inbox, then the assignment, then a draft saying the task is done
    page = new_page(LAPTOP)
    log_in(page, "reporter")
    page.goto("/directives/assignments/")
    assert "status-not_yet_due" in status_of(page, assignment)
    screenshot(page, "inbox")
    page.locator(f"#assignment-{assignment.pk} a").first.click()
    page.wait_for_url(f"**/directives/assignments/{assignment.pk}/")
    assert page.locator("#status").get_attribute("data-status") == "not_yet_due"
    page.locator("#id_text").fill("Đã rà soát, bố trí cán bộ cấp ủy theo đúng quy định; báo cáo hoàn thành.")
    page.locator("#id_reports_done").check()
    screenshot(page, "assignment")
    with page.expect_navigation():
        page.locator("#report-form button[type=submit]").click()
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.state == ReportState.DRAFT and report.reports_done
    assert page.locator(f"#report-{report.pk}").get_attribute("data-state") == "draft"
    assert page.locator(f"#approve-{report.pk}").count() == 0  # the reporter may not send it

    # the leader approves and sends it
    page = new_page(LAPTOP)
    log_in(page, "leader")
    page.goto(f"/directives/assignments/{assignment.pk}/")
    with page.expect_navigation():
        page.locator(f"#approve-{report.pk}").click()
    assert page.locator(f"#report-{report.pk}").get_attribute("data-state") == "sent"
    report.refresh_from_db()
    assert report.state == ReportState.SENT

    # the monitor confirms completion: the status becomes "done on time" on the assignment and in the inbox
    page = new_page(LAPTOP)
    log_in(page, "monitor")
    page.goto(f"/directives/assignments/{assignment.pk}/")
    with page.expect_navigation():
        page.locator(f"#confirm-{report.pk}").click()
    assert page.locator(f"#report-{report.pk}").get_attribute("data-state") == "confirmed"
    assert page.locator("#status").get_attribute("data-status") == "done_on_time"
    page = new_page(PHONE)
    log_in(page, "reporter")
    page.goto("/directives/assignments/")
    assert "status-done_on_time" in status_of(page, assignment)
    return assignment


def test_a_district_reports_task_9_done_its_leader_sends_it_and_the_monitor_confirms(new_page, published):
    report_on_task_9(new_page, published)
