"""Documents a directive cites: "Kết luận số 50-KL/TW, ngày 28/02/2023 của Bộ Chính trị",
"Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ", "Luật Tổ chức chính quyền địa phương
ngày 19 tháng 6 năm 2015", "Chương trình công tác năm 2024 của Ban Thường vụ Tỉnh ủy"."""

from __future__ import annotations

import re
from datetime import date

from dondoc.parsing.agencies import find_names
from dondoc.parsing.model import Reference
from dondoc.parsing.patterns import DOC_NUMBER, TYPE_BY_FOLDED, any_date, normalize_number, type_from_number
from dondoc.parsing.snippet import Snippet

_TYPE_ALTERNATION = "|".join(sorted((re.escape(name) for name in TYPE_BY_FOLDED), key=len, reverse=True))
# "Kết luận số 50-KL/TW", "Nghị quyết 18-NQ/TW", "Luật Tổ chức …", on folded text
_KIND_BEFORE = re.compile(rf"\b({_TYPE_ALTERNATION})\b(?:\s+(?:so|so hieu))?\s*[:.]?\s*$")
_LAW_BY_NAME = re.compile(r"\b(luat|bo luat|phap lenh|hien phap)\s+[^\d;.]{3,120}?\s+ngay\s+\d")
_PROGRAMME = re.compile(r"\b(chuong trinh cong tac|ke hoach cong tac)( nam \d{4})?\s+cua\s+")
_ISSUER_GAP = re.compile(r"[\s,]*(?:ngay\s[\d\s/thangnam.-]+?)?[\s,]*(?:cua|do)\s+")
_NAME_REACH = 240  # characters: longer than any issuer's name
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
        kind_match = _KIND_BEFORE.search(before)
        if kind_match:
            kind: str | None = TYPE_BY_FOLDED[kind_match.group(1)]
            start = before_start + kind_match.start()
        elif _looks_cited(number) and re.search(r"\bso\s*:?\s*$", before[-12:]):
            # a number of a known shape cited without its kind ("theo số 50-KL/TW")
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
