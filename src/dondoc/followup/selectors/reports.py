"""What the periodic report and the follow-up letter are drafted from, read from what a scope sees, in a fixed
number of queries whatever the number of bodies and tasks.

The report's selection is the dashboard's (selectors.dashboard.narrowed) for the period, narrowed to the
chosen directives, and its figures are the dashboard's `overview` of that selection: the report says what
the dashboard shows. Beside the figures it reads, per task, each body's status on the as-of day (the same
rule, with_status), whether it sent a report, its latest sent or confirmed report and the day it was done;
the inspections of the period that covered the directives; the sentences of the reports sent since the
period began that speak of difficulties and their causes, or of proposals, quoted with the body's name; and
the tasks of the next period (open assignments due in it, tasks without an end date).

The follow-up letter reads the chosen assignments of one directive and how the registry's groups of bodies
("Ban Thường vụ các huyện ủy, thành ủy") gather the bodies they go to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope
from dondoc.directives.access import assignments_for, directives_for, reports_for
from dondoc.directives.models import Assignment, Directive, DirectiveState, ReportState, Task
from dondoc.directives.selectors import with_status, without_end_date
from dondoc.directives.status import WITHOUT_END, Status
from dondoc.followup.models.inspections import Finding, Inspection
from dondoc.followup.models.reports import ReportJob
from dondoc.followup.selectors.dashboard import (
    DashboardFilters,
    StatusCounts,
    bodies_for,
    narrowed,
    overview,
    reported_for_period,
)
from dondoc.followup.selectors.inspections import inspections_for
from dondoc.followup.sentences import sentences_about
from dondoc.periods import ReportingPeriod, Schedule
from dondoc.registry.models import Jurisdiction, Level, Organization, OrganizationGroup, OrganizationKind
from dondoc.registry.selectors import subtree
from dondoc.text import fold

# what a body's sentence must name to be quoted among the difficulties and their causes, or the proposals
PROBLEM_WORDS = ("khó khăn", "vướng mắc", "hạn chế", "tồn tại", "nguyên nhân")
PROPOSAL_WORDS = ("kiến nghị", "đề xuất", "đề nghị")
_COUNTED_REPORTS = (ReportState.SENT, ReportState.CONFIRMED)
# each assignment of the selection as report_data reads it, its status annotated by with_status
_ROW_FIELDS = ("id", "task_id", "organization_id", "organization__name", "role", "due", "status")
_DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)
# the bodies of a Party committee a report to it is sent to, for information ("(b/c)")
_COMMITTEE_OFFICES = (OrganizationKind.STANDING_OFFICE, OrganizationKind.STANDING_BOARD)
# the levels from the top down
_LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def _by_name(name: str, pk: int) -> tuple[str, int]:
    return fold(name), pk


# --- what a scope sees of periodic reports, and may choose in one ---


def report_jobs_for(scope: Scope) -> QuerySet[ReportJob]:
    """The periodic reports a scope follows: every one for an administrator; for a monitor, those asked for
    in their territory and below."""
    if scope.role == Role.ADMINISTRATOR:
        return ReportJob.objects.all()
    if scope.role == Role.MONITOR and scope.territory_ids:
        return ReportJob.objects.filter(jurisdiction_id__in=scope.territory_ids)
    return ReportJob.objects.none()


def access_report_job(scope: Scope, pk: int, *, files: bool = False) -> ReportJob:
    """A report the scope follows, without its files unless `files`; 404 otherwise."""
    jobs = report_jobs_for(scope).select_related("requested_by", "issuer")
    found = (jobs if files else jobs.defer("report", "annex")).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def report_jurisdiction(scope: Scope) -> Jurisdiction | None:
    """Whose monitors follow a report this scope asks for: a monitor's territory's (and those above); none
    for an administrator, whose reports the administrators follow."""
    return scope.membership.jurisdiction if scope.role == Role.MONITOR else None


def report_directives(scope: Scope) -> QuerySet[Directive]:
    """The directives a report may cover: those published with an assignment the scope sees, newest first."""
    return (
        directives_for(scope)
        .filter(
            state=DirectiveState.PUBLISHED,
            id__in=assignments_for(scope).values("task__directive_id"),
        )
        .defer("source_text", "parsed", "search_text")
        .order_by("-issued_on", "-id")
    )


def report_issuers(scope: Scope, *, on: date) -> QuerySet[Organization]:
    """The bodies a report may be issued by: those whose dashboard the scope opens, of its jurisdiction, as
    they stand on `on`."""
    return (
        bodies_for(scope)
        .filter(id__in=Organization.objects.as_of(on).filter(outside_jurisdiction=False).values("id"))
        .select_related("jurisdiction")
        .order_by("level", "folded_name", "id")
    )


# --- the periodic report ---


@dataclass(frozen=True, slots=True)
class BodyLine:
    """One body's assignment of a task, as it stands on the as-of day. `reported_for_period` is None for a
    task with a deadline; for one without, whether the body reported for its current reporting period."""

    assignment_id: int
    organization_id: int
    name: str
    role: str
    due: date | None
    status: str  # a Status value, as the dashboard counts it
    reported_for_period: bool | None
    done_on: date | None
    latest_on: date | None  # its latest report sent (or confirmed) by the as-of day
    latest_text: str

    @property
    def sent(self) -> bool:
        return self.latest_on is not None


@dataclass(frozen=True, slots=True)
class TaskLines:
    """A task of the selection and its bodies, in the order of their names."""

    task_id: int
    label: str
    text: str
    deadline_kind: str
    due: date | None
    deadline_text: str
    bodies: tuple[BodyLine, ...]

    @property
    def without_end(self) -> bool:
        return self.deadline_kind in WITHOUT_END or self.due is None

    def with_status(self, *statuses: str) -> tuple[BodyLine, ...]:
        return tuple(body for body in self.bodies if body.status in statuses)

    @property
    def silent(self) -> tuple[BodyLine, ...]:
        """Overdue without having sent any report; without an end date, not reported for the period."""
        if self.without_end:
            return tuple(body for body in self.bodies if not body.reported_for_period)
        return tuple(body for body in self.with_status(Status.OVERDUE) if not body.sent)


@dataclass(frozen=True, slots=True)
class DirectiveLines:
    """A chosen directive: how it is cited, how many tasks it has, and those of the selection."""

    directive_id: int
    number: str
    type_code: str
    issued_on: date
    subject: str
    issuer_id: int | None
    issuer_name: str
    task_count: int
    tasks: tuple[TaskLines, ...]

    @property
    def assignments(self) -> int:
        return sum(len(task.bodies) for task in self.tasks)


@dataclass(frozen=True, slots=True)
class InspectionLines:
    title: str
    starts_on: date
    ends_on: date
    concluded: bool
    bodies: tuple[str, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """Sentences a body wrote in its reports, as written."""

    organization_id: int
    name: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UpcomingTask:
    """A task with assignments still open and due in the next period: how many bodies, the latest deadline."""

    directive_number: str
    label: str
    text: str
    bodies: int
    due: date


@dataclass(frozen=True, slots=True)
class OngoingTask:
    """A task without an end date of a chosen directive, carried on from period to period."""

    directive_number: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the periodic report and its annex say, every figure read by a query: `counts` are the
    dashboard's `overview` of the same selection on the same day."""

    period: ReportingPeriod
    as_of: date
    standing_on: date
    directives: tuple[DirectiveLines, ...]
    counts: StatusCounts
    inspections: tuple[InspectionLines, ...]
    problems: tuple[Quote, ...]
    proposals: tuple[Quote, ...]
    next_period: ReportingPeriod
    upcoming: tuple[UpcomingTask, ...]
    ongoing: tuple[OngoingTask, ...]

    @property
    def is_empty(self) -> bool:
        return self.counts.total == 0

    @property
    def bodies(self) -> tuple[tuple[str, tuple[tuple[DirectiveLines, TaskLines, BodyLine], ...]], ...]:
        """Each body of the selection (by name) with its assignments, directive by directive and task by
        task."""
        lines: dict[int, list[tuple[DirectiveLines, TaskLines, BodyLine]]] = defaultdict(list)
        names: dict[int, str] = {}
        for directive in self.directives:
            for task in directive.tasks:
                for body in task.bodies:
                    lines[body.organization_id].append((directive, task, body))
                    names[body.organization_id] = body.name
        order = sorted(names, key=lambda pk: _by_name(names[pk], pk))
        return tuple((names[pk], tuple(lines[pk])) for pk in order)


