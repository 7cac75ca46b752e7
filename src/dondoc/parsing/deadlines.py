"""Deadlines (thời hạn) of tasks: "chậm nhất ngày 30/6/2024", "trong quý III/2024", "thường xuyên", ….

Matching runs on folded text (lower case, no diacritics: "trước" and the OCR "truớc" both
read "truoc"), so spelling noise does not matter; `Deadline.text` keeps the phrase as printed.

`parse_deadline` reads a phrase that is all deadline (a table cell, a "Thời gian thực hiện:"
line); `find_deadline` picks the deadline a task sets out of a paragraph that may also cite
documents, data cut-offs and target years.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dondoc.calendar import (
    add_months,
    add_working_days,
    end_of_half,
    end_of_month,
    end_of_quarter,
    end_of_year,
    start_of_half,
    start_of_quarter,
)
from dondoc.parsing.model import Deadline, DeadlineKind, Span
from dondoc.text import fold

__all__ = ["find_deadline", "parse_deadline"]

# ---------------------------------------------------------------------------
# A point in time as printed: a day, a month, a quarter, a half-year or a year.

_ROMAN = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_YEAR_AFTER = r"(?:\s*[/.-]\s*{y}|\s*,?\s*(?:cua\s+)?nam\s+{y2})"

_POINT_NAMED = "|".join(
    [
        # "6 tháng đầu năm 2025", "6 tháng cuối năm", "nửa đầu năm 2024"
        r"(?:(?:6|06|sau)\s+thang|nua)\s+(?P<half>dau|cuoi)\s+nam(?:\s*(?P<half_y>\d{4})(?!\d))?",
        # "quý III/2024", "Quý IV năm 2026", "quý III, IV/2024"
        rf"quy\s*(?P<q>{_ROMAN})(?:\s*(?:,|-|–|va)\s*(?:quy\s*)?(?P<q2>{_ROMAN}))?"
        + _YEAR_AFTER.format(y=r"(?P<q_y>\d{4})", y2=r"(?P<q_y2>\d{4})")
        + "?",
        # "tháng 5/2023", "tháng 10 năm 2024", "tháng 5"
        r"thang\s*(?P<m>0?[1-9]|1[0-2])(?!\d)"
        + _YEAR_AFTER.format(y=r"(?P<m_y>\d{4})(?!\d)", y2=r"(?P<m_y2>\d{4})")
        + "?",
        # "ngày 15/10/2024", "15-10-2024", "15.10.2024", "ngày 15 tháng 10 năm 2024", "15/5", "25/01 năm sau"
        (
            r"(?:ngay\s*)?(?<!\d)(?P<d>0?[1-9]|[12]\d|3[01])\s*"
            r"(?:[/.-]\s*(?P<dm>0?[1-9]|1[0-2])(?!\d)(?:\s*[/.-]\s*(?P<dy>\d{4}|\d{2})(?!\d))?"
            r"|\s+thang\s+(?P<dm2>0?[1-9]|1[0-2])(?!\d))"
            r"(?:\s*,?\s*nam\s+(?P<dy2>\d{4}|sau|toi)(?![a-z0-9]))?"
        ),
        # "năm 2025"
        r"nam\s+(?P<y>\d{4})(?!\d)",
    ]
)
_POINT_READER = re.compile(_POINT_NAMED)
_P = "(?:" + re.sub(r"\(\?P<\w+>", "(?:", _POINT_NAMED) + ")"

_ROMAN_VALUE = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True, slots=True)
class _Period:
    first: date | None  # None when the year is missing and there is no issue date to take it from
    last: date | None
    unit: str  # "day" | "month" | "quarter" | "half" | "year"
    year_inferred: bool = False


def _read_year(digits: str | None) -> int | None:
    if digits is None:
        return None
    year = int(digits)
    return 2000 + year if year < 100 else year


def _read_point(point: str, issued_on: date | None, year: int | None = None) -> _Period | None:
    """The period a folded point names; `year` overrides a missing year (window starts)."""
    m = _POINT_READER.fullmatch(point.strip())
    if m is None:
        return None
    groups = m.groupdict()

    def infer(build: Callable[[int, bool], _Period | None]) -> _Period | None:
        # No year printed: take the issue year, or the next one if that period has already ended.
        if year is not None:
            return build(year, False)
        if issued_on is None:
            probe = build(2000, True)
            return _Period(None, None, probe.unit, True) if probe else None
        period = build(issued_on.year, True)
        if period is not None and period.last is not None and period.last < issued_on:
            period = build(issued_on.year + 1, True)
        return period

    try:
        if groups["half"]:
            half = 1 if groups["half"] == "dau" else 2

            def half_of(y: int, inferred: bool) -> _Period:
                return _Period(start_of_half(y, half), end_of_half(y, half), "half", inferred)

            printed = _read_year(groups["half_y"])
            return half_of(printed, False) if printed else infer(half_of)
        if groups["q"]:
            first_q = _ROMAN_VALUE[groups["q"]]
            last_q = _ROMAN_VALUE[groups["q2"]] if groups["q2"] else first_q

            def quarter_of(y: int, inferred: bool) -> _Period:
                return _Period(start_of_quarter(y, first_q), end_of_quarter(y, last_q), "quarter", inferred)

            printed = _read_year(groups["q_y"] or groups["q_y2"])
            return quarter_of(printed, False) if printed else infer(quarter_of)
        if groups["m"]:
            month = int(groups["m"])

            def month_of(y: int, inferred: bool) -> _Period:
                return _Period(date(y, month, 1), end_of_month(y, month), "month", inferred)

            printed = _read_year(groups["m_y"] or groups["m_y2"])
            return month_of(printed, False) if printed else infer(month_of)
        if groups["d"]:
            day, month = int(groups["d"]), int(groups["dm"] or groups["dm2"])

            def day_of(y: int, inferred: bool) -> _Period:
                d = date(y, month, day)
                return _Period(d, d, "day", inferred)

            printed_text = groups["dy"] or groups["dy2"]
            if printed_text in ("sau", "toi"):  # "25/01 năm sau": the year after the issue year
                if issued_on is None:
                    return _Period(None, None, "day", True)
                return day_of(issued_on.year + 1, True)
            printed_year = _read_year(printed_text)
            return day_of(printed_year, False) if printed_year else infer(day_of)
        y = int(groups["y"])
        return _Period(date(y, 1, 1), end_of_year(y), "year")
    except ValueError:  # 31/2, month 13 …: not a date after all
        return None


def _month_day(point: str) -> tuple[int, int] | None:
    m = _POINT_READER.search(point)
    if m is None or not m.group("d"):
        return None
    return int(m.group("dm") or m.group("dm2")), int(m.group("d"))


# ---------------------------------------------------------------------------
# The phrases, as one alternation scanned once; each alternative is named after its reading.

_HOUR = r"(?:(?P<{p}_hour>[01]?\d|2[0-3])\s*(?:gio|h|:)\s*(?P<{p}_min>[0-5]\d)?\s*(?:phut)?\s*,?\s*)"
_DAY_MONTH = (
    r"(?:ngay\s*)?(?<!\d)(?:0?[1-9]|[12]\d|3[01])\s*"
    r"(?:[/.-]\s*(?:0?[1-9]|1[0-2])|\s+thang\s+(?:0?[1-9]|1[0-2]))(?!\d)(?!\s*[/.-]\s*\d)(?!\s*,?\s*nam\s+\d)"
    r"(?:\s+nam\s+sau)?"
)
_YEARLY_DATE = rf"(?:(?:truoc|cham\s+nhat|vao|den|ngay)\s+)?{_DAY_MONTH}"
_MONTHLY_DAY = r"(?:(?:truoc|cham\s+nhat|vao)\s+)?ngay\s+(?:0?[1-9]|[12]\d|3[01])(?![\d/.-])"
_PERIOD = (
    r"(?:dinh\s+ky\s+(?:(?:hang|moi)\s+)?(?:(?:6|06|sau)\s+thang|nua\s+nam|quy|thang|nam|tuan)"
    r"|(?:hang|moi)\s+(?:nam|quy|thang|tuan)"
    r"|(?:6|06|sau)\s+thang\s+mot\s+lan)(?:\s+mot\s+lan)?(?![a-z])"
)
_SEPARATOR = r"[\s,()]*(?:(?:va|hoac)[\s(]+)?"
_ANCHOR = rf"(?:{_YEARLY_DATE}|{_MONTHLY_DAY})"
_CLAUSE_TAIL = r"[^,;.()\n]"

_ALTERNATIVES = [
    # "hằng năm, trước ngày 10/12"; "trước ngày 15/5 và 15/11 hằng năm"; "định kỳ hằng quý"
    ("recurring", rf"(?:{_ANCHOR}{_SEPARATOR})*{_PERIOD}(?:{_SEPARATOR}(?:{_PERIOD}|{_ANCHOR}))*"),
    # "trong thời hạn 07 ngày làm việc kể từ ngày ban hành Thông báo này"
    (
        "relative",
        r"(?:(?:trong\s+(?:thoi\s+han|vong|khoang|thoi\s+gian)|trong|sau|cham\s+nhat(?:\s+(?:la|sau))?"
        r"|khong\s+qua|truoc)\s+)?(?P<relative_n>\d{1,3})\s*(?P<relative_unit>ngay|tuan|thang)(?![a-z])"
        r"(?P<relative_working>\s+lam\s+viec)?(?!\s+(?:dau|cuoi)(?![a-z]))"
        r"(?:\s*,?\s*(?:ke\s+)?tu\s+(?:ngay|khi|thoi\s+diem|luc)\s+(?P<relative_event>"
        + _CLAUSE_TAIL
        + r"{1,80}))?",
    ),
    # "(thực hiện) từ ngày 01/12 đến ngày 20/12/2024"
    (
        "window",
        (
            rf"(?:(?:thuc\s+hien|trien\s+khai|to\s+chuc)\s+)?(?:trong\s+)?(?:(?:khoang\s+)?thoi\s+gian\s+)?"
            rf"tu\s+(?P<window_from>{_P})\s*(?:den|toi|-|–)\s*(?:het\s+)?(?P<window_to>{_P})"
        ),
    ),
    # "từ nay đến hết ngày 30/6/2024"
    ("until_now", rf"tu\s+(?:nay|bay\s+gio)\s+(?:den|toi)\s+(?:(?:het|cuoi)\s+)?(?P<until_now_p>{_P})"),
    # "chậm nhất ngày 30/6/2024", "chậm nhất hoàn thành trong tháng 5/2023"
    (
        "at_latest",
        r"(?:(?:hoan\s+thanh|xong)\s+)?cham\s+nhat\s+(?:la\s+)?(?:(?:hoan\s+thanh|xong|gui|nop)\s+)?"
        r"(?:(?P<at_latest_word>vao|trong|truoc|den)\s+)?(?:(?:het|cuoi)\s+)?"
        + _HOUR.format(p="at_latest")
        + rf"?(?P<at_latest_p>{_P})",
    ),
    # "trước ngày 15/5/2023", "trước 16 giờ 00 ngày 09/8/2024"
    ("before", r"truoc\s+" + _HOUR.format(p="before") + rf"?(?P<before_p>{_P})"),
    # "Thời hạn: 30/6/2024", "thời gian hoàn thành: Quý III/2024"
    (
        "labelled",
        (
            r"(?:thoi\s+han|han\s+chot|thoi\s+gian\s+(?:hoan\s+thanh|thuc\s+hien)|han\s+(?:nop|gui))"
            r"(?:\s+(?:gui|nop|hoan\s+thanh|thuc\s+hien|bao\s+cao|ve))*\s*:?\s*(?:la\s+)?(?:(?:het|cuoi)\s+)?"
            rf"(?P<labelled_p>{_P})"
        ),
    ),
    # "hoàn thành năm 2025", "hoàn thành vào cuối tháng 6/2024"
    ("done", rf"(?:hoan\s+thanh|xong)\s+(?:vao\s+)?(?:(?:het|cuoi)\s+)?(?P<done_p>{_P})"),
    # "(hoàn thành) trong quý III/2024", "trình Chính phủ trong tháng 10 năm 2024"
    (
        "within",
        (
            r"(?:(?P<within_verb>hoan\s+thanh|xong|thuc\s+hien|trien\s+khai|to\s+chuc|trinh|ban\s+hanh|gui)\s+)?"
            rf"(?P<within_core>(?:trong\s+(?:(?:thoi\s+gian|khoang)\s+)?|vao\s+(?=quy|thang|nam|(?:6|06|sau)\s+thang))"
            rf"(?P<within_p>{_P}))"
        ),
    ),
    # "năm 2024 và những năm tiếp theo"
    (
        "next_years",
        r"(?:tu\s+)?nam\s+(?P<next_years_y>\d{4})\s+va\s+(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|sau|ke\s+tiep)",
    ),
    # "đến ngày 31/12/2024", "đến hết năm 2025"; weak: also "tính đến ngày", "mục tiêu đến năm 2026"
    (
        "until",
        (
            r"(?:(?P<until_verb>hoan\s+thanh|xong|thuc\s+hien)\s+)?"
            rf"(?P<until_core>(?:den|toi)\s+(?P<until_end>(?:het|cuoi)\s+)?(?P<until_p>{_P}))"
        ),
    ),
    # "(thực hiện) từ tháng 4/2023", "kể từ ngày 01/7/2024"
    (
        "from",
        (
            r"(?P<from_verb>(?:thuc\s+hien|ap\s+dung|bat\s+dau|trien\s+khai)\s+)?"
            rf"(?P<from_core>(?:ke\s+)?tu\s+(?:dau\s+)?(?P<from_p>{_P}))(?!\s*(?:den|toi|-|–))"
        ),
    ),
    # "kể từ ngày ký", "kể từ ngày ban hành" with no count of days
    ("since_issue", r"(?:ke\s+)?tu\s+(?:ngay|khi)\s+(?:ky|ban\s+hanh)(?![a-z])"),
    # "(thực hiện) thường xuyên", "liên tục", "lâu dài"
    (
        "ongoing",
        (
            r"(?P<ongoing_verb>(?:thuc\s+hien|trien\s+khai|tien\s+hanh)\s+)?"
            r"(?:thuong\s+xuyen|lien\s+tuc|lau\s+dai|hang\s+ngay|tu\s+nay\s+ve\s+sau)"
            r"(?:\s*(?:,|va)\s*(?:thuong\s+xuyen|lien\s+tuc|lau\s+dai))?(?![a-z])"
        ),
    ),
    # "(thực hiện) khi có yêu cầu (của cấp trên)", "khi được yêu cầu", "theo yêu cầu"
    (
        "on_demand",
        r"(?:(?P<on_demand_verb>thuc\s+hien)\s+)?"
        r"(?:(?:dot\s+xuat\s+)?khi\s+(?:co|duoc|nhan\s+duoc)\s+yeu\s+cau|khi\s+cap\s+tren\s+yeu\s+cau"
        r"|theo\s+yeu\s+cau(?=\s*(?:[,;.)]|$|cua\s+cap)))"
        r"(?:\s+cua\s+(?:cap\s+tren|cap\s+co\s+tham\s+quyen|"
        + _CLAUSE_TAIL
        + r"{1,40}?(?=\s*(?:[,;.()\n]|$))))?",
    ),
    # "theo lộ trình quy định", "theo lộ trình của Ủy ban nhân dân tỉnh", "theo tiến độ được phê duyệt"
    (
        "per_roadmap",
        r"theo\s+(?P<per_roadmap_word>lo\s+trinh|tien\s+do)(?:" + _CLAUSE_TAIL + r"|\.(?=\S)){0,80}",
    ),
]
_BARE = ("bare", rf"(?:(?:vao|cuoi|het)\s+)?(?P<bare_p>{_P})")


def _compile(alternatives: list[tuple[str, str]]) -> re.Pattern[str]:
    body = "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives)
    return re.compile(rf"(?<![a-z0-9])(?:{body})")


_IN_PHRASE = _compile([*_ALTERNATIVES, _BARE])

# The words each phrase may begin with ("#" stands for a number); a task is only tried where
# such a word starts, with just the phrases that can begin there.
_FIRST_WORDS = {
    "recurring": "truoc cham vao den ngay dinh hang moi sau #",
    "relative": "trong sau cham khong truoc #",
    "window": "thuc trien to trong khoang thoi tu",
    "until_now": "tu",
    "at_latest": "hoan xong cham",
    "before": "truoc",
    "labelled": "thoi han",
    "done": "hoan xong",
    "within": "hoan xong thuc trien to trinh ban gui trong vao",
    "next_years": "tu nam",
    "until": "hoan xong thuc den toi",
    "from": "thuc ap bat trien ke tu",
    "since_issue": "ke tu",
    "ongoing": "thuc trien tien thuong lien lau hang tu",
    "on_demand": "thuc dot khi theo",
    "per_roadmap": "theo",
}
_BY_FIRST_WORD: dict[str, re.Pattern[str]] = {
    word: _compile([(name, pattern) for name, pattern in _ALTERNATIVES if word in _FIRST_WORDS[name].split()])
    for word in {w for words in _FIRST_WORDS.values() for w in words.split()}
}
_WORD = re.compile(r"[a-z]+|\d")

# A clause that counts data, states a target or names a period is not setting a deadline.
_NOT_A_DEADLINE_BEFORE = re.compile(
    r"so\s+lieu|tinh\s*$|tinh\s+(?:tu|den)|chot|muc\s+tieu|phan\s+dau|tam\s+nhin|dinh\s+huong"
    r"|giai\s+doan|nhiem\s+ky|ky\s+bao\s+cao|hieu\s+luc"
)
_PAST_AFTER = re.compile(r"[^;.()\n]{0,80}?(?<![a-z])da\s")
_EVENT_END = re.compile(r"\s(?:de|nham|dong\s+thoi|va\s+gui|gui\s+ve|bao\s+cao)\s")
_ISSUE_EVENT = re.compile(r"(?<![a-z])(?:ky|ban\s+hanh)(?![a-z])")
_RECEIPT_EVENT = re.compile(r"(?<![a-z])nhan(?![a-z])")
_PERIOD_WORD = re.compile(r"(?:6|06|sau)\s+thang|nua\s+nam|quy|thang|nam|tuan")
_YEARLY_DATE_READER = re.compile(_YEARLY_DATE)
_MONTHLY_DAY_READER = re.compile(r"ngay\s+(?P<day>\d{1,2})(?![\d/.-])")
_TRIM = " \t\r\n,;:-–"

_PERIOD_NAME = {"nam": "year", "quy": "quarter", "thang": "month", "tuan": "week"}


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: int
    start: int
    end: int
    kind: DeadlineKind
    due: date | None = None
    start_date: date | None = None
    recurrence: str | None = None
    due_time: str | None = None
    year_inferred: bool = False
    month_day: tuple[int, int] | None = None  # a day printed without its year


def _clause_before(folded: str, start: int) -> str:
    before = folded[max(0, start - 80) : start]
    cut = max(before.rfind(mark) for mark in ";.()\n")
    return before[cut + 1 :]


def _reads_as_not_a_deadline(folded: str, start: int) -> bool:
    return _NOT_A_DEADLINE_BEFORE.search(_clause_before(folded, start)) is not None


def _due_time(m: re.Match[str], prefix: str) -> str | None:
    hour = m.group(f"{prefix}_hour")
    if hour is None:
        return None
    return f"{int(hour):02d}:{m.group(f'{prefix}_min') or '00'}"


def _recurrence(region: str) -> str:
    yearly: list[str] = []
    for m in _YEARLY_DATE_READER.finditer(region):
        month_day = _month_day(m.group())
        if month_day:
            label = f"{month_day[0]:02d}-{month_day[1]:02d}"
            if label not in yearly:
                yearly.append(label)
    periods = []
    for p in re.finditer(_PERIOD, region):
        word = _PERIOD_WORD.search(p.group(), 7 if p.group().startswith("dinh") else 0)
        if word:
            w = word.group()
            periods.append("half-year" if w[0] in "60s" or w.startswith("nua") else _PERIOD_NAME[w])
    if yearly:
        return "yearly: " + ", ".join(yearly)
    if periods and periods[0] == "month":
        days = [f"{int(d.group('day')):02d}" for d in _MONTHLY_DAY_READER.finditer(region)]
        if days:
            return "monthly: " + ", ".join(days)
    return "period: " + (periods[0] if periods else "year")


def _candidate(m: re.Match[str], folded: str, issued_on: date | None) -> _Candidate | None:
    name = m.lastgroup
    start, end = m.span()
    kind = DeadlineKind

    if name == "recurring":
        region = m.group()
        has_dates = _YEARLY_DATE_READER.search(region) is not None
        score = 85 if has_dates else 45 if _recurrence(region) == "period: year" else 50
        return _Candidate(score, start, end, kind.RECURRING, recurrence=_recurrence(region))

    if name == "relative":
        count, unit, event = int(m.group("relative_n")), m.group("relative_unit"), m.group("relative_event")
        has_lead = m.start("relative_n") > start
        if not has_lead and event is None:
            return None
        due = None
        if event is not None:
            cut = _EVENT_END.search(event)
            if cut:
                end = m.start("relative_event") + cut.start()
                event = event[: cut.start()]
            if issued_on and _ISSUE_EVENT.search(event) and not _RECEIPT_EVENT.search(event):
                if m.group("relative_working") and unit == "ngay":
                    due = add_working_days(issued_on, count)
                elif unit == "ngay":
                    due = issued_on + timedelta(days=count)
                elif unit == "tuan":
                    due = issued_on + timedelta(weeks=count)
                else:
                    due = add_months(issued_on, count)
        return _Candidate(80, start, end, kind.RELATIVE, due=due)

    if name == "window":
        if _reads_as_not_a_deadline(folded, start):
            return None
        last = _read_point(m.group("window_to"), issued_on)
        if last is None or last.last is None:
            return None
        first = _read_point(m.group("window_from"), issued_on, year=None)
        if first is not None and first.year_inferred:
            first = _read_point(m.group("window_from"), issued_on, year=last.last.year)
            if first and first.first and first.first > last.last:
                first = _read_point(m.group("window_from"), issued_on, year=last.last.year - 1)
        if first is None or first.first is None:
            return None
        both_years = first.unit == "year" and last.unit == "year"
        return _Candidate(
            50 if both_years else 80,
            start,
            end,
            kind.BY_DATE,
            due=last.last,
            start_date=first.first,
            year_inferred=last.year_inferred,
        )

    if name in ("until_now", "labelled", "done", "within", "at_latest", "before", "until", "bare"):
        period = _read_point(m.group(f"{name}_p"), issued_on)
        if period is None:
            return None
        due_time = _due_time(m, name) if name in ("at_latest", "before") else None
        due = period.last
        before = name == "before" or (name == "at_latest" and m.group("at_latest_word") == "truoc")
        if before and due_time is None and period.first is not None:
            due = period.first - timedelta(days=1)
        score = 70 if period.year_inferred else 80
        if name == "done":
            score -= 10
        elif name == "within":
            verb = m.group("within_verb") or ""
            if not verb.startswith(("hoan", "xong")):
                start = m.start("within_core")
            if period.unit == "year":
                if not verb and due is not None and issued_on is not None and due < issued_on:
                    return None  # "kết quả trong năm 2023" in a 2024 document: a period looked back on
                score = 65 if verb else 45
        elif name == "until":
            if _reads_as_not_a_deadline(folded, start) or _PAST_AFTER.match(folded, end):
                return None
            if due is not None and issued_on is not None and due < issued_on:
                return None
            start = m.start("until_core")
            score = 60 if m.group("until_end") or period.unit == "day" else 55
            if period.unit == "year" and not m.group("until_end"):
                score = 45 if m.group("until_verb") else 25
        elif name == "bare":
            if _reads_as_not_a_deadline(folded, start):
                return None
            score = 20
        month_day = _month_day(m.group(f"{name}_p")) if period.year_inferred else None
        return _Candidate(
            score,
            start,
            end,
            kind.BY_DATE,
            due=due,
            due_time=due_time,
            year_inferred=period.year_inferred,
            month_day=month_day,
        )

    if name == "next_years":
        year = int(m.group("next_years_y"))
        return _Candidate(60, start, end, kind.FROM_DATE, start_date=date(year, 1, 1))

    if name == "from":
        if _reads_as_not_a_deadline(folded, m.start("from_core")):
            return None
        period = _read_point(m.group("from_p"), issued_on)
        if period is None:
            return None
        return _Candidate(
            55 if m.group("from_verb") else 50,
            m.start("from_core"),
            end,
            kind.FROM_DATE,
            start_date=period.first,
            year_inferred=period.year_inferred,
        )

    if name == "since_issue":
        return _Candidate(30, start, end, kind.FROM_DATE, start_date=issued_on)

    if name == "ongoing":
        return _Candidate(45 if m.group("ongoing_verb") else 35, start, end, kind.ONGOING)

    if name == "on_demand":
        return _Candidate(45, start, end, kind.ON_DEMAND)

    if name == "per_roadmap":
        return _Candidate(
            50 if m.group("per_roadmap_word") == "lo trinh" else 40, start, end, kind.PER_ROADMAP
        )
    return None


def _in_own_parentheses(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of "( … )" around [start, end) when it holds nothing much besides the phrase."""
    opening = text.rfind("(", max(0, start - 30), start)
    if opening < 0 or ")" in text[opening:start]:
        return None
    closing = text.find(")", end, end + 4)
    if closing < 0 or "(" in text[end:closing]:
        return None
    lead_in = text[opening + 1 : start]
    if len(lead_in.strip()) > 25 or "," in lead_in or text[end:closing].strip():
        return None
    return opening, closing + 1


