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
from dondoc.text import fold, uppercase_ratio

_MOTTO = re.compile(
    r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam|doc\s*lap\s*-?\s*tu\s*do\s*-?\s*hanh\s*phuc"
    r"|dang\s*cong\s*san\s*viet\s*nam"
)
# "Số" with a capital: the header's number, never "số" inside a sentence
_NUMBER_LEAD = re.compile(r"(?:^|(?<=[\s|*_]))S[ốôoóổỐÔO06]\s*[:.]?\s*(?=\d)")
# "V/v", OCR's "V/" or "V.v", "Về việc", a title-block "về"
_SUBJECT_LEAD = re.compile(r"^[\s\-–•]*(v/v|v\.v|ve\s+viec|ve)\b[\s:.]*|^[\s\-–•]*(v/)\s+")
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
    # a received stamp printed beside the title: ": BEN TỦ CHÍNH PHỦ QUYẾT ĐỊNH"
    tail = folded.split()
    for size in (2, 3):
        if len(tail) > size and " ".join(tail[-size:]) in TYPE_BY_FOLDED and _STAMP_WORDS.search(folded):
            return TYPE_BY_FOLDED[" ".join(tail[-size:])]
    return None


def _is_body_line(line: Snippet) -> bool:
    folded = line.folded.strip()
    if _ITEM.match(line.text) or folded.startswith(("kinh gui", "dieu 1")):
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
    or more upper-case words out of a subject line."""
    tokens = list(re.finditer(r"\S+", piece.text))
    keep: list[Snippet] = []
    i = 0
    pos = 0
    while i < len(tokens):
        j = i
        while (
            j < len(tokens)
            and _is_caps_token(tokens[j].group())
            and any(c.isalpha() for c in tokens[j].group())
        ):
            j += 1
        run = tokens[i:j]
        if len(run) >= 2 and sum(len(t.group()) > 1 for t in run) >= 2:
            if tokens[i].start() > pos:
                keep.append(piece.slice(pos, tokens[i].start()))
            pos = tokens[j - 1].end()
            i = j
            continue
        i = max(j, i + 1)
    keep.append(piece.slice(pos))
    parts = [k.strip() for k in keep if k.text.strip()]
    return Snippet.join(parts) if parts else piece.slice(0, 0)


_ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")


def _wordlike(token: str) -> bool:
    """A syllable, a number or a roman numeral ("quý", "I", "2025"), not OCR debris ("1202S", "P'ÊN")."""
    word = token.strip(",.;:()\"'“”")
    return bool(word) and (
        (word.isdigit() and len(word) >= 2)
        or bool(_ROMAN_NUMERAL.match(word))
        or (word.isalpha() and len(word) <= 7)
    )


def _is_junk(line: Snippet) -> bool:
    """OCR debris of a stamp or a rule: few tokens that read as Vietnamese syllables."""
    tokens = line.text.split()
    if not tokens:
        return True
    wordlike = sum(1 for t in tokens if _wordlike(t))
    return "——" in line.text or "..." in line.text or wordlike / len(tokens) < 0.6


def _title_subject(lines: list[Snippet], i: int, limit: int) -> tuple[list[Snippet], int]:
    """The subject lines under a type title ("KẾ HOẠCH" / "thực hiện Kết luận …"), from line i."""
    parts: list[Snippet] = []
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
        if _is_body_line(line) or (parts and uppercase_ratio(text) > 0.9):
            break
        if parts and _is_junk(line):
            j += 1
            continue
        cleaned = _drop_stamp_words(line.strip())
        if (
            parts
            and cleaned.span().start > line.strip().span().start
            and (len(cleaned.text.split()) <= 2 or cleaned.text.rstrip().endswith(":"))
        ):
            break  # an authority line ("CHÍNH PHỦ:", "THỦ TƯỚNG CHÍNH PHỦ điện:") ends the title block
        if not parts:
            lead = _SUBJECT_LEAD.match(cleaned.folded)
            cleaned = cleaned.slice(lead.end()) if lead else cleaned
            cleaned = cleaned.strip(" =-–_.:;,'\"")
        if cleaned.text:
            parts.append(cleaned)
        j += 1
    return parts, j


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
            if completes or previous.endswith(_CONTINUATION_ENDS):
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def _field(parts: list[Snippet]) -> Field:
    joined = Snippet.join(parts)
    text = " ".join(joined.text.split())
    return Field(text, Span(parts[0].span().start, parts[-1].span().end))


def parse_header(lines: list[Snippet]) -> Header:
    header = Header()
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
        if (header.number or header.issued_on or header.type) and _is_body_line(line) and starts_body:
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
                        and lines[j].text.strip()[:1].islower()
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
    _finish(header, issuer_lines, subject_parts)
    _repair_date(header, lines[: max(header.body_start, 1)])
    return header


_SIGNED_AT = re.compile(r"thoi\s*gian\s*ky\s*:?\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})")
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


def _repair_date(header: Header, lines: list[Snippet]) -> None:
    """OCR misreads digits of the date line ("ngày 08 tháng 20 năm 2025"). A digitally signed
    document carries its signing time ("Thời gian ký: 10.10.2025 16:42:37"): where the printed
    date is impossible or years away from it, mend the misread parts from it and say so."""
    folded = "\n".join(line.folded for line in lines)
    stamp = _SIGNED_AT.search(folded)
    if not stamp:
        return
    signed = safe_date(int(stamp.group(3)), int(stamp.group(2)), int(stamp.group(1)))
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
    for raw in _RAW_DATE.finditer(folded):
        day, month, year = int(raw.group(1)), int(raw.group(2)), int(raw.group(3))
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
    found = date_in_words(folded) or _numeric_place_date(folded)
    if found and not header.issued_on:
        when, start, end = found
        header.issued_on = when
        header.issued_on_span = piece.span(start, end)
        before = piece.slice(0, start).rstrip(" ,")
        words = before.text.split()
        place_words: list[str] = []
        for word in reversed(words):
            if word[:1].isupper() or word.lower() in ("tp.", "tx."):
                place_words.insert(0, word)
                if len(place_words) >= 5:
                    break
            else:
                break
        if place_words:
            place_text = " ".join(place_words)
            place_start = before.text.rfind(place_words[0])
            header.place = Field(place_text, before.span(place_start, len(before.text)))
            remainder = before.slice(0, place_start).strip()
            if remainder.text:
                _read_piece(remainder, header, issuer_lines, subject_parts)
        return
    subject = _SUBJECT_LEAD.match(folded)
    opens_subject = subject is not None and (
        subject.group(1) in ("v/v", "v.v", "ve viec") or subject.group(2)
    )
    if subject is not None and opens_subject and not header.subject and not subject_parts:
        subject_parts.append(piece.slice(subject.end()).strip())
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
    if not header.number and not header.type and _is_issuer_candidate(piece):
        issuer_lines.append(piece)


def _finish(header: Header, issuer_lines: list[Snippet], subject_parts: list[Snippet]) -> None:
    if header.number and not header.type:
        kind = type_from_number(header.number.value)
        if kind:
            header.type = Field(kind, header.number.span)
    if subject_parts and not header.subject:
        parts = [p for p in subject_parts if p.text]
        if parts:
            subject = _field(parts)
            header.subject = Field(subject.value.strip(" .;:"), subject.span)
    if issuer_lines:
        groups = _group_issuer_lines(issuer_lines)
        header.issuer = _field(groups[-1])
        if len(groups) >= 2:
            header.parent_issuer = _field(groups[-2])
