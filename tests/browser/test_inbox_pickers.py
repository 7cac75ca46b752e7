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


def test_a_choice_is_picked_with_the_mouse_on_its_name(new_page, published: Directive, settings):
    """Pressing a found body's name focuses <main> (which the skip link may focus): the list stayed open for
    the click to pick it, where before it closed on that focus and the click fell on nothing."""
    settings.DONDOC_TODAY = date(2023, 5, 20)
    page = new_page()
    log_in(page, "monitor")
    page.goto("/directives/assignments/")
    page.locator("#id_body").fill("dak song")
    found = page.locator("#id_body-found .choice", has_text="Đắk Song").first
    name = found.inner_text().strip()
    found.locator("label").click()
    page.wait_for_url("**body=*")
    assert (
        page.locator("label[for=id_body-chosen], .chosen .choice:nth-child(2) label").first.inner_text()
        == name
    )


def test_the_change_logs_user_is_picked_with_the_mouse(new_page, published: Directive):
    page = new_page()
    log_in(page, "auditor")
    page.goto("/directives/history/")
    page.locator("#id_user").fill("lead")
    page.locator("#id_user-found .choice label", has_text="leader").first.click()
    page.wait_for_url("**user=*")
    page.wait_for_load_state("networkidle")
    assert page.locator(".chosen input:checked").get_attribute("value") not in ("", None)
    assert int(page.locator("[data-total]").first.get_attribute("data-total") or -1) >= 0
