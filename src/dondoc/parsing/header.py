"""The header of a directive: issuer, number, place and date, type, subject, markings.

Official layout (Nghị định 30/2020/NĐ-CP; Hướng dẫn 36-HD/VPTW): two columns, the issuer and the
number on the left, the national motto (or ĐẢNG CỘNG SẢN VIỆT NAM) and the place and date on the
right, then the type and subject. PDF and OCR often flatten the columns into shared lines; this
module reads the parts wherever they sit in the first lines of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from dondoc.parsing.agencies import starts_with_head
from dondoc.parsing.lines import split_columns
from dondoc.parsing.model import Field, Span
from dondoc.parsing.patterns import (
    DOC_NUMBER,
    TYPE_BY_FOLDED,
    date_in_words,
    normalize_number,
    safe_date,
    type_from_number,
)
from dondoc.parsing.snippet import Snippet
from dondoc.text import fold, is_syllable, uppercase_ratio

_MOTTO = re.compile(
    r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam|doc\s*lap\s*-?\s*tu\s*do\s*-?\s*hanh\s*phuc"
    r"|dang\s*cong\s*san\s*viet\s*nam"
)
# "Số" with a capital: the header's number, never "số" inside a sentence
_NUMBER_LEAD = re.compile(r"(?:^|(?<=[\s|*_]))S[ốôoóổỐÔO06]\s*[:.]?\s*(?=\d)")
# "V/v", OCR's "V/w", "Viv", "V/" or "V.v", "Về việc", a title-block "về"
_SUBJECT_LEAD = re.compile(r"^[\s\-–•]*(v\s?[/.]\s?[vwy]|viv|ve\s+viec|ve)\b[\s:.]*|^[\s\-–•]*(v/)\s+")
_MARKINGS_URGENCY = {
    "khan": "KHẨN",
    "thuong khan": "THƯỢNG KHẨN",
    "hoa toc": "HỎA TỐC",
    "hoa toc hen gio": "HỎA TỐC",
}
_MARKINGS_SECRECY = {"mat": "MẬT", "toi mat": "TỐI MẬT", "tuyet mat": "TUYỆT MẬT"}
_BODY_STARTS = (
    "can cu",
    "thuc hien",
    "trien khai",
    "de ",
    "nham ",
    "theo ",
    "ngay ",
    "qua ",
    "sau khi",
    "tiep theo",
    "thi hanh",
    "trong ",
    "vua qua",
    "hien nay",
    "tham du",
    "thoi gian qua",
)
# columns flattened by a PDF or OCR (wide gaps), or by a web page into a "|" table
_CELL_GAP = re.compile(r"\s{3,}|\s*\|\s*")
_STAMP = re.compile(r"cong\s*thong\s*tin\s*dien\s*tu|thoi\s*gian\s*ky|nguoi\s*ky|email|co\s*quan\s*:")
_STAMP_WORDS = re.compile(r"\b(chinh phu|dien tu|thong tin|den)\b")
_RULE = re.compile(r"^[\s\-–—_=*.…•]*$")
_ITEM = re.compile(r"^\s*(?:[IVX]{1,4}|\d{1,2}|[a-zđ])[.)]\s")
# a name line that continues the one above: "ỦY BAN NHÂN DÂN / TỈNH BÌNH ĐỊNH"
_CONTINUATION_STARTS = (
    "va ",
    "tinh ",
    "thanh pho ",
    "huyen ",
    "quan ",
    "thi xa ",
    "xa ",
    "phuong ",
    "thi tran ",
    "cua ",
    "viet nam",
    "trung uong",
    "khu vuc ",
)
_CONTINUATION_ENDS = (" va", " cac", ",", "-", " nhan dan", " co quan", " cua")


@dataclass(slots=True)
class Header:
    issuer: Field | None = None
    parent_issuer: Field | None = None
    number: Field | None = None
    type: Field | None = None
    issued_on: date | None = None
    issued_on_span: Span | None = None
    place: Field | None = None
    subject: Field | None = None
    classification: Field | None = None
    urgency: Field | None = None
    body_start: int = 0  # index of the first line after the header
    signed_on: date | None = None  # the day of a digital signature's stamp ("Thời gian ký: …")
    has_motto: bool = False  # the national (or Party) motto was read: this text has a header
    subject_after_vv: bool = False  # a "V/v" trích yếu, which only a công văn carries
    warnings: list[str] = field(default_factory=list)


def _remove(cell: Snippet, pattern: re.Pattern[str]) -> list[Snippet]:
    """The pieces of a cell left when every match of pattern (on folded text) is cut out."""
    pieces: list[Snippet] = []
    pos = 0
    for match in pattern.finditer(cell.folded):
        if match.start() > pos:
            pieces.append(cell.slice(pos, match.start()))
        pos = match.end()
    pieces.append(cell.slice(pos))
    pieces = [p.strip(" |").strip(" -–") for p in pieces]
    return [p for p in pieces if p.text.strip(" -–|,.")]


_TYPE_BY_LETTERS = {folded.replace(" ", ""): name for folded, name in TYPE_BY_FOLDED.items()}


def _is_type_title(cell: Snippet) -> str | None:
    text = cell.text.strip(" *:.!|'`\"")
    words = text.split()
    # OCR debris before the title ("li 2. NGHỊ ĐỊNH", "a NGHI DINH"): drop short non-capital tokens
    while len(words) > 1 and (
        (len(words[0]) <= 3 and not _is_caps_token(words[0])) or not any(c.isalpha() for c in words[0])
    ):
        words = words[1:]
    text = " ".join(words).strip(" *:.!|'`\"")
    if not text or uppercase_ratio(text) < 0.9:
        return None
    folded = " ".join(fold(text).split())
    if folded in TYPE_BY_FOLDED:
        return TYPE_BY_FOLDED[folded]
    if folded.replace(" ", "") in _TYPE_BY_LETTERS:  # OCR's spaced or glued letters: "K ÉT LUẬN"
        return _TYPE_BY_LETTERS[folded.replace(" ", "")]
    # a received stamp printed beside the title: ": BEN TỦ CHÍNH PHỦ QUYẾT ĐỊNH"
    tail = folded.split()
    for size in (2, 3):
        if len(tail) > size and " ".join(tail[-size:]) in TYPE_BY_FOLDED and _STAMP_WORDS.search(folded):
            return TYPE_BY_FOLDED[" ".join(tail[-size:])]
    return None


_SENDS_WORD = re.compile(r"\bdien\s*:\s*$")


def _is_body_line(line: Snippet) -> bool:
    folded = line.folded.strip()
    # "Kính gửi:", "Điều 1.", a công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:" open the body
    if _ITEM.match(line.text) or folded.startswith(("kinh gui", "dieu 1")) or _SENDS_WORD.search(folded):
        return True
    if line.text.strip()[:1].islower():
        return False  # a line that starts in lower case goes on with the one before it
    if len(folded) > 40 and folded.startswith(_BODY_STARTS):
        return True
    return len(folded) > 160 and uppercase_ratio(line.text) < 0.3


def _marking(cell: Snippet) -> tuple[str, str] | None:
    text = cell.text.strip(" *")
    if not text or uppercase_ratio(text) < 0.9:
        return None
    folded = " ".join(fold(text).split())
    if folded in _MARKINGS_URGENCY:
        return "urgency", _MARKINGS_URGENCY[folded]
    if folded in _MARKINGS_SECRECY:
        return "classification", _MARKINGS_SECRECY[folded]
    return None


def _is_caps_token(token: str) -> bool:
    """An upper-case word ("CHÍNH", "TỬ"); not a code such as "NĐ-CP" or "100/2024/NĐ-"."""
    word = token.strip(",.;:!?'\"’‘“”")
    return bool(word) and word.isalpha() and word.isupper()


def _drop_stamp_words(piece: Snippet) -> Snippet:
    """A received stamp printed over the subject leaves a run of capitals inside it
    ("… khu công nghiệp CONG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ và khu kinh tế …"): cut every run of two
    or more upper-case words out of a subject line, and the line from a stamp's dotted field on
    ("… Long Thành Gib..."): dots never stand inside a subject."""
    dotted = re.search(r"\S*(?:\.{3}|…)\S*", piece.text)
    if dotted:
        early = dotted.start() < len(piece.text) / 2
        piece = piece.slice(dotted.end()).strip() if early else piece.slice(0, dotted.start()).rstrip()
    tokens = list(re.finditer(r"\S+", piece.text))
    keep: list[Snippet] = []
    i = 0
    pos = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and (
            (_is_caps_token(tokens[j].group()) and any(c.isalpha() for c in tokens[j].group()))
            or _has_inner_capital(tokens[j].group())
        ):
            j += 1
        run = tokens[i:j]
        if len(run) >= 2 and sum(len(t.group()) > 1 for t in run) >= 2:
            # the stamp's garbled rest runs on to the next word of the subject in lower case
            # ("CONG THONG Ti wen TỰ cri PHU liên quan"), and its stray marks stand before it
            while j < len(tokens) and _stamp_rest(tokens[j].group()):
                j += 1
            tail = [t.group() for t in tokens[j:]]
            if len(tail) <= 2 and any(_is_caps_token(t) or _has_inner_capital(t) for t in tail):
                j = len(tokens)  # a stamp's last letters at the end of the line ("… hot PHỦ")
            while (
                i > 0 and tokens[i - 1].start() >= pos and not any(c.isalnum() for c in tokens[i - 1].group())
            ):
                i -= 1
            if tokens[i].start() > pos:
                keep.append(piece.slice(pos, tokens[i].start()))
            pos = tokens[j - 1].end()
            i = j
            continue
        i = max(j, i + 1)
    keep.append(piece.slice(pos))
    parts = [k.strip() for k in keep if k.text.strip()]
    return Snippet.join(parts) if parts else piece.slice(0, 0)


def _has_inner_capital(token: str) -> bool:
    """ "TrộNG", "LêN": a capital after a small letter, which no Vietnamese word has: a stamp's OCR."""
    word = token.strip(",.;:()\"'“”")
    return word.isalpha() and any(a.islower() and b.isupper() for a, b in pairwise(word))