@dataclass
class _Reports:
    """What the reports of the selection say, per assignment."""

    latest: dict[int, tuple[date | None, str]] = field(default_factory=dict)
    done_on: dict[int, date | None] = field(default_factory=dict)
    problems: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    proposals: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def next_period_of(period: ReportingPeriod) -> ReportingPeriod:
    """The period after `period`, of the same frequency."""
    return Schedule(period.frequency).period_on(period.end + timedelta(days=1))


def report_data(
    *, scope: Scope, directive_ids: Collection[int], period: ReportingPeriod, as_of: date
) -> ReportData:
    """The periodic report's data for `period`, on the day `as_of`, from what `scope` sees of the directives
    `directive_ids` (those it may not read are left out), in a fixed number of queries."""
    directives = list(
        directives_for(scope)
        .filter(id__in=directive_ids, state=DirectiveState.PUBLISHED)
        .select_related("issuer")
        .only("number", "type_code", "issued_on", "subject", "issuer_text", "issuer__name")
        .order_by("issued_on", "id")
    )
    chosen = [directive.pk for directive in directives]
    visible = assignments_for(scope).filter(task__directive_id__in=chosen)
    filters = DashboardFilters(period=period)
    figures = overview(assignments=visible, today=as_of, filters=filters)
    selection = narrowed(visible, filters)
    rows = list(with_status(selection, today=as_of).values_list(*_ROW_FIELDS))
    open_ended = {task_id for _id, task_id, *_rest, status in rows if status == Status.NO_DEADLINE}
    reported = (
        set(
            selection.filter(without_end_date())
            .filter(reported_for_period(open_ended, today=as_of, on=figures.standing_on))
            .values_list("id", flat=True)
        )
        if open_ended
        else set()
    )
    reports = _reports(scope, selection, period=period, as_of=as_of)
    next_period = next_period_of(period)
    upcoming_counts = _upcoming(visible, next_period=next_period, as_of=as_of)
    tasks = list(Task.objects.filter(directive_id__in=chosen).order_by("directive_id", "position"))
    by_task: dict[int, list[BodyLine]] = defaultdict(list)
    for assignment_id, task_id, organization_id, name, role, due, status in rows:
        latest_on, latest_text = reports.latest.get(assignment_id, (None, ""))
        by_task[task_id].append(
            BodyLine(
                assignment_id=assignment_id,
                organization_id=organization_id,
                name=name,
                role=role,
                due=due,
                status=status,
                reported_for_period=assignment_id in reported if status == Status.NO_DEADLINE else None,
                done_on=reports.done_on.get(assignment_id),
                latest_on=latest_on,
                latest_text=latest_text,
            )
        )
    numbers = {directive.pk: directive.number for directive in directives}
    body_of = {row[0]: (row[2], row[3]) for row in rows}
    return ReportData(
        period=period,
        as_of=as_of,
        standing_on=figures.standing_on,
        directives=tuple(_directive_lines(directive, tasks, by_task) for directive in directives),
        counts=figures.counts,
        inspections=_inspections(scope, chosen, period),
        problems=_quotes(reports.problems, body_of),
        proposals=_quotes(reports.proposals, body_of),
        next_period=next_period,
        upcoming=tuple(
            UpcomingTask(numbers[task.directive_id], task.label, task.text, *upcoming_counts[task.pk])
            for task in tasks
            if task.pk in upcoming_counts
        ),
        ongoing=tuple(
            OngoingTask(numbers[task.directive_id], task.label, task.text)
            for task in tasks
            if task.deadline_kind in WITHOUT_END
        ),
    )


