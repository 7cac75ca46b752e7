"""Patterns shared by the parsers: document numbers, document types, dates written in words."""

from __future__ import annotations

import re
from datetime import date

from dondoc.text import fold

# Type codes (Hướng dẫn 36-HD/VPTW for the Party; Nghị định 30/2020/NĐ-CP, Phụ lục III for the State).
TYPE_CODES: dict[str, str] = {
    "NQ": "nghị quyết",
    "QĐ": "quyết định",
    "QĐi": "quy định",
    "QyĐ": "quy định",
    "CT": "chỉ thị",
    "KL": "kết luận",
    "TT": "thông tri",
    "HD": "hướng dẫn",
    "TB": "thông báo",
    "BC": "báo cáo",
    "TTr": "tờ trình",
    "KH": "kế hoạch",
    "CTr": "chương trình",
    "CV": "công văn",
    "BB": "biên bản",
    "QC": "quy chế",
    "TC": "tiêu chuẩn",
    "PA": "phương án",
    "ĐA": "đề án",
    "DA": "dự án",
    "HĐ": "hợp đồng",
    "CĐ": "công điện",
    "BGN": "bản ghi nhớ",
    "BTT": "bản thỏa thuận",
    "GUQ": "giấy ủy quyền",
    "GM": "giấy mời",
    "GGT": "giấy giới thiệu",
    "GNP": "giấy nghỉ phép",
    "PG": "phiếu gửi",
    "PC": "phiếu chuyển",
    "PB": "phiếu báo",
    "NĐ": "nghị định",
    "TTg": "thủ tướng",
    "VBHN": "văn bản hợp nhất",
    "TTLT": "thông tư liên tịch",
    "L": "luật",
    "QH": "quốc hội",
}
# OCR drops the stroke of Đ: restore it where the code is otherwise unknown.
_OCR_CODES = {"CD": "CĐ", "ND": "NĐ", "QD": "QĐ", "HDND": "HĐND", "DA": "ĐA", "DUK": "ĐUK", "QDi": "QĐi"}

# Document kinds in running text, longest first, mapped to their canonical lower-case name.
TYPE_NAMES = [
    "thông tư liên tịch",
    "nghị quyết",
    "nghị định",
    "quyết định",
    "quy định",
    "chỉ thị",
    "kết luận",
    "thông tri",
    "hướng dẫn",
    "thông báo kết luận",
    "thông báo",
    "báo cáo",
    "tờ trình",
    "kế hoạch",
    "chương trình hành động",
    "chương trình",
    "công văn",
    "công điện",
    "biên bản",
    "quy chế",
    "phương án",
    "đề án",
    "thông tư",
    "luật",
    "pháp lệnh",
    "hiến pháp",
    "điều lệ",
    "văn bản hợp nhất",
    "giấy mời",
]
TYPE_BY_FOLDED = {fold(name): name for name in TYPE_NAMES}
TYPE_BY_FOLDED["thong bao ket luan"] = "thông báo"
TYPE_BY_FOLDED["chuong trinh hanh dong"] = "chương trình"
# a regex alternation of the kinds, folded, longest first, and "văn bản", which names no kind
KIND_WORDS = "|".join(
    sorted((re.escape(kind) for kind in [*TYPE_BY_FOLDED, "van ban"]), key=len, reverse=True)
)

_CODE = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:&[A-ZĐ][A-Za-zĐđ0-9]*)*"  # "CCHC&PC": two units of one office
# 1317-CV/TU · 50-KL/TW · 4127/UBND-NC · 62/2020/NĐ-CP · 35/2023/UBTVQH15 · 18/2024/NQ-HĐND · 30c/NQ-CP
DOC_NUMBER = re.compile(
    rf"(?<![\w/])(\d{{1,6}}[a-z]?)\s?(?:-\s?({_CODE})\s?/\s?({_CODE}(?:-{_CODE})*)"
    rf"|(?:/\s?((?:19|20)\d\s?\d))?\s?/\s?({_CODE}(?:\s?-\s?{_CODE})*))"
)

_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_DATE_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})(?![\d/])")


# A State symbol is "type code - issuer code" (NĐ-CP, QĐ-UBND, TT-VPCP); PDF extraction drops the
# hyphen ("NĐCP", "QĐUBND"). Issuer codes: the Government and its Prime Minister, the people's councils
# and committees and their offices, ministries (B…) and provincial departments (S…).
_JOINED_TYPES = sorted(
    [c for c in TYPE_CODES if c not in ("TTg", "QH", "L")] + ["ND", "QD", "CD"], key=len, reverse=True
)
_ISSUER_CODE = r"CP|TTg|UBND|HĐND|HDND|UBTVQH\d*|VP[A-ZĐ]{1,5}|B[A-ZĐ]{2,7}|S[A-ZĐ]{2,5}"
_JOINED_SYMBOL = re.compile(rf"(?<=/)({'|'.join(map(re.escape, _JOINED_TYPES))})({_ISSUER_CODE})$")


def normalize_number(raw: str) -> str:
    """ "158/201 8/ND-CP" → "158/2018/NĐ-CP"; "61/2018/NĐCP" → "61/2018/NĐ-CP"; "Số 1317-CV/TU" keeps
    its form."""
    number = re.sub(r"\s+", "", raw).strip(".,;:)")
    if "-" not in number:
        joined = _JOINED_SYMBOL.search(number)
        # "TTCP" is the Government Inspectorate's own code, not a thông tư of the Government
        if joined and joined.group() != "TTCP":
            number = f"{number[: joined.start()]}{joined.group(1)}-{joined.group(2)}"
    parts = re.split(r"([-/])", number)
    return "".join(_OCR_CODES.get(p, p) if p not in TYPE_CODES else p for p in parts)


def type_from_number(number: str) -> str | None:
    """The document kind its number shows: "1317-CV/TU" → công văn, "2156/QĐ-UBND" → quyết định,
    "62/2020/NĐ-CP" → nghị định; a State công văn ("4127/UBND-NC") has no type code."""
    party = re.match(r"\d+-([^/]+)/", number)
    if party:
        return TYPE_CODES.get(party.group(1))
    state = re.match(r"\d+(?:/\d{4})?/([^-/]+)", number)
    if state:
        code = state.group(1)
        if code in TYPE_CODES and code not in ("TTg", "QH", "L"):
            return TYPE_CODES[code]
        if re.fullmatch(r"\d+/\d{4}/QH\d+", number):
            return "luật"
        return "công văn"
    return None


def date_in_words(folded: str, start: int = 0) -> tuple[date, int, int] | None:
    """First "ngày 17 tháng 4 năm 2023" (in folded text) at or after start: (date, start, end)."""
    match = _DATE_WORDS.search(folded, start)
    while match:
        when = safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if when:
            return when, match.start(), match.end()
        match = _DATE_WORDS.search(folded, match.end())
    return None


def any_date(folded: str, start: int = 0, end: int | None = None) -> tuple[date, int, int] | None:
    """The first full date, in words or digits, within [start, end) of folded text."""
    end = len(folded) if end is None else end
    found: list[tuple[date, int, int]] = []
    words = _DATE_WORDS.search(folded, start, end)
    if words:
        when = safe_date(int(words.group(3)), int(words.group(2)), int(words.group(1)))
        if when:
            found.append((when, words.start(), words.end()))
    numeric = _DATE_NUMERIC.search(folded, start, end)
    if numeric:
        when = safe_date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        if when:
            found.append((when, numeric.start(), numeric.end()))
    return min(found, key=lambda f: f[1]) if found else None


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1900 <= year <= 2200 else None
    except ValueError:
        return None
