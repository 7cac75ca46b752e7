"""The dashboards' figures: where a selection of assignments stands, counted the way Vietnamese task tracking
counts it, in a fixed number of aggregate queries whatever the number of assignments.

The statuses are computed in the database (directives.selectors.with_status, held equal to the rule in
Python by its tests), so that the figures come from one aggregate query, never a loop over assignments:

- the counts by status, and the headline rate: of the assignments that have fallen due (done on time, done
  late, overdue), the share done on time ("tỷ lệ hoàn thành đúng hạn");
- for the assignments without an end date, whether each reported for its current reporting period (the
  period of its task's schedule, directives.periods), as followup.selectors.periods.period_standings decides;
- the trend: done on time, done late and overdue by month of the deadline;
- the bodies most often late.

Every read starts from what a scope sees (`assignments_for(scope)`), narrowed by the filters."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404

from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope
from dondoc.directives.access import assignments_for
from dondoc.directives.models import Assignment, Directive, ProgressReport, ReportState
from dondoc.directives.selectors import status_condition, status_counts, with_status, without_end_date
from dondoc.directives.status import Status
from dondoc.followup.models.inspections import Inspection
from dondoc.followup.selectors.periods import periods_on
from dondoc.periods import ReportingPeriod
from dondoc.registry.models import Organization

RANKED = 10  # bodies in the ranking of the most often late
TREND_MONTHS = 12  # months of the trend without a period chosen
_COUNTED_REPORTS = (ReportState.SENT, ReportState.CONFIRMED)


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard is narrowed to; empty, everything the scope sees. A period keeps the assignments
    whose deadline falls in it, and those without an end date (judged on their own period at its end)."""

    period: ReportingPeriod | None = None
    directive_id: int | None = None
    organization_id: int | None = None
    level: str = ""
    status: str = ""

    @property
    def narrows_bodies(self) -> bool:
        """Whether a directive's assignments are narrowed to some of its bodies (`narrowed`): by period, body
        or level; a directive or a status keeps each directive's bodies whole."""
        return bool(self.period or self.organization_id or self.level)


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """The assignments of a selection by status; those without an end date split by whether they reported
    for their reporting period."""

    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0
    not_yet_due: int = 0
    reported: int = 0
    not_reported: int = 0

    @property
    def fallen_due(self) -> int:
        return self.done_on_time + self.done_late + self.overdue

    @property
    def without_end(self) -> int:
        return self.reported + self.not_reported

    @property
    def total(self) -> int:
        return self.fallen_due + self.in_progress + self.not_yet_due + self.without_end

    @property
    def on_time_rate(self) -> float | None:
        """Done on time over fallen due; None when nothing has fallen due (no rate, rather than 0 %)."""
        return self.done_on_time / self.fallen_due if self.fallen_due else None


@dataclass(frozen=True, slots=True)
class MonthCounts:
    """The assignments whose deadline fell in one month, by how they ended (or did not)."""

    month: date  # its first day
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0


@dataclass(frozen=True, slots=True)
class BodyRank:
    """One body of the ranking of the most often late: overdue and done late, and its on-time rate."""

    organization_id: int
    name: str
    done_on_time: int
    done_late: int
    overdue: int

    @property
    def late(self) -> int:
        return self.done_late + self.overdue

    @property
    def on_time_rate(self) -> float:
        # a ranked body has fallen due at least once: it was late
        return self.done_on_time / (self.done_on_time + self.late)


@dataclass(frozen=True, slots=True)
class Overview:
    """The overall dashboard: the counts and rate, the trend by month, the bodies most often late."""

    counts: StatusCounts
    trend: tuple[MonthCounts, ...]
    ranking: tuple[BodyRank, ...]
    # the day the assignments without an end date are judged on: today, or the chosen period's end
    standing_on: date


@dataclass(frozen=True, slots=True)
class BodyOverview:
    """One body's dashboard: its counts and trend, what is overdue (oldest deadline first), its latest
    reports and the inspections that covered it."""

    organization: Organization
    counts: StatusCounts
    trend: tuple[MonthCounts, ...]
    overdue: tuple[Assignment, ...]
    reports: tuple[ProgressReport, ...]
    reports_total: int
    inspections: tuple[Inspection, ...]
    standing_on: date

    @property
    def is_empty(self) -> bool:
        return not (self.counts.total or self.reports_total or self.inspections)


