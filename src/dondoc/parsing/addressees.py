"""Kính gửi (who must act) and Nơi nhận (who receives a copy, and why)."""

from __future__ import annotations

import re

from dondoc.parsing.agencies import correct_ocr_name, find_names, starts_with_head
from dondoc.parsing.lines import split_columns
from dondoc.parsing.model import DistributionEntry, Field
from dondoc.parsing.signer import AUTHORITY
from dondoc.parsing.snippet import Snippet

_KINH_GUI = re.compile(r"^[\s\-–•*]*kinh\s*gui\s*[:.]?\s*")
_NOI_NHAN = re.compile(r"^[\s\-–•*]*noi\s*nhan\s*[:.]?\s*")
_BULLET = re.compile(r"^\s*[\-–—•+*]+\s*")
_PURPOSE = re.compile(
    r"\(\s*(?:de\s+)?(b/c|bc|bao cao|thuc hien|t/h|phoi hop[^)]*|biet|theo doi|chi dao|giam sat)[^)]*\)"
)
_SAME_AS = re.compile(r"^nhu\s+(tren|kinh gui|dieu\s+\d+|khoan\s+\d+)")
_ARCHIVE = re.compile(r"^luu\b")


def find_addressee_block(lines: list[Snippet], start: int, stop: int) -> tuple[int, int] | None:
    """Line range [first, end) of the Kính gửi block, searched in lines[start:stop]."""
    for i in range(start, min(stop, len(lines))):
        if _KINH_GUI.match(lines[i].folded):
            end = i + 1
            j = i + 1
            while j < len(lines):
                text = lines[j].text.strip()
                if not text:
                    j += 1
                    continue
                if _BULLET.match(lines[j].text) or _only_names(text):
                    end = j + 1
                    j += 1
                    continue
                if lines[j].text[:1].isspace() and text[:1].islower():
                    end = j + 1  # a wrapped addressee line
                    j += 1
                    continue
                break
            return i, end
    return None


def _only_names(text: str) -> bool:
    """An unbulleted addressee line holds names and nothing else ("Sở Tài chính;")."""
    stripped = text.strip().rstrip(",;.")
    if len(stripped) > 160 or not starts_with_head(stripped):
        return False
    _, end = find_names(Snippet.at(stripped, 0))
    return end >= len(stripped) - 1


def parse_addressees(lines: list[Snippet], block: tuple[int, int]) -> list[Field]:
    first, end = block
    items: list[Snippet] = []
    opener = lines[first]
    match = _KINH_GUI.match(opener.folded)
    assert match is not None
    rest = opener.slice(match.end()).strip(" *")
    if rest.text:
        items.append(rest)
    for line in lines[first + 1 : end]:
        text = line.strip()
        if not text.text:
            continue
        bullet = _BULLET.match(text.text)
        item = text.slice(bullet.end()) if bullet else text
        if not bullet and items and text.text[:1].islower():
            items[-1] = Snippet.join([items[-1], item])
        else:
            items.append(item)
    fields: list[Field] = []
    for item in items:
        item = item.strip(" ,;.")
        if not item.text:
            continue
        names, end_at = find_names(item)
        if names and end_at >= len(item.text.rstrip(" ,;.")) - 1:
            fields.extend(_fix(name) for name in names)
        else:
            fields.append(_fix(item))
    return fields


def _fix(name: Snippet) -> Field:
    text = correct_ocr_name(" ".join(name.text.split()).strip(" ,;."))
    return Field(text[:1].upper() + text[1:], name.span())


def find_distribution_block(lines: list[Snippet], start: int) -> tuple[int, int] | None:
    for i in range(start, len(lines)):
        if _NOI_NHAN.match(lines[i].folded):
            end = i + 1
            j = i + 1
            while j < len(lines):
                cell = _first_cell(lines[j])
                text = cell.text.strip()
                if not text:
                    j += 1
                    continue
                if _BULLET.match(cell.text) or text.startswith("(") or _ARCHIVE.match(cell.folded.strip()):
                    end = j + 1
                    j += 1
                    continue
                if (lines[j].text[:1].isspace() and text[:1] in "(") or text[:1].islower():
                    end = j + 1
                    j += 1
                    continue
                break
            return i, end
    return None


