"""The chain of implementation as a monitor walks it, in a real browser: Cư Jút's plan carrying out the seed
letter is imported, the links its import proposed are confirmed one by one on the review page, the plan is
published; once Cư Jút's bodies have done the plan's task, the letter's page shows the task carried out
through the plan, and the chain page shows the three levels. Screenshots of the review and the chain page
(var/screenshots)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, TODAY, log_in, screenshots

from dondoc.demo.chain import SAMPLES
from dondoc.directives.models import (
    Assignment,
    Directive,
    DirectiveState,
    LinkState,
    TaskLink,
)
from dondoc.directives.services import approve_report, confirm_report, draft_report

pytestmark = pytest.mark.browser

PLAN = SAMPLES / "45-KH-HU-CU-JUT.md"


def import_plan(page: Page) -> Directive:
    page.goto("/directives/import/")
    page.locator("#id_file").set_input_files(PLAN)
    with page.expect_navigation():
        page.locator("form.import-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/directives/(import/\d+|\d+/review)/$"))
    if "/review/" not in page.url:
        page.locator("#review-link").click()
        page.wait_for_url(re.compile(r"/directives/\d+/review/$"))
    return Directive.objects.get(number="45-KH/HU")


def confirm_every_proposed_link(page: Page) -> int:
    """Click "Confirm the link" on each task until none is left; how many were confirmed."""
    confirmed = 0
    proposing = page.locator(".task-link", has=page.locator("button[name=confirm]"))
    while proposing.count():
        task = proposing.first.get_attribute("data-task")
        proposing.first.locator("button[name=confirm]").first.click()
        page.locator(f"#task-{task}-link .implements[data-state=confirmed]").first.wait_for()
        confirmed += 1
    return confirmed


def test_a_districts_plan_is_linked_in_review_and_its_progress_shows_on_the_provinces_letter(
    new_page, users, published
):
    monitor = new_page(LAPTOP)
    log_in(monitor, "monitor")
    plan = import_plan(monitor)
    proposed = TaskLink.objects.filter(child__directive=plan, state=LinkState.PROPOSED)
    assert proposed.count() >= 4, "the import proposed no links to the letter's tasks"
    assert {link.parent.directive_id for link in proposed} == {published.pk}
    screenshots(monitor, "review-links")

    # publishing waits for the links
    monitor.locator("#confirm").check()
    with monitor.expect_navigation():
        monitor.locator("#publish-button").click()
    assert Directive.objects.get(pk=plan.pk).state == DirectiveState.DRAFT
    assert monitor.locator("ul.messages .error").count() >= 1

    assert confirm_every_proposed_link(monitor) == proposed.count() or not proposed.exists()
    assert not TaskLink.objects.filter(child__directive=plan, state=LinkState.PROPOSED).exists()
    monitor.locator("#confirm").check()
    with monitor.expect_navigation():
        monitor.locator("#publish-button").click()
    assert Directive.objects.get(pk=plan.pk).state == DirectiveState.PUBLISHED

    # Cư Jút's bodies do the plan's tasks carrying out the letter's task 1, on time
    links = TaskLink.objects.filter(child__directive=plan, parent__label="1", state=LinkState.CONFIRMED)
    assert links.exists()
    for assignment in Assignment.objects.filter(task__in=[link.child_id for link in links]):
        report = draft_report(
            assignment=assignment, text="Đã quán triệt đến 100% chi bộ.", percent=100, reports_done=True
        )
        approve_report(report=report, on=date(2023, 5, 8))
        confirm_report(report=report, on=TODAY, by=users["monitor"])
    link = links.first()
    assert link is not None

    # the letter's page: task 1 carried out through the plan, done on time
    monitor.goto(f"/directives/{published.pk}/")
    shown = monitor.locator(f"#task-{link.parent_id} .plans .plan[data-plan='{plan.pk}']")
    assert shown.count() == 1
    assert shown.get_attribute("data-status") == "done_on_time"
    assert "45-KH/HU" in shown.inner_text()

    # the chain page: KL 50 (known by its number) → 1317-CV/TU → 45-KH/HU
    monitor.goto(f"/directives/{plan.pk}/chain/")
    text = monitor.locator("main").inner_text()
    assert text.index("50-KL/TW") < text.index("1317-CV/TU") < text.rindex("45-KH/HU")
    screenshots(monitor, "chain")
