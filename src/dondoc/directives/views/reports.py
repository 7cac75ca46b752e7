"""A body's inbox, the assignment page (progress reports, attached files, new deadlines) and the notices.

Every page starts from the request's scope through directives.access: what it may not see is not found
(404); what its role may not do is forbidden (403)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import User
from dondoc.core.htmx import render_partial
from dondoc.core.pagination import paginate
from dondoc.directives import selectors, services, uploads
from dondoc.directives.access import (
    access_assignment,
    access_attachment,
    access_extension,
    access_report,
    assignments_for,
    bodies_assigned_for,
    can_approve_report,
    can_decide,
    can_draft_report,
    directives_for,
    directives_to_pick,
    reports_for,
    sees_drafts,
)
from dondoc.directives.forms import DecisionForm, ExtensionForm, InboxFilterForm, ReportForm, ReturnForm
from dondoc.directives.models import Assignment, ExtensionState, ProgressReport, ReportState
from dondoc.directives.periods import current_period, period_problem

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


# --- inbox ---


@role_required()
def inbox(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    visible = assignments_for(acting)
    form = InboxFilterForm(
        request.GET or None,
        directives=directives_to_pick(acting, picked=bool(request.GET.get("directive"))),
        bodies=None if acting.is_unit else bodies_assigned_for(acting),
    )
    filters = form.filters() if form.is_bound and form.is_valid() else selectors.InboxFilters()
    today = clock.today()
    found = selectors.inbox(assignments=visible, today=today, filters=filters, drafts=sees_drafts(acting))
    page = paginate(request, found.total, per_page=PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "rows": found.page(offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE),
        "today": today,
        "total": found.total,
        "more_than_counted": found.more_than_counted,
        "counted": number_format(found.counted, force_grouping=True),
        "show_body": not acting.is_unit,
    }
    return render_partial(request, "directives/inbox.html", "directives/_inbox_results.html", context)


# --- the assignment page and its actions ---


def _assignment_page(
    request: HttpRequest,
    assignment: Assignment,
    *,
    report_form: ReportForm | None = None,
    extension_form: ExtensionForm | None = None,
    bound: tuple[str, int, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    acting = scope(request)
    today = clock.today()
    by_period = selectors.reports_by_period(assignment.task.deadline_kind)
    situation = selectors.assignment_situations(
        assignments=Assignment.objects.filter(pk=assignment.pk), today=today, drafts=sees_drafts(acting)
    )[assignment.pk]
    reports = list(
        reports_for(acting, assignments=Assignment.objects.filter(pk=assignment.pk))
        .order_by("-id")
        .select_related("drafted_by", "approved_by", "decided_by")
        .prefetch_related("attachments")
    )
    extensions = list(assignment.extensions.select_related("requested_by", "decided_by").order_by("-id"))
    may_decide = can_decide(acting)
    if report_form is None:
        # the current period, which the situation holds for a task reported on by period: the form's fields
        report_form = ReportForm(
            by_period=by_period,
            initial={"period_start": situation.period.start, "period_end": situation.period.end}
            if situation.period is not None
            else {},
        )
    # a form sent back with errors replaces the blank one of the same report or request
    return_forms: dict[int, forms.Form] = {
        report.pk: ReturnForm(prefix=f"return-{report.pk}")
        for report in reports
        if may_decide and report.state == ReportState.SENT
    }
    decision_forms: dict[int, forms.Form] = {
        extension.pk: DecisionForm(prefix=f"decide-{extension.pk}")
        for extension in extensions
        if may_decide and extension.state == ExtensionState.PENDING
    }
    if bound is not None:
        kind, pk, form = bound
        (return_forms if kind == "return" else decision_forms)[pk] = form
    # the body's own plan carrying the task out, if any: its status derived from the plan's tasks
    plan = selectors.plan_progress(
        task_ids=[assignment.task_id], today=today, body=assignment.organization
    ).get((assignment.task_id, assignment.organization_id))
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "directive": assignment.task.directive,
        "situation": situation,
        "plan": plan,
        "plan_readable": plan is not None and directives_for(acting).filter(pk=plan.directive_id).exists(),
        "today": today,
        "by_period": by_period,
        "reports": [(report, return_forms.get(report.pk)) for report in reports],
        "extensions": [(extension, decision_forms.get(extension.pk)) for extension in extensions],
        "may_draft": can_draft_report(acting, assignment),
        "may_approve": can_approve_report(acting, assignment),
        "may_decide": may_decide,
        "may_extend": (
            can_draft_report(acting, assignment)
            and assignment.due is not None
            and not by_period
            and not any(extension.state == ExtensionState.PENDING for extension in extensions)
        ),
        "report_form": report_form,
        "extension_form": extension_form or ExtensionForm(),
        "accept": ",".join(sorted(f".{kind}" for kind in uploads.ATTACHMENT_KINDS)),
    }
    return render(request, "directives/assignment.html", context, status=status)


@role_required()
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    return _assignment_page(request, access_assignment(scope(request), pk))


@require_POST
@role_required()
def draft_report(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(scope(request), pk)
    if not can_draft_report(scope(request), assignment):
        raise PermissionDenied
    by_period = selectors.reports_by_period(assignment.task.deadline_kind)
    form = ReportForm(request.POST, request.FILES, by_period=by_period)
    if not form.is_valid():
        return _assignment_page(request, assignment, report_form=form, status=400)
    period_start, period_end = form.cleaned_data.get("period_start"), form.cleaned_data.get("period_end")
    if by_period and period_start is None and period_end is None:
        period = current_period(assignment.task, on=clock.today())
        period_start, period_end = period.start, period.end
    elif by_period and (problem := period_problem(assignment.task, start=period_start, end=period_end)):
        # checked before the files are stored, which a refused report would leave behind
        form.add_error(None, problem)
        return _assignment_page(request, assignment, report_form=form, status=400)
    stored: list[uploads.StoredFile] = []
    try:
        for upload in form.cleaned_data["attachments"]:
            stored.append(uploads.store_upload(upload, allowed=uploads.ATTACHMENT_KINDS))
    except uploads.UploadError as error:
        for file in stored:
            uploads.discard(file.stored_name)
        form.add_error("attachments", str(error))
        return _assignment_page(request, assignment, report_form=form, status=400)
    try:
        services.draft_report(
            assignment=assignment,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            reports_done=form.cleaned_data["reports_done"],
            period_start=period_start,
            period_end=period_end,
            by=_user(request),
            files=stored,
        )
    except services.DirectiveError as error:  # the service has discarded the stored files
        form.add_error(None, str(error))
        return _assignment_page(request, assignment, report_form=form, status=400)
    messages.success(request, _("The draft report is saved; the body's leader approves it to send it."))
    return redirect("directives:assignment", pk=assignment.pk)


def _after(
    request: HttpRequest, report: ProgressReport, done: str, action: Any, **kwargs: Any
) -> HttpResponse:
    try:
        action(report=report, by=_user(request), **kwargs)
    except services.DirectiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("directives:assignment", pk=report.assignment_id)


@require_POST
@role_required()
def approve_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(scope(request), pk)
    if not can_approve_report(scope(request), report.assignment):
        raise PermissionDenied
    return _after(
        request,
        report,
        _("The report is approved and sent to the monitor."),
        services.approve_report,
        on=clock.today(),
    )


@require_POST
@role_required()
def confirm_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(scope(request), pk)
    if not can_decide(scope(request)):
        raise PermissionDenied
    return _after(request, report, _("Completion is confirmed."), services.confirm_report, on=clock.today())


@require_POST
@role_required()
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(scope(request), pk)
    if not can_decide(scope(request)):
        raise PermissionDenied
    form = ReturnForm(request.POST, prefix=f"return-{report.pk}")
    if not form.is_valid():
        return _assignment_page(request, report.assignment, bound=("return", report.pk, form), status=400)
    return _after(
        request,
        report,
        _("The report is returned to the body."),
        services.return_report,
        comment=form.cleaned_data["comment"],
    )


@require_POST
@role_required()
def request_extension(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(scope(request), pk)
    if not can_draft_report(scope(request), assignment):
        raise PermissionDenied
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.request_extension(
                assignment=assignment,
                requested_due=form.cleaned_data["requested_due"],
                reason=form.cleaned_data["reason"],
                on=clock.today(),
                by=_user(request),
            )
        except services.DirectiveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The request for a new deadline is sent to the monitor."))
            return redirect("directives:assignment", pk=assignment.pk)
    return _assignment_page(request, assignment, extension_form=form, status=400)


@require_POST
@role_required()
def decide_extension(request: HttpRequest, pk: int) -> HttpResponse:
    extension = access_extension(scope(request), pk)
    if not can_decide(scope(request)):
        raise PermissionDenied
    assignment = access_assignment(scope(request), extension.assignment_id)
    form = DecisionForm(request.POST, prefix=f"decide-{extension.pk}")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_extension(
                extension=extension,
                approve=approve,
                on=clock.today(),
                comment=form.cleaned_data["comment"],
                by=_user(request),
            )
        except services.DirectiveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The new deadline is approved.") if approve else _("The request is refused.")
            )
            return redirect("directives:assignment", pk=assignment.pk)
    return _assignment_page(request, assignment, bound=("decide", extension.pk, form), status=400)


@role_required()
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access_attachment(scope(request), pk)
    try:
        response = uploads.file_response(
            stored_name=attachment.stored_name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
        )
    except (uploads.UploadError, OSError) as error:
        raise Http404(_("The file is missing from the store.")) from error
    return cast(HttpResponse, response)  # a streamed file; role_required is typed for plain responses


# --- notifications ---


@role_required()
def notifications(request: HttpRequest) -> HttpResponse:
    notices = selectors.notifications_for(scope=scope(request))
    page = paginate(request, notices, per_page=PAGE_SIZE)
    return render(request, "directives/notifications.html", {"page": page})


@require_POST
@role_required()
def notifications_read(request: HttpRequest) -> HttpResponse:
    notices = selectors.notifications_for(scope=scope(request))
    chosen = request.POST.get("notification", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        notices = notices.filter(pk=int(chosen))
    services.mark_read(notifications=notices)
    return redirect("directives:notifications")