def _reports(
    scope: Scope, selection: QuerySet[Assignment], *, period: ReportingPeriod, as_of: date
) -> _Reports:
    """The reports of the selection sent (or confirmed) by `as_of`, in one query: each assignment's latest,
    the day it was done (its first report confirmed by then), and the sentences about difficulties and
    proposals of those sent since the period began."""
    found = _Reports()
    rows = (
        reports_for(scope, assignments=selection)
        .filter(state__in=_COUNTED_REPORTS, sent_on__lte=as_of)
        .order_by("assignment_id", "sent_on", "id")
        .values_list("assignment_id", "text", "state", "sent_on", "confirmed_on")
    )
    for assignment_id, text, state, sent_on, confirmed_on in rows:
        found.latest[assignment_id] = (sent_on, text)
        done = state == ReportState.CONFIRMED and confirmed_on is not None and confirmed_on <= as_of
        if done and assignment_id not in found.done_on:
            found.done_on[assignment_id] = sent_on
        if sent_on is not None and sent_on >= period.start:
            found.problems[assignment_id] += sentences_about(text, PROBLEM_WORDS)
            found.proposals[assignment_id] += sentences_about(text, PROPOSAL_WORDS)
    return found


def _quotes(sentences: dict[int, list[str]], body_of: dict[int, tuple[int, str]]) -> tuple[Quote, ...]:
    """The sentences by body (once each, in the order written), the bodies in the order of their names;
    `body_of` gives each assignment's body and its name."""
    by_body: dict[int, dict[str, None]] = defaultdict(dict)
    names: dict[int, str] = {}
    for assignment_id, found in sentences.items():
        organization_id, name = body_of[assignment_id]
        names[organization_id] = name
        by_body[organization_id].update(dict.fromkeys(found))
    return tuple(
        Quote(pk, names[pk], tuple(by_body[pk]))
        for pk in sorted(names, key=lambda pk: _by_name(names[pk], pk))
        if by_body[pk]
    )