def overview(*, assignments: QuerySet[Assignment], today: date, filters: DashboardFilters) -> Overview:
    """Where `assignments` (what a scope sees) stand on `today`, narrowed by `filters`, in six queries
    whatever their number: the counts by status, body and month (which give the counts, the trend and the
    ranking; the only one that computes the statuses), four for the tasks without an end date (their tasks,
    the tasks' schedules, whether they reported) and the names of the bodies ranked."""
    selection = _selection(assignments, today, filters)
    standing_on = _standing_day(today, filters)
    groups = _groups(assignments, today, filters)
    return Overview(
        counts=_counts(selection, groups.by_status(), today=today, standing_on=standing_on),
        trend=_trend(groups.by_month(), today, filters),
        ranking=_ranking(assignments, today, filters),
        standing_on=standing_on,
    )


def body_overview(
    *,
    organization: Organization,
    assignments: QuerySet[Assignment],
    reports: QuerySet[ProgressReport],
    inspections: QuerySet[Inspection],
    today: date,
    filters: DashboardFilters,
    report_limit: int | None = 20,
) -> BodyOverview:
    """One body's dashboard from what a scope sees (`assignments`, `reports`, `inspections`): under `filters`
    (but its body and level, the body's own), its counts, trend, overdue assignments and `report_limit` latest
    reports (None: all of them); and the inspections that covered it."""
    body_filters = DashboardFilters(
        period=filters.period,
        directive_id=filters.directive_id,
        organization_id=organization.pk,
        status=filters.status,
    )
    selection = _selection(assignments, today, body_filters)
    standing_on = _standing_day(today, filters)
    groups = _groups(assignments, today, body_filters)
    overdue = (
        selection.filter(Q(status=Status.OVERDUE))
        .select_related("task__directive")
        .order_by("due", "task__directive__issued_on", "task__position")
    )
    latest = (
        reports.filter(assignment__in=selection.values("pk"))
        .select_related("assignment__task__directive")
        .order_by(F("sent_on").desc(nulls_first=True), "-id")
    )
    return BodyOverview(
        organization=organization,
        counts=_counts(selection, groups.by_status(), today=today, standing_on=standing_on),
        trend=_trend(groups.by_month(), today, filters),
        overdue=tuple(overdue),
        reports=tuple(latest[:report_limit] if report_limit is not None else latest),
        reports_total=latest.count(),
        inspections=tuple(inspections.filter(organizations=organization).order_by("-starts_on", "-id")),
        standing_on=standing_on,
    )


# --- what a scope sees of bodies, and the filter's choices ---


def bodies_for(scope: Scope) -> QuerySet[Organization]:
    """The bodies whose dashboard a scope opens: a unit's users their own; monitors and readers those of
    their territory and below, and any other body whose assignments they see; administrators every one."""
    if scope.role == Role.ADMINISTRATOR:
        return Organization.objects.all()
    if scope.is_unit and scope.organization_id is not None:
        return Organization.objects.filter(pk=scope.organization_id)
    if scope.follows_jurisdiction and scope.territory_ids:
        territories = scope.territory_ids
        return Organization.objects.filter(
            Q(jurisdiction_id__in=territories)
            | Q(parent__jurisdiction_id__in=territories)
            | Q(id__in=assignments_for(scope).values("organization_id"))
        )
    return Organization.objects.none()


def access_body(scope: Scope, pk: int) -> Organization:
    found = bodies_for(scope).select_related("jurisdiction", "parent").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class LateDirective:
    """A directive with assignments overdue under the dashboard's filters: the bodies late on it (their ids,
    for the follow-up page to choose) and how many assignments."""

    directive_id: int
    label: str
    organization_ids: tuple[int, ...]
    overdue: int


# the directives a dashboard lists for following up: the whole country's at 10,000,000 assignments had 13,708,
# which made a page of 4 MB rendered in 1.5 s
LATE_SHOWN = 20


@dataclass(frozen=True, slots=True)
class LateDirectives:
    """The directives with late bodies a dashboard lists (up to LATE_SHOWN, most late bodies first) and how
    many there are in all."""

    shown: tuple[LateDirective, ...]
    total: int

    @property
    def not_shown(self) -> int:
        return self.total - len(self.shown)


NONE_LATE = LateDirectives(shown=(), total=0)


