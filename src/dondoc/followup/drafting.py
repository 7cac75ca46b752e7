"""The words of the periodic report, its statistics annex and the follow-up letter, composed from their data
(selectors/reports.py) in the plain official style a clerk would write, ready to edit. dondoc.writing lays
them out; this module decides only what they say.

Every sentence is a template filled from the data: a figure is a count the selector read, a body's words are
its own report's leading sentences (sentences.leading_sentences), cut and never rewritten, and where there is
nothing to say the document says so. The text is Vietnamese content, not interface: it is not translated.

Plain Python over plain values, as deterministic as its input: the same data give the same document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from dondoc.directives.status import Status
from dondoc.followup.selectors.dashboard import StatusCounts
from dondoc.followup.selectors.reports import (
    BodyLine,
    DirectiveLines,
    InspectionLines,
    IssuingBody,
    LetterData,
    Quote,
    ReportData,
    TaskLines,
)
from dondoc.followup.sentences import leading_sentences
from dondoc.parsing.model import DeadlineKind
from dondoc.parsing.patterns import TYPE_CODES
from dondoc.periods import Frequency, ReportingPeriod
from dondoc.registry.models import OrganizationKind
from dondoc.text import fold
from dondoc.writing.model import (
    Block,
    BlockKind,
    DocumentKind,
    Issuer,
    OfficialDocument,
    Sheet,
    Signer,
    System,
    Table,
    Workbook,
)

# Bodies named in one sentence before the rest are counted ("… và 17 cơ quan, đơn vị khác"): the annex lists
# every one; bodies whose words are cited under one task; bodies quoted on difficulties or proposals
NAMED_AT_MOST = 20
CITED_AT_MOST = 10
QUOTED_AT_MOST = 30

# the bodies whose documents follow the Party's rules (Hướng dẫn 36-HD/VPTW); the others the State's
PARTY_KINDS = frozenset(
    {
        OrganizationKind.PARTY_COMMITTEE,
        OrganizationKind.STANDING_BOARD,
        OrganizationKind.STANDING_OFFICE,
        OrganizationKind.PARTY_ADVISORY_BODY,
        OrganizationKind.PARTY_DELEGATION,
        OrganizationKind.PARTY_AFFAIRS_COMMITTEE,
        OrganizationKind.PARTY_BLOC_COMMITTEE,
        OrganizationKind.INSPECTION_COMMISSION,
    }
)
# a committee's standing board or office issues its documents under the committee's own name ("TỈNH ỦY ĐẮK
# NÔNG", "Số …-BC/TU"), signing on its behalf ("T/M BAN THƯỜNG VỤ")
_UNDER_THE_COMMITTEE = frozenset({OrganizationKind.STANDING_BOARD, OrganizationKind.STANDING_OFFICE})
_PLACE_WORDS = ("tỉnh ", "thành phố ")

STATUS_WORDS = {
    Status.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Status.DONE_LATE: "Hoàn thành quá hạn",
    Status.OVERDUE: "Quá hạn, chưa hoàn thành",
    Status.IN_PROGRESS: "Đang thực hiện trong hạn",
    Status.NOT_YET_DUE: "Chưa đến hạn",
}
REPORTED_WORDS = "Thường xuyên: đã báo cáo trong kỳ"
NOT_REPORTED_WORDS = "Thường xuyên: chưa báo cáo trong kỳ"
ROLE_WORDS = {"lead": "Chủ trì", "coordinating": "Phối hợp"}
_DEADLINE_WORDS = {
    DeadlineKind.ONGOING: "thực hiện thường xuyên",
    DeadlineKind.ON_DEMAND: "thực hiện khi có yêu cầu",
    DeadlineKind.PER_ROADMAP: "thực hiện theo lộ trình",
    DeadlineKind.RECURRING: "thực hiện định kỳ",
    DeadlineKind.FROM_DATE: "thực hiện thường xuyên",
    DeadlineKind.NONE: "không xác định thời hạn",
}
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_NUMBER_CODE = re.compile(r"^\s*\d+[a-z]?-([A-Za-zĐđ]+)/")
_KIND_NAMES = {fold(name): name for name in TYPE_CODES.values()}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31

Progress = Callable[[int, int], None]


def _ignore(done: int, total: int) -> None:
    """No one follows the progress."""


# --- words shared by the documents ---


def day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def rate_words(rate: float | None) -> str:
    """A share as a Vietnamese percentage, one decimal ("66,7%"); "—" without one."""
    return "—" if rate is None else f"{round(rate * 100, 1):.1f}".replace(".", ",") + "%"


def period_words(period: ReportingPeriod) -> str:
    """ "quý II năm 2023", "6 tháng đầu năm 2023", "năm 2023", "tháng 5 năm 2023"."""
    if period.frequency is Frequency.QUARTER:
        return f"quý {_ROMAN[period.number - 1]} năm {period.year}"
    if period.frequency is Frequency.HALF_YEAR:
        return f"6 tháng {'đầu' if period.number == 1 else 'cuối'} năm {period.year}"
    if period.frequency is Frequency.YEAR:
        return f"năm {period.year}"
    if period.frequency is Frequency.MONTH:
        return f"tháng {period.number} năm {period.year}"
    return f"kỳ báo cáo đến ngày {day(period.end)}"


def period_slug(period: ReportingPeriod) -> str:
    """The period in a file name: "quy-2-2023", "6-thang-dau-nam-2023", "nam-2023", "thang-5-2023"."""
    if period.frequency is Frequency.QUARTER:
        return f"quy-{period.number}-{period.year}"
    if period.frequency is Frequency.HALF_YEAR:
        return f"6-thang-{'dau' if period.number == 1 else 'cuoi'}-nam-{period.year}"
    if period.frequency is Frequency.YEAR:
        return f"nam-{period.year}"
    if period.frequency is Frequency.MONTH:
        return f"thang-{period.number}-{period.year}"
    return f"ky-{period.end:%d-%m-%Y}"


def _span(period: ReportingPeriod) -> str:
    return f"từ ngày {day(period.start)} đến ngày {day(period.end)}"


def _kind(type_code: str, number: str) -> str:
    """The kind of a directive in words ("công văn"): its type as read (a code, "CV", or a name, "công văn"),
    else the code in its number ("1317-CV/TU"), else "văn bản"."""
    if type_code in TYPE_CODES:
        return TYPE_CODES[type_code]
    if fold(type_code) in _KIND_NAMES:
        return _KIND_NAMES[fold(type_code)]
    found = _NUMBER_CODE.match(number)
    return TYPE_CODES.get(found.group(1), "văn bản") if found else "văn bản"


def document_name(type_code: str, number: str) -> str:
    """ "Công văn số 1317-CV/TU", named by its kind."""
    kind = _kind(type_code, number)
    return f"{kind[:1].upper()}{kind[1:]} số {number}" if number else f"{kind[:1].upper()}{kind[1:]}"


def _about(subject: str) -> str:
    """A directive's subject after its citation: "về thực hiện Kết luận số 50-KL/TW …"."""
    plain = re.sub(r"^\s*(?:v/v|về việc|về)\s+", "", subject.strip(), flags=re.IGNORECASE).rstrip(" .;,")
    return f"về {plain}" if plain else ""


