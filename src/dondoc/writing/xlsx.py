"""A Workbook written as .xlsx, as an office prints its statistics: a sheet per Sheet, its title across the
top, the header row bold on a fill and kept in view, columns as wide as their content (long texts wrap),
every cell bordered, in Times New Roman; dates are dates (dd/mm/yyyy) and numbers numbers; each sheet prints
on A4 landscape, fitted to the page's width, with the header row repeated on every page. The look follows
the house style of the other exports (followup/exports.py, registry/transfer/exporting.py).

The same workbook gives the same bytes: the properties inside carry `workbook.created`, and the archive is
rewritten with fixed entry times (archive.py)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, time
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

import openpyxl
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from dondoc.writing.archive import reproducible_zip
from dondoc.writing.model import Sheet, Workbook

FONT = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy"
AUTHOR = "dondoc"
TITLE_ROW, HEADER_ROW = 1, 2

_TITLE_FONT = Font(name=FONT, size=14, bold=True)
_HEADER_FONT = Font(name=FONT, size=12, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_CELL_FONT = Font(name=FONT, size=12)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
# the cells' styles, by name: one name set on a cell costs far less than its font, border and alignment
# set one by one (a province's annex has some hundred thousand cells)
_PLAIN, _WRAPPED, _DATE = "dondoc cell", "dondoc long text", "dondoc date"

_WIDEST = 60  # characters; longer texts wrap in their cell rather than widen the column
_NARROWEST = 6
_DATE_WIDTH = 12
_TITLE_LINE, _LINE = 18, 15.75  # points: a line of the title (14 pt), of the other cells (12 pt)
_SHEET_NAME = 31  # characters, Excel's limit
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def write_workbook(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, the same bytes for the same workbook."""
    if not workbook.sheets:
        raise ValueError("a workbook has at least one sheet")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, wrap, number_format in (
        (_PLAIN, False, "General"),
        (_WRAPPED, True, "General"),
        (_DATE, False, DATE_FORMAT),
    ):
        style = NamedStyle(name, font=_CELL_FONT, border=_BORDER, number_format=number_format)
        style.alignment = Alignment(vertical="top", wrap_text=wrap)
        book.add_named_style(style)
    for name, sheet in zip(
        sheet_names(sheet.name for sheet in workbook.sheets), workbook.sheets, strict=True
    ):
        _write_sheet(book.create_sheet(name), sheet)
    properties = book.properties
    # openpyxl takes naive times as UTC
    properties.created = properties.modified = datetime.combine(workbook.created, time())
    properties.creator = properties.lastModifiedBy = AUTHOR
    properties.title = workbook.title or None
    stream = BytesIO()
    # the writer itself, not openpyxl's save(), which stamps the time of saving as the modification time
    with ZipFile(stream, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return reproducible_zip(stream.getvalue())


def sheet_names(names: Iterable[str]) -> list[str]:
    """Names Excel accepts: without []:*?/\\, at most 31 characters, unique whatever their case ("Tổng hợp",
    "Tổng hợp (2)")."""
    taken: set[str] = set()
    out = []
    for name in names:
        clean = " ".join(name.translate(_NOT_IN_SHEET_NAMES).split()).strip("'") or "Trang"
        unique, number = clean[:_SHEET_NAME], 1
        while unique.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            unique = clean[: _SHEET_NAME - len(suffix)] + suffix
        taken.add(unique.casefold())
        out.append(unique)
    return out


def _write_sheet(worksheet: Any, sheet: Sheet) -> None:
    columns = len(sheet.headers)
    for row in sheet.rows:
        if len(row) != columns:
            raise ValueError(f"sheet {sheet.name!r}: a row of {len(row)} cells under {columns} headers")
    last = get_column_letter(columns)
    widths = _widths(sheet)
    title = worksheet.cell(TITLE_ROW, 1, sheet.title)
    title.font, title.alignment = _TITLE_FONT, _CENTRED
    if columns > 1:
        worksheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    # rows are made as high as their wrapped texts: a merged cell never grows by itself, nor does a row in
    # every reader
    worksheet.row_dimensions[TITLE_ROW].height = _TITLE_LINE * _lines(sheet.title, sum(widths))
    for column, header in enumerate(sheet.headers, start=1):
        cell = worksheet.cell(HEADER_ROW, column, header)
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _CENTRED
    worksheet.row_dimensions[HEADER_ROW].height = _LINE * max(map(_lines, sheet.headers, widths), default=1)
    for number, row in enumerate(sheet.rows, start=HEADER_ROW + 1):
        lines = 1
        for column, value in enumerate(row, start=1):
            cell = worksheet.cell(number, column, value)
            text = "" if value is None else str(value)
            if isinstance(value, date):
                cell.style = _DATE
            elif len(text) > widths[column - 1]:
                cell.style = _WRAPPED
                lines = max(lines, _lines(text, widths[column - 1]))
            else:
                cell.style = _PLAIN
        if lines > 1:
            worksheet.row_dimensions[number].height = _LINE * lines
    for column, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width
    worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
    worksheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(sheet.rows), 1)}"
    worksheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    worksheet.page_setup.orientation = worksheet.ORIENTATION_LANDSCAPE
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.horizontalCentered = True
    worksheet.oddFooter.center.text = "Trang &P/&N"
    worksheet.oddFooter.center.font = FONT


def _lines(text: str, width: int) -> int:
    """About how many lines a text takes in a column `width` characters wide."""
    return max(1, math.ceil(len(text) / max(width - 1, 1)))


def _widths(sheet: Sheet) -> list[int]:
    """The widths given, or each column's longest text (its header's longest word at least), within bounds;
    a date column as wide as a date."""
    if sheet.widths:
        if len(sheet.widths) != len(sheet.headers):
            raise ValueError(
                f"sheet {sheet.name!r}: {len(sheet.widths)} widths for {len(sheet.headers)} columns"
            )
        return list(sheet.widths)
    widths = []
    for index, header in enumerate(sheet.headers):
        width = max([len(word) + 2 for word in header.split()] or [_NARROWEST])
        for row in sheet.rows:
            value = row[index]
            if isinstance(value, date):
                width = max(width, _DATE_WIDTH)
            elif value is not None:
                width = max(width, len(str(value)) + 2)
        widths.append(min(max(width, _NARROWEST), _WIDEST))
    return widths
