"""The rule checks page as a monitor uses it, in a real browser: the sample registry's violations on a chosen
day grouped by rule, filtered by a body's name typed without diacritics and by level, exported to .xlsx, and
a violation's body opened from its row. Screenshots at 1366 and 390 px (var/screenshots)."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, log_in, screenshots

from dondoc.registry.models import Organization
from dondoc.registry.rules import Check

pytestmark = pytest.mark.browser

AGRICULTURE = "Sở Nông nghiệp và Phát triển nông thôn"


def filter_by(page: Page, *, on: str = "", level: str = "", words: str = "") -> None:
    if on:
        page.locator("#id_on").fill(on)
    if level:
        page.locator("#id_level").select_option(level)
    page.locator("#id_q").fill(words)
    with page.expect_navigation():
        page.locator("#rule-filters button[type=submit]").click()


def test_a_monitor_reads_the_violations_of_a_day_filters_them_exports_them_and_opens_a_body(new_page, users):
    page = new_page(LAPTOP)
    log_in(page, "monitor")
    page.goto("/registry/rules/")
    filter_by(page, on="17/04/2023")
    assert page.locator("#rule-counts tr[data-check]").count() == len(Check)
    deputies = page.locator(f"#rule-{Check.DEPUTIES_OVER_LIMIT.value}")
    row = deputies.locator("tr.violation", has_text=AGRICULTURE)
    assert row.locator(".figure").inner_text() == "4" and row.locator(".limit").inner_text() == "3"
    assert "107/2020/NĐ-CP" in row.locator(".source-text").inner_text()
    assert page.locator(".rule-group").count() == 6
    screenshots(page, "registry-rules")

    filter_by(page, level="province", words="so nong nghiep")
    assert page.locator("#violations tr.violation").count() == 1
    with page.expect_download() as download:
        page.locator("#export-link").click()
    sheet = openpyxl.load_workbook(BytesIO(download.value.path().read_bytes())).worksheets[0]
    assert [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)] == [AGRICULTURE]
    screenshots(page, "registry-rules-filtered")

    with page.expect_navigation():
        page.locator("#violations a", has_text=AGRICULTURE).click()
    body = Organization.objects.get(name=AGRICULTURE)
    assert page.url.endswith(f"/registry/bodies/{body.pk}/")
