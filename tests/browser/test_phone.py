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


def test_a_directives_fields_stack_on_a_phone_and_sit_beside_their_labels_on_a_laptop(new_page, published):
    """On a phone each value takes the screen's width under its label; it was squeezed beside the longest
    label (Vietnamese "Thời điểm phát hành giao việc"), a few words a line."""
    for size, stacked in ((PHONE, True), ({"width": 1366, "height": 900}, False)):
        page = new_page(size)
        log_in(page, "monitor")
        page.goto(f"/directives/{published.pk}/")
        fields = page.locator("dl.fields").first.bounding_box()
        label = page.locator("dl.fields dt").nth(3).bounding_box()  # the subject's
        value = page.locator("dl.fields dd").nth(3).bounding_box()
        assert fields and label and value
        if stacked:
            assert value["x"] == label["x"] and value["y"] >= label["y"] + label["height"]
            assert value["width"] >= 0.95 * fields["width"]
        else:
            assert value["x"] > label["x"] + label["width"] and value["y"] == label["y"]
            assert value["width"] >= 0.5 * fields["width"]
