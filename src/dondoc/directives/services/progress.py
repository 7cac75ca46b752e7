"""Progress reports: a body drafts a report with its files, its leader sends it to the monitors, who confirm
the task done or return the report; each step notifies the other side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dondoc import clock
from dondoc.accounts.models import User
from dondoc.core.notifications import notify
from dondoc.directives.models import Assignment, Attachment, ProgressReport, ReportState
from dondoc.directives.periods import current_period, period_problem
from dondoc.directives.selectors.recipients import monitors_of
from dondoc.directives.selectors.statuses import reports_by_period
from dondoc.directives.services.errors import DirectiveError
from dondoc.directives.uploads import StoredFile, discard


def draft_report(
    *,
    assignment: Assignment,
    text: str,
    percent: int,
    reports_done: bool = False,
    period_start: date | None = None,
    period_end: date | None = None,
    by: User | None = None,
    files: Sequence[StoredFile] = (),
) -> ProgressReport:
    """The reporter's draft, with its attached files (already stored and checked by content); nothing leaves
    the body until its leader approves it. All or nothing: if the draft is refused or cannot be written, the
    stored files are discarded. A report on a task without an end date covers exactly one of its reporting
    periods: the current one when none is given."""
    try:
        with transaction.atomic():
            if not 0 <= percent <= 100:
                raise DirectiveError(_("The percentage must lie between 0 and 100."))
            if not text.strip():
                raise DirectiveError(_("Say what was done."))
            if period_start and period_end and period_end < period_start:
                raise DirectiveError(_("The reporting period ends before it starts."))
            if reports_by_period(assignment.task.deadline_kind):
                period_start, period_end = _one_period(assignment, period_start, period_end)
            report = ProgressReport.objects.create(
                assignment=assignment,
                text=text.strip(),
                percent=100 if reports_done else percent,
                reports_done=reports_done,
                period_start=period_start,
                period_end=period_end,
                drafted_by=by,
            )
            _attach(report, files, by)
    except BaseException:
        for file in files:
            discard(file.stored_name)
        raise
    return report


def _one_period(
    assignment: Assignment, start: date | None, end: date | None
) -> tuple[date | None, date | None]:
    if start is None and end is None:
        period = current_period(assignment.task, on=clock.today())
        return period.start, period.end
    if start is None or end is None:
        raise DirectiveError(_("Give both the start and the end of the reporting period, or neither."))
    if problem := period_problem(assignment.task, start=start, end=end):
        raise DirectiveError(problem)
    return start, end


def _attach(report: ProgressReport, files: Sequence[StoredFile], by: User | None) -> list[Attachment]:
    created: list[Attachment] = bulk_create_with_history(
        [
            Attachment(
                report=report,
                original_name=file.original_name,
                stored_name=file.stored_name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                uploaded_by=by,
            )
            for file in files
        ],
        Attachment,
        default_user=by,
    )
    return created


def attach_files(
    *, report: ProgressReport, files: Sequence[StoredFile], by: User | None = None
) -> list[Attachment]:
    """More files for a draft (a sent report is what the monitor read: it stays as it was). All or nothing:
    the stored files are discarded if they cannot be recorded."""
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update().get(pk=report.pk)
            if report.state != ReportState.DRAFT:
                raise DirectiveError(_("Files can be added to a draft only."))
            return _attach(report, files, by)
    except BaseException:
        for file in files:
            discard(file.stored_name)
        raise


def _move(report: ProgressReport, expected: ReportState, message: str) -> ProgressReport:
    report = (
        ProgressReport.objects.select_for_update()
        .select_related("assignment__task__directive", "assignment__organization")
        .get(pk=report.pk)
    )
    if report.state != expected:
        raise DirectiveError(message)
    return report


def _task_name(assignment: Assignment) -> str:
    task = assignment.task
    return _("task %(label)s of %(number)s") % {
        "label": task.label or task.position,
        "number": task.directive.number or task.directive,
    }


def _notify_monitors(assignment: Assignment, text: str) -> None:
    notify(users=monitors_of(assignment=assignment), text=text, target=assignment)


def _notify_body(assignment: Assignment, text: str) -> None:
    notify(organizations=[assignment.organization_id], text=text, target=assignment)


@transaction.atomic
def approve_report(*, report: ProgressReport, on: date, by: User | None = None) -> ProgressReport:
    """The body's leader approves the draft, which sends it to the monitors of the body's jurisdiction."""
    report = _move(report, ReportState.DRAFT, _("Only a draft can be approved and sent."))
    report.state, report.sent_on, report.approved_by = ReportState.SENT, on, by
    report.save(update_fields=["state", "sent_on", "approved_by"])
    assignment = report.assignment
    message = (
        _("%(body)s sent a progress report on %(task)s.")
        if not report.reports_done
        else _("%(body)s reports %(task)s done; confirm or return it.")
    )
    _notify_monitors(
        assignment, message % {"body": assignment.organization.name, "task": _task_name(assignment)}
    )
    return report


@transaction.atomic
def confirm_report(*, report: ProgressReport, on: date, by: User | None = None) -> ProgressReport:
    """The monitor confirms a sent report that says the task is done."""
    report = _move(report, ReportState.SENT, _("Only a sent report can be confirmed."))
    if not report.reports_done:
        raise DirectiveError(_("This report does not say the task is done."))
    report.state, report.confirmed_on, report.decided_by = ReportState.CONFIRMED, on, by
    report.save(update_fields=["state", "confirmed_on", "decided_by"])
    _notify_body(
        report.assignment,
        _("The completion of %(task)s was confirmed.") % {"task": _task_name(report.assignment)},
    )
    return report


@transaction.atomic
def return_report(*, report: ProgressReport, comment: str, by: User | None = None) -> ProgressReport:
    """The monitor sends a report back with a comment; the body drafts a new one."""
    if not comment.strip():
        raise DirectiveError(_("Say why the report is returned."))
    report = _move(report, ReportState.SENT, _("Only a sent report can be returned."))
    report.state, report.comment, report.decided_by = ReportState.RETURNED, comment.strip(), by
    report.save(update_fields=["state", "comment", "decided_by"])
    _notify_body(
        report.assignment,
        _("Your report on %(task)s was returned: %(comment)s")
        % {"task": _task_name(report.assignment), "comment": report.comment},
    )
    return report