def _upcoming(
    visible: QuerySet[Assignment], *, next_period: ReportingPeriod, as_of: date
) -> dict[int, tuple[int, date]]:
    """Per task, how many assignments due in the next period are not done on `as_of`, and the latest of their
    deadlines (one query)."""
    due_next = visible.filter(due__gte=next_period.start, due__lte=next_period.end).exclude(
        without_end_date()
    )
    rows = (
        with_status(due_next, today=as_of)
        .exclude(Q(status__in=[status.value for status in _DONE]))
        .order_by()
        .values("task_id")
        .annotate(bodies=Count("id"), last_due=Max("due"))
        .values_list("task_id", "bodies", "last_due")
    )
    return {task_id: (bodies, last_due) for task_id, bodies, last_due in rows}


def _directive_lines(
    directive: Directive, tasks: list[Task], by_task: dict[int, list[BodyLine]]
) -> DirectiveLines:
    own = [task for task in tasks if task.directive_id == directive.pk]
    return DirectiveLines(
        directive_id=directive.pk,
        number=directive.number,
        type_code=directive.type_code,
        issued_on=directive.issued_on,
        subject=directive.subject,
        issuer_id=directive.issuer_id,
        issuer_name=directive.issuer.name if directive.issuer is not None else "",
        task_count=len(own),
        tasks=tuple(
            TaskLines(
                task_id=task.pk,
                label=task.label or str(task.position),
                text=task.text,
                deadline_kind=task.deadline_kind,
                due=task.due,
                deadline_text=task.deadline_text,
                bodies=tuple(
                    sorted(by_task[task.pk], key=lambda body: _by_name(body.name, body.assignment_id))
                ),
            )
            for task in own
            if by_task.get(task.pk)
        ),
    )


