"""The signature block: T/M BAN THƯỜNG VỤ / BÍ THƯ / Ngô Thanh Danh; KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / …

The block stands in the right column beside Nơi nhận. Flattened to text, its lines come either after
the distribution list or on the same lines (cells apart by spaces or "|"), the first of them often on
the "Nơi nhận:" line itself ("Nơi nhận: KT. THỦ TƯỚNG")."""

from __future__ import annotations

import re

from dondoc.parsing.lines import split_columns
from dondoc.parsing.model import Signer, Span
from dondoc.parsing.snippet import Snippet
from dondoc.text import fold, uppercase_ratio

# State forms TM., KT., TL. are written T/M, K/T, T/L (SCHEMA.md); OCR reads the dot as a comma
_CODES = r"(T\s?/\s?M|TM|K\s?/\s?T|KT|T\s?/\s?L|TL|TUQ|Q)\s*[.:,]?\s+"
AUTHORITY = re.compile(rf"^{_CODES}(?=[A-ZĐÀ-Ỹ])")
_AUTHORITY_IN_LINE = re.compile(rf"(?:^|[\s|;,*]){_CODES}\S")  # a cheap look before a line's cells
_CANONICAL = {"TM": "T/M", "KT": "K/T", "TL": "T/L", "TUQ": "TUQ", "Q": "Q."}
# on folded text
NOI_NHAN = re.compile(r"^[\s\-–•*]*noi\s*nhan\s*[:.]?\s*")
_CELL_GAP = re.compile(r"\s{3,}|\s*\|\s*")  # web copies put "|" between the columns
# a signer's title names an office: PHÓ CHỦ TỊCH, VỤ TRƯỞNG …, CHÁNH VĂN PHÒNG, BÍ THƯ ("PHÓ", "TỔNG"
# alone would take THÀNH PHỐ, TỔNG CỤC for titles)
_TITLE_WORD = re.compile(
    r"\b(?:truong|chu tich|giam doc|bi thu|chu nhiem|chanh|thu tuong|uy vien|thu ky|tu lenh|chinh uy)\b"
)
# titles as they should read when OCR lost their spaces or marks ("THỦTƯỚNG", "THU TUONG")
_TITLES = [
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "BÍ THƯ",
    "PHÓ BÍ THƯ",
    "CHỦ NHIỆM",
    "PHÓ CHỦ NHIỆM",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "VỤ TRƯỞNG",
    "CỤC TRƯỞNG",
    "TỔNG CỤC TRƯỞNG",
    "TỔNG GIÁM ĐỐC",
]
_TITLE_BY_LETTERS = {fold(title).replace(" ", ""): title for title in _TITLES}
_WORD = re.compile(r"\S+")


def is_person_name(text: str) -> bool:
    """ "Ngô Thanh Danh", "Y Điêng" (Ê Đê names have one-letter syllables)."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w.isalpha() and w[0].isupper() and w[1:].islower() | (len(w) == 1) for w in words
    )


def _looks_like_name(text: str) -> bool:
    """A person's name, allowing OCR one misread first word ("PHTạm Minh Chính")."""
    if is_person_name(text):
        return True
    words = text.split()
    if not 3 <= len(words) <= 6 or not is_person_name(" ".join(words[1:])):
        return False
    first = words[0]
    return first.isalpha() and first[0].isupper() and first[-1].islower() and len(first) <= 7


def _upper(text: str) -> bool:
    return uppercase_ratio(text) > 0.85


def _cells(line: Snippet) -> list[Snippet]:
    """The cells of a line; on the "Nơi nhận:" line, what follows the label counts as a cell."""
    if not line.text.strip():
        return []
    cells = split_columns(line, _CELL_GAP)
    if cells and cells[0].text.lstrip(" -–•*")[:1] in ("N", "n"):
        label = NOI_NHAN.match(cells[0].folded)
        if label:
            rest = cells[0].slice(label.end()).strip()
            cells = ([rest] if rest.text else []) + cells[1:]
    return cells


def signature_tail(cell: Snippet) -> Snippet | None:
    """The signature column glued by OCR to the end of a recipient line with a single space:
    "- Các thành viên Chính phủ; KT. THỦ TƯỚNG", "NNMT, XD, GDĐT, PHO THU TUONG"."""
    text = cell.text.rstrip(" .:;,")
    cut = max(text.rfind(";"), text.rfind(","))
    if cut < 0 or len(text) - cut > 60:
        return None
    words = text[cut + 1 :]
    if not words.lstrip()[:1].isupper() or not _upper(words):
        return None
    tail = cell.slice(cut + 1, len(text)).strip()
    return tail if _authority(tail) or _title(tail) else None


def starts_signature(cell: Snippet) -> bool:
    """Does the cell open the signature block ("KT. THỦ TƯỚNG", "THỦTƯỚNG bey,")?"""
    return _authority(cell) is not None or _title(cell) is not None


def _signature_cell(cells: list[Snippet]) -> tuple[Snippet | None, bool]:
    """The rightmost of a line's cells, where the signature column stands, and whether OCR glued it to
    the text on its left."""
    if not cells:
        return None, False
    tail = signature_tail(cells[-1])
    return (tail, True) if tail else (cells[-1], False)


def _leading_capitals(cell: Snippet) -> Snippet:
    """The words in capitals a cell begins with: "THỦTƯỚNG bey," → "THỦTƯỚNG" (OCR specks after it)."""
    end = 0
    for word in _WORD.finditer(cell.text):
        if not word.group().isupper() and any(c.isalpha() for c in word.group()):
            break
        end = word.end()
    return cell.slice(0, end).strip(" ,.;:-–'\"“”")


