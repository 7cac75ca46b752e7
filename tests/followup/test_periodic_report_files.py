"""The periodic report's two files as a monitor downloads them, read back: the .docx with python-docx (its
header, sections, the figures of the dashboard, the bodies' words) and the .xlsx with openpyxl (a sheet of
figures, one per directive, one per body, dates as dates); the .docx printed through LibreOffice, its first
two pages kept as periodic-report-page-1.png and -2.png in the artefacts for a person to look at."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from django.urls import reverse
from tests.followup.periodic_quarter import CU_JUT_SAYS, Q2, TODAY, Quarter, follow_the_quarter
from tests.writing.rendering import ARTEFACTS, docx_to_pdf, pdf_pages_to_png

from dondoc.directives.access import assignments_for
from dondoc.directives.models import Directive
from dondoc.followup.drafting import rate_words
from dondoc.followup.models.reports import ReportJob
from dondoc.followup.selectors.dashboard import DashboardFilters, StatusCounts, overview
from dondoc.registry.models import Organization


@pytest.fixture
def quarter(published: Directive, users, settings) -> Quarter:
    settings.DONDOC_TODAY = TODAY
    return follow_the_quarter(published, users["monitor"])


@pytest.fixture
def downloaded(quarter: Quarter, client_for, django_capture_on_commit_callbacks) -> tuple[bytes, bytes]:
    client = client_for("monitor")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("followup:reports"),
            {
                "period": "quarter-2023-2",
                "directives": [quarter.directive.pk],
                "issuer": Organization.objects.get(code="DNO.BTCTU").pk,
                "signer_authority": "K/T Trưởng ban",
                "signer_title": "Phó Trưởng ban",
            },
        )
    job = ReportJob.objects.get()
    report = client.get(reverse("followup:download_report", args=[job.pk, "report"]))
    annex = client.get(reverse("followup:download_report", args=[job.pk, "annex"]))
    return report.content, annex.content


def dashboard_counts(quarter: Quarter) -> StatusCounts:
    return overview(
        assignments=assignments_for(quarter.scope),
        today=TODAY,
        filters=DashboardFilters(period=Q2, directive_id=quarter.directive.pk),
    ).counts


def paragraphs(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(BytesIO(content)).paragraphs]


def header_text(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    return " | ".join(cell.text for cell in document.tables[0]._cells)


def test_the_reports_header_is_the_organization_commissions_under_the_provincial_committee(downloaded):
    header = header_text(downloaded[0])
    for printed in ("TỈNH ỦY ĐẮK NÔNG", "BAN TỔ CHỨC", "ĐẢNG CỘNG SẢN VIỆT NAM", "-BC/BTCTU"):
        assert printed in header
    assert "Đắk Nông, ngày … tháng … năm 2023" in header


def test_the_report_reads_back_with_its_subject_sections_and_the_bodies_words(downloaded):
    text = paragraphs(downloaded[0])
    assert "BÁO CÁO" in text and "Kết quả thực hiện Công văn số 1317-CV/TU quý II năm 2023" in text
    for heading in ("II. KẾT QUẢ THỰC HIỆN", "III. SỐ LIỆU TỔNG HỢP", "VII. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"):
        assert heading in text
    cited = CU_JUT_SAYS.split(" Tuy nhiên")[0]
    assert f"Ban Thường vụ Huyện ủy Cư Jút: {cited}" in text


def test_the_reports_figures_are_the_dashboards(downloaded, quarter):
    counts = dashboard_counts(quarter)
    document = docx.Document(BytesIO(downloaded[0]))
    figures = next(table for table in document.tables if table.rows[0].cells[1].text == "Tình trạng")
    rows = {row.cells[1].text: row.cells[2].text for row in figures.rows[1:]}
    assert rows["Hoàn thành đúng hạn"] == str(counts.done_on_time)
    assert rows["Hoàn thành quá hạn"] == str(counts.done_late)
    assert rows["Quá hạn, chưa hoàn thành"] == str(counts.overdue)
    assert rows["Thường xuyên: chưa báo cáo trong kỳ"] == str(counts.not_reported)
    assert rows["Tổng cộng"] == str(counts.total)
    assert any(
        f"đạt tỷ lệ hoàn thành đúng hạn {rate_words(counts.on_time_rate)}" in text
        for text in paragraphs(downloaded[0])
    )


def test_the_annex_reads_back_with_a_sheet_of_figures_one_per_directive_and_one_per_body(downloaded, quarter):
    workbook = openpyxl.load_workbook(BytesIO(downloaded[1]))
    assert workbook.sheetnames[:2] == ["Tổng hợp", "1317-CV-TU"]
    assert "Ban Thường vụ Huyện ủy Cư Jút" in workbook.sheetnames
    counts = dashboard_counts(quarter)
    values = [
        row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row[1] == "Hoàn thành đúng hạn"
    ]
    assert values[0][2] == counts.done_on_time
    rows = list(workbook["1317-CV-TU"].iter_rows(values_only=True))
    headers = next(index for index, row in enumerate(rows) if row[0] == "Nhiệm vụ")
    assert rows[headers][:6] == (
        "Nhiệm vụ",
        "Nội dung nhiệm vụ",
        "Cơ quan, đơn vị",
        "Vai trò",
        "Thời hạn",
        "Tình trạng",
    )
    cu_jut = next(
        row for row in rows[headers + 1 :] if row[0] == "1" and row[2] == "Ban Thường vụ Huyện ủy Cư Jút"
    )
    assert cu_jut[3] == "Chủ trì" and cu_jut[5] == "Hoàn thành đúng hạn"
    assert [value.date() if isinstance(value, datetime) else value for value in (cu_jut[4], cu_jut[6])] == [
        date(2023, 5, 31),
        date(2023, 5, 20),
    ]
    assert (
        len(rows) - headers - 1
        == assignments_for(quarter.scope).filter(task__directive=quarter.directive).count()
    )


def test_the_report_prints_through_libreoffice_and_its_first_pages_are_kept(downloaded, tmp_path: Path):
    pdf = docx_to_pdf(downloaded[0], tmp_path)
    with pdfplumber.open(pdf) as printed:
        assert len(printed.pages) >= 2
        first = printed.pages[0].extract_text() or ""
        words = printed.pages[0].extract_words()
        width = printed.pages[0].width
    assert "BÁO CÁO" in first and "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    assert all(word["x1"] <= width for word in words), "a word runs past the page"
    pages = pdf_pages_to_png(pdf, ARTEFACTS, dpi=80, pages=range(1, 3), prefix="periodic-report-page")
    assert [page.name for page in pages] == ["periodic-report-page-1.png", "periodic-report-page-2.png"]
    assert all(page.stat().st_size > 0 for page in pages)