def _inspections(
    scope: Scope, directive_ids: list[int], period: ReportingPeriod
) -> tuple[InspectionLines, ...]:
    """The inspections the scope sees that covered a chosen directive and met the period, with the bodies
    they covered and their findings (three queries)."""
    inspections = (
        inspections_for(scope)
        .filter(
            id__in=Inspection.objects.filter(directives__in=directive_ids).values("id"),
            starts_on__lte=period.end,
            ends_on__gte=period.start,
        )
        .order_by("starts_on", "id")
        .prefetch_related(
            Prefetch("organizations", Organization.objects.order_by("folded_name", "id")),
            Prefetch("findings", Finding.objects.order_by("position")),
        )
    )
    return tuple(
        InspectionLines(
            title=inspection.title,
            starts_on=inspection.starts_on,
            ends_on=inspection.ends_on,
            concluded=inspection.concluded_on is not None,
            bodies=tuple(body.name for body in inspection.organizations.all()),
            findings=tuple(finding.text for finding in inspection.findings.all()),
        )
        for inspection in inspections
    )


# --- the issuing body and whom a report goes to ---


@dataclass(frozen=True, slots=True)
class IssuingBody:
    """A body as a document's header names it: its name, kind and code, the name and code of the body above
    it, and the name of its province (the place before the date)."""

    name: str
    kind: str
    code: str
    short_name: str
    parent_name: str
    parent_code: str
    province: str


def issuing_body(organization: Organization) -> IssuingBody:
    """The header's facts about `organization` (its parent and territories read in one query)."""
    body = Organization.objects.select_related("parent", "jurisdiction__parent__parent").get(
        pk=organization.pk
    )
    territory: Jurisdiction | None = body.jurisdiction
    while territory is not None and territory.level not in (Level.PROVINCE, Level.CENTRAL):
        territory = territory.parent
    return IssuingBody(
        name=body.name,
        kind=body.kind,
        code=body.code,
        short_name=body.short_name,
        parent_name=body.parent.name if body.parent is not None else "",
        parent_code=body.parent.code if body.parent is not None else "",
        province=territory.name if territory is not None and territory.level == Level.PROVINCE else "",
    )


def superiors_informed(
    *, issuer_ids: Iterable[int | None], on: date, reporting: Organization
) -> tuple[str, ...]:
    """Whom the `reporting` body's report on directives of `issuer_ids` is sent to for information: for a
    Party committee (or its standing board or office) its standing office and standing board, as the registry
    names them on `on`; any other issuer itself. A report goes up, never down: an issuer below the reporting
    body's level (a district's plan in a province's report) is not informed. Two queries."""
    reporting_rank = _LEVELS.index(Level(reporting.level))
    issuers = [
        issuer
        for issuer in Organization.objects.filter(pk__in=[pk for pk in issuer_ids if pk is not None])
        if _LEVELS.index(Level(issuer.level)) <= reporting_rank
    ]
    committee_of = {
        issuer.pk: issuer.pk if issuer.kind == OrganizationKind.PARTY_COMMITTEE else issuer.parent_id
        for issuer in issuers
        if issuer.kind == OrganizationKind.PARTY_COMMITTEE or issuer.kind in _COMMITTEE_OFFICES
    }
    offices: dict[int, list[Organization]] = defaultdict(list)
    for office in Organization.objects.as_of(on).filter(
        parent_id__in={pk for pk in committee_of.values() if pk is not None}, kind__in=_COMMITTEE_OFFICES
    ):
        offices[office.parent_id].append(office)
    names: dict[str, None] = {}
    for issuer in sorted(issuers, key=lambda body: _by_name(body.name, body.pk)):
        found = offices.get(committee_of.get(issuer.pk) or 0, [])
        # the standing office first, then the standing board, as a committee's own documents list them
        found.sort(key=lambda office: (_COMMITTEE_OFFICES.index(OrganizationKind(office.kind)), office.pk))
        names.update(dict.fromkeys(office.name for office in found) if found else {issuer.name: None})
    return tuple(names)


# --- the follow-up letter ---


