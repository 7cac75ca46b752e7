"""Directives, their tasks, assignments and progress reports, written as rows in streamed batches (`rows.py`:
COPY on PostgreSQL, a batch of directives at a time, never the whole run in memory, without change history).

A directive is planned as an issuer, a day and the number of assignments it fans out to; its tasks take their
kinds of deadline from a mix, each task goes to part of the directive's addressees, and each assignment gets
the reports offices send: on time, late, returned then sent again, only drafted, or none. A minority of bodies
is late most of the time (`Shape.late_share`), so that they produce most of the overdue work, as in life.
`Tally` counts what was written (statuses on `today` included) without asking the database.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.utils import timezone

from dondoc.demo.generation.rows import RowWriter, follow_sequences, next_ids
from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.directives.status import assignment_status
from dondoc.parsing.model import DeadlineKind
from dondoc.periods import DEFAULT_SCHEDULE
from dondoc.text import fold

# The kinds of deadline of the tasks annotated in /work/shared/corpus/real (37 documents, 32 tasks) and
# /work/shared/corpus/dev (14 documents, 83 tasks), counted once (issue 16): the real mix of 115 tasks.
DEADLINE_KIND_MIX: Mapping[DeadlineKind, int] = {
    DeadlineKind.BY_DATE: 43,
    DeadlineKind.NONE: 23,
    DeadlineKind.RECURRING: 15,
    DeadlineKind.ONGOING: 13,
    DeadlineKind.PER_ROADMAP: 10,
    DeadlineKind.ON_DEMAND: 5,
    DeadlineKind.FROM_DATE: 3,
    DeadlineKind.RELATIVE: 3,
}
FLUSH_EVERY = 20_000  # assignments held in memory before they are written
# kinds followed period by period (Nghị định 09's quarters); the others without an end: now and then
PERIODIC = frozenset(
    {DeadlineKind.ONGOING, DeadlineKind.RECURRING, DeadlineKind.PER_ROADMAP, DeadlineKind.FROM_DATE}
)


@dataclass(frozen=True, slots=True)
class Shape:
    """What the directives look like: tasks per directive, the mix of deadline kinds, how far a dated
    deadline lies after the issue, the share of bodies late most of the time and of lead assignments."""

    tasks: tuple[int, int] = (3, 12)
    deadline_kinds: Mapping[DeadlineKind, int] = field(default_factory=lambda: dict(DEADLINE_KIND_MIX))
    deadline_days: tuple[int, int] = (15, 400)
    late_share: float = 0.12
    lead_share: float = 0.8


@dataclass(frozen=True, slots=True)
class Issuer:
    """A body that issues directives: its name as printed, how it numbers them (Party form `12-CV/TU`, State
    form `1234/UBND-VP` or `12/KH-UBND`), the types it issues and the bodies it assigns tasks to."""

    organization_id: int
    text: str
    symbol: str
    party: bool
    types: tuple[str, ...]
    pool: Sequence[int]

    def number(self, serial: int, type_code: str) -> str:
        if self.party:
            return f"{serial}-{type_code}/{self.symbol}"
        return f"{serial}/{self.symbol}-VP" if type_code == "CV" else f"{serial}/{type_code}-{self.symbol}"


@dataclass(frozen=True, slots=True)
class Planned:
    """A directive to write: who issues it, when, and how many assignments it fans out to."""

    issuer: Issuer
    issued_on: date
    assignments: int


@dataclass
class Tally:
    """What the generator wrote so far, known without asking the database."""

    directives: int = 0
    tasks: int = 0
    assignments: int = 0
    open: int = 0  # a deadline and no confirmed report: what reminders are about
    reports: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # on today, by status.assignment_status
    deadline_kinds: Counter[str] = field(default_factory=Counter)  # tasks by kind of deadline
    reported_now: int = 0  # without an end date, and reported for the period covering today


class DirectiveRow(NamedTuple):
    id: int
    issuer_text: str
    issuer_id: int
    number: str
    type_code: str
    issued_on: date
    subject: str
    source_text: str
    duplicate_key: str
    search_text: str
    state: str
    published_at: datetime


class TaskRow(NamedTuple):
    id: int
    directive_id: int
    position: int
    label: str
    text: str
    deadline_kind: str
    due: date | None
    start: date | None
    deadline_text: str
    search_text: str


class AssignmentRow(NamedTuple):
    id: int
    task_id: int
    organization_id: int
    role: str
    due: date | None


class ReportRow(NamedTuple):
    id: int
    assignment_id: int
    text: str
    percent: int
    reports_done: bool
    state: str
    sent_on: date | None
    confirmed_on: date | None
    period_start: date | None = None
    period_end: date | None = None


TABLES = (Directive, Task, Assignment, ProgressReport)


@dataclass
class _Batch:
    directives: list[DirectiveRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    reports: list[ReportRow] = field(default_factory=list)

    def save(self, writers: Sequence[RowWriter]) -> None:
        # parents first: the rows name their parents by the keys the generator gave them
        directives, tasks, assignments, reports = writers
        directives.write(self.directives)
        tasks.write(self.tasks)
        assignments.write(self.assignments)
        reports.write(self.reports)


SUBJECTS = (
    "về tăng cường công tác kiểm tra, giám sát",
    "về thực hiện Nghị quyết số 18-NQ/TW",
    "về công tác cán bộ nhiệm kỳ 2025 - 2030",
    "về chuyển đổi số trong cơ quan Đảng",
    "về phòng, chống tham nhũng, tiêu cực",
    "về sắp xếp tổ chức bộ máy tinh gọn",
    "về thực hiện Kết luận số 50-KL/TW của Bộ Chính trị",
    "về tổ chức đại hội đảng bộ các cấp",
    "về công tác phòng, chống thiên tai",
    "về tinh giản biên chế giai đoạn 2022 - 2026",
)
TASK_TEXTS = (
    "Quán triệt, triển khai văn bản đến cán bộ, đảng viên",
    "Xây dựng kế hoạch thực hiện và báo cáo kết quả",
    "Rà soát, kiện toàn tổ chức bộ máy, biên chế",
    "Tổ chức sơ kết, đánh giá kết quả thực hiện",
    "Chỉ đạo các cơ quan, đơn vị trực thuộc thực hiện",
    "Tăng cường kiểm tra, giám sát việc thực hiện",
    "Tuyên truyền, phổ biến sâu rộng trong cán bộ và nhân dân",
    "Báo cáo kết quả thực hiện về Ban Thường vụ",
)
REPORT_TEXTS = (
    "Đã quán triệt đến 100% cán bộ, đảng viên",
    "Đang xây dựng kế hoạch, dự kiến ban hành trong tháng",
    "Đã hoàn thành, gửi kèm báo cáo kết quả",
    "Đã triển khai thực hiện theo kế hoạch",
)
_DEADLINE_TEXTS = {
    DeadlineKind.ONGOING: "thường xuyên",
    DeadlineKind.RECURRING: "định kỳ hằng quý",
    DeadlineKind.ON_DEMAND: "khi có yêu cầu",
    DeadlineKind.PER_ROADMAP: "theo lộ trình",
    DeadlineKind.NONE: "",
}


class WorkGenerator:
    """Writes planned directives with their tasks, assignments and reports; the same seed and plans give the
    same rows on every backend."""

    def __init__(self, *, today: date, rng: random.Random, shape: Shape) -> None:
        self.today = today
        self.random = rng
        self.shape = shape
        self.current_period = DEFAULT_SCHEDULE.period_on(today)
        self.tally = Tally()
        self._kinds = list(shape.deadline_kinds)
        self._kind_weights = list(shape.deadline_kinds.values())
        self._late: dict[int, bool] = {}
        self._serials: Counter[tuple[int, int]] = Counter()
        # each table's next key, counted from its highest when `write` starts
        self._directive_ids: Iterator[int]
        self._task_ids: Iterator[int]
        self._assignment_ids: Iterator[int]
        self._report_ids: Iterator[int]

    def late_prone(self, organization_id: int) -> bool:
        """Whether the body is one of the few late most of the time, drawn once per body when first seen."""
        late = self._late.get(organization_id)
        if late is None:
            late = self._late[organization_id] = self.random.random() < self.shape.late_share
        return late

    def write(self, plans: Iterable[Planned], *, until: Callable[[Tally], bool] | None = None) -> None:
        """Write the planned directives in batches, until the plans run out or `until(tally)` holds (the last
        directive then cut short so that it holds exactly)."""
        # the tables may hold rows written through the models since the last call (the 2025 mergers')
        self._directive_ids, self._task_ids, self._assignment_ids, self._report_ids = map(
            itertools.count, next_ids(*TABLES)
        )
        writers = [
            RowWriter(Directive, DirectiveRow._fields),
            RowWriter(Task, TaskRow._fields),
            RowWriter(Assignment, AssignmentRow._fields),
            RowWriter(ProgressReport, ReportRow._fields),
        ]
        batch = _Batch()
        for plan in plans:
            if until is not None and until(self.tally):
                break
            self._directive(batch, plan, until)
            if len(batch.assignments) >= FLUSH_EVERY:
                batch.save(writers)
                batch = _Batch()
        batch.save(writers)
        follow_sequences(*TABLES)

    def _directive(self, batch: _Batch, plan: Planned, until: Callable[[Tally], bool] | None) -> None:
        rng, issuer, issued_on = self.random, plan.issuer, plan.issued_on
        type_code = rng.choice(issuer.types)
        self._serials[(issuer.organization_id, issued_on.year)] += 1
        number = issuer.number(self._serials[(issuer.organization_id, issued_on.year)], type_code)
        subject = rng.choice(SUBJECTS)
        directive = DirectiveRow(
            id=next(self._directive_ids),
            issuer_text=issuer.text,
            issuer_id=issuer.organization_id,
            number=number,
            type_code=type_code,
            issued_on=issued_on,
            subject=subject,
            source_text=f"{issuer.text}\nSố: {number}\n{subject}",
            # as directives.services.drafts keys a directive: issuer, number and year
            duplicate_key=f"{fold(issuer.text)}|{fold(number)}|{issued_on.year}",
            search_text=fold(f"{number} {type_code} {issuer.text} {subject}"),
            state=DirectiveState.PUBLISHED.value,
            published_at=timezone.make_aware(datetime.combine(issued_on, time(8))),
        )
        batch.directives.append(directive)
        self.tally.directives += 1
        total = plan.assignments
        pool = issuer.pool
        tasks = min(total, max(rng.randint(*self.shape.tasks), math.ceil(total / len(pool))))
        # the directive's addressees, each task going to part of them; never the issuer itself
        reach = min(len(pool), math.ceil(1.5 * total / tasks))
        drawn = rng.sample(pool, min(len(pool), reach + 1))
        addressees = [body for body in drawn if body != issuer.organization_id][:reach]
        tasks = max(tasks, math.ceil(total / len(addressees)))
        for position, count in enumerate(_split_exactly(rng, total, tasks, len(addressees)), start=1):
            task = self._task(directive, position)
            batch.tasks.append(task)
            for organization_id in rng.sample(addressees, count):
                if until is not None and until(self.tally):
                    return
                self._assignment(batch, task, organization_id, issued_on)

    def _task(self, directive: DirectiveRow, position: int) -> TaskRow:
        rng, issued_on = self.random, directive.issued_on
        kind = rng.choices(self._kinds, self._kind_weights)[0]
        due = start = None
        if kind == DeadlineKind.BY_DATE:
            due = issued_on + timedelta(days=rng.randint(*self.shape.deadline_days))
            deadline_text = f"trước ngày {due:%d/%m/%Y}"
        elif kind == DeadlineKind.RELATIVE:
            days = rng.choice((7, 10, 15, 30))
            due = issued_on + timedelta(days=days)
            deadline_text = f"trong {days} ngày kể từ ngày ban hành"
        elif kind == DeadlineKind.FROM_DATE:
            start = issued_on + timedelta(days=rng.randint(0, 90))
            deadline_text = f"thực hiện từ tháng {start.month}/{start.year}"
        else:
            deadline_text = _DEADLINE_TEXTS[kind]
        text = rng.choice(TASK_TEXTS)
        self.tally.tasks += 1
        self.tally.deadline_kinds[kind.value] += 1
        return TaskRow(
            id=next(self._task_ids),
            directive_id=directive.id,
            position=position,
            label=str(position),
            text=text,
            deadline_kind=kind.value,
            due=due,
            start=start,
            deadline_text=deadline_text,
            search_text=fold(text),
        )

    def _assignment(self, batch: _Batch, task: TaskRow, organization_id: int, issued_on: date) -> None:
        rng = self.random
        assignment = AssignmentRow(
            id=next(self._assignment_ids),
            task_id=task.id,
            organization_id=organization_id,
            # plain values: the rows are written as they are (rows.py)
            role=(
                AssignmentRole.LEAD if rng.random() < self.shape.lead_share else AssignmentRole.COORDINATING
            ).value,
            due=task.due,
        )
        batch.assignments.append(assignment)
        late = self.late_prone(organization_id)
        kind = DeadlineKind(task.deadline_kind)
        if task.due is not None:
            reports = self._reports(assignment, issued_on, task.due, late)
        elif kind in PERIODIC:
            reports = self._period_reports(assignment, task.start or issued_on, late)
        else:
            reports = self._occasional_reports(assignment, issued_on, late)
        batch.reports.extend(reports)
        self._count(task.deadline_kind, task.due, reports)

    def _reports(self, assignment: AssignmentRow, issued_on: date, due: date, late: bool) -> list[ReportRow]:
        """The reports on an assignment with a deadline, as offices send them: a body late most of the time
        leaves most of its past deadlines unconfirmed or confirms them late."""
        rng, today = self.random, self.today
        draw = rng.random()
        if due < today:
            on_time, done_late, sent_only = (0.15, 0.45, 0.65) if late else (0.85, 0.97, 0.985)
        else:
            on_time, done_late, sent_only = (0.03, 0.03, 0.2) if late else (0.12, 0.12, 0.45)
        reports = []
        if draw < done_late:
            if draw < on_time:
                sent = min(today, max(issued_on, due - timedelta(days=rng.randint(0, 20))))
            else:
                sent = min(today, due + timedelta(days=rng.randint(1, 60)))
            if sent > issued_on and rng.random() < 0.3:
                interim = issued_on + timedelta(days=rng.randint(0, (sent - issued_on).days - 1))
                state = ReportState.RETURNED if rng.random() < 0.35 else ReportState.SENT
                reports.append(self._report(assignment, state, interim, percent=rng.randint(30, 70)))
            confirmed = min(today, sent + timedelta(days=rng.randint(1, 7)))
            reports.append(self._report(assignment, ReportState.CONFIRMED, sent, confirmed=confirmed))
        elif draw < sent_only:
            sent = issued_on + timedelta(days=rng.randint(0, (today - issued_on).days))
            reports.append(self._report(assignment, ReportState.SENT, sent, percent=rng.randint(20, 90)))
        elif rng.random() < 0.1:
            reports.append(self._report(assignment, ReportState.DRAFT, None, percent=10))
        return reports

    def _period_reports(self, assignment: AssignmentRow, first: date, late: bool) -> list[ReportRow]:
        """The reports on a task followed quarter by quarter: most periods reported around their submission
        deadline (fewer by a late body), a few confirmed; a period not yet due now and then reported early."""
        rng, today = self.random, self.today
        reported = 0.3 if late else 0.7
        reports = []
        for period in DEFAULT_SCHEDULE.periods_between(min(first, today), today):
            if period.deadline <= today and rng.random() < reported:
                sent = min(today, period.deadline + timedelta(days=rng.randint(-5, 30 if late else 10)))
            elif period.deadline > today and rng.random() < 0.2:
                sent = today
            else:
                continue
            confirmed = rng.random() < 0.3
            report = self._report(
                assignment,
                ReportState.CONFIRMED if confirmed else ReportState.SENT,
                sent,
                confirmed=min(today, sent + timedelta(days=3)) if confirmed else None,
                percent=rng.randint(30, 90),
                period=(period.start, period.end),
            )
            reports.append(report)
        return reports

    def _occasional_reports(self, assignment: AssignmentRow, issued_on: date, late: bool) -> list[ReportRow]:
        """A task without an end followed only when asked: one report now and then, or a draft."""
        rng, today = self.random, self.today
        draw = rng.random()
        if draw < (0.2 if late else 0.5):
            sent = issued_on + timedelta(days=rng.randint(0, (today - issued_on).days))
            if rng.random() < 0.4:
                confirmed = min(today, sent + timedelta(days=rng.randint(1, 7)))
                return [self._report(assignment, ReportState.CONFIRMED, sent, confirmed=confirmed)]
            return [self._report(assignment, ReportState.SENT, sent, percent=rng.randint(20, 90))]
        if draw < 0.6:
            return [self._report(assignment, ReportState.DRAFT, None, percent=rng.randint(0, 50))]
        return []

    def _report(
        self,
        assignment: AssignmentRow,
        state: str,
        sent: date | None,
        *,
        confirmed: date | None = None,
        percent: int = 100,
        period: tuple[date, date] | tuple[None, None] = (None, None),
    ) -> ReportRow:
        return ReportRow(
            id=next(self._report_ids),
            assignment_id=assignment.id,
            text=self.random.choice(REPORT_TEXTS),
            percent=percent,
            reports_done=state == ReportState.CONFIRMED and percent == 100,
            state=str(state),
            sent_on=sent,
            confirmed_on=confirmed,
            period_start=period[0],
            period_end=period[1],
        )

    def _count(self, deadline_kind: str, due: date | None, reports: Sequence[ReportRow]) -> None:
        today = self.today
        shown = [
            r
            for r in reports
            if r.state in (ReportState.SENT, ReportState.CONFIRMED) and r.sent_on and r.sent_on <= today
        ]
        done = [
            r.sent_on
            for r in shown
            if r.state == ReportState.CONFIRMED and r.sent_on and r.confirmed_on and r.confirmed_on <= today
        ]
        status = assignment_status(
            deadline_kind=deadline_kind,
            due=due,
            today=today,
            started=bool(shown),
            done_on=min(done) if done else None,
        )
        self.tally.assignments += 1
        self.tally.reports += len(reports)
        self.tally.statuses[status.value] += 1
        if due is None and any(self._about_current_period(report) for report in shown):
            self.tally.reported_now += 1
        if due is not None and not any(r.state == ReportState.CONFIRMED for r in reports):
            self.tally.open += 1

    def _about_current_period(self, report: ReportRow) -> bool:
        """A report on exactly the period covering today, or sent during it without a period."""
        current = self.current_period
        if report.period_start is None:
            return report.sent_on is not None and current.start <= report.sent_on <= current.end
        return (report.period_start, report.period_end) == (current.start, current.end)


def _split_exactly(rng: random.Random, total: int, parts: int, cap: int) -> list[int]:
    """`total` in `parts` random shares of at most `cap` each (parts × cap ≥ total)."""
    weights = [rng.uniform(0.3, 1.0) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [min(cap, math.floor(weight * scale)) for weight in weights]
    index = 0
    while sum(shares) < total:
        if shares[index % parts] < cap:
            shares[index % parts] += 1
        index += 1
    return shares