def _stamp_rest(token: str) -> bool:
    """A token of a stamp's OCR rest: anything but a word of a sentence (a Vietnamese syllable in
    lower case) or a number."""
    word = token.strip(",.;:()\"'“”")
    return not word.isdigit() and not (word.islower() and is_syllable(word))


_ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")


def _wordlike(token: str) -> bool:
    """A syllable, a number or a roman numeral ("quý", "I", "2025"), not OCR debris ("1202S", "P'ÊN")."""
    word = token.strip(",.;:()\"'“”")
    return bool(word) and (
        (word.isdigit() and len(word) >= 2)
        or bool(_ROMAN_NUMERAL.match(word))
        or (word.isalpha() and len(word) <= 7)
    )


# "131401202E": a stamp's date and number read as one token, never a word of a header
_DIGITS_GLUED_TO_LETTERS = re.compile(r"\d{5,}[^\W\d_]|[^\W\d_]\d{5,}")


def _is_junk(line: Snippet) -> bool:
    """OCR debris of a stamp or a rule: few tokens that read as Vietnamese syllables."""
    tokens = line.text.split()
    if not tokens:
        return True
    wordlike = sum(1 for t in tokens if _wordlike(t))
    if "——" in line.text or wordlike / len(tokens) < 0.6 or _DIGITS_GLUED_TO_LETTERS.search(line.text):
        return True
    # a stamp's dotted field ("Ngày....."), not a line of text that a stamp's dots ran into
    return "..." in line.text and sum(1 for t in tokens if t.isalpha() and t.islower()) < 3