def _citation(type_code: str, number: str, issued_on: date, issuer_name: str) -> str:
    """ "Công văn số 1317-CV/TU, ngày 17/04/2023 của Tỉnh ủy Đắk Nông"."""
    cited = f"{document_name(type_code, number)}, ngày {day(issued_on)}"
    return f"{cited} của {issuer_name}" if issuer_name else cited


def _cited(directive: DirectiveLines) -> str:
    return _citation(directive.type_code, directive.number, directive.issued_on, directive.issuer_name)


def _and(parts: Sequence[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"


def _names(bodies: Sequence[BodyLine] | Sequence[str]) -> str:
    """Up to NAMED_AT_MOST names, the rest counted."""
    names = [body if isinstance(body, str) else body.name for body in bodies]
    if len(names) <= NAMED_AT_MOST:
        return ", ".join(names)
    return f"{', '.join(names[:NAMED_AT_MOST])} và {len(names) - NAMED_AT_MOST} cơ quan, đơn vị khác"


def _deadline(task: TaskLines) -> str:
    if not task.without_end and task.due is not None:
        return f"thời hạn {day(task.due)}"
    return _DEADLINE_WORDS.get(DeadlineKind(task.deadline_kind), "không xác định thời hạn")


def _bracketed(text: str) -> str:
    """A task's first sentence, shortened, to stand in brackets after its number: without its full stop."""
    return leading_sentences(text, count=1, limit=200).rstrip(" .;,")


def _paragraph(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text)


def _item(text: str) -> Block:
    return Block(BlockKind.ITEM, text)


# --- the issuer and the signer ---


def _upper(text: str) -> str:
    return " ".join(text.split()).upper()


def _without_parent(name: str, parent: str) -> str:
    """The body's name without the words naming its parent, which the line above prints: "Ban Tổ chức Tỉnh
    ủy" under "Tỉnh ủy Đắk Nông" is "Ban Tổ chức"; "Văn phòng Ủy ban nhân dân tỉnh" under "Ủy ban nhân dân
    tỉnh Đắk Nông" is "Văn phòng"."""
    words, parent_words = name.split(), [fold(word) for word in parent.split()]
    for size in range(min(len(words) - 1, len(parent_words)), 0, -1):
        if [fold(word) for word in words[-size:]] == parent_words[:size]:
            return " ".join(words[:-size])
    return name


def _place(province: str) -> str:
    """ "tỉnh Đắk Nông" → "Đắk Nông"."""
    for word in _PLACE_WORDS:
        if fold(province).startswith(fold(word)):
            return province[len(word) :].strip()
    return province.strip()


def _symbol(code: str) -> str:
    """The body's abbreviation in a number, from its registry code: "DNO.BTCTU" → "BTCTU"."""
    return code.rsplit(".", 1)[-1]


def document_issuer(body: IssuingBody) -> Issuer:
    """The header of a document `body` issues: the Party's layout for a Party body, the State's otherwise; the
    body's name in capitals under its parent's, without the words the parent's line already prints."""
    system = System.PARTY if body.kind in PARTY_KINDS else System.STATE
    if body.kind in _UNDER_THE_COMMITTEE and body.parent_name:
        return Issuer(system, _upper(body.parent_name), _symbol(body.parent_code), _place(body.province))
    return Issuer(
        system=system,
        name=_upper(_without_parent(body.name, body.parent_name)),
        symbol=_symbol(body.code),
        place=_place(body.province),
        parent=_upper(body.parent_name),
    )


def document_signer(*, title: str, authority: str = "") -> Signer:
    """The signature block, the name left for the clerk."""
    return Signer(title=_upper(title), authority=_upper(authority))


def _separator(issuer: Issuer) -> str:
    """Between the lines of "Nơi nhận": a comma in the Party's layout, a semicolon in the State's."""
    return "," if issuer.system is System.PARTY else ";"


# --- the periodic report ---


def _documents(data: ReportData) -> str:
    return _and([document_name(directive.type_code, directive.number) for directive in data.directives])


def compose_report(
    *,
    data: ReportData,
    issuer: IssuingBody,
    signer: Signer,
    informed: Sequence[str],
    progress: Progress = _ignore,
) -> OfficialDocument:
    """The periodic report on `data`, issued by `issuer`, sent for information to `informed` (the issuing
    committee's standing office and board); `progress` is told after each directive."""
    header = document_issuer(issuer)
    body: list[Block | Table] = [_opening(data, issuer)]
    sections: list[tuple[str, list[Block | Table]]] = []
    if data.is_empty:
        sections.append(("TÌNH HÌNH THỰC HIỆN", [_paragraph(_nothing_to_report(data))]))
    else:
        sections.append(("CÁC VĂN BẢN CHỈ ĐẠO VÀ NHIỆM VỤ ĐƯỢC GIAO", _directives_section(data)))
        results: list[Block | Table] = []
        for index, directive in enumerate(data.directives, start=1):
            results += _results(data, directive, index if len(data.directives) > 1 else None)
            progress(index, len(data.directives))
        sections += [
            ("KẾT QUẢ THỰC HIỆN", results),
            ("SỐ LIỆU TỔNG HỢP", _figures(data)),
            ("CÔNG TÁC KIỂM TRA, GIÁM SÁT", _inspections(data)),
            ("KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN", _quoted(data.problems, _NO_PROBLEMS)),
            ("KIẾN NGHỊ, ĐỀ XUẤT", _quoted(data.proposals, _NO_PROPOSALS)),
        ]
    sections.append(("NHIỆM VỤ TRỌNG TÂM KỲ TỚI", _next_period(data)))
    for number, (title, blocks) in enumerate(sections):
        body += [Block(BlockKind.HEADING, f"{_ROMAN[number]}. {title}"), *blocks]
    body.append(
        _paragraph(
            f"Trên đây là báo cáo kết quả thực hiện {_documents(data)} {period_words(data.period)} "
            f"của {issuer.name}./."
        )
    )
    separator = _separator(header)
    return OfficialDocument(
        issuer=header,
        kind=DocumentKind.REPORT,
        subject=f"Kết quả thực hiện {_documents(data)} {period_words(data.period)}",
        year=data.as_of.year,
        body=tuple(body),
        signer=signer,
        created=data.as_of,
        distribution=(*(f"{name} (b/c){separator}" for name in informed), "Lưu VT."),
    )


def _opening(data: ReportData, issuer: IssuingBody) -> Block:
    cited = "; ".join(
        f"{_cited(directive)} {_about(directive.subject)}".strip() for directive in data.directives
    )
    return _paragraph(
        f"Thực hiện {cited}, {issuer.name} báo cáo kết quả thực hiện {period_words(data.period)} "
        f"({_span(data.period)}; số liệu tính đến ngày {day(data.as_of)}) như sau:"
    )


def _nothing_to_report(data: ReportData) -> str:
    return (
        f"Trong kỳ báo cáo, không có nhiệm vụ nào của {_documents(data)} đến hạn hoặc phải báo cáo định kỳ "
        "đối với các cơ quan, đơn vị được theo dõi; vì vậy kỳ này không có số liệu để tổng hợp."
    )


def _directives_section(data: ReportData) -> list[Block | Table]:
    blocks: list[Block | Table] = []
    for index, directive in enumerate(data.directives, start=1):
        bodies = {body.organization_id for task in directive.tasks for body in task.bodies}
        blocks.append(Block(BlockKind.SUBHEADING, f"{index}. {_cited(directive)}"))
        if not directive.tasks:
            blocks.append(
                _paragraph(
                    f"{document_name(directive.type_code, directive.number)} {_about(directive.subject)} "
                    f"giao {directive.task_count} nhiệm vụ; trong kỳ báo cáo không có nhiệm vụ nào đến hạn "
                    "hoặc phải báo cáo."
                )
            )
            continue
        blocks.append(
            _paragraph(
                f"{document_name(directive.type_code, directive.number)} {_about(directive.subject)} giao "
                f"{directive.task_count} nhiệm vụ; trong kỳ báo cáo có {len(directive.tasks)} nhiệm vụ phải "
                f"thực hiện hoặc báo cáo, với {directive.assignments} lượt giao cho {len(bodies)} cơ quan, "
                "đơn vị:"
            )
        )
        blocks += [
            _item(f"Nhiệm vụ {task.label} ({_deadline(task)}): {leading_sentences(task.text)}")
            for task in directive.tasks
        ]
    return blocks


def _results(data: ReportData, directive: DirectiveLines, index: int | None) -> list[Block | Table]:
    """Task by task: who finished on time, late, who is overdue or silent, and their own words."""
    blocks: list[Block | Table] = []
    if index is not None:
        blocks.append(
            Block(
                BlockKind.SUBHEADING,
                f"{index}. Thực hiện {document_name(directive.type_code, directive.number)}",
            )
        )
    if not directive.tasks:
        blocks.append(
            _paragraph("Trong kỳ báo cáo, văn bản không có nhiệm vụ nào đến hạn hoặc phải báo cáo.")
        )
    for number, task in enumerate(directive.tasks, start=1):
        prefix = f"{index}.{number}." if index is not None else f"{number}."
        blocks.append(Block(BlockKind.SUBHEADING, f"{prefix} Nhiệm vụ {task.label} ({_deadline(task)})"))
        blocks.append(_paragraph(_standing(task, data.as_of)))
        blocks += _citations(task)
    return blocks


def _count(bodies: Sequence[BodyLine], what: str, *, named: bool = True) -> str:
    names = f" ({_names(bodies)})" if named else ""
    return f"{len(bodies)} cơ quan, đơn vị {what}{names}"


def _standing(task: TaskLines, as_of: date) -> str:
    """Where a task's bodies stand, in one sentence of counts and names."""
    total = f"Có {len(task.bodies)} cơ quan, đơn vị được giao thực hiện."
    if task.without_end:
        reported = tuple(body for body in task.bodies if body.reported_for_period)
        parts = [_count(reported, "đã báo cáo kết quả trong kỳ")] if reported else []
        if task.silent:
            parts.append(_count(task.silent, "chưa báo cáo kết quả trong kỳ"))
        return f"{total} Đến ngày {day(as_of)}, {'; '.join(parts)}."
    parts = []
    if on_time := task.with_status(Status.DONE_ON_TIME):
        parts.append(_count(on_time, "hoàn thành đúng hạn"))
    if late := task.with_status(Status.DONE_LATE):
        parts.append(_count(late, "hoàn thành nhưng chậm so với thời hạn"))
    if overdue := task.with_status(Status.OVERDUE):
        reporting = tuple(body for body in overdue if body.sent)
        if not reporting:
            parts.append(_count(overdue, "chưa hoàn thành, đã quá hạn và chưa gửi báo cáo"))
        elif not task.silent:
            parts.append(_count(overdue, "chưa hoàn thành, đã quá hạn, đã báo cáo tiến độ"))
        else:
            parts.append(
                _count(overdue, "chưa hoàn thành, đã quá hạn", named=False)
                + f", trong đó {len(reporting)} đã báo cáo tiến độ ({_names(reporting)}), "
                f"{len(task.silent)} chưa gửi báo cáo ({_names(task.silent)})"
            )
    if in_progress := task.with_status(Status.IN_PROGRESS):
        parts.append(_count(in_progress, "đang thực hiện trong hạn", named=False))
    if not_yet_due := task.with_status(Status.NOT_YET_DUE):
        parts.append(_count(not_yet_due, "chưa đến hạn, chưa báo cáo", named=False))
    return f"{total} Đến ngày {day(as_of)}: {'; '.join(parts)}."


def _citations(task: TaskLines) -> list[Block | Table]:
    """The bodies' own words on the task, briefly: those done first, then the others, by name."""
    sent = [body for body in task.bodies if body.latest_text.strip()]
    if not sent:
        return []
    order = {Status.DONE_ON_TIME: 0, Status.DONE_LATE: 1}
    sent.sort(key=lambda body: order.get(Status(body.status), 2))
    blocks: list[Block | Table] = [_paragraph("Kết quả cụ thể theo báo cáo của các cơ quan, đơn vị:")]
    blocks += [
        Block(BlockKind.QUOTE, leading_sentences(body.latest_text), lead=f"{body.name}: ")
        for body in sent[:CITED_AT_MOST]
    ]
    if len(sent) > CITED_AT_MOST:
        blocks.append(
            _paragraph(
                f"Ngoài ra, {len(sent) - CITED_AT_MOST} cơ quan, đơn vị khác đã gửi báo cáo "
                "(chi tiết tại Phụ lục kèm theo)."
            )
        )
    return blocks


def _figures(data: ReportData) -> list[Block | Table]:
    counts = data.counts
    assigned = (
        f"Tính đến ngày {day(data.as_of)}, trong {counts.total} lượt nhiệm vụ giao cho các cơ quan, "
        "đơn vị thuộc kỳ báo cáo"
    )
    if counts.fallen_due:
        sentence = (
            f"{assigned}, có {counts.fallen_due} lượt đã đến hạn; trong đó {counts.done_on_time} lượt hoàn "
            f"thành đúng hạn, đạt tỷ lệ hoàn thành đúng hạn {rate_words(counts.on_time_rate)}."
        )
    else:
        sentence = f"{assigned}, chưa có lượt nào đến hạn, nên chưa tính tỷ lệ hoàn thành đúng hạn."
    rows = tuple(
        (str(number), label, str(value), share)
        for number, (label, value, share) in enumerate(figure_rows(counts), start=1)
    )
    return [
        _paragraph(sentence),
        Table(
            headers=("TT", "Tình trạng", "Số lượt", "Tỷ lệ so với số đã đến hạn"),
            rows=(*rows, ("", "Tổng cộng", str(counts.total), "")),
        ),
    ]


def figure_rows(counts: StatusCounts) -> list[tuple[str, int, str]]:
    """The counts by status as the report's table and the annex print them: (status, count, share of those
    fallen due, for the three that have fallen due)."""

    def share(value: int) -> str:
        return rate_words(value / counts.fallen_due) if counts.fallen_due else ""

    return [
        (STATUS_WORDS[Status.DONE_ON_TIME], counts.done_on_time, share(counts.done_on_time)),
        (STATUS_WORDS[Status.DONE_LATE], counts.done_late, share(counts.done_late)),
        (STATUS_WORDS[Status.OVERDUE], counts.overdue, share(counts.overdue)),
        (STATUS_WORDS[Status.IN_PROGRESS], counts.in_progress, ""),
        (STATUS_WORDS[Status.NOT_YET_DUE], counts.not_yet_due, ""),
        (REPORTED_WORDS, counts.reported, ""),
        (NOT_REPORTED_WORDS, counts.not_reported, ""),
    ]


def _inspections(data: ReportData) -> list[Block | Table]:
    if not data.inspections:
        return [
            _paragraph(
                "Trong kỳ báo cáo, không có cuộc kiểm tra, giám sát nào về việc thực hiện "
                f"{_documents(data)}."
            )
        ]
    blocks: list[Block | Table] = []
    for inspection in data.inspections:
        blocks += _inspection(inspection)
    return blocks


def _inspection(inspection: InspectionLines) -> list[Block | Table]:
    where = (
        f" tại {len(inspection.bodies)} cơ quan, đơn vị: {_names(inspection.bodies)}"
        if inspection.bodies
        else ""
    )
    concluded = " Cuộc kiểm tra đã có kết luận." if inspection.concluded else ""
    blocks: list[Block | Table] = [
        _paragraph(
            f"{inspection.title} (từ ngày {day(inspection.starts_on)} đến ngày {day(inspection.ends_on)})"
            f"{where}.{concluded}"
        )
    ]
    if inspection.findings:
        blocks.append(_paragraph("Qua kiểm tra, giám sát, đoàn đã nêu:"))
        blocks += [_item(finding) for finding in inspection.findings]
    else:
        blocks.append(_paragraph("Chưa ghi nhận kết quả kiểm tra, giám sát."))
    return blocks


_NO_PROBLEMS = "Trong kỳ báo cáo, các cơ quan, đơn vị không nêu khó khăn, vướng mắc trong các báo cáo gửi về."
_NO_PROPOSALS = "Trong kỳ báo cáo, các cơ quan, đơn vị không nêu kiến nghị, đề xuất trong các báo cáo gửi về."


def _quoted(quotes: Sequence[Quote], nothing: str) -> list[Block | Table]:
    """The bodies' sentences as they wrote them, each body once."""
    if not quotes:
        return [_paragraph(nothing)]
    blocks: list[Block | Table] = [_paragraph("Theo báo cáo của các cơ quan, đơn vị:")]
    blocks += [
        Block(
            BlockKind.QUOTE,
            leading_sentences(" ".join(quote.sentences), count=3, limit=400),
            lead=f"{quote.name}: ",
        )
        for quote in quotes[:QUOTED_AT_MOST]
    ]
    if len(quotes) > QUOTED_AT_MOST:
        blocks.append(
            _paragraph(
                f"Ngoài ra, {len(quotes) - QUOTED_AT_MOST} cơ quan, đơn vị khác cũng nêu nội dung này."
            )
        )
    return blocks


def _next_period(data: ReportData) -> list[Block | Table]:
    items = [
        _item(
            f"Nhiệm vụ {task.label} của {document_name('', task.directive_number)} "
            f"({_bracketed(task.text)}): {task.bodies} cơ quan, đơn vị phải hoàn "
            f"thành, hạn chậm nhất ngày {day(task.due)}."
        )
        for task in data.upcoming
    ]
    if data.counts.overdue:
        items.append(
            _item(
                f"Khẩn trương hoàn thành {data.counts.overdue} lượt nhiệm vụ đã quá hạn nêu tại phần kết quả."
            )
        )
    by_directive: dict[str, list[str]] = {}
    for task in data.ongoing:
        by_directive.setdefault(task.directive_number, []).append(task.label)
    items += [
        _item(
            f"Tiếp tục thực hiện thường xuyên các nhiệm vụ {_and(labels)} của {document_name('', number)}, "
            "báo cáo kết quả theo kỳ."
            if len(labels) > 1
            else f"Tiếp tục thực hiện thường xuyên nhiệm vụ {labels[0]} của {document_name('', number)}, báo "
            "cáo kết quả theo kỳ."
        )
        for number, labels in by_directive.items()
    ]
    if not items:
        return [_paragraph(f"Trong {period_words(data.next_period)}, không có nhiệm vụ nào đến hạn.")]
    return [
        _paragraph(
            f"Trong {period_words(data.next_period)} ({_span(data.next_period)}), các cơ quan, đơn vị tập "
            "trung thực hiện:"
        ),
        *items,
    ]


# --- the statistics annex ---


def status_words(body: BodyLine) -> str:
    if body.reported_for_period is not None:
        return REPORTED_WORDS if body.reported_for_period else NOT_REPORTED_WORDS
    return STATUS_WORDS.get(Status(body.status), "")


def _deadline_cell(task: TaskLines, body: BodyLine) -> date | str:
    return body.due if body.due is not None and not task.without_end else _deadline(task)


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Names Excel accepts for sheets of these titles: without []:*?/\\, at most 31 characters, none twice
    (case ignored: " (2)" added)."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _SHEET_FORBIDDEN.sub("-", " ".join(title.split())).strip("'") or "Trang"
        name, copy = base[:SHEET_NAME_LENGTH].strip(), 1
        while name.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)].strip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def compose_annex(*, data: ReportData, issuer: IssuingBody, progress: Progress = _ignore) -> Workbook:
    """The annex: a sheet of the figures, one per directive (task × body), one per body (its assignments);
    `progress` is told after each directive and each body."""
    period = period_words(data.period)
    bodies = data.bodies
    names = sheet_names(
        [
            "Tổng hợp",
            *(directive.number or f"Văn bản {index}" for index, directive in enumerate(data.directives, 1)),
            *(name for name, _lines in bodies),
        ]
    )
    total = len(data.directives) + len(bodies)
    counts = data.counts
    sheets = [
        Sheet(
            name=names[0],
            title=f"SỐ LIỆU TỔNG HỢP KẾT QUẢ THỰC HIỆN {_documents(data).upper()} {period.upper()}",
            headers=("TT", "Tình trạng", "Số lượt", "Tỷ lệ so với số đã đến hạn"),
            rows=(
                *(
                    (number, label, value, share or None)
                    for number, (label, value, share) in enumerate(figure_rows(counts), start=1)
                ),
                (None, "Tổng cộng", counts.total, None),
                (None, "Tỷ lệ hoàn thành đúng hạn", None, rate_words(counts.on_time_rate)),
                (None, f"Số liệu tính đến ngày {day(data.as_of)}; {issuer.name} tổng hợp", None, None),
            ),
        )
    ]
    for index, directive in enumerate(data.directives):
        sheets.append(
            Sheet(
                name=names[1 + index],
                title=f"KẾT QUẢ THỰC HIỆN {_cited(directive).upper()} {period.upper()}",
                headers=(
                    "Nhiệm vụ",
                    "Nội dung nhiệm vụ",
                    "Cơ quan, đơn vị",
                    "Vai trò",
                    "Thời hạn",
                    "Tình trạng",
                    "Ngày hoàn thành",
                    "Ngày báo cáo gần nhất",
                ),
                rows=tuple(
                    (
                        task.label,
                        task.text,
                        body.name,
                        ROLE_WORDS.get(body.role, body.role),
                        _deadline_cell(task, body),
                        status_words(body),
                        body.done_on,
                        body.latest_on,
                    )
                    for task in directive.tasks
                    for body in task.bodies
                ),
            )
        )
        progress(index + 1, total)
    offset = 1 + len(data.directives)
    for index, (name, lines) in enumerate(bodies):
        sheets.append(
            Sheet(
                name=names[offset + index],
                title=f"{name.upper()}: CÁC NHIỆM VỤ ĐƯỢC GIAO TRONG {period.upper()}",
                headers=(
                    "Văn bản",
                    "Nhiệm vụ",
                    "Nội dung nhiệm vụ",
                    "Vai trò",
                    "Thời hạn",
                    "Tình trạng",
                    "Ngày hoàn thành",
                    "Ngày báo cáo gần nhất",
                ),
                rows=tuple(
                    (
                        directive.number,
                        task.label,
                        task.text,
                        ROLE_WORDS.get(body.role, body.role),
                        _deadline_cell(task, body),
                        status_words(body),
                        body.done_on,
                        body.latest_on,
                    )
                    for directive, task, body in lines
                ),
            )
        )
        progress(len(data.directives) + index + 1, total)
    return Workbook(
        sheets=tuple(sheets),
        created=data.as_of,
        title=f"Phụ lục số liệu kết quả thực hiện {_documents(data)} {period}",
    )


