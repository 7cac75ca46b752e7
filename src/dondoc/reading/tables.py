"""How tables become text, the same for Markdown and Word.

A layout table (the two-column header or signature block of an official document)
becomes its left column's lines, then its right column's lines. A data table
(e.g. STT | Nội dung | Cơ quan chủ trì | …) keeps one line per row: "| 1 | Tổ chức … | Sở Nội vụ |".
"""

from __future__ import annotations

import re

from dondoc.text import collapse_spaces

# Decorative rules under the issuer or the motto: "———", "-----", "___".
_RULE = re.compile(r"^\s*[-—–_=*·.]{3,}\s*$")


def is_rule(line: str) -> bool:
    return bool(_RULE.match(line))


def column_lines(lines: list[str]) -> list[str]:
    """A column's lines without rules, blank runs collapsed to one, no blank at either end."""
    kept: list[str] = []
    for line in lines:
        line = line.strip()
        if is_rule(line) or (not line and (not kept or not kept[-1])):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def layout_table_lines(columns: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for column in columns:
        lines.extend(column_lines(column))
    return lines


def data_row_line(cells: list[str]) -> str:
    return "| " + " | ".join(collapse_spaces(cell) for cell in cells) + " |"
