"""The dashboards' charts as inline SVG written on the server, so that they print, need no network and no
script, and scale with the page (a viewBox and width 100%: the same drawing on a laptop and a phone).

Plain functions of numbers and already translated words, returning markup: no Django here (the view marks the
markup safe). Each chart is an image with a title and a description for screen readers; the page puts a table
with the same numbers beside it. Colour is never the only carrier of meaning: every bar carries its label and
its number, and the lines of the trend differ by dash and by marker too."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape

# the drawing's own width, about a phone's: the page shows it at about this size on a laptop (dondoc.css caps
# it) and a little smaller on a phone, so that its text stays readable on both
WIDTH = 420
_FONT = 13
# a character's advance at that size, roughly: SVG cannot measure text, so room is made by count
_CHARACTER = _FONT * 0.58
_THINNEST = 3.0  # the narrowest bar drawn, in the drawing's units
_LEGEND_LINE = 22  # the height of a line of the legend
_LABEL_CHARS = 60  # a longer label is cut with "…"; the table beside gives it whole


class Tone(StrEnum):
    """The colours of the dashboards, each dark enough to carry white text and to print in grey."""

    ON_TIME = "#1e6b3a"
    LATE = "#b35900"
    OVERDUE = "#a61b1b"
    IN_PROGRESS = "#1a4f8b"
    NOT_YET_DUE = "#6b7580"
    REPORTED = "#2f7f86"
    NOT_REPORTED = "#8d6e97"


@dataclass(frozen=True, slots=True)
class Segment:
    """A part of a bar: its number, colour and what it counts (named in the legend when a bar has several)."""

    value: int
    tone: Tone
    label: str


@dataclass(frozen=True, slots=True)
class BarRow:
    """One bar: its label above it and, after it, its total and `note` (a rate, say)."""

    label: str
    segments: tuple[Segment, ...]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a line chart: a value per category."""

    label: str
    values: tuple[int, ...]
    tone: Tone


# the lines of a trend differ by dash and marker as well as by colour
_DASHES = ("", "7 4", "2 3")
_MARKERS = ("circle", "square", "triangle")


def bar_chart(*, chart_id: str, title: str, description: str, rows: Sequence[BarRow]) -> str:
    """Horizontal bars, one a row, the label above each bar and its number after it; bars of several
    segments are stacked, with a legend. The longest bar fills the width left for the numbers."""
    label_height, bar_height, gap = _FONT + 6, 18, 10
    row_height = label_height + bar_height + gap
    legend_items = _legend_items(rows)
    legend, legend_lines = _legend(legend_items) if legend_items else ("", 0)
    top = legend_lines * _LEGEND_LINE + 8 if legend_items else 4
    height = top + max(len(rows), 1) * row_height
    numbers = [f"{row.total}" + (f" · {row.note}" if row.note else "") for row in rows]
    number_room = 12 + max((len(number) for number in numbers), default=0) * _CHARACTER
    longest = max((row.total for row in rows), default=0)
    scale = (WIDTH - number_room) / longest if longest else 0.0
    parts = [_open(chart_id, title, description, height)]
    parts.append(legend)
    for index, (row, number) in enumerate(zip(rows, numbers, strict=True)):
        y = top + index * row_height
        parts.append(
            f'<g class="bar-row"><text x="0" y="{y + _FONT}" class="bar-label">{_cut(row.label)}</text>'
        )
        x = 0.0
        bar_top = y + label_height
        for segment in row.segments:
            # a part of one among hundreds stays visible
            width = max(segment.value * scale, _THINNEST) if segment.value else 0.0
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{bar_top}" width="{width:.1f}" height="{bar_height}"'
                    f' fill="{segment.tone.value}">'
                    f"<title>{escape(segment.label)}: {segment.value}</title></rect>"
                )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{bar_top + bar_height - 4}" class="bar-value">'
            f"{escape(number)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    *, chart_id: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series]
) -> str:
    """Lines over categories (months), on a scale of round numbers, each point marked and the lines told apart
    by colour, dash and marker in a legend. A category's name is hidden on a narrow screen every other one
    (class "minor", dondoc.css)."""
    legend, legend_lines = _legend(
        [(line.label, line.tone, number) for number, line in enumerate(series)], lines=True
    )
    left, right, top, bottom = 34, 10, legend_lines * _LEGEND_LINE + 12, 28
    plot_height = 200
    height = top + plot_height + bottom
    plot_width = WIDTH - left - right
    highest = max((value for line in series for value in line.values), default=0)
    ticks = _ticks(highest)
    scale = plot_height / ticks[-1]
    step = plot_width / max(len(categories), 1)

    def x_of(index: int) -> float:
        return left + step * (index + 0.5)

    def y_of(value: int) -> float:
        return top + plot_height - value * scale

    parts = [_open(chart_id, title, description, height)]
    parts.append(legend)
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{tick}</text>'
        )
    for index, category in enumerate(categories):
        minor = " minor" if index % 2 else ""
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{height - 8}" text-anchor="middle" class="axis{minor}">'
            f"{escape(category)}</text>"
        )
    for number, line in enumerate(series):
        points = [(x_of(index), y_of(value)) for index, value in enumerate(line.values)]
        dash = _DASHES[number % len(_DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<g class="series"><polyline points="{path}" fill="none" stroke="{line.tone.value}"'
            f' stroke-width="2.5"{dashed}/>'
        )
        for (x, y), value, category in zip(points, line.values, categories, strict=True):
            hint = f"{escape(line.label)}, {escape(category)}: {value}"
            parts.append(_marker(number, x, y, line.tone, hint))
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _open(chart_id: str, title: str, description: str, height: int) -> str:
    name = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{name}" role="img"'
        f' aria-labelledby="{name}-title {name}-desc" viewBox="0 0 {WIDTH} {height}" width="100%"'
        f' preserveAspectRatio="xMinYMin meet" font-size="{_FONT}">'
        f'<title id="{name}-title">{escape(title)}</title><desc id="{name}-desc">{escape(description)}</desc>'
    )


