"""The import page as a monitor uses it, in a real browser: a template downloaded, a workbook with errors
sent (its problems listed by sheet, row and column, nothing written), then the corrected workbook previewed
and saved. Screenshots at 1366 and 390 px (var/screenshots)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, log_in, screenshots

from dondoc.registry.models import Organization

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filled_template(page: Page, rows: list[list[Any]]) -> bytes:
    """The bodies template downloaded from the page, with rows typed under its headers."""
    with page.expect_download() as download:
        page.locator('#templates tr[data-kind="bodies"] a').click()
    book = openpyxl.load_workbook(BytesIO(download.value.path().read_bytes()))
    sheet = book["Cơ quan"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for header, value in zip(
            ("Mã", "Tên", "Loại", "Cấp", "Mã cơ quan cấp trên", "Mã địa bàn"), row, strict=True
        ):
            sheet.cell(number, columns[header], value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def send(page: Page, content: bytes) -> None:
    page.locator("#id_file").set_input_files(
        {"name": "co-quan-moi.xlsx", "mimeType": XLSX, "buffer": content}
    )
    with page.expect_navigation():
        page.locator("#import-form button[type=submit]").click()


def test_a_monitor_sends_a_workbook_with_errors_then_the_corrected_one_and_saves_it(new_page, users):
    page = new_page(LAPTOP, locale="en-GB")
    log_in(page, "monitor")
    page.goto("/registry/import/")
    screenshots(page, "registry-import")
    wrong = filled_template(
        page,
        [
            ["DNO.MOI1", "Sở Thử nghiệm", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
            ["DNO.MOI2", "", "Sở, ban, ngành", "cấp vũ trụ", "DNO.UBND", "DNO"],
        ],
    )
    send(page, wrong)
    problems = page.locator("#problems tr.problem")
    assert problems.count() == 2
    assert [problems.nth(n).locator(".column").inner_text() for n in range(2)] == ["Tên", "Cấp"]
    assert problems.first.locator(".row").inner_text() == "3"
    assert page.locator("#save-form").count() == 0
    assert not Organization.objects.filter(code__startswith="DNO.MOI").exists()
    screenshots(page, "registry-import-problems")

    corrected = filled_template(
        page,
        [
            ["DNO.MOI1", "Sở Thử nghiệm", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
            ["DNO.MOI2", "Sở Thứ hai", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
        ],
    )
    send(page, corrected)
    assert page.locator("#changes tr.change .created").inner_text() == "2"
    assert not Organization.objects.filter(code__startswith="DNO.MOI").exists()
    screenshots(page, "registry-import-preview")

    with page.expect_navigation():
        page.locator("#save-form button[name=save]").click()
    assert "2 created" in page.locator(".messages li.success").inner_text()
    assert Organization.objects.filter(code__startswith="DNO.MOI").count() == 2
    screenshots(page, "registry-import-saved")