def _title_subject(lines: list[Snippet], i: int, limit: int) -> tuple[list[Snippet], int]:
    """The subject lines under a type title ("KẾ HOẠCH" / "thực hiện Kết luận …"), from line i."""
    parts: list[Snippet] = []
    lead_alone = False
    about_part = False
    j = i
    while j < limit and len(parts) < 10:
        line = lines[j]
        text = line.text.strip()
        if not text or _RULE.match(line.text):
            k = j + 1
            while k < limit and (not lines[k].text.strip() or (parts and _is_junk(lines[k]))):
                k += 1
            if not parts:
                j = k
                continue
            if k < limit and _goes_on(parts[-1], lines[k]):
                j = k
                continue
            break
        in_capitals = uppercase_ratio(text) > 0.9
        # a subject in capitals goes on in capitals, one in lower case in lower case; a title in
        # capitals goes on with its "về …" part in lower case ("KẾT LUẬN HỘI NGHỊ … / về xây dựng …")
        changes_case = parts and in_capitals != _in_capitals(parts) and not text[:1].islower()
        if _is_body_line(line) or changes_case or (about_part and not text[:1].islower()):
            break  # the "về …" part of a title goes on in lower case only
        about_part = about_part or (bool(parts) and not in_capitals and _in_capitals(parts))
        if parts and in_capitals and _is_authority_line(line) and not _title_goes_on(lines, j + 1, limit):
            break
        if parts and _is_junk(line):
            j += 1
            continue
        # a subject in capitals is not a received stamp's run of capitals
        cleaned = line.strip() if in_capitals else _drop_stamp_words(line.strip())
        if (
            parts
            and cleaned.span().start > line.strip().span().start
            and (len(cleaned.text.split()) <= 2 or cleaned.text.rstrip().endswith(":"))
        ):
            break  # an authority line ("CHÍNH PHỦ:", "THỦ TƯỚNG CHÍNH PHỦ điện:") ends the title block
        if not parts:
            lead = _SUBJECT_LEAD.match(cleaned.folded)
            if lead and lead.group(1) == "ve" and lead.end() >= len(cleaned.text.rstrip()):
                lead_alone = True  # "VỀ" / "VIỆC …": the lead broken over two lines
                j += 1
                continue
            if lead_alone and cleaned.folded.startswith("viec "):
                cleaned = cleaned.slice(5)
            cleaned = cleaned.slice(lead.end()) if lead else cleaned
            cleaned = cleaned.strip(" =-–_.:;'\"")  # a comma at its end joins the next line
        if cleaned.text:
            parts.append(cleaned)
        j += 1
    return parts, j


