"""A body's staff-reduction roadmap as a small inline SVG drawn on the server (as the dashboards' charts are,
followup/charts.py): per year, the most the quota may be, the quota assigned and the staff counted, as three
lines told apart by colour, dash and marker. Plain markup from numbers and translated words; the page marks it
safe and puts a table with the same numbers beside it."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 420, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 12, 34, 26
_FONT = 12
# (colour, dash) of the limit, the quota and the staff; the markers grow with the line's number too
_STYLES = (("#a61b1b", "6 4"), ("#1a4f8b", ""), ("#1e6b3a", "2 3"))


def roadmap_chart(
    *,
    chart_id: str,
    title: str,
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[int | None]]],
) -> str:
    """Lines over the years, one per (label, values) of `series` (a value may be missing: no point), on a
    scale from zero to a little above the highest value, with a legend on top."""
    values = [value for _, line in series for value in line if value is not None]
    highest = max(values, default=1) or 1
    top_of_scale = _round_up(highest)
    plot_width = WIDTH - _LEFT - _RIGHT
    plot_height = HEIGHT - _TOP - _BOTTOM
    step = plot_width / max(len(years), 1)

    def x_of(index: int) -> float:
        return _LEFT + step * (index + 0.5)

    def y_of(value: int) -> float:
        return _TOP + plot_height - value * plot_height / top_of_scale

    name = escape(chart_id)
    description = "; ".join(
        f"{label}: "
        + ", ".join(f"{year} {value}" for year, value in zip(years, line, strict=True) if value is not None)
        for label, line in series
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{name}" role="img"'
        f' aria-labelledby="{name}-title {name}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%"'
        f' preserveAspectRatio="xMinYMin meet" font-size="{_FONT}">'
        f'<title id="{name}-title">{escape(title)}</title><desc id="{name}-desc">{escape(description)}</desc>'
    ]
    legend_x = 0.0
    for number, (label, _) in enumerate(series):
        colour, dash = _STYLES[number % len(_STYLES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{legend_x:.1f}" x2="{legend_x + 22:.1f}" y1="10" y2="10" stroke="{colour}"'
            f' stroke-width="2.5"{dashed}/><text x="{legend_x + 26:.1f}" y="14">{escape(label)}</text>'
        )
        legend_x += 40 + len(label) * _FONT * 0.58
    for tick in (0, top_of_scale // 2, top_of_scale):
        y = y_of(tick)
        parts.append(
            f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{tick}</text>'
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{HEIGHT - 8}" text-anchor="middle" class="axis">{year}</text>'
        )
    for number, (label, line) in enumerate(series):
        colour, dash = _STYLES[number % len(_STYLES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        points = [(x_of(index), y_of(value), value) for index, value in enumerate(line) if value is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(
            f'<g class="series"><polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f"{dashed}/>"
        )
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3 + number}" fill="{colour}">'
            f"<title>{escape(label)}: {value}</title></circle>"
            for x, y, value in points
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _round_up(value: int) -> int:
    """The scale's top: the value raised to the next multiple of a round step, so the middle tick is whole."""
    step = 2 if value <= 20 else 10 if value <= 200 else 100
    return -(-value * 11 // 10 // step) * step or step
