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
from dondoc.parsing.agencies import forget_texts
from dondoc.parsing.header import parse_header
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
from dondoc.parsing.news import read_reported_identity, reported_signer
from dondoc.parsing.references import find_references
from dondoc.parsing.signer import find_plain_signer, find_signer
from dondoc.parsing.snippet import Snippet
from dondoc.parsing.tasks import extract_tasks

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
    has_header = bool(header.number or header.has_motto or header.type)
    if not has_header:
        # no header: a news item, a quotation or a bare text; capitals found on the way ("TIN LIÊN
        # QUAN") name nobody, and a date alone is the page's (a print date), not the document's
        header.body_start = 0
        header.issuer = header.parent_issuer = None
        header.issued_on = header.issued_on_span = header.place = None
        read_reported_identity(text, header)

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
        # who signed, as a news item reports it; a directive with a header but no signature has none
        signer = None if has_header else reported_signer(text)

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