def _is_short_tail(line: Snippet) -> bool:
    """The last words of a subject that a page's layout set apart ("Vĩnh Hảo - Phan Thiết"): a few
    words in lower or title case that neither open the text nor read as another header part."""
    text = line.text.strip()
    return (
        len(text.split()) <= 6
        and uppercase_ratio(text) < 0.5
        and ":" not in text
        and not any(c.isdigit() for c in text)
        and not _is_body_line(line)
        and not _UNREAD_DATE.search(line.folded)
    )


def _in_capitals(parts: list[Snippet]) -> bool:
    return uppercase_ratio(" ".join(part.text for part in parts)) > 0.9


# the line under a title block that names who decides ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …",
# "THỦ TƯỚNG CHÍNH PHỦ", "BAN THƯỜNG VỤ TỈNH ỦY"), not the subject going on in capitals
_AUTHORITY_LINE = re.compile(
    r"^\s*(?:(?:pho\s+)?(?:chu tich|bo truong|thu tuong|giam doc|bi thu|truong ban|chanh van phong"
    r"|cuc truong|tong cuc truong|vien truong)\b|uy ban nhan dan|hoi dong nhan dan|ubnd|hdnd|chinh phu"
    r"|ban thuong vu|ban chap hanh|thuong truc|ban bi thu|bo chinh tri)"
)


def _title_goes_on(lines: list[Snippet], start: int, limit: int) -> bool:
    """An authority line is the last of the title block: a Party title naming a body ("HỘI NGHỊ LẦN
    THỨ BẢY / BAN CHẤP HÀNH ĐẢNG BỘ TỈNH / về …") goes on after it, in capitals or with "về …"."""
    for line in lines[start:limit]:
        text = line.text.strip()
        if not text or _RULE.match(line.text):
            continue
        if text[:1].islower():
            return True
        return uppercase_ratio(text) > 0.9 and not text.endswith(":") and not _is_type_title(line)
    return False


def _is_authority_line(line: Snippet) -> bool:
    folded = line.folded.strip()
    return bool(_AUTHORITY_LINE.match(folded)) or (folded.endswith(":") and len(folded.split()) <= 8)


def _goes_on_text(part: Snippet) -> bool:
    return bool(re.search(r"(,|\b(và|của|về|để|tại|đối với|trong|cho|với|các))\s*$", part.text.strip()))


def _goes_on(part: Snippet, nxt: Snippet) -> bool:
    """After a blank line, the subject goes on if the next line starts in lower case or the last one
    broke off mid-phrase."""
    text = nxt.text.strip()
    if _is_body_line(nxt):
        return False
    return text[:1].islower() or _goes_on_text(part)


def _is_issuer_candidate(cell: Snippet) -> bool:
    text = cell.text.strip(" *")
    letters = sum(c.isalpha() for c in text)
    if letters < 2 or any(c.isdigit() for c in text) or ":" in text or "@" in text:
        return False
    if _STAMP.search(cell.folded) or _is_type_title(cell) or _marking(cell):
        return False
    return uppercase_ratio(text) >= 0.85


_LOCALITY = re.compile(r"\b(tinh|huyen|thanh pho|thi xa|xa|quan|phuong|thi tran|trung uong)\b")


def _group_issuer_lines(lines: list[Snippet]) -> list[list[Snippet]]:
    groups: list[list[Snippet]] = []
    for line in lines:
        folded = " ".join(line.folded.split())
        if groups:
            previous = " ".join(fold(" ".join(p.text for p in groups[-1])).split())
            # "TỈNH BÌNH ĐỊNH" completes "ỦY BAN NHÂN DÂN"; "HUYỆN ỦY ĐẠI LỘC" is a body of its own
            completes = (
                folded.startswith(_CONTINUATION_STARTS)
                and not re.match(r"^\w+ (uy|y)\b", folded)
                and (folded.startswith(("va ", "cua ")) or not _LOCALITY.search(previous))
            )
            # a copy breaks a name anywhere ("UỶ BAN NHÂN / DÂN", "ỦY / BAN NHÂN DÂN"): a line that
            # does not open a body's name, or follows a one-word piece, goes on with the name above
            opens_a_name = starts_with_head(line.text) and len(previous.split()) >= 2
            if completes or previous.endswith(_CONTINUATION_ENDS) or not opens_a_name:
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


_STAMP_DEBRIS = re.compile(r"\b(cong thong|dien tu|den|ngay)\b|[®©@]")


