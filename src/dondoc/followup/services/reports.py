"""Asking for a periodic report: the request is recorded and queued for the background job that drafts the
report and its annex (followup.jobs.generate_report)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dondoc.accounts.models import Membership, User
from dondoc.directives.models import Directive
from dondoc.followup import jobs  # the module, bound now, used when a request is queued
from dondoc.followup.forms.dashboard import period_code
from dondoc.followup.models.reports import ReportJob
from dondoc.periods import ReportingPeriod
from dondoc.registry.models import Jurisdiction, Organization


class ReportError(Exception):
    """A report that cannot be asked for; the message tells the user why."""


def request_report(
    *,
    period: ReportingPeriod,
    directives: Sequence[Directive],
    issuer: Organization,
    signer_title: str,
    signer_authority: str,
    requested_by: User,
    membership: Membership,
    jurisdiction: Jurisdiction | None,
    as_of: date,
) -> ReportJob:
    """Record the request of a report on `directives` for `period`, its figures as of `as_of`, for the
    monitors of `jurisdiction` to follow, and queue it; the report holds what `membership` sees."""
    if not directives:
        raise ReportError(_("Choose at least one directive."))
    if not signer_title.strip():
        raise ReportError(_("Enter the signer's title."))
    with transaction.atomic():
        job = ReportJob.objects.create(
            period=period_code(period),
            as_of=as_of,
            issuer=issuer,
            signer_title=signer_title.strip(),
            signer_authority=signer_authority.strip(),
            requested_by=requested_by,
            membership=membership,
            jurisdiction=jurisdiction,
        )
        job.directives.set(directives)
        transaction.on_commit(lambda: jobs.generate_report.enqueue(job.pk))
    return job
