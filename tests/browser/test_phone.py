"""The pages on a phone (390 × 844): nothing wider than the screen, so no sideways scrolling of the page."""

import pytest
from tests.browser.conftest import PHONE, log_in

pytestmark = pytest.mark.browser

PAGE_WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def test_the_inbox_fits_a_phone_screen_without_sideways_scrolling(new_page, published):
    page = new_page(PHONE)
    log_in(page, "reporter")
    page.goto("/directives/assignments/")
    assert page.locator("tr[id^=assignment-]").count() > 0
    scroll_width, client_width = page.evaluate(PAGE_WIDTH)
    assert scroll_width <= client_width, f"the page is {scroll_width}px wide on a {client_width}px screen"


def test_the_log_in_page_fits_a_phone_screen(new_page, site):
    page = new_page(PHONE)
    page.goto("/accounts/login/")
    scroll_width, client_width = page.evaluate(PAGE_WIDTH)
    assert scroll_width <= client_width
