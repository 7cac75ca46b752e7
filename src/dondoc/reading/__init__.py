"""Reading: a file (.txt .md .docx .pdf or a scan) → clean text with page and line positions.

document = read_document("cong-van.pdf")
document.text, document.position(offset)  # → (page, line)
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from dondoc.reading.cleanup import clean_text
from dondoc.reading.document import (
    PAGE_BREAK,
    DocumentText,
    Progress,
    ReadError,
    TextLine,
    document_from_text,
)
from dondoc.reading.limits import check_docx, check_file
from dondoc.reading.text import read_markdown, read_plain_text

__all__ = ["DocumentText", "Progress", "ReadError", "TextLine", "read_document"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
SUFFIXES = (".txt", ".md", ".docx", ".pdf", *IMAGE_SUFFIXES)


# Each format's reader is imported when a file of that format is first read: pdfplumber, python-docx and
# Pillow weigh some 50 MB, and every web process imports this package while only the task worker reads.


def _read_pdf(path: Path, progress: Progress | None) -> tuple[str, str]:
    from dondoc.reading.pdf import read_pdf

    text, scanned = read_pdf(path, progress=progress)
    return text, "ocr" if scanned else "pdf"


def _read_docx(path: Path, progress: Progress | None) -> tuple[str, str]:
    from dondoc.reading.docx import read_docx

    check_docx(path)
    return read_docx(path), "docx"


def _read_image(path: Path, progress: Progress | None) -> tuple[str, str]:
    from dondoc.reading.ocr import read_image

    return read_image(path, progress=progress), "ocr"


_READERS: dict[str, Callable[[Path, Progress | None], tuple[str, str]]] = {
    ".txt": lambda path, progress: (read_plain_text(path), "text"),
    ".md": lambda path, progress: (read_markdown(path), "markdown"),
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    **dict.fromkeys(IMAGE_SUFFIXES, _read_image),
}


def read_document(
    path: str | Path, *, progress: Progress | None = None, suffix: str | None = None
) -> DocumentText:
    """Read and clean a directive file; any failure is a ReadError with one line for the user.

    `progress` hears of each page a PDF or a scan has read; `suffix` (".md") overrides the file name's,
    for a file stored under a name of its own."""
    path = Path(path)
    try:
        check_file(path)
        reader = _READERS.get((suffix or path.suffix).lower())
        if reader is None:
            raise ReadError(
                f"định dạng không hỗ trợ ({path.suffix or 'không có đuôi'}): {path}; "
                f"dùng {' '.join(SUFFIXES)}"
            )
        raw, format = reader(path, progress)
        text = clean_text(raw).strip("\n" + PAGE_BREAK)
        if not text.replace(PAGE_BREAK, "").strip():
            raise ReadError(f"không tìm thấy chữ nào trong tệp: {path}")
        return document_from_text(text, format=format)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"không đủ bộ nhớ để đọc tệp: {path}") from None
    except (zipfile.BadZipFile, KeyError) as error:
        raise ReadError(f"tệp hỏng, không đọc được ({type(error).__name__}): {path}") from None
    except Exception as error:
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        raise ReadError(f"không đọc được tệp {path}: {reason}") from None