def _title(cell: Snippet) -> Snippet | None:
    """The title a cell begins with ("PHÓ CHỦ TỊCH", "THỦTƯỚNG bey,"), if it begins with one."""
    title = _leading_capitals(cell)
    # a list of abbreviations ("NNMT, XD, GDĐT, …") is not a title
    if not title.text or len(title.text) >= 60 or title.text.startswith("-") or title.text.count(",") > 1:
        return None
    folded = title.folded
    if _TITLE_WORD.search(folded) or folded.replace(" ", "") in _TITLE_BY_LETTERS:
        return title
    return None


def _title_line(cell: Snippet) -> bool:
    """A line that carries a title on ("VỤ TỔ CHỨC - BIÊN CHẾ"), not a list of abbreviations."""
    text = cell.text
    return _upper(text) and text.count(",") <= 1 and ";" not in text


def _title_text(title: Snippet) -> str:
    text = " ".join(title.text.split())
    return _TITLE_BY_LETTERS.get(fold(text).replace(" ", ""), text)


def _authority(cell: Snippet) -> tuple[str, Snippet] | None:
    """ "KT. CHỦ TỊCH" → ("K/T", "CHỦ TỊCH")."""
    match = AUTHORITY.match(cell.text)
    if not match or not _upper(cell.text[match.end() :]):
        return None
    code = re.sub(r"[\s/.]", "", match.group(1))
    on_behalf = _leading_capitals(cell.slice(match.end()))  # "THU TƯỚNG ˆ": a speck after it
    return _CANONICAL.get(code, match.group(1)), on_behalf


def find_signer(lines: list[Snippet], start: int) -> tuple[Signer, set[int]] | None:
    """The first signature block at or after line `start`, and the lines it occupies."""
    for i in range(start, len(lines)):
        if not _AUTHORITY_IN_LINE.search(lines[i].text):
            continue
        cells = _cells(lines[i])
        tail = signature_tail(cells[-1]) if cells else None
        for cell in [*cells, tail] if tail else cells:
            found = _authority(cell)
            if found is None:
                continue
            authority, on_behalf = found
            used = {i}
            title_parts: list[Snippet] = []
            last_title_line = -1
            name: Snippet | None = None
            for j in range(i + 1, min(len(lines), i + 14)):
                candidate, glued = _signature_cell(_cells(lines[j]))
                if candidate is None:
                    continue
                inner = _authority(candidate)
                if inner:
                    used.add(j)  # "TM. ỦY BAN NHÂN DÂN" over "KT. CHỦ TỊCH": the inner authority signs
                    authority, on_behalf = inner
                    continue
                if name is None and len(title_parts) < 2:
                    # a second title line continues the first ("VỤ TRƯỞNG" / "VỤ TỔ CHỨC - BIÊN CHẾ")
                    second = title_parts and j == last_title_line + 1 and not glued and _title_line(candidate)
                    title = candidate if second else (None if title_parts else _title(candidate))
                    if title:
                        title_parts.append(title)
                        last_title_line = j
                        used.add(j)
                        continue
                if _looks_like_name(candidate.text.strip()):
                    name = candidate
                    used.add(j)
                    break
            title_text = " ".join(" ".join(p.text.split()) for p in title_parts) or None
            if title_text and len(title_parts) == 1:
                title_text = _title_text(title_parts[0])
            end = (name or (title_parts[-1] if title_parts else cell)).span().end
            return (
                Signer(
                    authority=authority,
                    on_behalf_of=_title_text(on_behalf) or None,
                    title=title_text,
                    name=" ".join(name.text.split()) if name else None,
                    span=Span(cell.span().start, end),
                ),
                used,
            )
    return None


_NAME_REACH = 14  # lines from the end where a name closes the document
_LIST_REACH = 25  # lines a distribution list runs above the name


def find_plain_signer(lines: list[Snippet], start: int) -> tuple[Signer, set[int]] | None:
    """A head signing in their own name: a title (or nothing OCR could read) over the name, at the end;
    the title may sit beside the distribution list ("Nơi nhận: THỦ TƯỚNG")."""
    for i in range(len(lines) - 1, max(start, len(lines) - _NAME_REACH) - 1, -1):
        cells = _cells(lines[i])
        if not cells or not _looks_like_name(cells[-1].text):
            continue
        name = cells[-1]
        title: Snippet | None = None
        used = {i}
        below_list = False
        adjacent = True  # nothing but specks between this line and the name
        for j in range(i - 1, max(start, i - _LIST_REACH) - 1, -1):
            line = lines[j]
            if not line.text.strip():
                continue
            cells = _cells(line)
            candidate, glued = _signature_cell(cells)
            is_label = NOI_NHAN.match(line.folded.strip()) is not None
            beside = glued or is_label or len(cells) > 1  # in the column right of the list
            if candidate is not None and title is None and (adjacent or beside):
                title = _title(candidate)
                if title:
                    used.add(j)
            if is_label:
                below_list = True
                break
            if adjacent and title is not None:
                break  # "CHỦ TỊCH" right over the name
            if sum(c.isalpha() for c in line.text) > 3:  # more than a speck OCR read from a stamp ("§")
                adjacent = False
        if title is None and not below_list:
            return None
        return (
            Signer(
                None,
                None,
                _title_text(title) if title else None,
                " ".join(name.text.split()),
                Span((title or name).span().start, name.span().end),
            ),
            used,
        )
    return None
