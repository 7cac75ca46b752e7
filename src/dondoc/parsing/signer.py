"""The signature block: T/M BAN THƯỜNG VỤ / BÍ THƯ / Ngô Thanh Danh; KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / …"""

from __future__ import annotations

import re

from dondoc.parsing.lines import split_columns
from dondoc.parsing.model import Signer, Span
from dondoc.parsing.snippet import Snippet
from dondoc.text import uppercase_ratio

# State forms TM., KT., TL. are written T/M, K/T, T/L (SCHEMA.md)
AUTHORITY = re.compile(r"^(T\s?/\s?M|TM|K\s?/\s?T|KT|T\s?/\s?L|TL|TUQ|Q)\s*[.:]?\s+(?=[A-ZĐÀ-Ỹ])")
_CANONICAL = {"TM": "T/M", "KT": "K/T", "TL": "T/L", "TUQ": "TUQ", "Q": "Q."}


def _is_person_name(text: str) -> bool:
    """ "Ngô Thanh Danh", "Y Điêng" (Ê Đê names have one-letter syllables)."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w.isalpha() and w[0].isupper() and w[1:].islower() | (len(w) == 1) for w in words
    )


def _upper(text: str) -> bool:
    return uppercase_ratio(text) > 0.85


def find_signer(lines: list[Snippet], start: int) -> tuple[Signer, set[int]] | None:
    """The first signature block at or after line `start`, and the lines it occupies."""
    for i in range(start, len(lines)):
        for cell in split_columns(lines[i]) if lines[i].text.strip() else []:
            match = AUTHORITY.match(cell.text)
            if not match or not _upper(cell.text[match.end() :]):
                continue
            code = re.sub(r"[\s/.]", "", match.group(1))
            authority = _CANONICAL.get(code, match.group(1))
            on_behalf = cell.slice(match.end()).strip()
            used = {i}
            title_parts: list[Snippet] = []
            name: Snippet | None = None
            for j in range(i + 1, min(len(lines), i + 14)):
                cells = split_columns(lines[j]) if lines[j].text.strip() else []
                candidate = cells[-1] if cells else None
                if candidate is None:
                    continue
                text = candidate.text.strip()
                if AUTHORITY.match(text) and _upper(text):
                    used.add(j)  # "TM. ỦY BAN NHÂN DÂN" over "KT. CHỦ TỊCH": the inner authority signs
                    inner = AUTHORITY.match(text)
                    assert inner is not None
                    code = re.sub(r"[\s/.]", "", inner.group(1))
                    authority = _CANONICAL.get(code, inner.group(1))
                    on_behalf = candidate.slice(inner.end()).strip()
                    continue
                if (
                    name is None
                    and _upper(text)
                    and not text.startswith(("-", "Nơi"))
                    and len(title_parts) < 2
                ):
                    title_parts.append(candidate)
                    used.add(j)
                    continue
                if _is_person_name(text):
                    name = candidate
                    used.add(j)
                    break
            title = " ".join(" ".join(p.text.split()) for p in title_parts) or None
            end = (name or (title_parts[-1] if title_parts else cell)).span().end
            return (
                Signer(
                    authority=authority,
                    on_behalf_of=" ".join(on_behalf.text.split()) or None,
                    title=title,
                    name=" ".join(name.text.split()) if name else None,
                    span=Span(cell.span().start, end),
                ),
                used,
            )
    return None


def find_plain_signer(lines: list[Snippet], start: int) -> tuple[Signer, set[int]] | None:
    """A head signing in their own name: an upper-case title line, then the name, at the end."""
    for i in range(len(lines) - 1, max(start, len(lines) - 12) - 1, -1):
        text = lines[i].text.strip()
        if not _is_person_name(text):
            continue
        for j in range(i - 1, max(start, i - 6) - 1, -1):
            above = lines[j].text.strip()
            if not above:
                continue
            if _upper(above) and len(above) < 60:
                title = lines[j].strip()
                return (
                    Signer(
                        None,
                        None,
                        " ".join(title.text.split()),
                        text,
                        Span(title.span().start, lines[i].span().end),
                    ),
                    {i, j},
                )
            break
    return None
