"""Who issued what, when, in a text without an official header: a news item or a portal's answer that
reports a directive ("Ngày 10/4/2020, UBND tỉnh ban hành văn bản số 1153/UBND-VP về việc …",
"Đó là chỉ đạo của UBND tỉnh … tại Công văn số 4079/UBND-KT ngày 19/6 về …", "(Theo Công văn số
6202/UBND-KT, ngày 23/11/2023)").

The body that acts is the one named just before a verb of issuing or directing. A number is the
reported document's own only where its symbol is that body's ("4079/UBND-KT" for a UBND, "6411/VPCP-…"
for the Văn phòng Chính phủ), or where the text says it issued it; the numbers of what the body
received or implements ("nhận được văn bản số 559/BNV-CTTN") are references.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from dondoc.parsing.agencies import find_names, strip_title
from dondoc.parsing.header import Header
from dondoc.parsing.model import Field, Signer, Span
from dondoc.parsing.patterns import (
    DOC_NUMBER,
    KIND_WORDS,
    TYPE_BY_FOLDED,
    any_date,
    normalize_number,
    type_from_number,
)
from dondoc.parsing.signer import is_person_name
from dondoc.parsing.snippet import Snippet
from dondoc.text import fold

# a document named with its number: "Công văn số 4079/UBND-KT", "văn bản số 1153/UBND-VP"
_NAMED_DOCUMENT = re.compile(rf"\b({KIND_WORDS})\s+(?:so\s*)?(?=\d)")
# a portal ends its article with its source: "(Theo Công văn số 6202/UBND-KT, ngày 23/11/2023)"
_QUOTED_SOURCE = re.compile(rf"\(\s*(?:theo\s+)?({KIND_WORDS})\s+(?:so\s*)?(?=\d)")
# the verbs by which a body issues or directs; the body is named just before them
_ACTS = re.compile(
    r"\b(?:(?:vua|da|moi|cung) )?(?:ky )?(?:ban hanh|co y kien|yeu cau|de nghi|chi dao|giao"
    r"|co (?:cong van|van ban|quyet dinh|chi thi|ke hoach|thong bao|cong dien))\b"
)
_DIRECTED_BY = re.compile(r"\b(?:chi dao|y kien|yeu cau) cua\s+")
# the number belongs to another's document: what the body received, implements or cites
_NOT_OWN = re.compile(r"\b(?:nhan duoc|can cu|thuc hien|trien khai|theo quy dinh|tai khoan|sao gui)\b")
_TITLE_BEFORE = re.compile(r"\b(?:pho\s+)?(?:chu tich|bo truong|thu tuong|giam doc|bi thu|truong ban)\s+$")
_CAPITAL = "[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ]"


def _person(most_words: int) -> str:
    """A pattern for a person's name: two to `most_words` + 1 capitalised words (checked afterwards
    with is_person_name)."""
    return rf"(?:{_CAPITAL}\w*\s+){{1,{most_words}}}{_CAPITAL}\w*"


_SIGNING_TITLES = "Chủ tịch|Bộ trưởng|Thủ tướng|Giám đốc|Bí thư|Trưởng ban"
# "Văn bản do Phó Giám đốc Sở Nội vụ Trần Thanh Nhàn ký."
_SIGNED_BY = re.compile(rf"\bdo\s+((?:Phó\s+)?(?:{_SIGNING_TITLES})[^.;()]{{0,60}}?)\s+({_person(4)})\s+ký\b")
# "… số 559/BNV-CTTN ngày 21/02/2013": the date of that number
_OWNED_DATE = re.compile(r"\d+[/-][\w/-]+\s*,?\s*(?:ngay)?\s*$")
# "đồng chí Lê Văn Ngoan, Phó Bí thư Thường trực Huyện ủy Càng Long đã ký ban hành …"
_COMRADE_SIGNED = re.compile(
    rf"\b[đĐ]ồng chí\s+({_person(3)})\s*,\s*"
    rf"((?:Phó\s+)?(?:{_SIGNING_TITLES}|Chánh Văn phòng)[^.;()]{{0,80}}?)\s+(?:đã\s+|vừa\s+)?ký\b"
)
# "… Chủ tịch UBND tỉnh Lê Trí Thanh …": the person right after a body
_PERSON_AFTER = re.compile(rf"\s+({_person(3)})")
_IMPLEMENTS = re.compile(r"\b(?:thuc hien|theo|trien khai|quan triet)\s*$")
# "… vừa ban hành Chỉ thị về …", "… vừa ban hành văn bản về việc …": the document without its number
_ISSUED_ABOUT = re.compile(rf"\bban hanh\s+(?:{KIND_WORDS})(?=\s*,?\s*ve\b)")
_ABOUT = re.compile(r"\s*(?:,\s*)?[“\"]?\s*(?:ve viec|ve)\s+")
_LOCALITY_WORDS = frozenset(
    {"tinh", "thanh", "huyen", "quan", "xa", "phuong", "thi", "trung", "cac", "khu", "vung", "tw"}
)
# the commonest family names, which open a person's name after a locality word
_SURNAMES = frozenset(
    fold(name)
    for name in [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đoàn",
        "Trương",
        "Lâm",
        "Mai",
        "Trịnh",
        "Lương",
        "Cao",
        "Hà",
        "Tạ",
        "Lưu",
        "Châu",
        "Tô",
        "Thái",
        "Kiều",
        "Quách",
        "Tăng",
        "Hứa",
        "Phùng",
        "La",
        "Triệu",
        "Lại",
        "Nông",
    ]
)
_PLACES_NAMED_FOR_PEOPLE = frozenset({"ho chi minh"})
_SEARCHED = 3000  # characters of an article read for its identity: the facts come first


def read_reported_identity(text: str, header: Header) -> None:
    """Fill what the header lacks (issuer, number, type, date, subject) from how the text reports it."""
    folded = fold(text[:_SEARCHED])
    actor = _actor(text, folded)
    if actor and not header.issuer:
        _, body = actor
        header.issuer = Field(" ".join(body.text.split()), body.span())
    issuer_codes = _codes_of(header.issuer.value) if header.issuer else set()
    found = _own_number(text, folded, issuer_codes)
    if found:
        _read_number(text, folded, header, *found)
    issued = _ISSUED_ABOUT.search(folded)
    if issued and not header.subject:
        header.subject = _subject_after(text, folded, issued.end())


def _read_number(text: str, folded: str, header: Header, kind: str, number: re.Match[str]) -> None:
    if not header.number:
        header.number = Field(normalize_number(number.group()), Span(number.start(), number.end()))
        kind_name = TYPE_BY_FOLDED.get(kind) or type_from_number(header.number.value)
        if kind_name and not header.type:
            header.type = Field(kind_name, Span(number.start(), number.end()))
    if not header.issued_on:
        when = _date_of(folded, number.start(), number.end())
        if when:
            header.issued_on, header.issued_on_span = when
    if not header.subject:
        about = _subject_after(text, folded, number.end())
        if about:
            header.subject = about


def reported_signer(text: str) -> Signer | None:
    """Who signed, as a news item says it: "… do Phó Giám đốc Sở Nội vụ Trần Thanh Nhàn ký", else the
    title and body of the one that acts ("Chủ tịch UBND tỉnh Phú Yên vừa ký ban hành …")."""
    signed = _SIGNED_BY.search(text)
    if signed and is_person_name(signed.group(2)):
        return Signer(
            None,
            None,
            " ".join(signed.group(1).split()),
            signed.group(2),
            Span(signed.start(1), signed.end(2)),
        )
    comrade = _COMRADE_SIGNED.search(text[:_SEARCHED])
    if comrade and is_person_name(comrade.group(1)):
        return Signer(
            None,
            None,
            " ".join(comrade.group(2).split()),
            comrade.group(1),
            Span(comrade.start(1), comrade.end(2)),
        )
    actor = _actor(text, fold(text[:_SEARCHED]))
    if actor is None:
        return None
    start, body = actor
    end = body.span().end
    person = _person_after(text, end)
    return Signer(
        None,
        None,
        " ".join(text[start:end].split()),
        person[0] if person else None,
        Span(start, person[1] if person else end),
    )


def _person_after(text: str, end: int) -> tuple[str, int] | None:
    """ "Chủ tịch UBND tỉnh Lê Trí Thanh ký …": the person named right after the body."""
    words = _PERSON_AFTER.match(text, end, end + 60)
    if words and is_person_name(words.group(1)):
        return words.group(1), words.end(1)
    return None


def _actor(text: str, folded: str) -> tuple[int, Snippet] | None:
    """The first body named just before a verb of issuing or directing, or after "chỉ đạo của":
    where its head's title starts ("Chủ tịch UBND tỉnh …"), and the body."""
    snippet = Snippet.at(text, 0)
    cues = sorted(
        [(m.start(), m, True) for m in _DIRECTED_BY.finditer(folded)]
        + [(m.start(), m, False) for m in _ACTS.finditer(folded)],
        key=lambda cue: cue[0],
    )
    for _, cue, directed in cues:
        if directed:
            if _IMPLEMENTS.search(folded, max(0, cue.start() - 20), cue.start()):
                continue  # "thực hiện chỉ đạo của Thủ tướng": whose direction is implemented
            names, _ = find_names(snippet, cue.end())
            if names:
                return cue.end(), _without_person(strip_title(names[0]))
            continue
        window = max(0, cue.start() - 120)
        for word in re.finditer(r"\S+", text[window : cue.start()]):
            start = window + word.start()
            names, end = find_names(snippet, start)
            if not names or folded[min(end, cue.start()) : cue.start()].strip(" ,:"):
                continue
            named = names[-1]
            if end > cue.start():  # a headline in title case runs the name into the verb
                named = named.slice(0, max(0, cue.start() - named.span().start)).rstrip(" ,:")
            named_start = named.span().start
            title = _TITLE_BEFORE.search(folded, max(0, named_start - 30), named_start)
            return (title.start() if title else named_start), _without_person(strip_title(named))
    return None


