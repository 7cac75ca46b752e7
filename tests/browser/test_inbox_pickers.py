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


def test_a_search_answered_after_the_choice_does_not_open_the_list_again(
    new_page, published: Directive, settings
):
    settings.DONDOC_TODAY = date(2023, 5, 20)
    page = new_page()
    log_in(page, "monitor")
    page.goto("/directives/assignments/")
    page.locator("#id_body").fill("dak song")
    found = page.locator("#id_body-found .choice", has_text="Đắk Song").first
    found.wait_for()
    # typed on, then chosen at once: the search of the last keystrokes goes out after the choice
    page.locator("#id_body").press_sequentially(" x", delay=10)
    found.locator("input").check()
    page.wait_for_url("**body=*")
    page.wait_for_load_state("networkidle")  # the list filtered by the choice
    # and a search answered late, as on a slow line
    late = "htmx.ajax('GET', '/directives/pick/body/?name=body&q=dak', {target: '#id_body-found'})"
    page.evaluate(late)
    page.wait_for_timeout(1_000)
    assert page.locator("#id_body-found .choice").count() == 0
    # typed in again, the box searches and shows its list
    page.locator("#id_body").fill("cu jut")
    page.locator("#id_body-found .choice", has_text="Cư Jút").first.wait_for()