@dataclass(frozen=True, slots=True)
class LateTask:
    """One task of a follow-up letter: the bodies urged on it with the same deadline, and whether that
    deadline has passed."""

    label: str
    text: str
    due: date
    overdue: bool
    bodies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LetterData:
    """What a follow-up letter says: the directive it urges on, the tasks and their bodies, and the bodies
    it goes to, as the registry's groups gather them."""

    number: str
    type_code: str
    issued_on: date
    subject: str
    issuer_name: str
    as_of: date
    tasks: tuple[LateTask, ...]
    addressees: tuple[tuple[str, tuple[str, ...]], ...]  # (group's name, or "" for a body alone; members)


def letter_data(*, directive: Directive, assignments: QuerySet[Assignment], today: date) -> LetterData:
    """The letter's data from the chosen `assignments` of `directive` (already within the scope), task by task
    in the order of the directive and of their deadlines."""
    chosen = list(
        assignments.filter(task__directive=directive, due__isnull=False)
        .select_related("task", "organization")
        .order_by("task__position", "due", "organization__folded_name", "id")
    )
    grouped: dict[tuple[int, date], list[Assignment]] = defaultdict(list)
    for assignment in chosen:
        assert assignment.due is not None
        grouped[(assignment.task_id, assignment.due)].append(assignment)
    return LetterData(
        number=directive.number,
        type_code=directive.type_code,
        issued_on=directive.issued_on,
        subject=directive.subject,
        issuer_name=directive.issuer.name if directive.issuer is not None else "",
        as_of=today,
        tasks=tuple(
            LateTask(
                label=group[0].task.label or str(group[0].task.position),
                text=group[0].task.text,
                due=due,
                overdue=due < today,
                bodies=tuple(assignment.organization.name for assignment in group),
            )
            for (_task_id, due), group in grouped.items()
        ),
        addressees=addressee_groups(
            organization_ids={assignment.organization_id for assignment in chosen}, on=today
        ),
    )


def addressee_groups(
    *, organization_ids: Collection[int], on: date
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`organization_ids` gathered by the registry's groups, as a letter's "Kính gửi" names them: the group
    with the most of them first (two at least), and so on; the rest alone. Each entry is the group's name (""
    for a body alone) and its members' names, in the order of their names; groups first. Four queries."""
    bodies = {
        body.pk: body
        for body in Organization.objects.filter(pk__in=organization_ids).only(
            "name", "kind", "level", "parent_id", "jurisdiction_id"
        )
    }
    children: dict[int, list[int]] = defaultdict(list)
    for territory_id, parent_id in Jurisdiction.objects.exclude(parent=None).values_list("id", "parent_id"):
        children[parent_id].append(territory_id)
    members_of = {
        group.name: _members(group, bodies, children, on)
        for group in OrganizationGroup.objects.prefetch_related("members").order_by("name", "id")
    }
    left = set(bodies)
    entries: list[tuple[str, tuple[str, ...]]] = []
    while True:
        counted = [(len(members & left), name) for name, members in members_of.items()]
        size, name = min(counted, key=lambda each: (-each[0], fold(each[1])), default=(0, ""))
        if size < 2:
            break
        chosen = sorted(members_of[name] & left, key=lambda pk: _by_name(bodies[pk].name, pk))
        entries.append((name, tuple(bodies[pk].name for pk in chosen)))
        left -= members_of[name]
    alone = sorted(left, key=lambda pk: _by_name(bodies[pk].name, pk))
    return (*entries, *(("", (bodies[pk].name,)) for pk in alone))


def _members(
    group: OrganizationGroup, bodies: dict[int, Organization], children: dict[int, list[int]], on: date
) -> set[int]:
    """Which of `bodies` the group holds: its explicit members valid on `on`, and those its rule selects (as
    registry.resolution reads a group)."""
    members = {member.pk for member in group.members.all() if member.is_valid_on(on) and member.pk in bodies}
    if not group.has_rule:
        return members
    territories = None if group.jurisdiction_id is None else subtree(children, group.jurisdiction_id)
    for body in bodies.values():
        if group.kinds and body.kind not in group.kinds:
            continue
        if group.level and body.level != group.level:
            continue
        if group.parent_id is not None and body.parent_id != group.parent_id:
            continue
        if territories is not None and body.jurisdiction_id not in territories:
            continue
        members.add(body.pk)
    return members