def _choose_issuer(groups: list[list[Snippet]]) -> tuple[list[Snippet], list[Snippet] | None] | None:
    """The issuer among the groups of capitals read from the header: the last that names a body,
    never the debris of a received stamp ("CỔNG THÔNG TIN ĐIỆN TỬ … ĐẾN"); its parent the group
    just above it."""
    named: list[int] = []
    plausible: list[int] = []
    groups = [_before_debris(group) for group in groups]
    for index, group in enumerate(groups):
        text = " ".join(part.text for part in group)
        if sum(c.isalpha() for c in text) < 5:
            continue
        plausible.append(index)
        if starts_with_head(text):
            named.append(index)
    chosen = named or plausible
    if not chosen:
        return None
    index = chosen[-1]
    parent = groups[index - 1] if index > 0 and index - 1 in plausible else None
    return _without_debris(groups[index]), parent


def _before_debris(group: list[Snippet]) -> list[Snippet]:
    for index, part in enumerate(group):
        if _STAMP_DEBRIS.search(part.folded):
            return group[:index]
    return group


def _without_debris(group: list[Snippet]) -> list[Snippet]:
    """OCR glues a stamp's letters around the name ("TIPT THỦ TƯỚNG CHÍNH PHỦ", "BỘ TÀI CHÍNH ¬>= ĐC"):
    start at the head, end before a token with no letter or digit."""
    while len(group) > 1 and not starts_with_head(group[0].text) and starts_with_head(group[1].text):
        group = group[1:]
    first = group[0]
    if not starts_with_head(first.text):
        for word in list(re.finditer(r"\S+", first.text))[1:3]:
            if starts_with_head(first.text, word.start()):
                group = [first.slice(word.start()), *group[1:]]
                break
    for index, part in enumerate(group):
        symbols = re.search(r"(?:^|\s)[^\w\s]+(?=\s|$)", part.text)
        if symbols and (index or symbols.start()):
            head = part.slice(0, symbols.start()).strip()
            return [*group[:index], head] if head.text else group[:index]
    return group


def _field(parts: list[Snippet]) -> Field:
    joined = Snippet.join(parts)
    text = " ".join(joined.text.split())
    return Field(text, Span(parts[0].span().start, parts[-1].span().end))


_CELL_EDGE = " |\t"


def _reads_more_joined(first: Snippet, second: Snippet) -> bool:
    """Copies break header cells at arbitrary points ("CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số:" / "35/2019/QĐ-UBND", "Lâm Đồng, ngày 30" / "tháng 12 năm 2016"): two lines belong together
    when joined they read a motto, a number or a date that neither reads alone."""
    a, b = first.folded.strip(_CELL_EDGE), second.folded.strip(_CELL_EDGE)
    if not a or not b or len(a) > 60:
        return False
    joined = f"{a} {b}"
    if ("cong" in a or "doc" in a or "dang" in a) and _MOTTO.search(joined) and not _MOTTO.search(a):
        return not _MOTTO.search(b)
    if _PLACE_BEFORE_DATE.match(b) and len(a.split()) <= 3 and first.text.strip()[:1].isupper():
        return uppercase_ratio(first.text) < 0.9 and not any(c.isdigit() for c in a)  # "Sơn" / "La, ngày …"
    if re.search(r"(?:^|\s)s[o0-9]\s*[:.]?$", a) and b[:1].isdigit():
        return True
    return "ngay" in a[-24:] and date_in_words(joined) is not None and date_in_words(a) is None


def _reflow(lines: list[Snippet], limit: int) -> list[Snippet]:
    """The header's lines with the pieces a copy broke apart joined again; a joined line takes the
    place of the first piece and leaves the others empty, so line indexes stay those of the text."""
    flowed = list(lines)
    i = 0
    while i < limit - 1:
        j = i + 1
        while j < limit and (not flowed[j].text.strip() or _RULE.match(flowed[j].text)):
            j += 1
        if j - i <= 2 and j < limit and flowed[i].text.strip() and _reads_more_joined(flowed[i], flowed[j]):
            first = flowed[i].strip().strip(_CELL_EDGE)
            flowed[i] = Snippet.join([first, flowed[j].strip().strip(_CELL_EDGE)])
            flowed[j] = flowed[j].slice(0, 0)
            continue  # the joined line may need the next piece too
        i += 1
    return flowed


