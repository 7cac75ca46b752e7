"""Reads: assignment statuses for lists, in a fixed number of queries whatever their length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dondoc import calendar
from dondoc.accounts.access import can_import
from dondoc.accounts.models import UNIT_ROLES, Membership, Role
from dondoc.accounts.selectors import membership_of, visible_assignments
from dondoc.directives.models import (
    Assignment,
    Directive,
    DirectiveState,
    Notification,
    ProgressReport,
    ReportState,
)
from dondoc.directives.status import WITHOUT_END, Status, assignment_status
from dondoc.parsing.model import DeadlineKind
from dondoc.registry.models import Jurisdiction
from dondoc.text import fold


def assignment_statuses(*, assignments: QuerySet[Assignment], today: date) -> dict[int, Status]:
    """Each assignment's status on `today`: started once a report was sent; done on the day the report the
    monitor confirmed was sent."""
    rows = list(assignments.values_list("id", "due", "task__deadline_kind"))
    started: set[int] = set()
    done_on: dict[int, date] = {}
    reports = ProgressReport.objects.filter(
        assignment_id__in=[row[0] for row in rows], state__in=(ReportState.SENT, ReportState.CONFIRMED),
        sent_on__lte=today,
    ).values_list("assignment_id", "state", "sent_on", "confirmed_on")
    for assignment_id, state, sent_on, confirmed_on in reports:
        started.add(assignment_id)
        confirmed = state == ReportState.CONFIRMED and confirmed_on is not None and confirmed_on <= today
        if confirmed and sent_on is not None:
            done_on[assignment_id] = min(done_on.get(assignment_id, sent_on), sent_on)
    return {
        assignment_id: assignment_status(
            deadline_kind=kind, due=due, today=today, started=assignment_id in started,
            done_on=done_on.get(assignment_id),
        )
        for assignment_id, due, kind in rows
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
        return _("Q%(quarter)d/%(year)d") % {"quarter": calendar.quarter_of(self.start), "year": self.start.year}

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
        """"no report yet for Q4/2026", "Q4/2026: sent" …; empty for a task with a deadline."""
        if self.period is None:
            return ""
        if self.period_report is None:
            return _("no report yet for %(period)s") % {"period": self.period.label}
        states = {ReportState.DRAFT: _("drafted"), ReportState.SENT: _("sent"), ReportState.RETURNED: _("returned"),
                  ReportState.CONFIRMED: _("confirmed")}
        return _("%(period)s: %(state)s") % {
            "period": self.period.label, "state": states.get(ReportState(self.period_report), self.period_report),
        }


def assignment_situations(*, assignments: QuerySet[Assignment], today: date) -> dict[int, Situation]:
    """Each assignment's situation on `today`, in three queries whatever the number of assignments."""
    statuses = assignment_statuses(assignments=assignments, today=today)
    kinds = dict(assignments.values_list("id", "task__deadline_kind")) if statuses else {}
    period = reporting_period(on=today)
    last: dict[int, str] = {}
    in_period: dict[int, str] = {}
    reports = ProgressReport.objects.filter(assignment_id__in=list(statuses)).order_by("id").values_list(
        "assignment_id", "state", "period_start", "period_end", "sent_on"
    )
    for assignment_id, state, start, end, sent_on in reports:
        last[assignment_id] = state
        # a report sent without a period counts for the period it was sent in
        if period.covers(start, end) or (start is None and period.covers(sent_on, sent_on)):
            known = in_period.get(assignment_id)
            if known is None or _REPORT_RANK[ReportState(state)] >= _REPORT_RANK[ReportState(known)]:
                in_period[assignment_id] = state
    return {
        assignment_id: Situation(
            status=status, last_report=last.get(assignment_id),
            period=period if reports_by_period(kinds[assignment_id]) else None,
            period_report=in_period.get(assignment_id) if reports_by_period(kinds[assignment_id]) else None,
        )
        for assignment_id, status in statuses.items()
    }


@dataclass(frozen=True, slots=True)
class InboxFilters:
    directive_id: int | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    role: str | None = None
    organization_id: int | None = None


