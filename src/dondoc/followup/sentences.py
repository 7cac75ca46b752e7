"""The sentences of what bodies report, cut and chosen but never rewritten: the periodic report cites a body's
words briefly (its leading sentences) and quotes the sentences that speak of difficulties or proposals.

Plain Python: a sentence ends at ".", "!", "?" or "…" followed by a space and what starts a sentence (a
capital, a digit, a dash, an opening quote or bracket), or at a line break. A number or a single letter
before the period, alone or after a colon ("1. Đã triển khai", "gồm: a. …"), is an item's marker, not a
sentence's end."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dondoc.text import fold

# a period closing an item's marker (alone, or after a colon: "nội dung: 1. Quán triệt …") ends no sentence
_MARKER = re.compile(r"(?:^|[:;]\s*)(?:\d{1,2}|[a-zđ]|[IVX]{1,4})[.)]$")
_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(\-–•+*]?\s*[A-ZÀ-ỸĐ0-9])")
_LINE = re.compile(r"\s*\n\s*")
_ELLIPSIS = "…"


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, each stripped; empty lines dropped."""
    found: list[str] = []
    for line in _LINE.split(text.strip()):
        start = 0
        for end in _END.finditer(line):
            piece = line[start : end.start()]
            if _MARKER.search(piece.rstrip('"”’)')):
                continue
            found.append(line[start : end.start()].strip())
            start = end.end()
        found.append(line[start:].strip())
    return [sentence for sentence in found if sentence]


def leading_sentences(text: str, *, count: int = 2, limit: int = 300) -> str:
    """The first `count` sentences of `text` that fit in `limit` characters (at least the first one). A first
    sentence longer than `limit` is cut where a clause ends (at a semicolon or a comma) in the second half of
    what fits, else after the last word that fits, and ends with "…"."""
    chosen: list[str] = []
    for sentence in sentences(text)[:count]:
        if chosen and len(" ".join([*chosen, sentence])) > limit:
            break
        chosen.append(sentence)
    summary = " ".join(chosen)
    if len(summary) <= limit:
        return summary
    fits = summary[: limit - len(_ELLIPSIS) + 1]
    clause = max(fits.rfind("; "), fits.rfind(", "))
    if clause >= limit // 2:
        cut = fits[:clause]
    else:
        cut = fits[: fits.rfind(" ")] if " " in fits else fits[: limit - len(_ELLIPSIS)]
    return cut.rstrip(" ,;:-–") + _ELLIPSIS


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(phrase)) for phrase in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def sentences_about(text: str, phrases: Iterable[str]) -> list[str]:
    """The sentences of `text` that name one of `phrases` (case and diacritics ignored, whole words), in
    order."""
    pattern = _phrase_pattern(phrases)
    return [sentence for sentence in sentences(text) if pattern.search(fold(sentence))]
