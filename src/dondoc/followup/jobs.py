"""Background work of the follow-up, through Django's task framework (`manage.py run_worker` runs it;
DONDOC_TASKS=immediate runs it inline): the day's reminders, and the periodic reports monitors ask for."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from dondoc.accounts.scope import Scope, scope_of_membership
from dondoc.core.jobs import advance, fail, finish, keep_alive, register
from dondoc.followup.drafting import compose_annex, compose_report, document_signer
from dondoc.followup.forms.dashboard import period_from_code
from dondoc.followup.models.reports import ReportJob, ReportJobState
from dondoc.followup.selectors.reports import issuing_body, report_data, superiors_informed
from dondoc.followup.services.reminders import send_reminders
from dondoc.writing import write_document, write_workbook

logger = logging.getLogger(__name__)


@task()
def send_reminders_job(today: str) -> dict[str, int]:
    """The reminders due on `today` (ISO date: a task's arguments are stored as JSON), in the site's language
    (a worker has no request to take one from); returns how many went out per channel."""
    with translation.override(settings.LANGUAGE_CODE):
        summary = send_reminders(today=date.fromisoformat(today))
    return asdict(summary)


# Share of the progress bar each step takes: the data, then the report directive by directive, then the annex
# directive by directive and body by body.
COLLECTED, REPORT_WRITTEN, ANNEX_WRITTEN = 20, 50, 95

# a report whose worker died mid-way is failed with this message (core.jobs sweeps such jobs)
INTERRUPTED = gettext_lazy("The task worker stopped while writing this report; ask for it again.")
register(ReportJob, interrupted=INTERRUPTED)


def _stepper(job: ReportJob, *, state: str, start: int, end: int) -> Callable[[int, int], None]:
    """Tell the job's page how far a step got (`done` of `total`), writing only when the percentage moves."""

    def step(done: int, total: int) -> None:
        progress = start + (end - start) * done // max(total, 1)
        if progress != job.progress:
            advance(job, state=state, progress=progress)

    return step


def _scope_of(job: ReportJob) -> Scope | None:
    """The scope the report was asked in: its role alone, still held by its requester."""
    membership = job.membership
    if membership is None or job.requested_by_id is None or membership.user_id != job.requested_by_id:
        return None
    return scope_of_membership(membership)


@task()
def generate_report(job_id: int) -> str:
    """Draft a periodic report and its statistics annex from what its requester sees, telling the job's page
    how far it got; whatever goes wrong ends the job as failed with a message for the user."""
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(of=("self",))
            .select_related("membership__organization", "membership__jurisdiction", "issuer")
            .filter(pk=job_id, state=ReportJobState.QUEUED)
            .first()
        )
        if job is None:  # already taken, or run twice
            return "skipped"
        advance(job, state=ReportJobState.COLLECTING, progress=5)
    with keep_alive(job), translation.override(settings.LANGUAGE_CODE):
        scope = _scope_of(job)
        if scope is None:
            fail(job, message=_("The role this report was asked in is no longer held; ask for it again."))
            return "failed"
        try:
            data = report_data(
                scope=scope,
                directive_ids=list(job.directives.values_list("id", flat=True)),
                period=period_from_code(job.period),
                as_of=job.as_of,
            )
            issuer = issuing_body(job.issuer)
            informed = superiors_informed(
                issuer_ids=[directive.issuer_id for directive in data.directives],
                on=job.as_of,
                reporting=job.issuer,
            )
            advance(job, state=ReportJobState.WRITING, progress=COLLECTED)
            document = compose_report(
                data=data,
                issuer=issuer,
                signer=document_signer(title=job.signer_title, authority=job.signer_authority),
                informed=informed,
                progress=_stepper(job, state=ReportJobState.WRITING, start=COLLECTED, end=REPORT_WRITTEN - 5),
            )
            job.report = write_document(document)
            advance(job, state=ReportJobState.WRITING, progress=REPORT_WRITTEN)
            annex = compose_annex(
                data=data,
                issuer=issuer,
                progress=_stepper(job, state=ReportJobState.WRITING, start=REPORT_WRITTEN, end=ANNEX_WRITTEN),
            )
            job.annex = write_workbook(annex)
            finish(job, fields=["report", "annex"])
        except Exception:
            logger.exception("report %s (%s) failed", job.pk, job.period)
            fail(
                job,
                message=_(
                    "The report could not be written on an unexpected error; the administrators will find it "
                    "in the log."
                ),
            )
            return "failed"
    return "done"
