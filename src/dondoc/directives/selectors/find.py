"""Finding directives and tasks: the directive list's counts, a directive's task × body grid (with the cells
of bodies that carry a task out through their own plan), and the search of directives, tasks and bodies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db import connections, router
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery

from dondoc.directives.models import (
    Assignment,
    AssignmentTransfer,
    Directive,
    Task,
)
from dondoc.directives.selectors.chain import PlanProgress, plan_progress
from dondoc.directives.selectors.status_expression import status_condition, status_counts
from dondoc.directives.selectors.statuses import assignment_statuses
from dondoc.directives.status import Status
from dondoc.registry.models import OPEN_END, Organization, OrganizationAlias
from dondoc.text import collapse_spaces, fold


@dataclass(frozen=True, slots=True)
class DirectiveCounts:
    tasks: int = 0
    assignments: int = 0
    overdue: int = 0


def directive_counts(
    *, directive_ids: Sequence[int], assignments: QuerySet[Assignment], today: date
) -> dict[int, DirectiveCounts]:
    """Tasks, assignments the user sees and overdue ones, per directive: two queries for a whole page."""

    ids = list(directive_ids)
    directive_of = dict(
        Task.objects.filter(directive_id__in=ids).order_by().values_list("id", "directive_id")
    )
    tasks = Counter(directive_of.values())
    # counted by task, through the assignments' own indexes, and summed here: joined to the tasks, PostgreSQL
    # read every task for the 25 directives of the whole country's list (10,000,000 assignments: 37 ms). The
    # scope's conditions are on the assignment's own columns, so none comes twice; overdue is read from the
    # dates kept on each assignment, not from its reports
    by_task = (
        assignments.filter(task_id__in=list(directive_of))
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"), late=Count("id", filter=status_condition([Status.OVERDUE], today=today)))
        .values_list("task_id", "n", "late")
    )
    total: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    for task_id, n, late in by_task:
        total[directive_of[task_id]] += n
        overdue[directive_of[task_id]] += late
    return {i: DirectiveCounts(tasks[i], total[i], overdue[i]) for i in ids}


@dataclass(frozen=True, slots=True)
class GridCell:
    assignment_id: int
    role: str
    status: str
    plan: PlanProgress | None = None  # the body's own plan carrying the task out: the status shown is its


@dataclass(slots=True)
class GridRow:
    organization_id: int
    name: str
    sort_key: str
    cells: list[GridCell | None]
    # the ended bodies whose assignments this body carries on the day shown, after a reorganisation
    carried_from: list[str] = field(default_factory=list)
    gone_since: date | None = None  # the body no longer exists on the day shown (it keeps what it finished)


@dataclass(frozen=True, slots=True)
class Holder:
    """An assignment a reorganisation has moved, as it stood on a day: the body that held it then (None: the
    body it has now), whether it was by then merged into the successor's own assignment of the same task, and
    the ended bodies it had come from by then."""

    organization_id: int | None
    name: str
    sort_key: str
    merged: bool
    carried_from: tuple[tuple[str, str], ...]  # each body's name and its territory's


class _Move(NamedTuple):
    effective_on: date
    from_id: int
    from_name: str
    from_folded: str
    merged_into_id: int | None
    from_territory: str | None


def holders_on(*, assignments: QuerySet[Assignment], on: date) -> dict[int, Holder]:
    """The assignments among `assignments` that a reorganisation has moved, each as it stood on `on`; an
    assignment never moved is absent (its body is its own on every day). One query."""
    moves: dict[int, list[_Move]] = {}
    for assignment_id, effective_on, from_id, from_name, from_folded, merged_into_id, from_territory in (
        AssignmentTransfer.objects.filter(assignment__in=assignments.values("id"))
        .order_by("effective_on", "id")
        .values_list(
            "assignment_id",
            "effective_on",
            "from_organization_id",
            "from_organization__name",
            "from_organization__folded_name",
            "merged_into_id",
            "from_organization__jurisdiction__name",
        )
    ):
        moves.setdefault(assignment_id, []).append(
            _Move(effective_on, from_id, from_name, from_folded, merged_into_id, from_territory)
        )
    holders: dict[int, Holder] = {}
    for assignment_id, transfers in moves.items():
        done = [move for move in transfers if move.effective_on <= on]
        merged = any(move.merged_into_id is not None for move in done)
        carried_from = tuple(
            (move.from_name, move.from_territory or "") for move in done if move.merged_into_id is None
        )
        later = [move for move in transfers if move.effective_on > on]
        if later:  # not yet moved on that day: the body it came from held it
            first = later[0]
            holders[assignment_id] = Holder(
                first.from_id, first.from_name, first.from_folded, merged, carried_from
            )
        else:
            holders[assignment_id] = Holder(None, "", "", merged, carried_from)
    return holders


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
    # task → the plans carrying it out, of the bodies shown (before the status filter)
    plans: dict[int, list[PlanProgress]] = field(default_factory=dict)


def task_body_grid(
    *,
    task_ids: Sequence[int],
    assignments: QuerySet[Assignment],
    today: date,
    status: str = "",
    body: str = "",
) -> TaskBodyGrid:
    """A directive's assignments the user sees as a table: one row per body, one column per task (in the order
    of `task_ids`), each cell the role and the status on `today`, and, for a body carrying the task out
    through its own plan, that plan's progress (chain.plan_progress). An assignment a reorganisation moved
    is shown under the body that held it on `today` (holders_on). Seven queries at most whatever the size."""
    column = {task_id: index for index, task_id in enumerate(task_ids)}
    plans = plan_progress(task_ids=task_ids, today=today)
    seen = assignments.filter(task_id__in=list(task_ids))
    if body.strip():
        seen = seen.filter(organization__folded_name__contains=fold(body.strip()))
    statuses = assignment_statuses(assignments=seen, today=today)
    moved = holders_on(assignments=seen, on=today)
    counters: list[Counter[Status]] = [Counter() for _ in task_ids]
    rows: dict[int, GridRow] = {}
    carried_out: dict[int, dict[int, PlanProgress]] = {}  # task → the plans of the bodies seen, by plan
    for assignment_id, task_id, organization_id, role, name, folded_name, valid_to in seen.values_list(
        "id",
        "task_id",
        "organization_id",
        "role",
        "organization__name",
        "organization__folded_name",
        "organization__valid_to",
    ):
        found = statuses.get(assignment_id)
        if found is None:  # created between the two reads
            continue
        holder = moved.get(assignment_id)
        if holder is not None:
            if holder.merged:  # the successor's own assignment of the task stands for it
                continue
            if holder.organization_id is not None:  # held then by the body it came from, which existed
                organization_id, name, folded_name = holder.organization_id, holder.name, holder.sort_key
                valid_to = OPEN_END
        row = rows.get(organization_id)
        if row is None:
            row = rows[organization_id] = GridRow(organization_id, name, folded_name, [None] * len(task_ids))
            row.gone_since = valid_to if valid_to <= today else None
        for earlier, territory in holder.carried_from if holder is not None else ():
            # two bodies of one name (the Organization Commission before and after a merger): say where
            label = earlier if earlier != row.name else f"{earlier} ({territory})"
            if label not in row.carried_from:
                row.carried_from.append(label)
        plan = plans.get((task_id, organization_id))
        row.cells[column[task_id]] = GridCell(assignment_id, role, found.value, plan)
        if plan is not None:
            carried_out.setdefault(task_id, {})[plan.directive_id] = plan
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
    return TaskBodyGrid(
        ordered,
        summaries,
        len(rows),
        {task_id: list(found.values()) for task_id, found in carried_out.items()},
    )


def issue_years(directives: QuerySet[Directive]) -> list[int]:
    """The years the directive list may be filtered by, newest first: from the latest directive's year back to
    the earliest's. Two ends of an index rather than every directive's year made distinct (the whole country's
    25,000: 7 ms); a year between with none issued, which is not seen in practice, lists nothing."""
    ends = directives.order_by().aggregate(first=Min("issued_on"), last=Max("issued_on"))
    if ends["first"] is None:
        return []
    return list(range(ends["last"].year, ends["first"].year - 1, -1))


def search_directives(*, directives: QuerySet[Directive], query: str) -> QuerySet[Directive]:
    """Directives whose number, type, issuer or subject holds the query, ignoring case and diacritics."""
    return directives.filter(search_text__contains=fold(collapse_spaces(query)))


def filter_directives(
    *,
    directives: QuerySet[Directive],
    query: str = "",
    state: str = "",
    year: int | None = None,
    issuer: str = "",
) -> QuerySet[Directive]:
    """The directive list's filters: text (number, type, issuer, subject), state, year of issue, and issuer
    (its text as printed containing `issuer`, whatever the case and diacritics)."""
    if query.strip():
        directives = search_directives(directives=directives, query=query)
    if state:
        directives = directives.filter(state=state)
    if year:
        directives = directives.filter(issued_on__year=year)
    if wanted := fold(issuer):
        # the issuers' texts are folded here, as no column holds them folded: read only when filtering
        printed = directives.order_by().values_list("issuer_text", flat=True).distinct()
        directives = directives.filter(issuer_text__in=[text for text in printed if wanted in fold(text)])
    return directives


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
    """Tasks of the directives the user sees whose text holds the query (case and diacritics ignored); the
    body, status and deadline filters keep the tasks with a matching assignment the user sees (its deadline in
    force, extensions included). Each task comes with the statuses of those assignments. At most eight
    queries."""

    # the readable directives as a subquery: their condition is a list of ids or the directives' flag, read
    # once per request (directives.access). Read here as ids, the whole country's 2,500 at 1,000,000 made
    # each of the two queries of tasks 11-17 ms, against 1-3 ms
    tasks = Task.objects.filter(directive_id__in=directives.values("id"))
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
        # counted by the database, task by status: not each assignment's status read, then its task
        by_task: dict[int, Counter[Status]] = {}
        for task_id, status, n in status_counts(selected, today=today, by=("task_id",)):
            by_task.setdefault(task_id, Counter())[Status(status)] += n
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


def _named(folded: str) -> Q:
    """The bodies whose name or one of whose aliases holds `folded`. On PostgreSQL, two sets of ids each found
    through its own trigram index, joined: asked as "the name holds it or an alias does", PostgreSQL could
    use neither index and read every body in name order (70 ms for 35 found among 128,149, 238 ms with a
    territory). SQLite has no such index: there both are asked of each body the other filters keep, a
    province's by their key (3 ms, against 11 for the union, which reads every body and alias)."""
    by_alias = OrganizationAlias.objects.order_by().filter(folded__contains=folded)
    if connections[router.db_for_read(Organization)].vendor != "postgresql":
        return Q(folded_name__contains=folded) | Q(Exists(by_alias.filter(organization_id=OuterRef("pk"))))
    by_name = Organization.objects.order_by().filter(folded_name__contains=folded).values("id")
    return Q(pk__in=by_name.union(by_alias.values("organization_id")))


