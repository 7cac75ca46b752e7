"""REST endpoints for directives ("documents"), their tasks, each body's assignments and their progress
reports.

Every endpoint starts from what the pages start from: the caller's scope (built by the API's authentication)
and directives.access: an object outside the caller's scope is 404; an action the caller's role may not take
is 403. Writes go through directives.services; their refusals (DirectiveError) become 400 with the message,
except where the progress report as it is does not allow the action (it has moved on, or does not declare
the task done): 409 Conflict. Every operation declares each status code it may answer (core.api), with the
shape of its body.

Path ids are validated by ninja rather than by a Django path converter, so that a malformed id is a JSON 422
like every other bad parameter, not Django's HTML "not found" page.

No `from __future__ import annotations` here: ninja builds its query and body models from the signatures'
evaluated types."""

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, P, QueryEx, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as WithStatus

from dondoc.accounts.access import scope
from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope
from dondoc.clock import today
from dondoc.core.api import (
    EVERY_OPERATION,
    MAX_PAGE_SIZE,
    ONE_OBJECT,
    PAGE_SIZE,
    Error,
    IsoDate,
    PageNumbers,
)
from dondoc.directives import services
from dondoc.directives.access import (
    access_directive,
    access_task,
    assignments_for,
    can_approve_report,
    can_decide,
    can_draft_report,
    directives_for,
    reports_for,
)
from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Citation,
    Directive,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.directives.selectors import (
    InboxFilters,
    filter_assignments,
    status_condition,
    status_of_read,
)
from dondoc.directives.status import Status
from dondoc.parsing.model import DeadlineKind
from dondoc.text import fold

# what lists never show: the source text and the parser's output can be long
HEAVY_DIRECTIVE_FIELDS = ("source_text", "parsed", "search_text")