def _first_cell(line: Snippet) -> Snippet:
    """The left cell of a line flattened from the two-column closing (Nơi nhận | signature)."""
    cells = split_columns(line)
    return cells[0] if cells else line.strip()


def parse_distribution(lines: list[Snippet], block: tuple[int, int]) -> list[DistributionEntry]:
    first, end = block
    raw_items: list[tuple[Snippet, bool]] = []  # (item, bracketed with the lines around it by "|")
    opener = lines[first]
    match = _NOI_NHAN.match(opener.folded)
    assert match is not None
    after = opener.slice(match.end())
    # "Nơi nhận:      KT. BỘ TRƯỞNG": what stands far to the right is the signature column
    rest = _first_cell(after) if not re.match(r"\s{3,}", after.text) else after.slice(0, 0)
    if rest.text.strip() and not AUTHORITY.match(rest.text.strip()):
        raw_items.append((rest, False))
    for line in lines[first + 1 : end]:
        cell = _first_cell(line)
        if not cell.text.strip():
            continue
        bullet = _BULLET.match(cell.text)
        if not bullet and raw_items:
            previous, bracket = raw_items[-1]
            raw_items[-1] = (Snippet.join([previous, cell]), bracket)
            continue
        item = cell.slice(bullet.end()) if bullet else cell
        raw_items.append((item, "|" in item.text))
    # a "|" bracket groups lines that share one purpose: "- A, | (b/c)" / "- B, |"
    purposes: list[str | None] = [_purpose(item.folded) for item, _ in raw_items]
    k = 0
    while k < len(raw_items):
        if raw_items[k][1]:
            j = k
            while j < len(raw_items) and raw_items[j][1]:
                j += 1
            shared = next((p for p in purposes[k:j] if p), None)
            for m in range(k, j):
                purposes[m] = purposes[m] or shared
            k = j
        else:
            k += 1
    entries: list[DistributionEntry] = []
    for (item, _), purpose in zip(raw_items, purposes, strict=True):
        entries.extend(_entries(item, purpose))
    return entries


def _purpose(folded: str) -> str | None:
    match = _PURPOSE.search(folded)
    if not match:
        return None
    word = match.group(1)
    if word in ("b/c", "bc", "bao cao"):
        return "report"
    if word.startswith(("thuc hien", "t/h", "phoi hop", "chi dao")):
        return "act"
    return None


def _entries(item: Snippet, purpose: str | None) -> list[DistributionEntry]:
    cleaned = item.slice(0, item.text.index("|")) if "|" in item.text else item
    paren = _PURPOSE.search(cleaned.folded)
    if paren:
        cleaned = Snippet.join([cleaned.slice(0, paren.start()), cleaned.slice(paren.end())], sep="")
    cleaned = cleaned.strip(" ,;.")
    folded = cleaned.folded.strip()
    if not folded:
        return []
    if _ARCHIVE.match(folded):
        return [DistributionEntry(" ".join(item.text.split()).strip(" ,;.|"), "archive", item.span())]
    if _SAME_AS.match(folded):
        return [DistributionEntry(" ".join(cleaned.text.split()), "addressees", cleaned.span())]
    names, end = find_names(cleaned)
    if names and end >= len(cleaned.text) - 1:
        texts = _share_tail([" ".join(n.text.split()) for n in names])
        return [
            DistributionEntry(text[:1].upper() + text[1:], purpose, name.span())
            for text, name in zip(texts, names, strict=True)
        ]
    text = " ".join(cleaned.text.split())
    return [DistributionEntry(text[:1].upper() + text[1:], purpose, cleaned.span())]


_BARE_TITLES = {"ct", "pct", "chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "thủ tướng", "bộ trưởng"}


def _share_tail(names: list[str]) -> list[str]:
    """ "CT, các PCT UBND tỉnh" → "CT UBND tỉnh", "các PCT UBND tỉnh": a bare title takes the body
    named after the next title."""
    out = list(names)
    for i in range(len(names) - 1):
        if names[i].lower() in _BARE_TITLES:
            words = names[i + 1].split()
            for k in range(1, len(words)):
                if words[k - 1].lower() in _BARE_TITLES or words[k - 1] in ("PCT", "CT"):
                    out[i] = f"{names[i]} {' '.join(words[k:])}"
                    break
    return out