def parse_header(lines: list[Snippet]) -> Header:
    header = Header()
    lines = _reflow(lines, min(len(lines), 40))
    header.signed_on = _signing_day(lines[:40])
    issuer_lines: list[Snippet] = []
    subject_parts: list[Snippet] = []
    subject_open = False  # the subject goes on in the next line
    after_title = False  # the lines after the type title hold the subject
    i = 0
    limit = min(len(lines), 80)
    while i < limit:
        line = lines[i]
        if not line.text.strip():
            if subject_open and subject_parts:
                # a blank line ends the subject unless the next line plainly goes on with it
                j = i + 1
                while j < limit and not lines[j].text.strip():
                    j += 1
                if j < limit and lines[j].text.strip()[:1].islower() and not _is_body_line(lines[j]):
                    i = j
                    continue
                subject_open = False
            i += 1
            continue
        if _RULE.match(line.text):
            if after_title and subject_parts:
                after_title = subject_open = False
            i += 1
            continue
        awaiting_title_subject = after_title and not subject_parts
        starts_body = (
            not awaiting_title_subject
            or _ITEM.match(line.text)
            or line.folded.lstrip().startswith(("can cu", "kinh gui", "dieu 1"))
        )
        header_seen = header.number or header.issued_on or header.type or header.has_motto or subject_parts
        if header_seen and _is_body_line(line) and starts_body:
            break
        if (
            after_title
            and subject_open
            and subject_parts
            and uppercase_ratio(line.text) > 0.9
            and len(line.text) > 12
        ):
            # an all-caps line after the title block is the authority line ("ỦY BAN NHÂN DÂN TỈNH …")
            subject_open = after_title = False
            i += 1
            continue
        for cell in split_columns(line, _CELL_GAP):
            if not header.has_motto and _MOTTO.search(cell.folded):
                header.has_motto = True
            for piece in _remove(cell, _MOTTO):
                before = len(subject_parts)
                _read_piece(piece, header, issuer_lines, subject_parts)
                if len(subject_parts) > before:
                    subject_open = True
        i += 1
        if header.type and not subject_parts and not after_title:
            after_title = True
            parts, i = _title_subject(lines, i, limit)
            subject_parts.extend(parts)
            subject_open = False
            continue
        if subject_open and subject_parts and i < limit:
            # the V/v subject wraps onto following lines of the left column
            while i < limit and (not lines[i].text.strip() or not _RULE.match(lines[i].text)):
                if not lines[i].text.strip():
                    # a page or column gap inside the subject: go on only to a line in lower case
                    j = i
                    while j < limit and not lines[j].text.strip():
                        j += 1
                    if (
                        j < limit
                        and (lines[j].text.strip()[:1].islower() or _is_short_tail(lines[j]))
                        and not _ITEM.match(lines[j].text)
                        and not _is_junk(lines[j])
                    ):
                        i = j
                        continue
                    break
                if _is_junk(lines[i]):
                    break  # a received stamp's debris under the subject
                nxt_cells = split_columns(lines[i], _CELL_GAP)
                first = nxt_cells[0] if nxt_cells else lines[i].strip()
                if (
                    _MOTTO.search(first.folded)
                    or _NUMBER_LEAD.search(first.text)
                    or date_in_words(first.folded)
                ):
                    break
                if _is_type_title(first) or _is_body_line(lines[i]) or _marking(first):
                    break
                if uppercase_ratio(first.text) > 0.9 and len(nxt_cells) == 1:
                    break
                subject_parts.append(_drop_stamp_words(first))
                i += 1
            subject_open = bool(header.type) and not header.subject
    header.body_start = i
    if not header.number and (header.has_motto or header.type):
        closing = _closing_number(lines, i)
        if closing:
            header.number, dated = closing
            if dated and not header.issued_on:
                header.issued_on, header.issued_on_span = dated
    _finish(header, issuer_lines, subject_parts)
    _repair_date(header, lines[: max(header.body_start, 1)])
    return header


_SIGNED_AT = re.compile(r"th\w{1,3}\s*gian\s*ky\s*:?\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})")
_RAW_DATE = re.compile(r"ngay\s*(\d{1,2})\s*th\w{2,4}\s*(\d{1,2})\s*n\w{1,2}\s*(\d{4})")


# the whole line: a place of one to five words, then the date ("Hòa Phú, ngày 03/3/2025")
_PLACE_DATE_NUMERIC = re.compile(
    r"^\s*[^\W\d_]+(?:[ .'-]+[^\W\d_]+){0,4}\s*,"
    r"\s*ngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*\.?\s*$"
)


def _numeric_place_date(folded: str) -> tuple[date, int, int] | None:
    """ "Hòa Phú, ngày 03/3/2025": the date line typed with digits (posts, informal copies)."""
    match = _PLACE_DATE_NUMERIC.search(folded)
    if not match:
        return None
    when = safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    start = folded.index("ngay", match.start())
    return (when, start, match.end()) if when else None


_UNREAD_DATE = re.compile(r",\s*ngay\b")


