"""Reads: assignment statuses for lists, in a fixed number of queries whatever their length."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from dondoc import calendar
from dondoc.accounts.access import can_import, can_read_history, sees_drafts
from dondoc.accounts.models import Membership, Role
from dondoc.accounts.selectors import membership_of, visible_assignments
from dondoc.directives.models import (
    Assignment,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    DirectiveState,
    Notification,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.directives.status import WITHOUT_END, Status, assignment_status
from dondoc.parsing.model import DeadlineKind
from dondoc.registry.models import Jurisdiction, Organization, OrganizationAlias
from dondoc.text import collapse_spaces, fold


def assignment_statuses(*, assignments: QuerySet[Assignment], today: date) -> dict[int, Status]:
    """Each assignment's status on `today`, in two queries: started once a report was sent; done on the day the
    report the monitor confirmed was sent."""
    return {
        assignment_id: situation.status
        for assignment_id, situation in _situations(assignments, today)[0].items()
    }


def citing_number(*, number: str) -> QuerySet[Directive]:
    """The directives that cite a document, whether dondoc holds it or knows it only by its number."""
    return Directive.objects.filter(citations__folded_number=fold(number)).distinct()


def cited_by(*, directive: Directive) -> QuerySet[Directive]:
    """The directives citing this one (linked when either was imported)."""
    return Directive.objects.filter(citations__cited=directive).distinct()


# --- inbox, assignment page, reporting periods and notices (issue 4, steps 4–5) ---


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: the quarter, for tasks without an end date."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return _("Q%(quarter)d/%(year)d") % {
            "quarter": calendar.quarter_of(self.start),
            "year": self.start.year,
        }

    def covers(self, start: date | None, end: date | None) -> bool:
        return start is not None and end is not None and start <= self.end and end >= self.start


def reporting_period(*, on: date) -> Period:
    """The period a report on a task without an end date covers by default: the quarter holding `on`."""
    quarter = calendar.quarter_of(on)
    return Period(calendar.start_of_quarter(on.year, quarter), calendar.end_of_quarter(on.year, quarter))


def reports_by_period(deadline_kind: str) -> bool:
    """Tasks without an end (ongoing, on demand, per roadmap …) are reported on period by period."""
    return DeadlineKind(deadline_kind) in WITHOUT_END


# how far a period's report has come, to show the furthest one when there are several
_REPORT_RANK = {ReportState.RETURNED: 0, ReportState.DRAFT: 1, ReportState.SENT: 2, ReportState.CONFIRMED: 3}


@dataclass(frozen=True, slots=True)
class Situation:
    """What a list shows for one assignment: its computed status, the state of its latest report, and for a
    task without an end date the state of the current period's report (None: no report yet)."""

    status: Status
    last_report: str | None = None
    period: Period | None = None
    period_report: str | None = None

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def period_note(self) -> str:
        """ "no report yet for Q4/2026", "Q4/2026: sent" …; empty for a task with a deadline."""
        if self.period is None:
            return ""
        if self.period_report is None:
            return _("no report yet for %(period)s") % {"period": self.period.label}
        return _("%(period)s: %(state)s") % {
            "period": self.period.label,
            "state": report_state_label(self.period_report),
        }

    @property
    def last_report_label(self) -> str:
        return report_state_label(self.last_report) if self.last_report else ""


def report_state_label(state: str) -> str:
    """A report's state in a word, for lists ("drafted", "sent" …)."""
    labels = {
        ReportState.DRAFT: _("drafted"),
        ReportState.SENT: _("sent"),
        ReportState.RETURNED: _("returned"),
        ReportState.CONFIRMED: _("confirmed"),
    }
    return labels.get(ReportState(state), state)