def late_by_directive(
    *, assignments: QuerySet[Assignment], today: date, filters: DashboardFilters
) -> LateDirectives:
    """The directives of the selection with assignments overdue on `today`, most late bodies first, in two
    queries (the overdue counted by directive and body, then the directives' numbers)."""
    if filters.status not in ("", Status.OVERDUE):
        return NONE_LATE
    rows = status_counts(
        narrowed(assignments, filters),
        today=today,
        by=["task__directive_id", "organization_id"],
        status=Status.OVERDUE,
    )
    bodies: dict[int, set[int]] = defaultdict(set)
    overdue: Counter[int] = Counter()
    for directive_id, organization_id, _status, count in rows:
        bodies[directive_id].add(organization_id)
        overdue[directive_id] += count
    labels = {
        pk: f"{number or '—'} ({issued_on:%d/%m/%Y})"
        for pk, number, issued_on in Directive.objects.filter(pk__in=bodies).values_list(
            "id", "number", "issued_on"
        )
    }
    ranked = sorted(
        (LateDirective(pk, labels[pk], tuple(sorted(bodies[pk])), overdue[pk]) for pk in bodies),
        key=lambda late: (-len(late.organization_ids), late.label, late.directive_id),
    )
    return LateDirectives(shown=tuple(ranked[:LATE_SHOWN]), total=len(ranked))


# --- the figures ---


def _selection(
    assignments: QuerySet[Assignment], today: date, filters: DashboardFilters
) -> QuerySet[Assignment]:
    """`assignments` narrowed by `filters`, each annotated with its status on `today`."""
    selection = with_status(narrowed(assignments, filters), today=today)
    return selection.filter(Q(status=filters.status)) if filters.status else selection


def narrowed(assignments: QuerySet[Assignment], filters: DashboardFilters) -> QuerySet[Assignment]:
    """`assignments` narrowed by every filter but the status (the periodic report's selection too)."""
    if filters.directive_id is not None:
        assignments = assignments.filter(task__directive_id=filters.directive_id)
    if filters.organization_id is not None:
        assignments = assignments.filter(organization_id=filters.organization_id)
    if filters.level:
        assignments = assignments.filter(organization__level=filters.level)
    if filters.period is not None:
        period = filters.period
        open_ended = without_end_date() & Q(task__directive__issued_on__lte=period.end)
        assignments = assignments.filter(Q(due__gte=period.start, due__lte=period.end) | open_ended)
    return assignments.order_by()


def _standing_day(today: date, filters: DashboardFilters) -> date:
    """The day whose reporting period the assignments without an end date are judged on."""
    return filters.period.end if filters.period is not None else today


