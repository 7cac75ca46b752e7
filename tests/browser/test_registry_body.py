"""A body's page in a browser: as of a date typed dd/mm/yyyy, its sections read on a laptop and on a phone,
the roadmap drawn, nothing wider than a phone's screen."""

import pytest
from django.urls import reverse
from tests.browser.conftest import PHONE, log_in, screenshots

from dondoc.registry.models import Organization

pytestmark = pytest.mark.browser

PAGE_WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def test_a_department_page_as_of_a_date_on_a_laptop_and_a_phone(new_page, published):
    body = Organization.objects.get(code="DNO.SGTVT")
    page = new_page(locale="en-GB")
    log_in(page, "monitor")
    page.goto(reverse("registry:body", args=[body.pk]))
    page.locator("#id_on").fill("17/04/2023")
    with page.expect_navigation():
        page.locator("#as-of button[type=submit]").click()
    assert "on=17%2F04%2F2023" in page.url
    assert page.locator("#as-of-day").inner_text() == "The registry as of 17/04/2023."
    assert page.locator("svg#roadmap-0").is_visible()
    assert page.locator("#open-assignments tbody tr").count() > 0
    screenshots(page, "registry-body")
    page.set_viewport_size(PHONE)
    scroll_width, client_width = page.evaluate(PAGE_WIDTH)
    assert scroll_width <= client_width, f"the page is {scroll_width}px wide on a {client_width}px screen"