def _situations(
    assignments: QuerySet[Assignment], today: date, *, drafts: bool = True
) -> tuple[dict[int, Situation], dict[int, date | None]]:
    """Situations and due dates in two queries: the reports are selected by a subquery, not a list of ids,
    which for thousands of assignments costs more to build than to run. An assignment is started once a report
    was sent, done on the day the report the monitor confirmed was sent."""
    rows = list(assignments.values_list("id", "due", "task__deadline_kind"))
    if not rows:
        return {}, {}
    period = reporting_period(on=today)
    last: dict[int, str] = {}
    in_period: dict[int, str] = {}
    started: set[int] = set()
    done_on: dict[int, date] = {}
    reports = ProgressReport.objects.filter(assignment_id__in=assignments.values("id"))
    if not drafts:
        reports = reports.exclude(state=ReportState.DRAFT)
    for assignment_id, state, start, end, sent_on, confirmed_on in reports.order_by("id").values_list(
        "assignment_id", "state", "period_start", "period_end", "sent_on", "confirmed_on"
    ):
        last[assignment_id] = state
        if state in (ReportState.SENT, ReportState.CONFIRMED) and sent_on is not None and sent_on <= today:
            started.add(assignment_id)
            if state == ReportState.CONFIRMED and confirmed_on is not None and confirmed_on <= today:
                done_on[assignment_id] = min(done_on.get(assignment_id, sent_on), sent_on)
        # a report sent without a period counts for the period it was sent in
        if period.covers(start, end) or (start is None and period.covers(sent_on, sent_on)):
            known = in_period.get(assignment_id)
            if known is None or _REPORT_RANK[ReportState(state)] >= _REPORT_RANK[ReportState(known)]:
                in_period[assignment_id] = state
    by_period = {kind: reports_by_period(kind) for kind in {row[2] for row in rows}}
    situations = {
        assignment_id: Situation(
            status=assignment_status(
                deadline_kind=kind,
                due=due,
                today=today,
                started=assignment_id in started,
                done_on=done_on.get(assignment_id),
            ),
            last_report=last.get(assignment_id),
            period=period if by_period[kind] else None,
            period_report=in_period.get(assignment_id) if by_period[kind] else None,
        )
        for assignment_id, due, kind in rows
    }
    return situations, {assignment_id: due for assignment_id, due, _kind in rows}


def assignment_situations(
    *, assignments: QuerySet[Assignment], today: date, drafts: bool = True
) -> dict[int, Situation]:
    """Each assignment's situation on `today`, in two queries whatever the number of assignments; `drafts`
    False for those outside the body, who do not see a report before its leader sends it."""
    return _situations(assignments, today, drafts=drafts)[0]


@dataclass(frozen=True, slots=True)
class InboxFilters:
    directive_id: int | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    role: str | None = None
    organization_id: int | None = None


# problems first: overdue, then open tasks by the nearest deadline, then tasks without one, then done ones
_URGENCY = {
    Status.OVERDUE: 0,
    Status.IN_PROGRESS: 1,
    Status.NOT_YET_DUE: 1,
    Status.NO_DEADLINE: 2,
    Status.DONE_LATE: 3,
    Status.DONE_ON_TIME: 3,
}


@dataclass(frozen=True, slots=True)
class Inbox:
    ids: list[int]  # the filtered assignments in the order shown
    situations: dict[int, Situation]


def filter_assignments(*, assignments: QuerySet[Assignment], filters: InboxFilters) -> QuerySet[Assignment]:
    """The stored filters (directive, deadline range, role, body); the status, computed, is filtered by callers."""
    if filters.directive_id is not None:
        assignments = assignments.filter(task__directive_id=filters.directive_id)
    if filters.due_from is not None:
        assignments = assignments.filter(due__gte=filters.due_from)
    if filters.due_to is not None:
        assignments = assignments.filter(due__lte=filters.due_to)
    if filters.role:
        assignments = assignments.filter(role=filters.role)
    if filters.organization_id is not None:
        assignments = assignments.filter(organization_id=filters.organization_id)
    return assignments


def inbox(
    *, assignments: QuerySet[Assignment], today: date, filters: InboxFilters, drafts: bool = True
) -> Inbox:
    """The assignments a user sees, filtered, problems first: overdue ones (the newest deadline first), open ones
    (the nearest deadline first), those without a deadline (no report for the period first), done ones (the
    newest first). Two queries whatever the number of assignments; the caller pages through `ids`."""
    situations, due = _situations(
        filter_assignments(assignments=assignments, filters=filters), today, drafts=drafts
    )

    def urgency(assignment_id: int) -> tuple[int, int, int]:
        situation, deadline = situations[assignment_id], due[assignment_id]
        rank = _URGENCY[situation.status]
        day = deadline.toordinal() if deadline else 0
        if situation.status == Status.NO_DEADLINE:
            day = 0 if situation.period_report is None else 1
        elif rank != 1:
            day = -day
        return rank, day, -assignment_id

    ids = sorted(
        (
            i
            for i, situation in situations.items()
            if not filters.status or situation.status == filters.status
        ),
        key=urgency,
    )
    return Inbox(ids, situations)