# problems first: overdue, then open tasks by the nearest deadline, then tasks without one, then done ones
_URGENCY = {Status.OVERDUE: 0, Status.IN_PROGRESS: 1, Status.NOT_YET_DUE: 1, Status.NO_DEADLINE: 2,
            Status.DONE_LATE: 3, Status.DONE_ON_TIME: 3}


@dataclass(frozen=True, slots=True)
class Inbox:
    ids: list[int]  # the filtered assignments in the order shown
    situations: dict[int, Situation]


def inbox(*, assignments: QuerySet[Assignment], today: date, filters: InboxFilters) -> Inbox:
    """The assignments a user sees, filtered, problems first: overdue ones (the newest deadline first), open ones
    (the nearest deadline first), those without a deadline (no report for the period first), done ones (the
    newest first). Four queries whatever the number of assignments; the caller pages through `ids`."""
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
    situations = assignment_situations(assignments=assignments, today=today)
    due = dict(assignments.values_list("id", "due")) if situations else {}

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
        (i for i, situation in situations.items() if not filters.status or situation.status == filters.status),
        key=urgency,
    )
    return Inbox(ids, situations)


def inbox_page(*, ids: Sequence[int]) -> list[Assignment]:
    """One page of the inbox, in the order given, with what its rows show, in one query."""
    found = Assignment.objects.filter(id__in=list(ids)).select_related("task__directive", "organization").defer(
        "task__directive__source_text", "task__directive__parsed", "task__directive__search_text",
        "task__search_text",
    )
    by_id = {assignment.pk: assignment for assignment in found}
    return [by_id[i] for i in ids if i in by_id]


def monitors_of(*, assignment: Assignment) -> list[int]:
    """The users who follow this assignment as monitors: those whose jurisdiction covers its body (or the body
    above it, or its directive's issuer), as accounts.selectors.visible_assignments lets them see it."""
    parents = dict(Jurisdiction.objects.values_list("id", "parent_id"))
    places = Assignment.objects.filter(pk=assignment.pk).values_list(
        "organization__jurisdiction_id", "organization__parent__jurisdiction_id",
        "task__directive__issuer__jurisdiction_id",
    ).first() or ()
    covering: set[int] = set()
    for place in places:
        territory: int | None = place
        while territory is not None and territory not in covering:
            covering.add(territory)
            territory = parents.get(territory)
    return list(
        Membership.objects.filter(role=Role.MONITOR, jurisdiction_id__in=covering)
        .order_by("user_id").values_list("user_id", flat=True)
    )


def notifications_for(*, membership: Membership) -> QuerySet[Notification]:
    """A user's own notices and their body's, newest first."""
    addressed = Q(user_id=membership.user_id)
    if membership.organization_id is not None:
        addressed |= Q(organization_id=membership.organization_id)
    return Notification.objects.filter(addressed).select_related("directive", "assignment__task").defer(
        "directive__source_text", "directive__parsed", "directive__search_text"
    )


# --- what the REST API lists (issue 4, API) ---

def visible_directives(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Directive]:
    """Published directives with an assignment the user sees (every one for an administrator), and drafts for
    those who import and review them (monitors and administrators)."""
    membership = membership_of(user)
    if membership is None:
        return Directive.objects.none()
    if membership.role == Role.ADMINISTRATOR:
        return Directive.objects.all()
    seen = Q(state=DirectiveState.PUBLISHED,
             id__in=visible_assignments(user=user).values("task__directive_id"))
    if can_import(membership):
        seen |= Q(state=DirectiveState.DRAFT)
    return Directive.objects.filter(seen)


def visible_reports(*, membership: Membership, assignments: QuerySet[Assignment]) -> QuerySet[ProgressReport]:
    """The progress reports on assignments the user sees; a draft stays inside its body (and the administrator's
    view) until its leader sends it."""
    reports = ProgressReport.objects.filter(assignment__in=assignments)
    if membership.role not in UNIT_ROLES and membership.role != Role.ADMINISTRATOR:
        reports = reports.exclude(state=ReportState.DRAFT)
    return reports
