"""The follow-up sent by hand, its bodies chosen with the keyboard alone: the late ones come chosen, then
"Select all bodies" and "Select no body" (shown by the page's script) tick and clear every box."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page
from tests.browser.conftest import log_in

from dondoc.directives.models import Directive

pytestmark = pytest.mark.browser

BETWEEN_DEADLINES = date(2023, 5, 20)  # task 9 of the seed letter (due 14/05) is late, task 1 (31/05) not yet


def checked(page: Page) -> tuple[int, int]:
    boxes = page.locator("#followup-form input[name=assignments]")
    return page.locator("#followup-form input[name=assignments]:checked").count(), boxes.count()


def test_every_body_is_chosen_or_none_from_the_keyboard(new_page, published: Directive, settings):
    settings.DONDOC_TODAY = BETWEEN_DEADLINES
    monitor = new_page()
    log_in(monitor, "monitor")
    monitor.goto(f"/followup/directives/{published.pk}/followup/")
    late, every = checked(monitor)
    assert 0 < late < every
    select_all = monitor.locator("#choose-all button[data-check=all]")
    assert select_all.is_visible()

    select_all.focus()
    monitor.keyboard.press("Enter")
    assert checked(monitor) == (every, every)
    monitor.keyboard.press("Tab")
    assert monitor.evaluate("document.activeElement.dataset.check") == "none"
    monitor.keyboard.press("Space")
    assert checked(monitor) == (0, every)
    monitor.keyboard.press("Shift+Tab")
    monitor.keyboard.press("Space")
    assert checked(monitor) == (every, every)