def _legend_items(rows: Sequence[BarRow]) -> list[tuple[str, Tone, int]]:
    """The segments' kinds in order of first appearance, when bars are stacked (a bar of one part is named
    by its own label)."""
    if all(len(row.segments) <= 1 for row in rows):
        return []
    seen: dict[str, Tone] = {}
    for row in rows:
        for segment in row.segments:
            seen.setdefault(segment.label, segment.tone)
    return [(label, tone, number) for number, (label, tone) in enumerate(seen.items())]


def _legend(items: Sequence[tuple[str, Tone, int]], *, lines: bool = False) -> tuple[str, int]:
    """Keys at the top, a swatch (or a dashed line with its marker) and the words, as many on a line as fit
    the width and the rest on the next: the markup and the number of lines."""
    parts = ['<g class="legend" aria-hidden="true">']
    x, line = 0.0, 0
    for label, tone, number in items:
        key_width = (32 if lines else 19) + len(label) * _CHARACTER
        if x > 0 and x + key_width > WIDTH:
            x, line = 0.0, line + 1
        middle = line * _LEGEND_LINE + 12
        if lines:
            dash = _DASHES[number % len(_DASHES)]
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 26:.1f}" y1="{middle}" y2="{middle}" stroke="{tone.value}"'
                f' stroke-width="2.5"{dashed}/>' + _marker(number, x + 13, middle, tone, "")
            )
        else:
            parts.append(f'<rect x="{x:.1f}" y="{middle - 7}" width="14" height="14" fill="{tone.value}"/>')
        text_x = x + (32 if lines else 19)
        parts.append(f'<text x="{text_x:.1f}" y="{middle + 5}">{escape(label)}</text>')
        # no text measuring in SVG: a generous width per character keeps the keys apart
        x += key_width + 16
    parts.append("</g>")
    return "".join(parts), line + 1


def _marker(number: int, x: float, y: float, tone: Tone, hint: str) -> str:
    kind = _MARKERS[number % len(_MARKERS)]
    hint_markup = f"<title>{hint}</title>" if hint else ""
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{tone.value}">{hint_markup}</circle>'
    if kind == "square":
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{tone.value}">'
            f"{hint_markup}</rect>"
        )
    points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
    return f'<polygon points="{points}" fill="{tone.value}">{hint_markup}</polygon>'


def _ticks(highest: int) -> list[int]:
    """Round steps (1, 2 or 5 times a power of ten) from 0 to at least `highest`, four or five of them."""
    if highest <= 0:
        return [0, 1]
    rough = highest / 4
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= rough)
    step = max(int(step), 1)
    top = math.ceil(highest / step) * step
    return list(range(0, top + 1, step))


def _cut(label: str) -> str:
    return escape(label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…")
