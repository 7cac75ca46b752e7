"""The documents dondoc writes, as a monitor gets them in a real browser: the second quarter's report on the
seed letter asked for on the "Periodic reports" page, followed while it is drafted, downloaded and opened,
holding the on-time rate and the counts the dashboard shows for the same quarter and directive; then, from
the dashboard, a follow-up letter to the late bodies downloaded and opened.

The report's pages are photographed at 1366 px and 390 px (var/screenshots, documents-*.png) and must not
scroll sideways on the phone. The quarter is tests/followup/periodic_quarter.py's, on 20/6/2023."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshots
from tests.followup.periodic_quarter import TODAY, Quarter, follow_the_quarter

from dondoc.accounts.models import User
from dondoc.directives.models import Directive

pytestmark = pytest.mark.browser

PAGE_WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# the dashboard's counts and the report's table row for each
ROWS = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "overdue": "Quá hạn, chưa hoàn thành",
    "in_progress": "Đang thực hiện trong hạn",
    "not_yet_due": "Chưa đến hạn",
}


@pytest.fixture
def quarter(published: Directive, users: dict[str, User], settings) -> Quarter:
    settings.DONDOC_TODAY = TODAY
    return follow_the_quarter(published, users["monitor"])


def photograph(page: Page, name: str) -> None:
    """Screenshots at both widths (documents-<name>-<width>.png); on the phone the page must not scroll
    sideways."""
    screenshots(page, f"documents-{name}")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    scroll_width, client_width = page.evaluate(PAGE_WIDTH)
    if size:
        page.set_viewport_size(size)
    assert scroll_width <= client_width, f"{name}: {scroll_width}px wide on a {client_width}px phone"


def dashboard_figures(page: Page) -> tuple[str, dict[str, int]]:
    """The headline rate and the counts as the dashboard shows them."""
    counts = {
        key: int(page.locator(f"#figures li[data-figure={key}] .figure-value").inner_text().replace(".", ""))
        for key in ROWS
    }
    return page.locator("#on-time-rate").inner_text(), counts


def downloaded(page: Page, selector: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download() as started:
        page.locator(selector).click()
    download = started.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def test_the_quarters_report_holds_the_dashboards_figures_and_a_letter_goes_to_the_late_bodies(
    new_page, quarter: Quarter, tmp_path: Path
):
    monitor = new_page(LAPTOP)
    log_in(monitor, "monitor")
    directive = quarter.directive

    # the dashboard for the quarter and the directive: what the report must say
    monitor.goto(f"/followup/dashboard/?period=quarter-2023-2&directive={directive.pk}")
    rate, counts = dashboard_figures(monitor)

    # the report asked for from the menu, followed, downloaded
    monitor.get_by_role("navigation").locator("a[href='/followup/reports/']").click()
    monitor.wait_for_url("**/followup/reports/")
    monitor.locator("#id_period").select_option("quarter-2023-2")
    monitor.locator(f"#report-directives input[value='{directive.pk}']").check()
    assert monitor.locator("#id_issuer option:checked").inner_text().startswith("Ban Tổ chức Tỉnh ủy")
    photograph(monitor, "reports")
    with monitor.expect_navigation():
        monitor.locator("#report-form button[type=submit]").click()
    monitor.wait_for_url("**/followup/reports/*/")
    monitor.locator("#report-download").wait_for()
    assert monitor.locator("#report-progress").get_attribute("data-state") == "done"
    photograph(monitor, "report")
    name, report = downloaded(monitor, "#report-download", tmp_path)
    assert name == "bao-cao-quy-2-2023.docx"

    document = docx.Document(BytesIO(report))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Kết quả thực hiện Công văn số 1317-CV/TU quý II năm 2023" in text
    # the page writes "2,1 %", the document "2,1%"
    assert f"đạt tỷ lệ hoàn thành đúng hạn {rate.replace(' ', '').replace(chr(160), '')}." in text
    table = next(table for table in document.tables if table.rows[0].cells[1].text == "Tình trạng")
    rows = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    assert {key: int(rows[label]) for key, label in ROWS.items()} == counts
    annex_name, _annex = downloaded(monitor, "#annex-download", tmp_path)
    assert annex_name == "phu-luc-quy-2-2023.xlsx"

    # from the dashboard, the late bodies of the directive chosen on the follow-up page; the letter
    monitor.goto(f"/followup/dashboard/?period=quarter-2023-2&directive={directive.pk}")
    with monitor.expect_navigation():
        monitor.locator(f"#late-directives li[data-directive='{directive.pk}'] a").click()
    assert "/followup/directives/" in monitor.url and "period=quarter-2023-2" in monitor.url
    late = monitor.locator("#assignment-choices input:checked").count()
    assert late == counts["overdue"]
    monitor.locator("#id_new_deadline").fill("15/07/2023")
    name, letter = downloaded(monitor, "#letter-button", tmp_path)
    assert name == "cong-van-don-doc-1317-cv-tu-2023-06-20.docx"
    written = docx.Document(BytesIO(letter))
    header = " | ".join(cell.text for cell in written.tables[0]._cells)
    assert "V/v đôn đốc thực hiện Công văn số 1317-CV/TU" in header
    body = "\n".join(paragraph.text for paragraph in written.paragraphs)
    assert "Kính gửi:" in body and "Ban Thường vụ các huyện ủy, thành ủy: " in body
    assert "Ban Thường vụ Huyện ủy Đắk Mil" in body and "trước ngày 15/07/2023./." in body