def inbox_page(*, ids: Sequence[int]) -> list[Assignment]:
    """One page of the inbox, in the order given, with what its rows show, in one query."""
    found = (
        Assignment.objects.filter(id__in=list(ids))
        .select_related("task__directive", "organization")
        .defer(
            "task__directive__source_text",
            "task__directive__parsed",
            "task__directive__search_text",
            "task__search_text",
        )
    )
    by_id = {assignment.pk: assignment for assignment in found}
    return [by_id[i] for i in ids if i in by_id]


def monitors_of(*, assignment: Assignment) -> list[int]:
    """The users who follow this assignment as monitors: those whose jurisdiction covers its body (or the body
    above it, or its directive's issuer), as accounts.selectors.visible_assignments lets them see it."""
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    places = (
        Assignment.objects.filter(pk=assignment.pk)
        .values_list(
            "organization__jurisdiction_id",
            "organization__parent__jurisdiction_id",
            "task__directive__issuer__jurisdiction_id",
        )
        .first()
        or ()
    )
    covering: set[int] = set()
    for place in places:
        territory: int | None = place
        while territory is not None and territory not in covering:
            covering.add(territory)
            territory = parents.get(territory)
    return list(
        Membership.objects.filter(role=Role.MONITOR, jurisdiction_id__in=covering)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def notifications_for(*, membership: Membership) -> QuerySet[Notification]:
    """A user's own notices and their body's, newest first."""
    addressed = Q(user_id=membership.user_id)
    if membership.organization_id is not None:
        addressed |= Q(organization_id=membership.organization_id)
    return (
        Notification.objects.filter(addressed)
        .select_related("directive", "assignment__task")
        .defer("directive__source_text", "directive__parsed", "directive__search_text")
    )


# --- what the REST API lists (issue 4, API) ---


def _assigned_directives(
    *, user: AbstractBaseUser | AnonymousUser, membership: Membership
) -> QuerySet[Directive]:
    """Published directives with an assignment the user sees (every one for an administrator), and drafts for
    those who import and review them (monitors and administrators)."""
    if membership.role == Role.ADMINISTRATOR:
        return Directive.objects.all()
    seen = Q(
        state=DirectiveState.PUBLISHED, id__in=visible_assignments(user=user).values("task__directive_id")
    )
    if can_import(membership):
        seen |= Q(state=DirectiveState.DRAFT)
    return Directive.objects.filter(seen)


def visible_reports(*, membership: Membership, assignments: QuerySet[Assignment]) -> QuerySet[ProgressReport]:
    """The progress reports on assignments the user sees; a draft stays inside its body (and the administrator's
    view) until its leader sends it."""
    reports = ProgressReport.objects.filter(assignment__in=assignments)
    return reports if sees_drafts(membership) else reports.exclude(state=ReportState.DRAFT)


# --- find: the directive list, the task × body page, search, the citation trail, the change log (issue 4) ---


def readable_directives(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Directive]:
    """What the directive pages and the API show: the directives assigning the user something they see (all of
    them for an administrator, drafts too for monitors), and, to anyone who reads directives, the published ones
    that assign nothing: documents held for reference, such as the central conclusion a provincial letter
    implements, so that the citation trail runs through them."""
    membership = membership_of(user)
    if membership is None or membership.role == Role.AUDITOR:
        return Directive.objects.none()
    reference = Q(state=DirectiveState.PUBLISHED) & ~Exists(
        Assignment.objects.filter(task__directive=OuterRef("pk"))
    )
    assigned = _assigned_directives(user=user, membership=membership)
    return Directive.objects.filter(Q(id__in=assigned.values("id")) | reference)


@dataclass(frozen=True, slots=True)
class DirectiveCounts:
    tasks: int = 0
    assignments: int = 0
    overdue: int = 0


def overdue_assignments(*, assignments: QuerySet[Assignment], today: date) -> QuerySet[Assignment]:
    """The assignments overdue on `today`, in SQL, by status.assignment_status's rule: a task with an end date,
    its deadline passed, and no report sent by then whose completion was confirmed by then."""
    done = ProgressReport.objects.filter(
        assignment_id=OuterRef("pk"),
        state=ReportState.CONFIRMED,
        sent_on__lte=today,
        confirmed_on__lte=today,
    )
    return assignments.filter(~Exists(done), due__lt=today).exclude(
        task__deadline_kind__in=[kind.value for kind in WITHOUT_END]
    )


def directive_counts(
    *, directive_ids: Sequence[int], assignments: QuerySet[Assignment], today: date
) -> dict[int, DirectiveCounts]:
    """Tasks, assignments the user sees and overdue ones, per directive: three queries for a whole page."""

    ids = list(directive_ids)
    tasks = dict(
        Task.objects.filter(directive_id__in=ids)
        .order_by()
        .values("directive_id")
        .annotate(n=Count("id"))
        .values_list("directive_id", "n")
    )
    seen = assignments.filter(task__directive_id__in=ids).order_by()
    total = dict(
        seen.values("task__directive_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("task__directive_id", "n")
    )
    overdue = dict(
        overdue_assignments(assignments=seen, today=today)
        .values("task__directive_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("task__directive_id", "n")
    )
    return {i: DirectiveCounts(tasks.get(i, 0), total.get(i, 0), overdue.get(i, 0)) for i in ids}


@dataclass(frozen=True, slots=True)
class GridCell:
    assignment_id: int
    role: str
    status: str


@dataclass(slots=True)
class GridRow:
    organization_id: int
    name: str
    sort_key: str
    cells: list[GridCell | None]


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True, slots=True)
class TaskSummary:
    task_id: int
    counts: list[StatusCount]  # every status, in the order of the Status enum, zeros included
    total: int


@dataclass(frozen=True, slots=True)
class TaskBodyGrid:
    rows: list[GridRow]  # one per body, by name; only those with a cell of the status asked for
    summaries: list[TaskSummary]  # one per task, in the order of the directive's tasks
    bodies: int  # bodies matching the body filter, before the status filter


def task_body_grid(
    *,
    task_ids: Sequence[int],
    assignments: QuerySet[Assignment],
    today: date,
    status: str = "",
    body: str = "",
) -> TaskBodyGrid:
    """A directive's assignments the user sees as a table: one row per body, one column per task (in the order
    of `task_ids`), each cell the role and the status on `today`. Three queries whatever the size."""
    column = {task_id: index for index, task_id in enumerate(task_ids)}
    seen = assignments.filter(task_id__in=list(task_ids))
    if body.strip():
        seen = seen.filter(organization__folded_name__contains=fold(body.strip()))
    statuses = assignment_statuses(assignments=seen, today=today)
    counters: list[Counter[Status]] = [Counter() for _ in task_ids]
    rows: dict[int, GridRow] = {}
    for assignment_id, task_id, organization_id, role, name, folded_name in seen.values_list(
        "id", "task_id", "organization_id", "role", "organization__name", "organization__folded_name"
    ):
        found = statuses.get(assignment_id)
        if found is None:  # created between the two reads
            continue
        row = rows.get(organization_id)
        if row is None:
            row = rows[organization_id] = GridRow(organization_id, name, folded_name, [None] * len(task_ids))
        row.cells[column[task_id]] = GridCell(assignment_id, role, found.value)
        counters[column[task_id]][found] += 1
    ordered = sorted(rows.values(), key=lambda row: (row.sort_key, row.organization_id))
    if status:
        ordered = [
            row for row in ordered if any(cell is not None and cell.status == status for cell in row.cells)
        ]
    summaries = [
        TaskSummary(task_id, [StatusCount(each, counter[each]) for each in Status], sum(counter.values()))
        for task_id, counter in zip(task_ids, counters, strict=True)
    ]
    return TaskBodyGrid(ordered, summaries, len(rows))


def search_directives(*, directives: QuerySet[Directive], query: str) -> QuerySet[Directive]:
    """Directives whose number, type, issuer or subject holds the query, ignoring case and diacritics."""
    return directives.filter(search_text__contains=fold(collapse_spaces(query)))


@dataclass(frozen=True, slots=True)
class TaskFilters:
    query: str = ""
    directive_id: int | None = None
    organization_id: int | None = None
    status: str = ""
    due_from: date | None = None
    due_to: date | None = None

    @property
    def narrows_assignments(self) -> bool:
        return bool(self.organization_id or self.status or self.due_from or self.due_to)

    @property
    def any(self) -> bool:
        return bool(self.query.strip() or self.directive_id or self.narrows_assignments)


@dataclass(frozen=True, slots=True)
class TaskHit:
    task_id: int
    counts: list[StatusCount]  # statuses of the matching assignments the user sees (non-zero ones)


@dataclass(frozen=True, slots=True)
class TaskResults:
    tasks: list[Any]  # Task, with its directive
    hits: dict[int, TaskHit]
    total: int


def search_tasks(
    *,
    directives: QuerySet[Directive],
    assignments: QuerySet[Assignment],
    filters: TaskFilters,
    today: date,
    limit: int = 50,
) -> TaskResults:
    """Tasks of the directives the user sees whose text holds the query (case and diacritics ignored); the body,
    status and deadline filters keep the tasks with a matching assignment the user sees (its deadline in force,
    extensions included). Each task comes with the statuses of those assignments. At most seven queries."""

    tasks = Task.objects.filter(directive__in=directives)
    if filters.query.strip():
        tasks = tasks.filter(search_text__contains=fold(collapse_spaces(filters.query)))
    if filters.directive_id:
        tasks = tasks.filter(directive_id=filters.directive_id)
    matching = assignments
    if filters.organization_id:
        matching = matching.filter(organization_id=filters.organization_id)
    if filters.due_from:
        matching = matching.filter(due__gte=filters.due_from)
    if filters.due_to:
        matching = matching.filter(due__lte=filters.due_to)
    if filters.narrows_assignments:
        tasks = tasks.filter(id__in=matching.values("task_id"))

    def statuses_of(selected: QuerySet[Assignment]) -> dict[int, Counter[Status]]:
        found = assignment_statuses(assignments=selected, today=today)
        by_task: dict[int, Counter[Status]] = {}
        for assignment_id, task_id in selected.values_list("id", "task_id"):
            if assignment_id in found:
                by_task.setdefault(task_id, Counter())[found[assignment_id]] += 1
        return by_task

    counted: dict[int, Counter[Status]] | None = None
    if filters.status:
        counted = statuses_of(matching.filter(task__in=tasks))
        tasks = Task.objects.filter(
            id__in=[t for t, counter in counted.items() if counter[Status(filters.status)]]
        )
    tasks = (
        tasks.select_related("directive")
        .defer("search_text", "directive__source_text", "directive__parsed", "directive__search_text")
        .order_by("-directive__issued_on", "-directive_id", "position")
    )
    total = tasks.count()
    page = list(tasks[:limit])
    if counted is None:
        counted = statuses_of(matching.filter(task_id__in=[task.pk for task in page]))
    hits = {
        task.pk: TaskHit(
            task.pk, [StatusCount(each, n) for each in Status if (n := counted.get(task.pk, Counter())[each])]
        )
        for task in page
    }
    return TaskResults(page, hits, total)


def search_bodies(*, query: str, territories: set[int] | None, on: date) -> QuerySet[Any]:
    """Bodies valid on `on` whose name or one of whose aliases holds the query (case and diacritics ignored),
    within the territories given (a body there or under a body there); `matched_alias` is the alias found."""

    folded = fold(collapse_spaces(query))
    aliases = OrganizationAlias.objects.filter(organization_id=OuterRef("pk"), folded__contains=folded)
    bodies = Organization.objects.as_of(on).filter(Q(folded_name__contains=folded) | Exists(aliases))
    if territories is not None:
        bodies = bodies.filter(
            Q(jurisdiction_id__in=territories) | Q(parent__jurisdiction_id__in=territories)
        )
    found: QuerySet[Any] = (
        bodies.annotate(matched_alias=Subquery(aliases.order_by("id").values("text")[:1]))
        .select_related("jurisdiction")
        .order_by("folded_name", "id")
    )
    return found


def held_by_number(*, number: str) -> QuerySet[Directive]:
    """The directives dondoc holds under a number (several when numbers repeat across issuers and terms)."""
    number = number.strip()
    return Directive.objects.filter(Q(number__iexact=number) | Q(duplicate_key__contains=f"|{fold(number)}|"))


def known_citation(*, number: str) -> Any:
    """How the citing documents describe a number (type, issuer, date), the most complete first; None if none."""

    return (
        Citation.objects.filter(folded_number=fold(number.strip()))
        .order_by(F("issued_on").desc(nulls_last=True), "-id")
        .first()
    )


# The kinds of recorded change the change log shows: URL name → model (each with simple_history's `history`)
def history_kinds() -> dict[str, Any]:

    return {
        "directive": Directive,
        "task": Task,
        "assignment": Assignment,
        "progressreport": ProgressReport,
        "deadlineextension": DeadlineExtension,
        "attachment": Attachment,
        "citation": Citation,
        "organization": Organization,
    }


# what a historical row needs to describe its object without a query per row
_HISTORY_RELATED: dict[str, tuple[str, ...]] = {
    "task": ("directive",),
    "assignment": ("task__directive", "organization"),
    "progressreport": ("assignment__task__directive", "assignment__organization"),
    "deadlineextension": ("assignment__task__directive", "assignment__organization"),
    "attachment": ("report__assignment__task__directive", "report__assignment__organization"),
    "citation": ("citing",),
}
_HEAVY_FIELDS = frozenset({"source_text", "parsed"})
_LONGEST = 160


def _describe(kind: str, record: Any) -> str:
    def assignment_label(assignment: Any) -> str:
        task = assignment.task
        return f"{task.directive.number} · {task.label or task.position} → {assignment.organization.name}"

    match kind:
        case "directive":
            return f"{record.number or '—'} {record.issued_on:%d/%m/%Y}"
        case "task":
            return f"{record.directive.number} · {record.label or record.position}. {record.text[:60]}"
        case "assignment":
            return assignment_label(record)
        case "progressreport":
            return f"{assignment_label(record.assignment)}: {record.percent}%"
        case "deadlineextension":
            return f"{assignment_label(record.assignment)}: {record.requested_due:%d/%m/%Y}"
        case "attachment":
            return f"{assignment_label(record.report.assignment)}: {record.original_name}"
        case "citation":
            return f"{record.citing.number} → {record.number or record.type_text}"
        case _:
            return str(record.name)


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str  # the field's name in code
    field: str  # its verbose name, for people
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class LogEntry:
    kind: str
    kind_label: str
    object_id: int
    object_label: str
    history_id: int
    when: Any  # datetime
    action: str  # simple_history's history_type: "+" created, "~" changed, "-" deleted
    user: str
    changes: list[FieldChange]


def _shown(value: Any, field: Any, labels: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        return labels.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    return text if len(text) <= _LONGEST else text[:_LONGEST] + "…"


def _related_labels(references: dict[Any, set[Any]]) -> dict[tuple[Any, Any], str]:
    """Names for the foreign keys a page of changes shows: one query per related model."""
    labels: dict[tuple[Any, Any], str] = {}
    user_model = get_user_model()
    for model, ids in references.items():
        kind = next((k for k, m in history_kinds().items() if m is model), "")
        objects = model._default_manager.filter(pk__in=ids)
        if kind in _HISTORY_RELATED:
            objects = objects.select_related(*_HISTORY_RELATED[kind])
        for found in objects:
            if model is user_model:
                labels[(model, found.pk)] = found.get_username()
            elif kind:
                labels[(model, found.pk)] = _describe(kind, found)
            else:
                labels[(model, found.pk)] = str(found)
    return labels


def _entries(kind: str, history_ids: Sequence[int], *, with_values: bool) -> dict[int, LogEntry]:
    """The log entries of these historical rows of one kind, each with what changed against the row before
    it (before → after); a creation lists its values when `with_values`. Four queries at most, plus one per
    kind of related object named."""
    model = history_kinds()[kind]
    history = model.history
    records = list(
        history.filter(history_id__in=list(history_ids))
        .select_related("history_user", *_HISTORY_RELATED.get(kind, ()))
        .annotate(
            previous_id=Subquery(
                history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                .order_by("-history_id")
                .values("history_id")[:1]
            )
        )
    )
    previous = {
        p.history_id: p
        for p in history.filter(history_id__in=[r.previous_id for r in records if r.previous_id])
    }
    raw: dict[int, list[tuple[Any, Any, Any]]] = {}
    references: dict[Any, set[Any]] = {}
    fields = [
        f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False)
        and getattr(f, "editable", False)
        and not f.many_to_many
        and f.name not in ("id",)
    ]
    by_name = {f.name: f for f in fields}
    for record in records:
        before = previous.get(record.previous_id) if record.previous_id else None
        changes: list[tuple[Any, Any, Any]] = []
        if before is not None:
            delta = record.diff_against(before)
            changes = [(by_name[c.field], c.old, c.new) for c in delta.changes if c.field in by_name]
        elif with_values:
            changes = [
                (f, None, getattr(record, f.attname))
                for f in fields
                if getattr(record, f.attname) not in (None, "", [], {})
            ]
        raw[record.history_id] = changes
        for field, old, new in changes:
            if field.is_relation:
                references.setdefault(field.related_model, set()).update(
                    v for v in (old, new) if v is not None
                )
    labels = _related_labels(references) if references else {}
    return {
        record.history_id: LogEntry(
            kind=kind,
            kind_label=str(model._meta.verbose_name),
            object_id=record.id,
            object_label=_describe(kind, record),
            history_id=record.history_id,
            when=record.history_date,
            action=record.history_type,
            user=record.history_user.get_username() if record.history_user is not None else "",
            changes=[
                FieldChange(
                    field.name,
                    str(field.verbose_name),
                    "…" if field.name in _HEAVY_FIELDS and old is not None else _shown(old, field, labels),
                    "…" if field.name in _HEAVY_FIELDS else _shown(new, field, labels),
                )
                for field, old, new in raw[record.history_id]
            ],
        )
        for record in records
    }


def change_log(
    *,
    kinds: Sequence[str],
    user_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[LogEntry], int]:
    """Every recorded change of the given kinds, newest first, one page of it and the number of all: two
    queries for the page (one UNION over the history tables), then a few per kind on the page."""
    known = history_kinds()
    parts = []
    for kind in kinds:
        records = known[kind].history.all()
        if user_id is not None:
            records = records.filter(history_user_id=user_id)
        if since is not None:
            records = records.filter(history_date__date__gte=since)
        if until is not None:
            records = records.filter(history_date__date__lte=until)
        parts.append(
            records.annotate(log_kind=Value(kind, output_field=CharField()))
            .order_by()
            .values_list("history_date", "history_id", "log_kind")
        )
    if not parts:
        return [], 0
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    total = union.count()
    rows = list(union.order_by("-history_date", "-history_id")[offset : offset + limit])
    by_kind: dict[str, list[int]] = {}
    for _when, history_id, kind in rows:
        by_kind.setdefault(kind, []).append(history_id)
    found = {
        (kind, hid): entry
        for kind, ids in by_kind.items()
        for hid, entry in _entries(kind, ids, with_values=False).items()
    }
    return [found[(kind, hid)] for _when, hid, kind in rows if (kind, hid) in found], total


def object_changes(
    *, kind: str, object_id: int, offset: int = 0, limit: int = 50
) -> tuple[list[LogEntry], int]:
    """One object's recorded changes, newest first: who, when, and each field's value before → after."""
    history = history_kinds()[kind].history.filter(id=object_id)
    total = history.count()
    ids = list(
        history.order_by("-history_date", "-history_id").values_list("history_id", flat=True)[
            offset : offset + limit
        ]
    )
    found = _entries(kind, ids, with_values=True)
    return [found[i] for i in ids if i in found], total


def may_see_history(
    *, user: AbstractBaseUser | AnonymousUser, membership: Membership, kind: str, object_id: int
) -> bool:
    """An object's history is for whoever may see the object (a unit's users: their own assignments, their
    reports and what hangs on them) and for those who read the change log."""
    if can_read_history(membership):
        return True
    directives = readable_directives(user=user)
    assignments = visible_assignments(user=user)
    match kind:
        case "directive":
            return directives.filter(pk=object_id).exists()
        case "task":
            return Task.objects.filter(pk=object_id, directive__in=directives).exists()
        case "assignment":
            return assignments.filter(pk=object_id).exists()
        case "progressreport":
            return (
                visible_reports(membership=membership, assignments=assignments).filter(pk=object_id).exists()
            )
        case "deadlineextension":
            return DeadlineExtension.objects.filter(pk=object_id, assignment__in=assignments).exists()
        case "attachment":
            reports = visible_reports(membership=membership, assignments=assignments)
            return Attachment.objects.filter(pk=object_id, report__in=reports).exists()
        case "citation":
            return Citation.objects.filter(pk=object_id, citing__in=directives).exists()
    return False
