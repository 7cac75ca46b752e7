"""Documents a directive cites: "Kết luận số 50-KL/TW, ngày 28/02/2023 của Bộ Chính trị",
"Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ", "Luật Tổ chức chính quyền địa phương
ngày 19 tháng 6 năm 2015", "Chương trình công tác năm 2024 của Ban Thường vụ Tỉnh ủy"."""

from __future__ import annotations

import re
from datetime import date

from dondoc.parsing.agencies import find_names
from dondoc.parsing.model import Reference
from dondoc.parsing.patterns import (
    DOC_NUMBER,
    KIND_WORDS,
    TYPE_BY_FOLDED,
    any_date,
    normalize_number,
    type_from_number,
)
from dondoc.parsing.snippet import Snippet

# "văn bản" names no kind: the number is cited, its type left unknown
_KIND_WORDS = {**TYPE_BY_FOLDED, "van ban": None}
# "Kết luận số 50-KL/TW", "Nghị quyết 18-NQ/TW", "Báo cáo thẩm định số 18/BCTĐ-STP", "Nghị định tố 126/…"
# (OCR misreads "số"), on folded text. Without "số" the kind must touch the number.
_KIND_BEFORE = re.compile(
    rf"\b({KIND_WORDS})\b(?:(?:\s+[a-z]+){{0,3}}?\s+(?:so hieu|so|to|s6)\b)?\s*[:.]?\s*$"
)
# "số 1 15/2021/NĐ-CP": OCR cut the number after its first digits
_SPLIT_DIGITS = re.compile(r"\b(?:so|to|s6)\s*:?\s*(\d{1,3}) $")
_DATED = re.compile(r"[\s,(]{0,4}ngay\s*\d")
# "Số: 35/2019/QĐ-UBND" opening a line is the document's own number, not a citation
_OWN_NUMBER = re.compile(r"(?:^|\n)[\s|]*so\s*:?\s*$")
_LAW_BY_NAME = re.compile(r"\b(luat|bo luat|phap lenh|hien phap)\s+[^\d;.]{3,120}?\s+ngay\s+\d")
_PROGRAMME = re.compile(r"\b(chuong trinh cong tac|ke hoach cong tac)( nam \d{4})?\s+cua\s+")
# bounded: a long run of spaces after a number must not make the match quadratic
_ISSUER_GAP = re.compile(r"[\s,]{0,6}(?:ngay\s[\d\s/thangnam.-]{1,30}?[\s,]{0,4})?(?:cua|do)\s+")
_NAME_REACH = (
    140  # characters: longer than any issuer's name ("Thường trực Hội đồng nhân dân thành phố Cần Thơ")
)
_SELF = re.compile(r"kem theo\b[^.;()]{0,30}$")


def find_references(body: Snippet) -> list[Reference]:
    """Every document the text cites, once, in order of first mention."""
    text, folded = body.text, body.folded
    found: dict[str, Reference] = {}
    ordered: list[tuple[int, str, Reference]] = []
    # one pass over the numbers; the kind, if any, is read just before each ("Kết luận số 50-KL/TW")
    for number_match in DOC_NUMBER.finditer(text):
        before_start = max(0, number_match.start() - 36)  # "chương trình hành động số " fits
        before = folded[before_start : number_match.start()]
        if "kem theo" in before and _SELF.search(before):
            continue  # "Ban hành kèm theo Quyết định số …" is the document itself
        number = normalize_number(number_match.group())
        split = _SPLIT_DIGITS.search(before) if before.endswith(" ") else None
        if split:
            number = split.group(1) + number
            before = before[: split.start(1)]
        kind_match = _KIND_BEFORE.search(before)
        if kind_match:
            kind: str | None = _KIND_WORDS[kind_match.group(1)]
            start = before_start + kind_match.start()
        elif (
            _looks_cited(number)
            and (re.search(r"\bso\s*:?\s*$", before[-12:]) or _DATED.match(folded, number_match.end()))
            and not _OWN_NUMBER.search(before)
        ):
            # a number of a known shape cited without its kind ("theo số 50-KL/TW"), or whose kind the
            # copy lost ("ố 09/2019/NĐ-CP ngày 24 tháng 01 năm 2019": a line cut at the left)
            kind, start = type_from_number(number), number_match.start()
        else:
            continue
        issued_on, issuer = _date_and_issuer(body, number_match.end())
        ref = Reference(
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            type=kind,
            span=body.span(start, number_match.end()),
        )
        _keep(found, ordered, number, ref, start)
    # (a plain substring test first: the regexes would walk the whole body for nothing)
    laws = _LAW_BY_NAME.finditer(folded) if ("luat" in folded or "phap" in folded) else ()
    for match in laws:
        date_found = any_date(folded, match.end() - 6, match.end() + 30)
        if not date_found:
            continue
        key = f"law@{match.start()}"
        ref = Reference(
            number=None,
            issued_on=date_found[0],
            issuer=None,
            type=TYPE_BY_FOLDED.get(match.group(1), "luật"),
            span=body.span(match.start(), date_found[2]),
        )
        _keep(found, ordered, key, ref, match.start())
    programmes = _PROGRAMME.finditer(folded) if "cong tac" in folded else ()
    for match in programmes:
        names, _ = find_names(body.slice(match.end(), match.end() + _NAME_REACH))
        issuer = names[0].text if names else None
        kind = "chương trình" if match.group(1).startswith("chuong") else "kế hoạch"
        ref = Reference(
            number=None, issued_on=None, issuer=issuer, type=kind, span=body.span(match.start(), match.end())
        )
        _keep(found, ordered, f"programme@{match.start()}", ref, match.start())
    ordered.sort(key=lambda item: item[0])
    return [ref for _, _, ref in ordered]


def _keep(
    found: dict[str, Reference], ordered: list[tuple[int, str, Reference]], key: str, ref: Reference, at: int
) -> None:
    if key in found:
        previous = found[key]
        if (previous.issued_on is None and ref.issued_on) or (previous.issuer is None and ref.issuer):
            better = Reference(
                previous.number,
                previous.issued_on or ref.issued_on,
                previous.issuer or ref.issuer,
                previous.type or ref.type,
                previous.span,
            )
            found[key] = better
            for i, (pos, k, _) in enumerate(ordered):
                if k == key:
                    ordered[i] = (pos, k, better)
        return
    found[key] = ref
    ordered.append((at, key, ref))


def _looks_cited(number: str) -> bool:
    return type_from_number(number) not in (None, "công văn") or "-" in number.split("/")[0]


def _date_and_issuer(body: Snippet, end: int) -> tuple[date | None, str | None]:
    """The date and issuer written right after a cited number: ", ngày 28/02/2023 của Bộ Chính trị"."""
    folded = body.folded
    window_end = min(len(folded), end + 48)
    issued_on = None
    after = end
    date_found = any_date(folded, end, window_end)
    if date_found and re.fullmatch(r"[\s,(]*(ngay\s*)?", folded[end : date_found[1]]):
        issued_on = date_found[0]
        after = date_found[2]
    issuer = None
    gap = _ISSUER_GAP.match(folded, after)
    if gap and gap.end() - after < 40:
        # read the issuer from a short stretch: indexing the words of the whole body would cost more
        names, _ = find_names(body.slice(gap.end(), gap.end() + _NAME_REACH))
        if names:
            issuer = names[0].text
    return issued_on, issuer