# Same-length ASCII stand-ins, so the fast fold below keeps every position.
def _folded(text: str, folded: str | None = None) -> tuple[str, list[int] | None]:
    """Folded text (given, or made here) and, when folding changed its length, the original position of
    each folded char."""
    folded = fold(text) if folded is None else folded
    if len(folded) == len(text):
        return folded, None
    chars: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        for c in fold(char):
            chars.append(c)
            positions.append(i)
    return "".join(chars), positions


# Words every phrase of a task contains, and how many words before them the phrase may start
# ("thực hiện thường xuyên", "15/5 và 15/11 hằng năm"); scanning only there keeps a task in µs.
_TRIGGERS = (
    ("truoc", 0),
    ("cham nhat", 2),
    ("trong", 2),
    ("den", 2),
    ("toi", 2),
    ("vao", 2),
    ("tu", 2),
    ("hoan thanh", 0),
    ("xong", 0),
    ("thoi han", 0),
    ("thoi gian", 0),
    ("han chot", 0),
    ("han nop", 0),
    ("han gui", 0),
    ("dinh ky", 0),
    ("hang", 4),
    ("moi", 4),
    ("thuong xuyen", 2),
    ("lien tuc", 2),
    ("lau dai", 2),
    ("yeu cau", 4),
    ("dot xuat", 2),
    ("lo trinh", 1),
    ("tien do", 1),
    ("ke tu", 5),
    ("lam viec", 2),
    ("sau", 0),
    ("khong qua", 0),
    ("nhung nam", 3),
    ("cac nam", 3),
)


