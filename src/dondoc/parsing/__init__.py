"""Text → ParsedDirective: header, addressees, distribution, signer, references and tasks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from dondoc.parsing.addressees import (
    find_addressee_block,
    find_distribution_block,
    parse_addressees,
    parse_distribution,
)
from dondoc.parsing.agencies import find_names, forget_texts, strip_title
from dondoc.parsing.header import Header, parse_header
from dondoc.parsing.lines import split_lines
from dondoc.parsing.model import (
    Deadline,
    DeadlineKind,
    DistributionEntry,
    Field,
    ParsedDirective,
    Reference,
    Signer,
    Span,
    Task,
)
from dondoc.parsing.patterns import DOC_NUMBER, TYPE_BY_FOLDED, any_date, normalize_number
from dondoc.parsing.references import find_references
from dondoc.parsing.signer import _is_person_name, find_plain_signer, find_signer
from dondoc.parsing.snippet import Snippet
from dondoc.parsing.tasks import extract_tasks
from dondoc.text import fold

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DistributionEntry",
    "Field",
    "ParsedDirective",
    "Reference",
    "Signer",
    "Span",
    "Task",
    "parse_text",
]

_TYPES = "|".join(sorted((re.escape(n) for n in TYPE_BY_FOLDED), key=len, reverse=True))
# a news portal ends its article with "(Chỉ thị số 15/CT-UBND ngày 04/10/2024)"
_QUOTED_SOURCE = re.compile(rf"\(\s*({_TYPES})\s+(?:so\s+)?(?=\d)")
# or, where the article opens with it: "… vừa ký ban hành Chỉ thị số 25/CT-TTg ngày 10/8/2025 về …"
_ISSUED_SOURCE = re.compile(rf"\bban hanh\s+({_TYPES})\s+(?:so\s+)?(?=\d)")
_ISSUED = re.compile(r"\s(?:vua|da|moi)?\s*(?:ky\s+)?ban hanh\s+")
_TITLE_BEFORE = re.compile(r"\b(?:pho\s+)?(?:chu tich|bo truong|thu tuong|giam doc|bi thu|truong ban)\s+$")
# "Văn bản do Phó Giám đốc Sở Nội vụ Trần Thanh Nhàn ký."
_SIGNED_BY = re.compile(
    r"\bdo\s+((?:Phó\s+)?(?:Chủ tịch|Bộ trưởng|Thủ tướng|Giám đốc|Bí thư|Trưởng ban)[^.;()]{0,60}?)"
    r"\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ]\w*\s+){1,4}[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ]\w*)\s+ký\b"
)
_ABOUT = re.compile(
    rf"\bban hanh\s+({_TYPES}|van ban)(?:\s+so\s+\S+)?(?:,?\s+ngay\s+[\d/.-]+)?\s+(?:ve viec|ve)\s+"
)
_GARBLED = re.compile(r"[^\w\s.,;:!?()\[\]\"'“”‘’/\-–—%&+*|<>=…§°№]")


def parse_text(text: str, *, today: date | None = None) -> ParsedDirective:
    """Parse the text of a directive. Never raises: what it cannot read it leaves empty, with a warning.

    Spans are offsets into `text` once NFC-normalised (text from `read_document` already is).
    `today` is the date against which deadline warnings are judged (none when omitted).
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    forget_texts()
    lines = split_lines(text)
    header = parse_header(lines)
    warnings: list[str] = list(header.warnings)
    if not header.number and not header.issued_on and not header.has_motto:
        # no header: a quotation or a bare text; capitals found on the way ("TIN LIÊN QUAN") name nobody
        header.body_start = 0
        header.issuer = header.parent_issuer = None
    if not header.number or not header.issued_on:
        _read_quoted_source(text, header)

    kinh_gui = find_addressee_block(lines, 0, min(len(lines), header.body_start + 40))
    addressees = parse_addressees(lines, kinh_gui) if kinh_gui else []
    body_start = max(header.body_start, kinh_gui[1] if kinh_gui else 0)

    signature = find_signer(lines, body_start)
    used: set[int] = set()
    signer: Signer | None = None
    if signature:
        signer, used = signature
    distribution_block = find_distribution_block(lines, body_start)
    distribution = parse_distribution(lines, distribution_block) if distribution_block else []
    if distribution_block:
        used |= set(range(*distribution_block))
    if signer is None:
        plain = find_plain_signer(lines, body_start)
        if plain:
            signer, plain_used = plain
            used |= plain_used
    if kinh_gui:
        used |= set(range(*kinh_gui))
    if signer is None:
        signer = _quoted_signer(text)

    body_lines = [line if i >= body_start else Snippet.at("", line.origin(0)) for i, line in enumerate(lines)]
    body = Snippet.join([line for i, line in enumerate(body_lines) if i >= body_start and i not in used])
    references = [r for r in find_references(body) if not header.number or r.number != header.number.value]

    tasks = extract_tasks(
        body_lines,
        used | set(range(body_start)),
        doc_type=header.type.value if header.type else None,
        issued_on=header.issued_on,
        issuer=header.issuer.value if header.issuer else None,
    )
    tasks = [_with_warnings(task, header.issued_on, today) for task in tasks]
    if not header.issued_on:
        warnings.append("không tìm thấy ngày ban hành")
    if not header.number:
        warnings.append("không tìm thấy số, ký hiệu văn bản")
    if _looks_garbled(text):
        warnings.append("văn bản có nhiều ký tự lạ: có thể do nhận dạng (OCR) sai, cần đối chiếu bản gốc")

    return ParsedDirective(
        issuer=header.issuer,
        parent_issuer=header.parent_issuer,
        number=header.number,
        type=header.type,
        issued_on=header.issued_on,
        issued_on_span=header.issued_on_span,
        place=header.place,
        subject=header.subject,
        classification=header.classification,
        urgency=header.urgency,
        addressees=tuple(addressees),
        distribution=tuple(distribution),
        signer=signer,
        references=tuple(references),
        tasks=tuple(tasks),
        warnings=tuple(warnings),
    )