def search_organizations(
    *,
    query: str,
    territories: Collection[int] | None,
    on: date,
    region_id: int | None = None,
    every_territory: bool = False,
) -> QuerySet[Any]:
    """Bodies valid on `on` whose name or one of whose aliases holds the query (case and diacritics ignored),
    within the territories given (a body there or under a body there), or when they are a region's, by its
    key on the bodies (no list, no join to the parent), or when they are every territory, any body placed in
    one (not a list of them all: planning 13,793 ids took 48 ms a query); `matched_alias` is the alias
    found."""

    folded = fold(collapse_spaces(query))
    aliases = OrganizationAlias.objects.filter(organization_id=OuterRef("pk"), folded__contains=folded)
    bodies = Organization.objects.as_of(on).filter(_named(folded))
    if region_id is not None:
        bodies = bodies.filter(Q(region_id=region_id) | Q(parent_region_id=region_id))
    elif every_territory:
        bodies = bodies.filter(Q(jurisdiction__isnull=False) | Q(parent__jurisdiction__isnull=False))
    elif territories is not None:
        bodies = bodies.filter(
            Q(jurisdiction_id__in=territories) | Q(parent__jurisdiction_id__in=territories)
        )
    found: QuerySet[Any] = (
        bodies.annotate(matched_alias=Subquery(aliases.order_by("id").values("text")[:1]))
        .select_related("jurisdiction")
        .order_by("folded_name", "id")
    )
    return found


