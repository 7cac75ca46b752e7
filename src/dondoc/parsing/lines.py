"""Split source text into clean lines (Snippets), undoing Markdown and flattened layout tables.

`read_document` already removes Markdown from .md files; this pass makes `parse_text` just as
robust on raw text pasted from a web page or a converter.
"""

from __future__ import annotations

import re

from dondoc.parsing.snippet import Snippet
from dondoc.text import fold_by_character

_MARKUP = re.compile(r"\\([!-/:-@\[-`{-~])|\*{1,3}|<br\s*/?>|^\s*#{1,6}\s+")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def clean_markup(line: Snippet) -> Snippet:
    """Drop Markdown emphasis, heading marks and escapes; keep the characters they protect."""
    text = line.text
    if "*" not in text and "\\" not in text and "#" not in text and "<" not in text:
        return line
    parts: list[Snippet] = []
    last = 0
    for match in _MARKUP.finditer(text):
        if match.start() > last:
            parts.append(line.slice(last, match.start()))
        if match.group(1):
            parts.append(line.slice(match.start(1), match.end(1)))
        last = match.end()
    if last < len(text):
        parts.append(line.slice(last))
    return Snippet.join(parts, sep="") if parts else line.slice(0, 0)


def is_table_row(text: str) -> bool:
    stripped = text.strip()
    return (
        len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3
    )


def table_cells(line: Snippet) -> list[Snippet]:
    """The cells of a `| a | b |` row, stripped."""
    inner_start = line.text.index("|") + 1
    inner_end = line.text.rindex("|")
    cells: list[Snippet] = []
    pos = inner_start
    for raw in line.text[inner_start:inner_end].split("|"):
        cells.append(line.slice(pos, pos + len(raw)).strip())
        pos += len(raw) + 1
    return cells


def split_lines(text: str) -> list[Snippet]:
    """Source lines, cleaned. A layout table row (cells holding <br>) becomes its cells' lines,
    left column first, as a reader reads an official header; data tables stay as `|` rows."""
    lines: list[Snippet] = []
    offset = 0
    # the whole text folded at once (one call instead of one a line), where each line's fold is a slice
    folded = fold_by_character(text)
    for raw in text.split("\n"):
        content = raw.rstrip("\r")
        line = Snippet.at(content, offset, None if folded is None else folded[offset : offset + len(content)])
        offset += len(raw) + 1
        if is_table_row(raw):
            if _TABLE_SEPARATOR.match(raw):
                continue
            if _BR.search(raw):
                for cell in table_cells(line):
                    pos = 0
                    for piece in _BR.split(cell.text):
                        lines.append(clean_markup(cell.slice(pos, pos + len(piece))).strip())
                        pos += len(piece)
                        match = _BR.match(cell.text, pos)
                        if match:
                            pos = match.end()
                    lines.append(cell.slice(0, 0))
                continue
        lines.append(clean_markup(line).rstrip())
    return lines


COLUMN_GAP = re.compile(r"\s{3,}")


def split_columns(line: Snippet, gap: re.Pattern[str] = COLUMN_GAP) -> list[Snippet]:
    """The cells of a line flattened from side-by-side columns ("BỘ NỘI VỤ      CỘNG HÒA …",
    "- Như trên;      KT. BỘ TRƯỞNG"), stripped, empty ones dropped."""
    cells: list[Snippet] = []
    pos = 0
    for match in gap.finditer(line.text):
        cells.append(line.slice(pos, match.start()))
        pos = match.end()
    cells.append(line.slice(pos))
    return [cell.strip() for cell in cells if cell.text.strip()]
