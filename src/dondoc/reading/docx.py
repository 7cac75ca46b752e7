"""Word files (.docx): body paragraphs and tables in document order; page headers and footers skipped."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from dondoc.reading.document import PAGE_BREAK
from dondoc.reading.tables import column_lines, data_row_line, is_rule, layout_table_lines

_NO_BORDER = {"nil", "none"}


def read_docx(path: Path) -> str:
    document = docx.Document(str(path))
    lines: list[str] = []
    _read_block(document.element.body, document, lines)
    return "\n".join(_collapse_blank_lines(lines))


def _collapse_blank_lines(lines: list[str]) -> list[str]:
    """Empty paragraphs used as spacing collapse to one blank line; page breaks stay."""
    out: list[str] = []
    for line in lines:
        if line == PAGE_BREAK:
            while out and not out[-1]:
                out.pop()
            if out and out[-1] != PAGE_BREAK:
                out.append(PAGE_BREAK)
        elif line or (out and out[-1] not in ("", PAGE_BREAK)):
            out.append(line)
    while out and out[-1] in ("", PAGE_BREAK):
        out.pop()
    return out


def _read_block(parent: _Element, document: Document, lines: list[str]) -> None:
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            if _breaks_page_before(child):
                lines.append(PAGE_BREAK)
            text = paragraph.text.replace("\t", " ")
            lines.extend("" if is_rule(part) else part.strip() for part in text.split("\n"))
            if child.xpath('.//w:br[@w:type="page"]'):
                lines.append(PAGE_BREAK)
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_lines(Table(child, document)))
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                _read_block(content, document, lines)


def _breaks_page_before(paragraph: _Element) -> bool:
    flags = paragraph.xpath("./w:pPr/w:pageBreakBefore")
    return bool(flags) and flags[0].get(qn("w:val"), "true") not in ("0", "false", "off")


def _unique_cells(table: Table) -> list[list[list[str]]]:
    """Rows of cells, each cell as its paragraphs' texts; merged cells counted once."""
    rows: list[list[list[str]]] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append([paragraph.text.replace("\t", " ") for paragraph in cell.paragraphs])
        rows.append(cells)
    return rows


def _is_borderless(table: Table) -> bool:
    borders = table._tbl.xpath("./w:tblPr/w:tblBorders/*")
    if borders:
        return all(border.get(qn("w:val")) in _NO_BORDER for border in borders)
    style = table._tbl.xpath("./w:tblPr/w:tblStyle")
    # Without explicit borders a table looks like its style; "Table Grid" and friends draw lines.
    return not style or "grid" not in (style[0].get(qn("w:val")) or "").lower()


def _table_lines(table: Table) -> list[str]:
    rows = _unique_cells(table)
    two_columns = all(len(row) == 2 for row in rows)
    several_paragraphs = any(len(column_lines(cell)) > 1 for row in rows for cell in row)
    if two_columns and (_is_borderless(table) or several_paragraphs):
        columns = [[line for row in rows for line in row[index]] for index in (0, 1)]
        return ["", *layout_table_lines(columns), ""]
    return [
        data_row_line([" ".join(part.strip() for part in cell if part.strip()) for cell in row])
        for row in rows
    ]