class Pages(PageNumbers):
    """The shared bounded page numbers (core.api); the page's rows are read once and handed to `prepare`,
    which adds computed values (an assignment's status) to all of them in a fixed number of queries."""

    def __init__(
        self,
        *,
        page_size: int = PAGE_SIZE,
        max_page_size: int = MAX_PAGE_SIZE,
        prepare: Callable[[list[Any]], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
        self.prepare = prepare

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(result[self.items_attribute])
        if self.prepare is not None:
            self.prepare(items)
        result[self.items_attribute] = items
        return result


def acting(request: HttpRequest) -> Scope:
    """The caller's scope; an account without a role may not use the API."""
    return scope(request)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role does not allow this."))


class ReportConflict(Exception):
    """The report, as it is now, does not allow the action: it is no longer in the state the action starts
    from (another caller acted first, or it was decided before), or it does not declare the task done. The
    API answers 409 Conflict with the service's message; a refusal of the request itself stays 400."""


def _move(report: ProgressReport, allows: Q, action: Callable[[], ProgressReport]) -> ProgressReport:
    """Run the service that moves `report` on. The service checks the report under a row lock and refuses
    with a DirectiveError whatever the reason; reading the report again after the refusal tells a report
    that does not allow the action (409) from a request the rules refuse (400)."""
    try:
        return action()
    except services.DirectiveError as refusal:
        if ProgressReport.objects.filter(allows, pk=report.pk).exists():
            raise
        raise ReportConflict(str(refusal)) from refusal


# --- schemas ---


class BodyRef(Schema):
    id: int
    code: str
    name: str


class DirectiveRef(Schema):
    id: int
    number: str
    issued_on: date


class Deadline(Schema):
    kind: DeadlineKind
    due: date | None
    start: date | None
    text: str


class TaskOut(Schema):
    id: int
    directive_id: int
    position: int
    label: str
    text: str
    lead: list[str] = Field(description="lead bodies as printed")
    coordinating: list[str] = Field(description="coordinating bodies as printed")
    deadline: Deadline

    @staticmethod
    def resolve_lead(task: Task) -> list[str]:
        return list(task.lead_phrases)

    @staticmethod
    def resolve_coordinating(task: Task) -> list[str]:
        return list(task.coordinating_phrases)

    @staticmethod
    def resolve_deadline(task: Task) -> Deadline:
        return Deadline(
            kind=DeadlineKind(task.deadline_kind), due=task.due, start=task.start, text=task.deadline_text
        )


class CitationOut(Schema):
    number: str
    issued_on: date | None
    issuer: str
    type: str
    cited_id: int | None = Field(description="the cited directive, when dondoc holds it")

    @staticmethod
    def resolve_issuer(citation: Citation) -> str:
        return citation.issuer_text

    @staticmethod
    def resolve_type(citation: Citation) -> str:
        return citation.type_text


class DirectiveOut(Schema):
    id: int
    number: str
    type_code: str
    issuer: str = Field(description="the issuer as printed")
    issuer_id: int | None
    issued_on: date
    subject: str
    state: DirectiveState
    published_at: datetime | None

    @staticmethod
    def resolve_issuer(directive: Directive) -> str:
        return directive.issuer_text


class DirectiveDetail(DirectiveOut):
    addressees: list[str] = Field(description="addressees as printed")
    tasks: list[TaskOut]
    citations: list[CitationOut]
    cited_by: list[DirectiveRef] = Field(description="directives citing this one that the caller may see")

    @staticmethod
    def resolve_addressees(directive: Directive) -> list[str]:
        return list(directive.addressee_phrases)

    @staticmethod
    def resolve_cited_by(directive: Directive) -> list[Directive]:
        return list(directive.visible_citing)  # type: ignore[attr-defined]


class AssignmentOut(Schema):
    id: int
    task_id: int
    task_label: str
    directive: DirectiveRef
    organization: BodyRef
    role: AssignmentRole
    due: date | None
    status: Status = Field(description="computed on today's date, never stored")

    @staticmethod
    def resolve_task_label(assignment: Assignment) -> str:
        return assignment.task.label or str(assignment.task.position)

    @staticmethod
    def resolve_directive(assignment: Assignment) -> Directive:
        return assignment.task.directive


class AssignmentDetail(AssignmentOut):
    task: TaskOut


class TaskDetail(TaskOut):
    assignments: list[AssignmentOut] = Field(description="this task's assignments the caller may see")

    @staticmethod
    def resolve_assignments(task: Task) -> list[Assignment]:
        return list(task.visible_assignments)  # type: ignore[attr-defined]


class ReportOut(Schema):
    id: int
    assignment_id: int
    text: str
    percent: int
    reports_done: bool
    period_start: date | None
    period_end: date | None
    state: str
    sent_on: date | None
    confirmed_on: date | None
    comment: str
    drafted_by: str | None
    approved_by: str | None
    decided_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_drafted_by(report: ProgressReport) -> str | None:
        return report.drafted_by.username if report.drafted_by else None

    @staticmethod
    def resolve_approved_by(report: ProgressReport) -> str | None:
        return report.approved_by.username if report.approved_by else None

    @staticmethod
    def resolve_decided_by(report: ProgressReport) -> str | None:
        return report.decided_by.username if report.decided_by else None


class ReportIn(Schema):
    text: str = Field(min_length=1, max_length=20_000)
    percent: int = Field(0, ge=0, le=100)
    reports_done: bool = Field(False, description="the body reports the task done (percent becomes 100)")
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None


class ReturnIn(Schema):
    comment: str = Field(min_length=1, max_length=5_000)


# --- reads shared by the endpoints ---


def _directives(request: HttpRequest) -> QuerySet[Directive]:
    return directives_for(acting(request)).defer(*HEAVY_DIRECTIVE_FIELDS)


def _assignments(request: HttpRequest) -> QuerySet[Assignment]:
    return (
        assignments_for(acting(request))
        .select_related("task__directive", "organization")
        .defer(*(f"task__directive__{field}" for field in HEAVY_DIRECTIVE_FIELDS), "task__search_text")
    )


def _with_statuses(assignments: list[Assignment]) -> None:
    on = today()
    for assignment in assignments:
        assignment.status = status_of_read(assignment, today=on)  # type: ignore[attr-defined]


def _report(request: HttpRequest, pk: int) -> ProgressReport:
    reports = reports_for(acting(request))
    return get_object_or_404(
        reports.select_related("assignment", "drafted_by", "approved_by", "decided_by"), pk=pk
    )


# --- documents ---

documents = Router()


@documents.get("/", response={200: list[DirectiveOut], **EVERY_OPERATION}, summary="List directives")
@paginate(Pages)
def list_documents(
    request: HttpRequest,
    state: DirectiveState | None = None,
    number: QueryEx[str | None, P(description="the number as printed, e.g. 1317-CV/TU")] = None,
    q: QueryEx[
        str | None, P(description="words of the number, issuer or subject; case and diacritics ignored")
    ] = None,
) -> QuerySet[Directive]:
    acting(request)
    directives = _directives(request)
    if state is not None:
        directives = directives.filter(state=state)
    if number:
        directives = directives.filter(number__iexact=number.strip())
    for word in fold(q or "").split():
        directives = directives.filter(search_text__contains=word)
    return directives


@documents.get(
    "/{directive_id}",
    response={200: DirectiveDetail, **ONE_OBJECT},
    summary="A directive with its tasks and citations",
)
def get_document(request: HttpRequest, directive_id: int) -> Directive:
    seen = _directives(request)
    directive = access_directive(acting(request), directive_id, deferred=HEAVY_DIRECTIVE_FIELDS)
    directive.visible_citing = list(  # type: ignore[attr-defined]
        seen.filter(citations__cited=directive).distinct().only("id", "number", "issued_on")
    )
    return directive


@documents.get(
    "/{directive_id}/tasks", response={200: list[TaskOut], **ONE_OBJECT}, summary="The tasks of a directive"
)
@paginate(Pages)
def list_tasks(request: HttpRequest, directive_id: int) -> QuerySet[Task]:
    directive = access_directive(acting(request), directive_id, deferred=HEAVY_DIRECTIVE_FIELDS)
    return Task.objects.filter(directive=directive).defer("search_text").order_by("position")


# --- tasks ---

tasks = Router()


@tasks.get(
    "/{task_id}",
    response={200: TaskDetail, **ONE_OBJECT},
    summary="A task with the assignments the caller sees",
)
def get_task(request: HttpRequest, task_id: int) -> Task:
    task = access_task(acting(request), task_id)
    assignments = list(_assignments(request).filter(task=task).order_by("organization__name", "id"))
    _with_statuses(assignments)
    task.visible_assignments = assignments  # type: ignore[attr-defined]
    return task


# --- assignments ---

assignments = Router()


@assignments.get(
    "/",
    response={200: list[AssignmentOut], **EVERY_OPERATION},
    summary="List assignments with their computed status",
)
@paginate(Pages, prepare=_with_statuses)
def list_assignments(
    request: HttpRequest,
    directive: QueryEx[int | None, P(description="a directive's id")] = None,
    organization: QueryEx[int | None, P(description="a body's id")] = None,
    status: Status | None = None,
    due_before: QueryEx[IsoDate | None, P(description="due on or before this day")] = None,
    due_after: QueryEx[IsoDate | None, P(description="due on or after this day")] = None,
    role: AssignmentRole | None = None,
) -> QuerySet[Assignment]:
    acting(request)
    found = filter_assignments(
        assignments=_assignments(request),
        filters=InboxFilters(
            directive_id=directive,
            organization_id=organization,
            due_from=due_after,
            due_to=due_before,
            role=role,
        ),
    )
    if status is not None:
        # the status is computed, not stored: by the database, in the same query as the page
        found = found.filter(status_condition([status], today=today()))
    return found.order_by(F("due").asc(nulls_last=True), "id")


@assignments.get(
    "/{assignment_id}",
    response={200: AssignmentDetail, **ONE_OBJECT},
    summary="An assignment with its status",
)
def get_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    acting(request)
    assignment = get_object_or_404(_assignments(request), pk=assignment_id)
    _with_statuses([assignment])
    return assignment


@assignments.get(
    "/{assignment_id}/reports",
    response={200: list[ReportOut], **ONE_OBJECT},
    summary="Progress reports on an assignment",
)
@paginate(Pages)
def list_reports(request: HttpRequest, assignment_id: int) -> QuerySet[ProgressReport]:
    caller = acting(request)
    assignment = get_object_or_404(_assignments(request), pk=assignment_id)
    return (
        reports_for(caller, assignments=Assignment.objects.filter(pk=assignment.pk))
        .select_related("drafted_by", "approved_by", "decided_by")
        .order_by("-id")
    )


@assignments.post(
    "/{assignment_id}/reports",
    # 400: the body is not JSON, or the services refuse the report (a blank text, a period ending first)
    response={201: ReportOut, 400: Error, **ONE_OBJECT},
    summary="Draft a progress report (a reporter or leader of the body)",
    operation_id="dondoc_directives_api_create_report",  # the id it was published under
)
def draft_report(request: HttpRequest, assignment_id: int, payload: ReportIn) -> WithStatus[ProgressReport]:
    caller = acting(request)
    require(caller.is_unit)
    assignment = get_object_or_404(_assignments(request), pk=assignment_id)
    require(can_draft_report(caller, assignment))
    report = services.draft_report(
        assignment=assignment,
        text=payload.text,
        percent=payload.percent,
        reports_done=payload.reports_done,
        period_start=payload.period_start,
        period_end=payload.period_end,
        by=request.auth,  # type: ignore[attr-defined]
    )
    return WithStatus(201, report)


# --- progress reports ---

reports = Router()


@reports.get("/{report_id}", response={200: ReportOut, **ONE_OBJECT}, summary="A progress report")
def get_report(request: HttpRequest, report_id: int) -> ProgressReport:
    return _report(request, report_id)


@reports.post(
    "/{report_id}/approve",
    response={200: ReportOut, 409: Error, **ONE_OBJECT},
    summary="Approve a draft and send it to the monitor (the body's leader)",
)
def approve_report(request: HttpRequest, report_id: int) -> ProgressReport:
    caller = acting(request)
    require(caller.role == Role.UNIT_LEADER)
    report = _report(request, report_id)
    require(can_approve_report(caller, report.assignment))
    by = request.auth  # type: ignore[attr-defined]
    approving = partial(services.approve_report, report=report, on=today(), by=by)
    return _move(report, Q(state=ReportState.DRAFT), approving)


@reports.post(
    "/{report_id}/confirm",
    response={200: ReportOut, 409: Error, **ONE_OBJECT},
    summary="Confirm the completion a sent report declares (the monitor)",
)
def confirm_report(request: HttpRequest, report_id: int) -> ProgressReport:
    require(can_decide(acting(request)))
    report = _report(request, report_id)
    by = request.auth  # type: ignore[attr-defined]
    confirming = partial(services.confirm_report, report=report, on=today(), by=by)
    return _move(report, Q(state=ReportState.SENT, reports_done=True), confirming)


@reports.post(
    "/{report_id}/return",
    # 400: the body is not JSON, or the comment is blank
    response={200: ReportOut, 400: Error, 409: Error, **ONE_OBJECT},
    summary="Return a sent report with a comment (the monitor)",
)
def return_report(request: HttpRequest, report_id: int, payload: ReturnIn) -> ProgressReport:
    require(can_decide(acting(request)))
    report = _report(request, report_id)
    by = request.auth  # type: ignore[attr-defined]
    returning = partial(services.return_report, report=report, comment=payload.comment, by=by)
    return _move(report, Q(state=ReportState.SENT), returning)
