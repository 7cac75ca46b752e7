"""The statistics workbook as .xlsx, read back with openpyxl: a sheet per Sheet under a name Excel accepts,
the title and the header row, dates and numbers as such, set up to print on A4 landscape, the same bytes for
the same workbook."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest

from dondoc.writing import Sheet, Workbook, write_workbook
from dondoc.writing.archive import FIXED_ENTRY_TIME
from dondoc.writing.xlsx import sheet_names

DIRECTIVE_SHEET = Sheet(
    name="1317-CV/TU",
    title="Kết quả thực hiện Công văn số 1317-CV/TU, ngày 17/4/2023 của Ban Thường vụ Tỉnh ủy",
    headers=("Nhiệm vụ", "Cơ quan, đơn vị", "Tình trạng", "Thời hạn", "Ngày hoàn thành", "Ghi chú"),
    rows=(
        ("1", "Huyện ủy Cư Jút", "Hoàn thành đúng hạn", date(2023, 5, 31), date(2023, 5, 20), None),
        ("1", "Huyện ủy Đắk Mil", "Hoàn thành chậm", date(2023, 5, 31), date(2023, 6, 12), None),
        (
            "9",
            "Huyện ủy Krông Nô",
            "Quá hạn",
            date(2023, 5, 15),
            None,
            "Chưa báo cáo; đã đôn đốc ngày 20/5/2023 và ngày 05/6/2023, đề nghị báo cáo trước ngày 15/6/2023 "
            "về Ban Thường vụ Tỉnh ủy (qua Ban Tổ chức Tỉnh ủy).",
        ),
    ),
)
FIGURES_SHEET = Sheet(
    name="Số liệu",
    title="Số liệu tổng hợp quý I năm 2026",
    headers=("Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"),
    rows=(("Nhiệm vụ đến hạn", 88, None), ("Hoàn thành đúng hạn", 71, 80.7), ("Quá hạn", 9, 10.2)),
    widths=(40, 14, 14),
)
A4 = 9  # the paper size code of A4 in the file format
WORKBOOK = Workbook(
    sheets=(DIRECTIVE_SHEET, FIGURES_SHEET), created=date(2026, 3, 31), title="Phụ lục số liệu"
)


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(write_workbook(WORKBOOK)))


def test_one_sheet_per_sheet_under_names_excel_accepts(book):
    assert book.sheetnames == ["1317-CV TU", "Số liệu"]


def test_sheet_names_are_cut_to_31_characters_and_kept_unique():
    long = "Ban Thường vụ Huyện ủy Đắk R'lấp và các cơ quan"
    names = sheet_names([long, long, "Số liệu", "số liệu", "[Tổng hợp]"])
    assert all(len(name) <= 31 for name in names)
    assert names[0] == long[:31] and names[1].endswith(" (2)")
    assert names[2:] == ["Số liệu", "số liệu (2)", "Tổng hợp"]


def test_the_title_runs_bold_across_the_columns(book):
    sheet = book["1317-CV TU"]
    assert sheet["A1"].value == DIRECTIVE_SHEET.title
    assert sheet["A1"].font.b
    assert "A1:F1" in {str(merged) for merged in sheet.merged_cells.ranges}


def test_the_header_row_is_bold_on_a_fill_and_stays_in_view(book):
    sheet = book["1317-CV TU"]
    assert [cell.value for cell in sheet[2]] == list(DIRECTIVE_SHEET.headers)
    assert all(cell.font.b and cell.fill.fgColor.rgb.endswith("1F4E78") for cell in sheet[2])
    assert sheet.freeze_panes == "A3"


def test_every_cell_is_in_times_new_roman_and_bordered(book):
    sheet = book["1317-CV TU"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert {cell.font.name for cell in cells} == {"Times New Roman"}
    assert {cell.border.left.style for cell in cells} == {"thin"}


def test_dates_are_dates_printed_day_first(book):
    deadline = book["1317-CV TU"]["D3"]
    assert deadline.is_date and deadline.value == datetime(2023, 5, 31)
    assert deadline.number_format == "dd/mm/yyyy"


def test_numbers_are_numbers_and_empty_cells_empty(book):
    sheet = book["Số liệu"]
    assert sheet["B4"].value == 71 and sheet["C4"].value == 80.7
    assert sheet["C3"].value is None


def test_widths_are_the_given_ones_or_the_contents(book):
    figures = book["Số liệu"]
    assert [figures.column_dimensions[column].width for column in "ABC"] == [40, 14, 14]
    directive = book["1317-CV TU"]
    assert directive.column_dimensions["B"].width == len("Huyện ủy Krông Nô") + 2
    assert directive.column_dimensions["D"].width >= len("31/05/2023")
    # a long note is capped and wraps
    assert directive.column_dimensions["F"].width == 60
    assert directive["F5"].alignment.wrap_text


def test_each_sheet_prints_on_a4_landscape_fitted_to_the_width_with_the_header_repeated(book):
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$2:$2"


def test_the_properties_carry_the_creation_day(book):
    assert book.properties.created == book.properties.modified == datetime(2026, 3, 31)
    assert book.properties.creator == "dondoc" and book.properties.title == "Phụ lục số liệu"


def test_the_same_workbook_gives_the_same_bytes():
    assert write_workbook(WORKBOOK) == write_workbook(WORKBOOK)
    with zipfile.ZipFile(BytesIO(write_workbook(WORKBOOK))) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {FIXED_ENTRY_TIME}


def test_another_creation_day_gives_other_bytes():
    assert write_workbook(WORKBOOK) != write_workbook(replace(WORKBOOK, created=date(2026, 4, 1)))


def test_a_row_longer_than_the_headers_is_refused():
    ragged = replace(FIGURES_SHEET, rows=(("Quá hạn", 9, 10.2, "thừa"),))
    with pytest.raises(ValueError, match="4 cells under 3 headers"):
        write_workbook(replace(WORKBOOK, sheets=(ragged,)))