# --- the follow-up letter ---


def group_phrase(group: str, members: Sequence[str]) -> str:
    """How a letter names bodies of one registry group: the group's name narrowed to the kinds of its members
    there are, then their short names (what is left of each after the kind): "Ban Thường vụ các huyện ủy,
    thành ủy" with "Ban Thường vụ Huyện ủy Cư Jút" and "Ban Thường vụ Huyện ủy Đắk Mil" is "Ban Thường vụ các
    huyện ủy: Cư Jút, Đắk Mil". Members whose names do not read that way are named in full."""
    words = group.split()
    folded = [fold(word) for word in words]
    if "cac" not in folded:
        return f"{group}: {', '.join(members)}"
    at = folded.index("cac")
    kinds = [kind.strip() for kind in " ".join(words[at + 1 :]).split(",") if kind.strip()]
    shortened = [_after_kind(member, kinds) for member in members]
    before = {fold(prefix) for prefix, _kind, _rest in (found for found in shortened if found)}
    if any(found is None for found in shortened) or len(before) != 1:
        return f"{group}: {', '.join(members)}"
    used = [kind for kind in kinds if any(found and found[1] == kind for found in shortened)]
    head = " ".join(words[: at + 1])
    return f"{head} {', '.join(used)}: {', '.join(found[2] for found in shortened if found)}"


