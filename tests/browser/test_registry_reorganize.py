"""The reorganisation planner as a monitor uses it, in a real browser: from the apparatus page to the planner,
two wards' People's Committees found by typing without diacritics and ticked, the new body named, the plan
shown (posts and holders moving, nothing written yet), then committed, landing on the new body's page.
Screenshots at 1366 and 390 px (var/screenshots)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, log_in, screenshots

from dondoc.registry.models import Organization, Reorganization

pytestmark = pytest.mark.browser

NGHIA_DUC, NGHIA_THANH = "Ủy ban nhân dân phường Nghĩa Đức", "Ủy ban nhân dân phường Nghĩa Thành"
NEW_NAME, NEW_CODE = "Ủy ban nhân dân phường Bắc Gia Nghĩa", "GNG-BAC-GIA-NGHIA.UBND"
DECISION = "Nghị quyết số 901/NQ-UBTVQH15 ngày 16/6/2025 (test data)"


def tick(page: Page, typed: str, name: str) -> None:
    """Narrow the list of bodies by what is typed, then tick the one named."""
    page.locator("#originals-filter").fill(typed)
    body = page.locator("#originals-list label:visible").filter(has_text=name).first
    body.locator("input").check()


def test_a_monitor_plans_a_merger_of_two_wards_and_commits_it(new_page, users):
    page = new_page(LAPTOP, locale="en-GB")
    log_in(page, "monitor")
    page.goto("/registry/")
    with page.expect_navigation():
        page.get_by_role("link", name="Plan a reorganisation").click()
    assert page.locator("#new-bodies").is_visible()
    assert not page.locator("fieldset[data-kinds=absorb]").is_visible()
    screenshots(page, "registry-reorganize")

    tick(page, "nghia duc", NGHIA_DUC)
    tick(page, "ubnd phuong nghia thanh", NGHIA_THANH)
    page.locator("#originals-filter").fill("")
    assert page.locator("#originals-list input:checked").count() == 2
    page.locator("#id_effective_on").fill("01/07/2025")
    page.locator("#id_decision").fill(DECISION)
    page.locator("#id_new-0-name").fill(NEW_NAME)
    page.locator("#id_new-0-code").fill(NEW_CODE)
    with page.expect_navigation():
        page.get_by_role("button", name="Show the plan").click()

    moves = page.locator("#post-moves tr.move")
    assert moves.count() >= 2
    holders = page.locator("#post-moves .holders").all_inner_texts()
    assert "Đặng Quang Nam" in holders and "Phan Xuân Long" in holders
    assert set(page.locator("#post-moves .to").all_inner_texts()) == {NEW_NAME}
    assert not Organization.objects.filter(code=NEW_CODE).exists()
    screenshots(page, "registry-reorganize-plan")

    with page.expect_navigation():
        page.get_by_role("button", name="Commit the reorganisation").click()
    created = Organization.objects.get(code=NEW_CODE)
    assert page.url.split("?")[0].endswith(f"/registry/bodies/{created.pk}/")
    assert NEW_NAME in page.locator("h1").inner_text()
    assert f"The reorganisation under {DECISION} is committed." in page.locator(".messages").inner_text()
    assert Reorganization.objects.filter(decision=DECISION).exists()
    screenshots(page, "registry-reorganize-committed")