@dataclass(frozen=True, slots=True)
class _Groups:
    """How many assignments of a selection have each status per month of their deadline (None without one):
    one grouped query, of a few rows per month whatever the number of assignments, that the counts and the
    trend are both read from."""

    rows: tuple[tuple[date | None, str, int], ...]

    def by_status(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for _month, status, count in self.rows:
            counts[status] += count
        return counts

    def by_month(self) -> dict[date, dict[str, int]]:
        counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for month, status, count in self.rows:
            if month is not None and status != Status.NO_DEADLINE:
                counts[month][status] += count
        return counts


def _groups(assignments: QuerySet[Assignment], today: date, filters: DashboardFilters) -> _Groups:
    rows = status_counts(
        narrowed(assignments, filters).annotate(due_year=ExtractYear("due"), due_month=ExtractMonth("due")),
        today=today,
        by=["due_year", "due_month"],
        status=filters.status,
    )
    return _Groups(
        tuple(
            # PostgreSQL's EXTRACT gives numerics, read raw as decimals
            (date(int(year), int(month), 1) if year is not None else None, status, count)
            for year, month, status, count in rows
        )
    )


def _counts(
    selection: QuerySet[Assignment], by_status: Counter[str], *, today: date, standing_on: date
) -> StatusCounts:
    """The counts by status and the split of those without an end date (four queries)."""
    # the first case of with_status, as a plain condition: no status to compute for the rows left out
    reported, not_reported = _period_reports(
        selection.filter(without_end_date()), today=today, on=standing_on
    )
    return StatusCounts(
        done_on_time=by_status.get(Status.DONE_ON_TIME, 0),
        done_late=by_status.get(Status.DONE_LATE, 0),
        overdue=by_status.get(Status.OVERDUE, 0),
        in_progress=by_status.get(Status.IN_PROGRESS, 0),
        not_yet_due=by_status.get(Status.NOT_YET_DUE, 0),
        reported=reported,
        not_reported=not_reported,
    )


def _period_reports(without_end: QuerySet[Assignment], *, today: date, on: date) -> tuple[int, int]:
    """How many of `without_end` reported for the reporting period covering `on` of their task, and how many
    did not: a report sent (or confirmed) by `today` on exactly that period, or sent during it without one.

    The tasks (one query) are grouped by period (the schedules, two), and all counted in one query."""
    task_ids = set(without_end.values_list("task_id", flat=True).distinct())
    if not task_ids:
        return 0, 0
    reported = reported_for_period(task_ids, today=today, on=on)
    totals = without_end.aggregate(total=Count("id"), reported=Count("id", filter=reported))
    return totals["reported"], totals["total"] - totals["reported"]


def reported_for_period(task_ids: set[int], *, today: date, on: date) -> Q:
    """The condition an assignment of one of `task_ids` (tasks without an end date) meets when it reported for
    its task's reporting period covering `on`: a report sent (or confirmed) by `today` on exactly that
    period, or sent during it without one. The tasks' periods take two queries (the schedules)."""
    tasks_of: dict[ReportingPeriod, list[int]] = defaultdict(list)
    for task_id, period in periods_on(task_ids, on=on).items():
        tasks_of[period].append(task_id)
    sent = ProgressReport.objects.filter(
        assignment_id=OuterRef("pk"), state__in=_COUNTED_REPORTS, sent_on__lte=today
    )
    reported = Q()
    for period, tasks in tasks_of.items():
        about_it = Exists(
            sent.filter(
                Q(period_start=period.start, period_end=period.end)
                | Q(period_start__isnull=True, sent_on__gte=period.start, sent_on__lte=period.end)
            )
        )
        # every task in one period (the usual case): no list of tasks to send
        reported |= Q(about_it) if len(tasks_of) == 1 else Q(task_id__in=tasks) & Q(about_it)
    return reported


def _trend(
    by_month: dict[date, dict[str, int]], today: date, filters: DashboardFilters
) -> tuple[MonthCounts, ...]:
    """Done on time, done late and overdue by month of the deadline, every month of the chosen period shown,
    else of the last twelve; when no deadline fell in those (a directive of years ago), the twelve months to
    the latest deadline before them, so that the chart shows how those ended rather than a flat line."""
    months = _months(today, filters)
    if filters.period is None and not any(by_month.get(month) for month in months):
        earlier = [month for month, counts in by_month.items() if month < months[0] and any(counts.values())]
        if earlier:
            months = _months(max(earlier), filters)
    return tuple(
        MonthCounts(
            month=month,
            done_on_time=by_month.get(month, {}).get(Status.DONE_ON_TIME, 0),
            done_late=by_month.get(month, {}).get(Status.DONE_LATE, 0),
            overdue=by_month.get(month, {}).get(Status.OVERDUE, 0),
        )
        for month in months
    )


def _months(today: date, filters: DashboardFilters) -> list[date]:
    """The first days of the trend's months: those of the chosen period, else the last twelve to this one."""
    if filters.period is not None:
        first, last = filters.period.start, filters.period.end
    else:
        index = today.year * 12 + today.month - 1 - (TREND_MONTHS - 1)
        first, last = date(index // 12, index % 12 + 1, 1), today
    months = []
    index = first.year * 12 + first.month - 1
    while (index // 12, index % 12 + 1) <= (last.year, last.month):
        months.append(date(index // 12, index % 12 + 1, 1))
        index += 1
    return months


def _ranking(
    assignments: QuerySet[Assignment], today: date, filters: DashboardFilters
) -> tuple[BodyRank, ...]:
    """The bodies most often late (overdue and done late together), with their on-time rate: counted, ordered
    and cut to RANKED by the database, in one query that returns those RANKED rows whatever the number of
    bodies (the whole country's dashboard ranks some 40,000)."""
    selection = narrowed(assignments, filters)
    if filters.status:
        selection = selection.filter(status_condition([filters.status], today=today))
    overdue = status_condition([Status.OVERDUE], today=today)
    done_late = status_condition([Status.DONE_LATE], today=today)
    rows = (
        selection.values("organization_id", "organization__name", "organization__folded_name")
        .annotate(
            overdue=Count("id", filter=overdue),
            done_late=Count("id", filter=done_late),
            done_on_time=Count("id", filter=status_condition([Status.DONE_ON_TIME], today=today)),
            late=Count("id", filter=overdue | done_late),
        )
        .filter(late__gt=0)
        .order_by("-late", "-overdue", "organization__folded_name", "organization_id")[:RANKED]
    )
    return tuple(
        BodyRank(
            organization_id=row["organization_id"],
            name=row["organization__name"],
            done_on_time=row["done_on_time"],
            done_late=row["done_late"],
            overdue=row["overdue"],
        )
        for row in rows
    )
