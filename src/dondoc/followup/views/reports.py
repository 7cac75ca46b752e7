"""The periodic report (báo cáo định kỳ): the page that asks for one and lists those asked before, a report's
page following its drafting in the background, and its two files. guard → access → form → service → redirect.

Only monitors and administrators ask for reports; a report is followed by the monitors of the territory it
was asked in (and of those above) and by the administrators: for anyone else it does not exist (404)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES, User
from dondoc.core.htmx import render_partial
from dondoc.core.jobs import fail_interrupted, worker_missing
from dondoc.core.replica import reads_from_replica
from dondoc.directives.periods import period_label
from dondoc.followup.drafting import period_slug
from dondoc.followup.forms.dashboard import period_code, period_from_code
from dondoc.followup.forms.reports import AUTHORITIES, HEAD_TITLES, ReportForm
from dondoc.followup.models.reports import ReportJob, ReportJobState
from dondoc.followup.selectors.reports import (
    access_report_job,
    report_directives,
    report_issuers,
    report_jobs_for,
    report_jurisdiction,
)
from dondoc.followup.services.reports import ReportError, request_report
from dondoc.periods import DEFAULT_SCHEDULE, ReportingPeriod
from dondoc.registry.models import OrganizationKind

REPORTS_LISTED = 20  # the latest reports under the form
RUNNING_REPORTS = (ReportJobState.QUEUED, ReportJobState.COLLECTING, ReportJobState.WRITING)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the two files of a report: (field, file name's start, extension, content type)
_FILES = {"report": ("report", "bao-cao", "docx", DOCX), "annex": ("annex", "phu-luc", "xlsx", XLSX)}

managers = role_required(*MANAGING_ROLES)


@managers
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    """Ask for a periodic report; the reports asked for before, with their state."""
    acting, today = scope(request), clock.today()
    own = acting.membership.organization
    form = ReportForm(
        request.POST or None,
        today=today,
        directives=report_directives(acting),
        bodies=report_issuers(acting, on=today),
        initial={
            "period": period_code(report_due_next(today)),
            "issuer": own.pk if own is not None else None,
            "signer_title": HEAD_TITLES.get(OrganizationKind(own.kind), "") if own is not None else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert isinstance(request.user, User)
        try:
            job = request_report(
                period=data["period"],
                directives=list(data["directives"]),
                issuer=data["issuer"],
                signer_title=data["signer_title"],
                signer_authority=data["signer_authority"],
                requested_by=request.user,
                membership=acting.membership,
                jurisdiction=report_jurisdiction(acting),
                as_of=today,
            )
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Report asked for: this page follows its drafting."))
            return redirect("followup:report_job", pk=job.pk)
    jobs = (
        report_jobs_for(acting)
        .defer("report", "annex")
        .select_related("requested_by", "issuer")
        .prefetch_related("directives")[:REPORTS_LISTED]
    )
    context = {
        "form": form,
        "jobs": [(job, _period_shown(job)) for job in jobs],
        "authorities": AUTHORITIES,
    }
    return render(request, "followup/reports.html", context, status=400 if request.method == "POST" else 200)


def report_due_next(today: date) -> ReportingPeriod:
    """The quarter whose report is due next: the one before this until its submission deadline has passed
    (on 20/6, the second quarter, cut off on 14/6), then this one."""
    current = DEFAULT_SCHEDULE.period_on(today)
    previous = DEFAULT_SCHEDULE.period_on(current.start - timedelta(days=1))
    return previous if previous.deadline >= today else current


def _period_shown(job: ReportJob) -> str:
    return period_label(period_from_code(job.period))


@managers
@require_http_methods(["GET"])
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One report's progress; htmx polls the fragment every second until it is done or failed. A report whose
    worker died is failed here, even while no worker runs to notice it; a running one says when no worker
    runs."""
    job = access_report_job(scope(request), pk)
    if fail_interrupted(ReportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db(fields=["state", "progress", "message", "finished_at"])
    running = job.state in RUNNING_REPORTS
    context = {
        "job": job,
        "period": _period_shown(job),
        "directives": list(job.directives.order_by("issued_on", "id")),
        "running": running,
        "no_worker": running and worker_missing(),
        "done": job.state == ReportJobState.DONE,
    }
    return render_partial(request, "followup/report_job.html", "followup/_report_job_progress.html", context)


@managers
@require_http_methods(["GET"])
@reads_from_replica
def download_report(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """The report (.docx) or its annex (.xlsx) of a done report, named after its period
    ("bao-cao-quy-2-2023.docx")."""
    if part not in _FILES:
        raise Http404
    field, start, extension, content_type = _FILES[part]
    job = access_report_job(scope(request), pk, files=True)
    content = getattr(job, field)
    if job.state != ReportJobState.DONE or content is None:
        raise Http404
    response = HttpResponse(bytes(content), content_type=content_type)
    name = f"{start}-{period_slug(period_from_code(job.period))}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