PICK_LIMIT = 20


class Picked(NamedTuple):
    found: list[Any]
    more: bool  # more match than are shown


def pick_directives(*, directives: QuerySet[Directive], query: str, limit: int = PICK_LIMIT) -> Picked:
    """The filters' directive picker: the newest of `directives` whose number, type, issuer or subject holds
    the query (case and diacritics ignored), or the newest of all when nothing is typed."""
    if query.strip():
        directives = search_directives(directives=directives, query=query)
    found = list(
        directives.only("id", "number", "issued_on", "subject").order_by("-issued_on", "-id")[: limit + 1]
    )
    return Picked(found[:limit], len(found) > limit)


def pick_bodies(*, bodies: QuerySet[Organization], query: str, limit: int = PICK_LIMIT) -> Picked:
    """The filters' body picker: those of `bodies` whose name or one of whose aliases holds the query (case
    and diacritics ignored), by name, whether or not they still exist (assignments outlive mergers)."""
    found = list(
        bodies.filter(_named(fold(collapse_spaces(query))))
        .only("id", "name")
        .order_by("folded_name", "id")[: limit + 1]
    )
    return Picked(found[:limit], len(found) > limit)


def pick_users(*, users: QuerySet[Any], query: str, limit: int = PICK_LIMIT) -> Picked:
    """The change log's user picker: the users whose log-in name or full name holds what was typed (case
    ignored), by log-in name; a country's thousands are never listed whole."""
    words = collapse_spaces(query)
    found = list(
        users.filter(
            Q(username__icontains=words) | Q(first_name__icontains=words) | Q(last_name__icontains=words)
        )
        .only("id", "username", "first_name", "last_name")
        .order_by("username", "id")[: limit + 1]
    )
    return Picked(found[:limit], len(found) > limit)