def _place_before(piece: Snippet, end: int) -> tuple[Field, int] | None:
    """The place of a date line, and where it starts: the capitalised words (or "TP.", "TX."), at most
    five, just before `end` ("… Hà Nội, ngày")."""
    place: list[re.Match[str]] = []
    for word in reversed(list(re.finditer(r"\S+", piece.text[:end]))):
        if not (word.group()[:1].isupper() or word.group().lower() in ("tp.", "tx.")):
            break
        place.insert(0, word)
        if len(place) >= 5:
            break
    if not place:
        return None
    start = place[0].start()
    return Field(" ".join(word.group() for word in place), piece.span(start, place[-1].end())), start


_PLACE_BEFORE_DATE = re.compile(r"^\s*([^\W\d_]+(?:[ .'-]+[^\W\d_]+){0,4})\s*,\s*ngay\b")
# what OCR prints for digits: "ngày 1Í tháng 10", "ngày O8", "tháng1O"
_LOOKALIKE_DIGITS = str.maketrans("oilsbzt|]", "011582711")
_MISREAD_DATE = re.compile(
    r"ngay\s*([\doilsbzt|\]]{1,2})[^\s\d]?\s*thang\s*([\doilsbzt|\]]{1,2})\s*nam\s*(\d{4})(?!\d)"
)


def _misread_date(folded: str, header: Header) -> tuple[date, int, int] | None:
    """A date line whose digits OCR read as look-alike letters; each part keeps at least one digit,
    and a signing time, where the document carries one, must follow within 60 days."""
    match = _MISREAD_DATE.search(folded)
    if not match:
        return None
    # letters alone read as digits only where a signing time can confirm the date
    if not header.signed_on and not all(any(c.isdigit() for c in match.group(k)) for k in (1, 2)):
        return None
    day, month = (int(match.group(k).translate(_LOOKALIKE_DIGITS)) for k in (1, 2))
    when = safe_date(int(match.group(3)), month, day)
    if when is None or (header.signed_on and not 0 <= (header.signed_on - when).days <= 60):
        return None
    header.warnings.append("ngày ban hành có chữ số nhận dạng (OCR) không rõ, cần đối chiếu bản gốc")
    return when, match.start(), match.end()


def _signing_day(lines: list[Snippet]) -> date | None:
    stamp = _SIGNED_AT.search("\n".join(line.folded for line in lines))
    return safe_date(int(stamp.group(3)), int(stamp.group(2)), int(stamp.group(1))) if stamp else None


def _as_printed(digits: str, limit: int) -> int:
    """A day or month as printed: Tesseract reads the "1" of the official font as "4" ("ngày 42",
    "tháng 40"), so an impossible value is read again with 4 as 1 before the signing day is used."""
    value = int(digits)
    return value if value <= limit else int(digits.replace("4", "1"))


def _repair_date(header: Header, lines: list[Snippet]) -> None:
    """OCR misreads digits of the date line ("ngày 08 tháng 20 năm 2025"). A digitally signed
    document carries its signing time ("Thời gian ký: 10.10.2025 16:42:37"): where the printed
    date is impossible or years away from it, mend the misread parts from it and say so."""
    signed = header.signed_on
    if signed is None:
        return
    if header.issued_on is not None:
        lag = (signed - header.issued_on).days
        if 0 <= lag <= 366:
            return
        candidate = safe_date(signed.year, header.issued_on.month, header.issued_on.day)
        if candidate and 0 <= (signed - candidate).days <= 60:
            header.issued_on = candidate
            header.warnings.append(
                "năm ban hành đọc được không khớp thời gian ký số: đã sửa theo thời gian ký, cần kiểm tra"
            )
        return
    folded = "\n".join(line.folded for line in lines)
    for raw in _RAW_DATE.finditer(folded):
        day, month, year = _as_printed(raw.group(1), 31), _as_printed(raw.group(2), 12), int(raw.group(3))
        day = day if 1 <= day <= 31 else signed.day
        month = month if 1 <= month <= 12 else signed.month
        year = year if abs(year - signed.year) <= 1 else signed.year
        candidate = safe_date(year, month, day)
        if candidate and 0 <= (signed - candidate).days <= 60:
            header.issued_on = candidate
            header.warnings.append(
                "ngày ban hành đọc không rõ: đã bổ sung theo thời gian ký số, cần kiểm tra"
            )
        return


def _dates_the_document(before: str) -> bool:
    """A date line stands alone or after its place ("Hà Nội, ngày …", "BỘ NỘI VỤ   Hà Nội, ngày …");
    a date after words of a sentence ("Thông tư số 97/2020/TT-BTC ngày 16 …") is one cited."""
    text = before.strip()
    return not text or text.endswith(",") or uppercase_ratio(text) > 0.9


_CLOSING_NUMBER = re.compile(r"^\s*S[ốôoóổỐÔO06]\s*[:.]\s*(?=\d)")