def _read_quoted_source(text: str, header: Header) -> None:
    """Number, date, type, issuer and subject of a directive quoted by a news article."""
    folded = fold(text)
    matches = list(_QUOTED_SOURCE.finditer(folded))
    match = matches[-1] if matches else _ISSUED_SOURCE.search(folded)
    if match is None:
        return
    number = DOC_NUMBER.match(text, match.end())
    if not number:
        return
    header.number = Field(normalize_number(number.group()), Span(number.start(), number.end()))
    header.type = Field(TYPE_BY_FOLDED[match.group(1)], Span(match.start(1), match.end(1)))
    close = folded.find(")", number.end())
    found = any_date(folded, number.end(), close if close > 0 else min(len(folded), number.end() + 40))
    if found:
        header.issued_on, header.issued_on_span = found[0], Span(found[1], found[2])
    quoted = _quoted_issuer(text, folded)
    if quoted and not header.issuer:
        _, issuer = quoted
        header.issuer = Field(" ".join(issuer.text.split()), issuer.span())
    about = _ABOUT.search(folded)
    if about and not header.subject:
        end = folded.find(".", about.end())
        end = end if end > 0 else min(len(text), about.end() + 300)
        header.subject = Field(" ".join(text[about.end() : end].split()), Span(about.end(), end))


def _quoted_issuer(text: str, folded: str) -> tuple[int, Snippet] | None:
    """ "Chủ tịch UBND tỉnh Phú Yên vừa ký ban hành Chỉ thị …", "Sở Nội vụ tỉnh Đồng Tháp vừa ban hành
    văn bản …": where the signer's title (or the body) starts, and the body."""
    snippet = Snippet.at(text, 0)
    for issued in _ISSUED.finditer(folded):
        window = max(0, issued.start() - 120)
        for word in re.finditer(r"\S+", text[window : issued.start()]):
            start = window + word.start()
            names, end = find_names(snippet, start)
            if names and not folded[end : issued.start()].strip():
                # the body next to the verb, without the title of its head ("Chủ tịch UBND tỉnh X")
                named = names[-1]
                body = strip_title(named)
                named_start = named.span().start
                title = _TITLE_BEFORE.search(folded, max(0, named_start - 30), named_start)
                return (title.start() if title else named_start), body
    return None


def _quoted_signer(text: str) -> Signer | None:
    folded = fold(text)
    signed = _SIGNED_BY.search(text)
    if signed and _is_person_name(signed.group(2)):
        return Signer(
            None,
            None,
            " ".join(signed.group(1).split()),
            signed.group(2),
            Span(signed.start(1), signed.end(2)),
        )
    quoted = _quoted_issuer(text, folded)
    if quoted is None:
        return None
    start, body = quoted
    end = body.span().end
    return Signer(None, None, " ".join(text[start:end].split()), None, Span(start, end))


def _with_warnings(task: Task, issued_on: date | None, today: date | None) -> Task:
    warnings: list[str] = []
    deadline = task.deadline
    if deadline.due and issued_on and deadline.due < issued_on:
        warnings.append(f"thời hạn {deadline.due:%d/%m/%Y} trước ngày ban hành {issued_on:%d/%m/%Y}")
    if deadline.year_inferred:
        warnings.append(f'năm của thời hạn "{deadline.text}" được suy ra từ ngày ban hành')
    if deadline.due and today and deadline.due < today:
        warnings.append(f"thời hạn {deadline.due:%d/%m/%Y} đã qua")
    if not task.lead:
        warnings.append("chưa xác định cơ quan chủ trì: giao cho các cơ quan nhận văn bản")
    return replace(task, warnings=tuple(warnings)) if warnings else task


def _looks_garbled(text: str) -> bool:
    if len(text) < 200:
        return False
    odd = len(_GARBLED.findall(text))
    return odd / len(text) > 0.02