def _without_person(name: Snippet) -> Snippet:
    """ "UBND tỉnh Lê Trí Thanh": the body without the person named after it. After "tỉnh", "thành
    phố" … the capitalised words may be the place ("UBND tỉnh Đồng Tháp"): a person there has a
    surname and at least three words."""
    words = list(re.finditer(r"\S+", name.text))
    for size in (4, 3, 2):
        if len(words) <= size + 1:
            continue
        tail = name.text[words[-size].start() :]
        if not all(w.group()[:1].isupper() for w in words[-size:]) or not is_person_name(tail):
            continue
        if fold(words[-size - 1].group()) in _LOCALITY_WORDS and (
            size < 3 or fold(words[-size].group()) not in _SURNAMES or fold(tail) in _PLACES_NAMED_FOR_PEOPLE
        ):
            continue
        return name.slice(0, words[-size].start()).rstrip(" ,")
    return name


def _codes_of(name: str) -> set[str]:
    """The symbols a body writes in its numbers: "UBND tỉnh" → UBND, "Văn phòng Chính phủ" → VPCP."""
    words = fold(name).replace("-", " ").split()
    initials: list[str] = []
    codes: set[str] = set()
    for first, second in pairwise(words):
        if second == "uy" and first in ("tinh", "thanh", "huyen", "quan", "thi", "dang"):
            codes.add(f"{first[0]}U".upper())  # a Party committee signs "-CV/TU", "-CV/HU", "-CV/ĐU"
    for word in words:
        if word in _LOCALITY_WORDS:
            break
        if len(word) >= 3 and word.isalpha() and word in ("ubnd", "hdnd", "ubmttq", "vpcp", "ttg"):
            codes.add(word.upper())
            continue
        initials.append(word[0])
    if len(initials) >= 2:
        codes.add("".join(initials).upper())
    if "thu tuong" in fold(name):
        codes.add("TTG")
    return codes


