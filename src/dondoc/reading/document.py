"""The value the reading layer returns: clean text with page and line positions."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

# Readers mark the end of a page with this character; document_from_text turns it into positions.
PAGE_BREAK = "\f"

# Told (pages read so far, pages in all) after each page a slow reader (OCR, PDF) finishes.
Progress = Callable[[int, int], None]


class ReadError(Exception):
    """A file that cannot be read; str(error) is one line for the user."""


@dataclass(frozen=True, slots=True)
class TextLine:
    page: int  # 1-based
    number: int  # 1-based line within its page
    start: int  # offset of the first character in DocumentText.text
    end: int  # offset just after the last character, before the newline


@dataclass(frozen=True, slots=True)
class DocumentText:
    text: str
    lines: tuple[TextLine, ...]
    format: str  # "text" | "markdown" | "docx" | "pdf" | "ocr"
    pages: int

    def position(self, offset: int) -> tuple[int, int]:
        """(page, line) of the character at `offset`; a newline belongs to the line it ends."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside the text (0..{len(self.text)})")
        index = bisect_right(self.lines, offset, key=lambda line: line.start) - 1
        line = self.lines[max(index, 0)]
        return line.page, line.number


def document_from_text(text: str, *, format: str) -> DocumentText:
    """Build positions from text whose page ends are marked with PAGE_BREAK.

    A line made of PAGE_BREAK only stands for the blank line that separates two
    pages; a PAGE_BREAK at the end of a line (left by a join across pages) ends
    the page after that line without adding a blank line.
    """
    out: list[str] = []
    lines: list[TextLine] = []
    page, number, offset = 1, 0, 0
    for raw in text.split("\n"):
        breaks = raw.count(PAGE_BREAK)
        line = raw.replace(PAGE_BREAK, "")
        number += 1
        lines.append(TextLine(page=page, number=number, start=offset, end=offset + len(line)))
        out.append(line)
        offset += len(line) + 1
        if breaks:
            page += breaks
            number = 0
    joined = "\n".join(out)
    pages = max(line.page for line in lines)
    return DocumentText(text=joined, lines=tuple(lines), format=format, pages=pages)
