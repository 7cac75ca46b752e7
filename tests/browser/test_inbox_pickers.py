"""The inbox's pickers in a browser: a body found by typing part of its name without diacritics, picked, and
the list filtered by it; the list of matches closes, and the choice stays beside "all" after a reload."""

from __future__ import annotations

from datetime import date

import pytest
from tests.browser.conftest import log_in, screenshots

from dondoc.directives.models import Directive

pytestmark = pytest.mark.browser


def test_a_body_is_found_by_typing_and_filters_the_inbox(new_page, published: Directive, settings):
    settings.DONDOC_TODAY = date(2023, 5, 20)
    page = new_page()
    log_in(page, "monitor")
    page.goto("/directives/assignments/")
    page.locator("#id_directive").focus()  # the newest directives the monitor reads, before typing anything
    page.locator("#id_directive-found .choice").first.wait_for()
    page.locator("#id_body").fill("dak song")
    assert page.locator("#id_directive-found .choice").count() == 0  # going elsewhere closed the other list
    found = page.locator("#id_body-found .choice", has_text="Đắk Song").first
    name = found.inner_text().strip()
    found.locator("input").check()
    page.wait_for_url("**body=*")
    assert page.locator("#id_body-found .choice").count() == 0
    assert page.locator("#id_body").input_value() == ""
    bodies = page.locator("#inbox-results tbody tr td:nth-child(3)").all_inner_texts()
    assert bodies and {body.strip() for body in bodies} == {name}
    screenshots(page, "inbox-body-picked")
    page.reload()
    assert page.locator("#id_body-chosen").is_checked()
    assert page.locator("label[for=id_body-chosen]").inner_text().strip() == name
