"""From positioned words (a PDF text layer or OCR boxes) to lines in reading order.

Official documents put the issuer and the motto, then Nơi nhận and the signature,
side by side. Those blocks are read left column first, then right column, as
tables are in Markdown and Word; all other lines are read top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from dondoc.reading.cleanup import is_page_number


@dataclass(frozen=True, slots=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str


@dataclass(frozen=True, slots=True)
class Segment:
    """Words of one row with no wide gap between them."""

    x0: float
    x1: float
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    top: float
    bottom: float
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


def group_rows(words: list[Word]) -> list[list[Word]]:
    """Words whose vertical middles lie within half a word height of a row's middle share it."""
    if not words:
        return []
    tolerance = median(word.bottom - word.top for word in words) / 2
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if rows and abs(middle - _middle(rows[-1])) <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    return rows


def _middle(words: list[Word]) -> float:
    return sum((w.top + w.bottom) / 2 for w in words) / len(words)


def make_row(words: list[Word], gap: float) -> Row:
    """Split a row's words into segments wherever the space between two words exceeds `gap`."""
    words = sorted(words, key=lambda w: w.x0)
    groups: list[list[Word]] = [[words[0]]]
    for word in words[1:]:
        if word.x0 - groups[-1][-1].x1 > gap:
            groups.append([word])
        else:
            groups[-1].append(word)
    segments = tuple(Segment(g[0].x0, max(w.x1 for w in g), " ".join(w.text for w in g)) for g in groups)
    return Row(min(w.top for w in words), max(w.bottom for w in words), segments)


def rows_from_lines(lines: list[list[Word]]) -> list[Row]:
    """Rows from lines of words (already grouped), a gap of 1.5 word heights splitting columns."""
    lines = [line for line in lines if line]
    if not lines:
        return []
    height = median(w.bottom - w.top for line in lines for w in line)
    return [make_row(line, 1.5 * height) for line in lines]


def drop_page_numbers(rows: list[Row]) -> list[Row]:
    """A page number is a row of its own at the very top or bottom of the page."""
    kept = list(rows)
    for index in (0, -1):
        if kept and is_page_number(kept[index].text):
            kept.pop(index)
    return kept


def reading_order(rows: list[Row]) -> list[str]:
    """Lines of text; two-column blocks left column first; a blank line at a wide vertical gap."""
    if not rows:
        return []
    pitches = [b.top - a.top for a, b in pairwise(rows) if b.top > a.top]
    pitch = median(pitches) if pitches else rows[0].bottom - rows[0].top
    out: list[str] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        if index and row.top - rows[index - 1].top > 1.8 * pitch and out and out[-1]:
            out.append("")
        if len(row.segments) == 2:
            end, left, right = _column_block(rows, index, pitch)
            if right:
                if out and out[-1]:
                    out.append("")
                out.extend([*left, "", *right, ""])
                index = end
                continue
        out.append(row.text)
        index += 1
    while out and not out[-1]:
        out.pop()
    return out


def _column_block(rows: list[Row], start: int, pitch: float) -> tuple[int, list[str], list[str]]:
    """The block of side-by-side columns starting at rows[start]: (end index, left lines, right lines)."""
    boundary = rows[start].segments[1].x0
    slack = rows[start].bottom - rows[start].top
    end = start
    last_right = start
    while end < len(rows):
        segments = rows[end].segments
        if len(segments) > 2:
            break
        if len(segments) == 2:
            boundary = min(boundary, segments[1].x0)
        elif segments[0].x0 < boundary - slack < segments[0].x1:
            break  # a line across both columns: the body has resumed
        if segments[-1].x0 >= boundary - slack:
            last_right = end
        end += 1
    # Left-column lines under the last right-column line ("V/v …" wrapping) belong to the block
    # while they follow each other closely.
    end = last_right + 1
    while (
        end < len(rows)
        and len(rows[end].segments) == 1
        and rows[end].segments[0].x1 < boundary - slack
        and rows[end].top - rows[end - 1].top <= 1.5 * pitch
    ):
        end += 1
    left: list[str] = []
    right: list[str] = []
    for row in rows[start:end]:
        for segment in row.segments:
            (right if segment.x0 >= boundary - slack else left).append(segment.text)
    return end, left, right