def _phrase_starts(folded: str) -> list[int]:
    starts: set[int] = set()
    for word, words_before in _TRIGGERS:
        i = folded.find(word)
        while i >= 0:
            if i == 0 or not folded[i - 1].isalnum():
                starts.add(i)
                j = i
                for _ in range(words_before):
                    if j <= 1:
                        break
                    j = folded.rfind(" ", 0, j - 1) + 1
                    while j < i and not folded[j].isalnum():
                        j += 1
                    starts.add(j)
            i = folded.find(word, i + len(word))
    return sorted(starts)


def _matches_in_task(folded: str) -> list[re.Match[str]]:
    matches = []
    end = 0
    for start in _phrase_starts(folded):
        if start < end:
            continue
        word = _WORD.match(folded, start)
        pattern = (
            _BY_FIRST_WORD.get("#" if word and word.group().isdigit() else word.group()) if word else None
        )
        m = pattern.match(folded, start) if pattern else None
        if m is not None:
            matches.append(m)
            end = m.end()
    return matches


def _scan(
    text: str, issued_on: date | None, offset: int, *, whole_phrase: bool, folded: str | None = None
) -> Deadline:
    folded, positions = _folded(text, folded)
    matches = _IN_PHRASE.finditer(folded) if whole_phrase else _matches_in_task(folded)
    best: _Candidate | None = None
    yearly_task = False
    for m in matches:
        candidate = _candidate(m, folded, issued_on)
        if candidate is None:
            continue
        if candidate.recurrence == "period: year":
            yearly_task = True
        start, end = candidate.start, candidate.end
        while end > start and folded[end - 1] in _TRIM:
            end -= 1
        score = candidate.score
        if candidate.kind is DeadlineKind.RECURRING:
            # "(trước ngày 10/6) và hằng năm (trước ngày 10/12)": keep the closing bracket.
            opened = folded.count("(", start, end) - folded.count(")", start, end)
            if opened > 0 and folded[end : end + 1] == ")":
                end += 1
        enclosing = _in_own_parentheses(folded, start, end)
        if enclosing:
            score += 30
            start, end = enclosing[0] + 1, enclosing[1] - 1
        if not folded[end:].strip(" \t\r\n.;)"):
            score += 5
        if best is None or score >= best.score:
            best = replace(candidate, score=score, start=start, end=end)
    if best is None:
        return Deadline(kind=DeadlineKind.NONE)
    if yearly_task and best.kind is DeadlineKind.BY_DATE and best.month_day:
        # "Hằng năm, … báo cáo … trước ngày 10/12": a yearless date in a yearly task recurs.
        month, day = best.month_day
        best = replace(
            best,
            kind=DeadlineKind.RECURRING,
            due=None,
            recurrence=f"yearly: {month:02d}-{day:02d}",
            year_inferred=False,
        )
    start, end = best.start, best.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if positions is not None:
        start, end = positions[start], positions[end - 1] + 1
    return Deadline(
        kind=best.kind,
        due=best.due,
        start=best.start_date,
        text=text[start:end],
        span=Span(start + offset, end + offset),
        recurrence=best.recurrence,
        due_time=best.due_time,
        year_inferred=best.year_inferred,
    )


def parse_deadline(phrase: str, *, issued_on: date | None = None) -> Deadline:
    """Read a phrase that is all deadline: "Quý III/2024", "Trước ngày 15/5 và 15/11 hằng năm",
    "Thường xuyên".

    Dates without a year take the issue year (the next one if the date has passed by then).
    Returns a Deadline of kind NONE when the phrase sets no deadline.
    """
    return _scan(phrase, issued_on, 0, whole_phrase=True)


def find_deadline(
    text: str, *, issued_on: date | None = None, offset: int = 0, folded: str | None = None
) -> Deadline:
    """The deadline a task's text sets, ignoring cited documents' dates, data cut-offs and targets.

    `offset` is the task text's position in the document; the span is shifted by it. `folded` is
    fold(text), if the caller has it already.
    """
    return _scan(text, issued_on, offset, whole_phrase=False, folded=folded)
