"""The overlaps and gaps page as a monitor uses it, in a real browser: the sample registry's alike items on a
chosen day side by side, one pair decided "resolved by a decision" with its number and date, then shown among
the decided ones. Screenshots at 1366 and 390 px (var/screenshots)."""

from __future__ import annotations

import pytest
from tests.browser.conftest import LAPTOP, log_in, screenshots

from dondoc.registry.models import OverlapDecision, OverlapOutcome

pytestmark = pytest.mark.browser

COMMISSION, HOME_AFFAIRS = "Ban Tổ chức Tỉnh ủy", "Sở Nội vụ"


def test_a_monitor_decides_on_one_pair(new_page, users):
    page = new_page(LAPTOP, locale="en-GB")
    log_in(page, "monitor")
    page.goto("/registry/overlaps/?on=17/04/2023")
    pairs = page.locator("#new-overlaps article.overlap")
    assert pairs.count() == 4
    pair = pairs.filter(has_text=COMMISSION).filter(has_text=HOME_AFFAIRS)
    assert "cơ cấu" in pair.locator(".shared-terms").inner_text()
    screenshots(page, "registry-overlaps")

    pair.locator("summary").click()
    pair.locator("select[name=decision]").select_option(OverlapOutcome.RESOLVED.value)
    pair.locator("input[name=number]").fill("Quyết định số 12/QĐ-UBND")
    pair.locator("input[name=decided_on]").fill("02/03/2023")
    pair.locator("textarea[name=comment]").fill("Đã phân định nhiệm vụ.")
    with page.expect_navigation():
        pair.locator("button[type=submit]").click()

    assert page.locator("#new-overlaps article.overlap").count() == 3
    decided = page.locator("#decided-overlaps article.overlap")
    assert decided.count() == 1
    assert "Quyết định số 12/QĐ-UBND of 02/03/2023" in decided.inner_text()
    assert OverlapDecision.objects.get().outcome == OverlapOutcome.RESOLVED
    screenshots(page, "registry-overlaps-decided")
