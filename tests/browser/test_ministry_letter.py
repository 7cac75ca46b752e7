"""A ministry's letter: Bộ Nội vụ writes to the provincial people's committees and names other
ministries as leads. On the review page the collective addressee is left to decide (the registry cannot tell
which province) and the ministries show as outside the jurisdiction, ticked "outside". The monitor finds Đắk
Nông's committee with the picker, typing without diacritics (screenshots of the picker on a laptop and a
phone), then publishes: with nothing chosen, nothing is assigned; with the committee chosen, exactly the tasks
naming the phrase go to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshot

from dondoc.directives.models import Assignment, Directive, DirectiveState, ImportJob
from dondoc.registry.models import Organization

pytestmark = pytest.mark.browser

LETTER = Path(__file__).parent / "data" / "cong-van-1234-bnv-tcbc.txt"
PROVINCES = "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
# the ministries the letter names as leads or coordinating bodies: all outside the jurisdiction
MINISTRIES = ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư", "Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ"]
TYPED = "ubnd tinh dak"
DAK_NONG = "Ủy ban nhân dân tỉnh Đắk Nông"
DAK_NONG_CODE = "DNO.UBND"
PAGE_WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def upload_and_review(page: Page) -> Directive:
    """The monitor uploads the letter through the import page and reaches the draft's review page."""
    page.goto("/directives/import/")
    page.locator("#id_file").set_input_files(str(LETTER))
    with page.expect_navigation():
        page.locator("form.import-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/directives/(import/\d+|\d+/review)/$"))
    if "/review/" not in page.url:
        page.locator("#review-link").click()
        page.wait_for_url(re.compile(r"/directives/\d+/review/$"))
    job = ImportJob.objects.get()
    assert job.directive is not None and job.directive.state == DirectiveState.DRAFT
    directive = job.directive
    assert directive.number == "1234/BNV-TCBC"
    assert list(directive.addressee_phrases) == [PROVINCES]
    return directive


def decision(page: Page, phrase: str) -> Locator:
    """The phrase's fieldset among the phrases to decide (its legend is the phrase exactly)."""
    found = page.locator("fieldset.decision").filter(
        has=page.locator("legend", has_text=re.compile(rf"^\s*{re.escape(phrase)}\s*$"))
    )
    assert found.count() == 1, f"“{phrase}” is not offered once for a decision ({found.count()})"
    return found


def check_the_phrases(page: Page) -> Locator:
    """The collective addressee is to decide, unresolved; each ministry is outside, ticked "outside"."""
    provinces = decision(page, PROVINCES)
    assert "outside" not in (provinces.get_attribute("class") or "").split()
    assert not provinces.locator("input[value=outside]").is_checked()
    assert not provinces.locator("input[value=none]").is_checked()
    assert provinces.locator(".chosen input:checked").count() == 0
    for ministry in MINISTRIES:
        fieldset = decision(page, ministry)
        assert "outside" in (fieldset.get_attribute("class") or "").split(), (
            f"{ministry} is not shown outside"
        )
        assert fieldset.locator("input[value=outside]").is_checked(), f"{ministry} is not pre-ticked outside"
        assert fieldset.locator(".chosen .choice", has_text=ministry).count() >= 1
    return provinces


def search_dak_nong(page: Page, provinces: Locator) -> Locator:
    """Types the name without diacritics in the phrase's picker; the committee shows under the province
    level."""
    index = (provinces.get_attribute("id") or "").removeprefix("decision-")
    search = provinces.locator(f"#decision-{index}-search")
    assert search.get_attribute("type") == "search"
    search.click()
    search.press_sequentially(TYPED, delay=30)
    results = provinces.locator(f"#decision-{index}-results")
    found = results.locator(".choice", has_text=DAK_NONG)
    found.first.wait_for(state="visible")
    group = results.locator(".result-group").filter(has=page.locator(".choice", has_text=DAK_NONG))
    assert group.count() == 1
    # the province level, in Vietnamese (the style may print it in capitals)
    assert (group.locator(".group-title").text_content() or "").strip().lower() == "tỉnh"
    return found.first