def _own_number(text: str, folded: str, issuer_codes: set[str]) -> tuple[str, re.Match[str]] | None:
    """The reported document's number: the article's closing source, else the first number that the
    issuer's symbol signs and the text does not present as received or implemented."""
    sources = list(_QUOTED_SOURCE.finditer(fold(text)))
    if sources:
        number = DOC_NUMBER.match(text, sources[-1].end())
        if number:
            return sources[-1].group(1), number
    for named in _NAMED_DOCUMENT.finditer(folded):
        number = DOC_NUMBER.match(text, named.end())
        if not number:
            continue
        symbol = {part for part in re.split(r"[-/]", fold(number.group()).upper()) if part.isalpha()}
        clause_start = max(folded.rfind(".", 0, named.start()), folded.rfind(";", 0, named.start()))
        before = folded[max(clause_start, named.start() - 40) : named.start()]
        issued_here = "ban hanh" in before or before.rstrip().endswith(" co")
        if _NOT_OWN.search(folded, max(clause_start + 1, named.start() - 40), named.start()):
            continue
        if issued_here or symbol & issuer_codes:
            return named.group(1), number
    return None


def _date_of(folded: str, start: int, end: int) -> tuple[date, Span] | None:
    """The date next to the number (", ngày 23/11/2023"), else one earlier in the same sentence that
    no other number owns ("Ngày 10/4/2020, UBND tỉnh ban hành văn bản số …")."""
    after = any_date(folded, end, min(len(folded), end + 30))
    if after and not folded[end : after[1]].strip(" ,").replace("ngay", "").strip():
        return after[0], Span(after[1], after[2])
    sentence = max(folded.rfind(". ", 0, start), folded.rfind("\n", 0, start)) + 1
    last = None
    found = any_date(folded, sentence, start)
    while found:
        last = found
        found = any_date(folded, found[2], start)
    if last and not _OWNED_DATE.search(folded, max(sentence, last[1] - 40), last[1]):
        return last[0], Span(last[1], last[2])
    return None


def _subject_after(text: str, folded: str, end: int) -> Field | None:
    """ "… số 1153/UBND-VP về việc không thực hiện …." : what the document is about, to the sentence's end."""
    at = end
    dated = re.match(r"\s*,?\s*ngay\s+[\d/.-]+", folded[at:])
    at += dated.end() if dated else 0
    about = _ABOUT.match(folded, at)
    if not about:
        # "… số 1232/UBND-VP gửi các sở, ngành; UBND các huyện về việc …": later in the sentence
        sentence_end = re.search(r"\.(?:\s|$)|\n", folded[at:])
        later = folded.find(" ve viec ", at, at + sentence_end.start() if sentence_end else len(folded))
        if later < 0:
            return None
        about = _ABOUT.match(folded, later)
        if not about:
            return None
    stop = re.search(r"\.(?:\s|$)|;|\n|[”\"]", text[about.end() :])
    close = about.end() + stop.start() if stop else min(len(text), about.end() + 300)
    value = " ".join(text[about.end() : close].split())
    return Field(value, Span(about.end(), close)) if value else None
