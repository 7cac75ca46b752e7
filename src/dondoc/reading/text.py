"""Plain text (.txt) and Markdown (.md) files."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from dondoc.reading.document import ReadError
from dondoc.reading.tables import data_row_line, is_rule, layout_table_lines

# C0 controls other than tab, newline, carriage return and form feed mean "not text".
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 (older Vietnamese files)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(f"tệp văn bản UTF-16 hỏng: {path}") from None
    if b"\x00" in data:
        raise ReadError(f"tệp nhị phân, không phải văn bản: {path}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise ReadError(f"không nhận ra bảng mã của tệp văn bản (cần UTF-8): {path}") from None
    if _CONTROL.search(text):
        raise ReadError(f"tệp nhị phân, không phải văn bản: {path}")
    return text


def read_plain_text(path: Path) -> str:
    return decode_text(path.read_bytes(), path)


def read_markdown(path: Path) -> str:
    return markdown_to_text(decode_text(path.read_bytes(), path))


# Escaped characters are parked in the private use area so emphasis removal cannot touch them.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PARKED_BASE = 0xE000
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<![\w])__(?=\S)(.+?)(?<=\S)__(?![\w])"),
    re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
    re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])"),
)
# What is left of emphasis that a converter did not close: "- Kính gửi:*".
_STRAY_ASTERISK = re.compile(r"(?<=\S)\*+|\*+(?=\S)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _park(match: re.Match[str]) -> str:
    return chr(_PARKED_BASE + ord(match.group(1)))


def _unpark(text: str) -> str:
    return re.sub("[\ue000-\ue0ff]", lambda match: chr(ord(match.group(0)) - _PARKED_BASE), text)


def strip_inline_markdown(text: str) -> str:
    """Emphasis, links and images removed, then the parked escaped characters put back."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return _unpark(_STRAY_ASTERISK.sub("", text))


def _table_cells(row: str) -> list[str]:
    row = row.strip()
    row = row.removeprefix("|")
    row = row.removesuffix("|")
    return [cell.strip() for cell in row.split("|")]


def _table_lines(rows: list[str]) -> list[str]:
    cells = [_table_cells(row) for row in rows if not _TABLE_SEPARATOR.match(row)]
    is_layout = all(len(row) == 2 for row in cells) and any(
        _BREAK.search(cell) for row in cells for cell in row
    )
    if is_layout:
        columns = [
            [strip_inline_markdown(line) for row in cells for line in _BREAK.split(row[index])]
            for index in (0, 1)
        ]
        return layout_table_lines(columns)
    return [data_row_line([strip_inline_markdown(_BREAK.sub(" ", cell)) for cell in row]) for row in cells]


def _body_line(line: str) -> str:
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(1)
    bullet = _BULLET.match(line)
    # Keep "- " dashes (they mean something in Nơi nhận and Kính gửi); drop the nesting indentation.
    if bullet:
        line = "- " + line[bullet.end() :]
    line = strip_inline_markdown(line)
    return "" if is_rule(line) else line


def markdown_to_text(source: str) -> str:
    lines = _ESCAPE.sub(_park, source).split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index].lstrip().startswith("|"):
            end = index
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            out.extend(_table_lines(lines[index:end]))
            index = end
            continue
        for part in _BREAK.split(lines[index]):
            out.append(_body_line(part).rstrip())
        index += 1
    return "\n".join(out)