def _closing_number(lines: list[Snippet], start: int) -> tuple[Field, tuple[date, Span] | None] | None:
    """A consolidated text (văn bản hợp nhất) and some copies print their "Số:" line at the end, in the
    authentication block; where the header has none, that line is the document's own, with its date."""
    for line in lines[start:]:
        lead = _CLOSING_NUMBER.match(line.text)
        if not lead:
            continue
        number = DOC_NUMBER.match(line.text, lead.end())
        if number:
            rest = line.slice(number.end())
            dated = date_in_words(rest.folded)
            when = (dated[0], rest.span(dated[1], dated[2])) if dated else None
            return Field(normalize_number(number.group()), line.span(number.start(), number.end())), when
    return None


def _read_piece(
    piece: Snippet, header: Header, issuer_lines: list[Snippet], subject_parts: list[Snippet]
) -> None:
    folded = piece.folded
    number_lead = _NUMBER_LEAD.search(piece.text)
    if number_lead and not header.number:
        match = DOC_NUMBER.match(piece.text, number_lead.end())
        if match:
            header.number = Field(normalize_number(match.group()), piece.span(match.start(), match.end()))
            rest = [piece.slice(0, number_lead.start()).strip(), piece.slice(match.end()).strip(" |,")]
            for part in rest:
                if part.text:
                    _read_piece(part, header, issuer_lines, subject_parts)
            return
    found = date_in_words(folded) or _numeric_place_date(folded) or _misread_date(folded, header)
    if found and not header.issued_on and _dates_the_document(piece.text[: found[1]]):
        when, start, end = found
        header.issued_on = when
        header.issued_on_span = piece.span(start, end)
        before = piece.slice(0, start).rstrip(" ,")
        place = _place_before(before, len(before.text))
        if place:
            header.place, place_start = place
            remainder = before.slice(0, place_start).strip()
            if remainder.text:
                _read_piece(remainder, header, issuer_lines, subject_parts)
        return
    unread = _UNREAD_DATE.search(folded)
    if unread and not header.place and not header.issued_on:
        # "Hà Nội, ngày OF tháng 40ndm 2025": the date is lost to OCR, the place is not
        place = _place_before(piece, unread.start())
        if place:
            header.place = place[0]
            return
    subject = _SUBJECT_LEAD.match(folded)
    opens_subject = subject is not None and (subject.group(1) != "ve" or bool(subject.group(2)))
    if subject is not None and opens_subject and not header.subject and not subject_parts:
        subject_parts.append(_drop_stamp_words(piece.slice(subject.end()).strip()))
        header.subject_after_vv = bool(subject.group(2)) or not subject.group(1).startswith("ve")
        return
    kind = _is_type_title(piece)
    if kind and not header.type:
        header.type = Field(kind, piece.span())
        return
    marking = _marking(piece)
    if marking:
        key, value = marking
        if getattr(header, key) is None:
            setattr(header, key, Field(value, piece.span()))
        return
    if header.type and not subject_parts and not header.subject:
        text = piece.text
        if uppercase_ratio(text) < 0.9 or len(text) > 60:
            lead = _SUBJECT_LEAD.match(folded)
            subject_parts.append(piece.slice(lead.end()).strip() if lead else piece)
            return
    if (
        header.number
        and header.issued_on
        and not (header.type or header.subject or subject_parts)
        and uppercase_ratio(piece.text) > 0.9
        and len(piece.text.split()) >= 4
        and not _is_authority_line(piece)
        and not _STAMP_DEBRIS.search(folded)
    ):
        subject_parts.append(piece)  # a subject in capitals whose title line the copy lost
        return
    # the issuer heads the header: nothing read after the number, the type, the date or the subject
    # is part of it
    reading_issuer = not (header.number or header.type or header.issued_on or subject_parts)
    if reading_issuer and _is_issuer_candidate(piece):
        issuer_lines.append(piece)


def _finish(header: Header, issuer_lines: list[Snippet], subject_parts: list[Snippet]) -> None:
    if header.number and not header.type:
        kind = type_from_number(header.number.value)
        if kind:
            header.type = Field(kind, header.number.span)
    if not header.type and header.subject_after_vv and subject_parts:
        header.type = Field(TYPE_BY_FOLDED["cong van"], subject_parts[0].span())
    if subject_parts and not header.subject:
        parts = [p for p in subject_parts if p.text]
        if parts:
            subject = _field(parts)
            header.subject = Field(subject.value.strip(" .;:,"), subject.span)
    if issuer_lines:
        chosen = _choose_issuer(_group_issuer_lines(issuer_lines))
        if chosen:
            issuer, parent = chosen
            header.issuer = _field(issuer)
            header.parent_issuer = _field(parent) if parent else None