def picker_screenshots(page: Page, provinces: Locator) -> None:
    """The picker with its results in view, on a laptop and on a phone; the phone page does not scroll
    sideways."""
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        provinces.locator(".picker").evaluate("element => element.scrollIntoView({block: 'start'})")
        screenshot(page, "review-picker", full_page=False)
        if viewport is PHONE:
            scroll_width, client_width = page.evaluate(PAGE_WIDTH)
            assert scroll_width <= client_width, (
                f"the review is {scroll_width}px wide on a {client_width}px screen"
            )
    page.set_viewport_size(LAPTOP)


def publish(page: Page, directive: Directive) -> Directive:
    page.locator("#confirm").check()
    with page.expect_navigation():
        page.locator("#publish-button").click()
    directive.refresh_from_db()
    errors = page.locator("ul.messages .error").all_inner_texts()
    assert directive.state == DirectiveState.PUBLISHED, f"not published: {errors}"
    page.wait_for_url(f"**/directives/{directive.pk}/")
    return directive


def keep_outside_or_none(page: Page, *, but: str | None = None) -> None:
    """Every phrase (except `but`): "outside" as it came, or "none" where nothing is ticked."""
    fieldsets = page.locator("fieldset.decision")
    for position in range(fieldsets.count()):
        fieldset = fieldsets.nth(position)
        if but is not None and fieldset.locator("legend").inner_text().strip() == but:
            continue
        if fieldset.locator("input:checked").count() == 0:
            fieldset.locator("input[value=none]").check()


def test_a_ministry_letter_with_nothing_chosen_assigns_nothing(new_page, users):
    page = new_page(LAPTOP)
    log_in(page, "monitor")
    directive = upload_and_review(page)
    provinces = check_the_phrases(page)
    search_dak_nong(page, provinces)
    picker_screenshots(page, provinces)

    # the picker's results are only offered: nothing ticked, the reviewer says no body of this jurisdiction
    provinces.locator("input[value=none]").check()
    keep_outside_or_none(page)
    directive = publish(page, directive)
    assignments = Assignment.objects.filter(task__directive=directive)
    assert not assignments.filter(organization__outside_jurisdiction=False).exists()
    assert assignments.count() == 0, list(assignments.values_list("task__label", "organization__code"))


def test_a_ministry_letter_goes_to_the_province_the_reviewer_picks(new_page, users):
    page = new_page(LAPTOP)
    log_in(page, "monitor")
    directive = upload_and_review(page)
    provinces = check_the_phrases(page)
    result = search_dak_nong(page, provinces)
    # ticked, the result moves out of the results into the phrase's chosen bodies:
    # a click, checked there below
    result.locator("input[type=checkbox]").click()
    index = (provinces.get_attribute("id") or "").removeprefix("decision-")
    dak_nong = Organization.objects.get(code=DAK_NONG_CODE)
    chosen = provinces.locator(f"#decision-{index}-chosen input[value='{dak_nong.pk}']")
    assert chosen.count() == 1 and chosen.is_checked(), "the ticked result did not join the phrase's bodies"
    assert not provinces.locator("input[value=none]").is_checked()
    assert not provinces.locator("input[value=outside]").is_checked()
    keep_outside_or_none(page, but=PROVINCES)
    directive = publish(page, directive)

    naming = {
        task.label
        for task in directive.tasks.all()
        if PROVINCES in (*task.lead_phrases, *task.coordinating_phrases)
    }
    assert naming == {"2", "3"}
    assigned = set(
        Assignment.objects.filter(task__directive=directive).values_list("task__label", "organization__code")
    )
    assert assigned == {(label, DAK_NONG_CODE) for label in naming}
    assert not Assignment.objects.filter(
        task__directive=directive, organization__outside_jurisdiction=True
    ).exists()