def _after_kind(member: str, kinds: Sequence[str]) -> tuple[str, str, str] | None:
    """(what comes before the first kind named in `member`, that kind, the rest), or None."""
    words = member.split()
    folded = [fold(word) for word in words]
    for start in range(len(words)):
        for kind in kinds:
            kind_words = [fold(word) for word in kind.split()]
            end = start + len(kind_words)
            if folded[start:end] == kind_words and end < len(words):
                return " ".join(words[:start]), kind, " ".join(words[end:])
    return None


def letter_subject(data: LetterData) -> str:
    """The letter's subject, which its header prints after "V/v"."""
    return f"đôn đốc thực hiện {document_name(data.type_code, data.number)}"


def compose_letter(
    *, data: LetterData, issuer: IssuingBody, signer: Signer, new_deadline: date
) -> OfficialDocument:
    """The follow-up letter (công văn đôn đốc) to the bodies of `data`: what each is late on, with its
    deadline, and the new deadline by which to finish and report."""
    header = document_issuer(issuer)
    document = document_name(data.type_code, data.number)
    cited = _citation(data.type_code, data.number, data.issued_on, data.issuer_name)
    body: list[Block | Table] = [
        _paragraph(
            f"Thực hiện {cited} {_about(data.subject)}".rstrip()
            + f"; qua theo dõi, đến ngày {day(data.as_of)}, các cơ quan, đơn vị sau chưa hoàn thành nhiệm vụ "
            "được giao:"
        ),
        *(
            _item(
                f"Nhiệm vụ {task.label} ({_bracketed(task.text)}), thời hạn "
                f"{day(task.due)}{', đã quá hạn' if task.overdue else ''}: {', '.join(task.bodies)}."
            )
            for task in data.tasks
        ),
        _paragraph(
            f"Để bảo đảm tiến độ thực hiện {document}, {issuer.name} đề nghị các cơ quan, đơn vị nêu trên "
            "khẩn trương thực hiện, hoàn thành các nhiệm vụ được giao và báo cáo kết quả về "
            f"{issuer.name} trước ngày {day(new_deadline)}./."
        ),
    ]
    return OfficialDocument(
        issuer=header,
        kind=DocumentKind.LETTER,
        subject=letter_subject(data),
        year=data.as_of.year,
        body=tuple(body),
        signer=signer,
        created=data.as_of,
        addressees=tuple(
            group_phrase(group, members) if group else members[0] for group, members in data.addressees
        ),
        distribution=(f"Như trên{_separator(header)}", "Lưu VT."),
    )


def letter_filename(data: LetterData) -> str:
    number = re.sub(r"[^0-9a-z]+", "-", fold(data.number)).strip("-")
    return f"cong-van-don-doc-{number or 'van-ban'}-{data.as_of:%Y-%m-%d}.docx"
