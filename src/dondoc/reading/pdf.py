"""PDF files: the text layer through pdfplumber, pages without one through OCR."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from dondoc.reading.document import PAGE_BREAK, Progress, ReadError
from dondoc.reading.layout import (
    Row,
    Segment,
    Word,
    drop_page_numbers,
    group_rows,
    reading_order,
    rows_from_lines,
)
from dondoc.reading.limits import MAX_OCR_PAGES, MAX_PDF_PAGES
from dondoc.reading.ocr import ocr_image
from dondoc.reading.tables import data_row_line

OCR_RESOLUTION = 300
# A page bigger than A3 is rendered at a lower resolution so the bitmap stays under this.
MAX_RENDER_PIXELS = 40_000_000


def read_pdf(path: Path, *, progress: Progress | None = None) -> tuple[str, bool]:
    """The text with page breaks marked, and whether every page had to go through OCR; `progress` hears of
    each page read."""
    try:
        with pdfplumber.open(path) as pdf:
            return _read_pages(pdf, path, progress)
    except (PdfminerException, PSException) as error:
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReadError(f"PDF có mật khẩu (mã hóa), không đọc được: {path}") from None
        reason = " ".join(str(cause).split())[:100] or type(cause).__name__
        raise ReadError(f"PDF hỏng hoặc không đầy đủ ({reason}): {path}") from None


def _read_pages(pdf: PDF, path: Path, progress: Progress | None) -> tuple[str, bool]:
    pages = pdf.pages
    if len(pages) > MAX_PDF_PAGES:
        raise ReadError(f"PDF quá nhiều trang ({len(pages)}, tối đa {MAX_PDF_PAGES}): {path}")
    if not pages:
        raise ReadError(f"PDF không có trang nào: {path}")
    image_only = [page for page in pages if not _has_text_layer(page)]
    if len(image_only) > MAX_OCR_PAGES:
        raise ReadError(f"PDF có {len(image_only)} trang ảnh cần OCR (tối đa {MAX_OCR_PAGES}): {path}")
    texts: list[str] = []
    for page in pages:
        texts.append(_ocr_page(page, path) if page in image_only else _page_text(page))
        if progress is not None:
            progress(len(texts), len(pages))
    return f"\n{PAGE_BREAK}\n".join(texts), len(image_only) == len(pages)


def _has_text_layer(page: Page) -> bool:
    return any(not char["text"].isspace() for char in page.chars)


def _page_text(page: Page) -> str:
    tables = [table for table in page.find_tables() if len(table.rows) >= 2 and len(table.columns) >= 2]
    words = [
        Word(w["x0"], w["x1"], w["top"], w["bottom"], w["text"])
        for w in page.extract_words(x_tolerance=2, y_tolerance=3)
        if not any(_inside(w, table.bbox) for table in tables)
    ]
    rows = rows_from_lines(group_rows(words))
    for table in tables:
        x0, top, x1, _ = table.bbox
        for number, cells in enumerate(table.extract(x_tolerance=2, y_tolerance=3)):
            # Each table row becomes one full-width row, so it never joins a two-column block.
            line = data_row_line([" ".join((cell or "").split()) for cell in cells])
            rows.append(Row(top + number * 0.01, top + number * 0.01, (Segment(x0, x1, line),)))
    rows.sort(key=lambda row: row.top)
    return "\n".join(reading_order(drop_page_numbers(rows)))


def _inside(word: dict[str, float], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _ocr_page(page: Page, path: Path) -> str:
    inches = (page.width / 72) * (page.height / 72)
    resolution = min(OCR_RESOLUTION, int((MAX_RENDER_PIXELS / max(inches, 1)) ** 0.5))
    image = page.to_image(resolution=resolution).original
    return ocr_image(image, dpi=resolution, name=f"{path} (trang {page.page_number})")
