"""The dashboards' tables exported to .xlsx under the page's filters: the workbook opened with openpyxl holds
the page's very numbers, each sheet with its header row kept in view, sized columns, set to print on A4
landscape; an export of an empty selection is refused on the page, with no file and nothing changed."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from tests.followup import test_dashboard
from tests.followup.test_dashboard import Q2, Spread, page_tables

from dondoc.directives.models import Assignment, ProgressReport
from dondoc.directives.status import Status
from dondoc.followup.exports import XLSX
from dondoc.followup.forms.dashboard import period_code
from dondoc.registry.models import Level

EN = {"accept-language": "en"}
# the seed letter's spread of statuses on 20/6/2023, the fixture of the dashboard's own tests
spread = test_dashboard.spread


def _get(client, url: str, **params):
    with translation.override("en"):
        return client.get(url, params, headers=EN)


def _workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="theo-doi-')
    return openpyxl.load_workbook(BytesIO(response.content))


def _page_value(cell) -> str:
    """A workbook cell as the page writes it (in English)."""
    value = cell.value
    if value is None:
        return "—"
    if isinstance(value, datetime | date):
        return f"{value:%m/%Y}" if cell.number_format == "MM/YYYY" else f"{value:%d/%m/%Y}"
    if cell.number_format == "0.0%":
        return f"{round(value * 100, 1):.1f} %"
    return str(value)


def _sheet_rows(sheet) -> list[list[str]]:
    return [[_page_value(cell) for cell in row] for row in sheet.iter_rows(min_row=2)]


def _page_rows(tables, key: str) -> list[list[str]]:
    return [cells for _row, cells in tables[key]]


def test_the_workbook_holds_the_pages_numbers_under_its_filters(spread: Spread, client_for):
    client = client_for("monitor")
    filters = {"period": period_code(Q2), "level": Level.DISTRICT.value}
    page = _get(client, reverse("followup:dashboard"), **filters)
    tables = page_tables(page.content.decode())
    book = _workbook(_get(client, reverse("followup:dashboard"), format="xlsx", **filters))
    assert book.sheetnames == ["Statuses", "By month", "Most often late", "Filters"]
    assert _sheet_rows(book["Statuses"]) == _page_rows(tables, "counts-table")
    assert _sheet_rows(book["By month"]) == _page_rows(tables, "trend-table")
    assert _sheet_rows(book["Most often late"]) == _page_rows(tables, "ranking-table")
    # the filters are named on the page and in the workbook
    counts = page.context["counts"]
    assert 0 < counts.total < Assignment.objects.count()
    assert [cell.value for cell in book["Statuses"][1]] == [
        "Status of the assignments",
        "Number of assignments",
        "Share of those fallen due",
    ]
    chosen = {row[0]: row[1] for row in book["Filters"].iter_rows(min_row=2, values_only=True)}
    assert chosen["Reporting period"] == "Q2/2023 (15/03/2023 – 14/06/2023)"
    assert chosen["Level of the body"] == "district"
    assert chosen["Figures as of"] == "20/06/2023"


def test_each_sheet_keeps_its_header_in_view_and_prints_on_a4_landscape(spread: Spread, client_for):
    book = _workbook(_get(client_for("reader"), reverse("followup:dashboard"), format="xlsx"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.column_dimensions["A"].width >= len(str(sheet["A1"].value)), sheet.title
    statuses = book["Statuses"]
    assert statuses["B2"].number_format == "#,##0" and statuses["C2"].number_format == "0.0%"
    assert book["By month"]["A2"].number_format == "MM/YYYY"


def test_an_export_of_an_empty_selection_is_refused_on_the_page(spread: Spread, client_for):
    reports = ProgressReport.objects.count()
    response = _get(
        client_for("monitor"),
        reverse("followup:dashboard"),
        format="xlsx",
        status=Status.IN_PROGRESS.value,
        level=Level.COMMUNE.value,
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert 'id="export-refused"' in html and "There is nothing to export" in html
    assert response.context["counts"].total == 0
    assert ProgressReport.objects.count() == reports


def test_an_invalid_filter_exports_nothing(spread: Spread, client_for):
    response = _get(client_for("monitor"), reverse("followup:dashboard"), format="xlsx", status="lost")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_a_bodys_workbook_holds_its_pages_tables_and_all_its_reports(spread: Spread, client_for, monkeypatch):
    monkeypatch.setattr("dondoc.followup.views.dashboard.REPORTS_SHOWN", 1)
    body = spread.sent_not_confirmed.organization
    client = client_for("monitor")
    url = reverse("followup:body_dashboard", args=[body.pk])
    page = _get(client, url)
    tables = page_tables(page.content.decode())
    assert len(tables["reports-table"]) == 1
    assert "The latest 1 of 2 reports" in page.content.decode()
    book = _workbook(_get(client, url, format="xlsx"))
    assert book.sheetnames == ["Statuses", "By month", "Overdue", "Reports", "Inspections", "Filters"]
    assert _sheet_rows(book["Statuses"]) == _page_rows(tables, "counts-table")
    assert _sheet_rows(book["Overdue"]) == _page_rows(tables, "overdue-table")
    reports = _sheet_rows(book["Reports"])
    assert len(reports) == 2 and reports[0] == _page_rows(tables, "reports-table")[0]
    assert list(book["Inspections"].iter_rows(min_row=2)) == []


def test_a_bodys_export_of_nothing_is_refused(spread: Spread, client_for):
    url = reverse("followup:body_dashboard", args=[spread.late.organization_id])
    response = _get(client_for("other_leader"), url, format="xlsx", status=Status.DONE_ON_TIME.value)
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert "There is nothing to export" in response.content.decode()


@pytest.mark.parametrize("role", ["reporter", "leader"])
def test_a_unit_exports_its_own_body_only(spread: Spread, client_for, role):
    book = _workbook(_get(client_for(role), reverse("followup:dashboard"), format="xlsx"))
    total = next(row for row in book["Statuses"].iter_rows(values_only=True) if row[0] == "all assignments")
    assert total[1] == Assignment.objects.filter(organization=spread.on_time.organization).count()
    other = reverse("followup:body_dashboard", args=[spread.late.organization_id])
    assert client_for(role).get(other, {"format": "xlsx"}).status_code == 404
