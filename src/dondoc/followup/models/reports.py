"""The periodic report (báo cáo định kỳ) a monitor asks for: what was asked (the period, the directives, the
issuing body, the signer), and, once the background job has written them, the report (.docx) and its
statistics annex (.xlsx).

The two files are kept in the row (BinaryField), not under the data directory: they are small (tens to
hundreds of kilobytes for a province), they exist exactly when the job is done (written in the same
save as its state), the database backup carries them, and no file is left behind when a job is deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.core.jobs import Job


class ReportJobState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    COLLECTING = "collecting", _("collecting the figures")
    WRITING = "writing", _("writing the documents")
    DONE = "done", _("ready to download")
    FAILED = "failed", _("failed")


class ReportJob(Job):
    """One periodic report on its way to two files: drafted in the background (its progress, message and times
    are core.jobs.Job's; its state has the report's own steps)."""

    # the period as the dashboard's filter writes it ("quarter-2023-2": forms.dashboard.period_code)
    period = models.CharField(_("reporting period"), max_length=30)
    # the day the figures stand on: the day it was asked for, so that the same request gives the same files
    as_of = models.DateField(_("figures as of"))
    directives = models.ManyToManyField(
        "directives.Directive", verbose_name=_("directives covered"), related_name="+"
    )
    issuer = models.ForeignKey(
        "registry.Organization", verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+"
    )
    signer_authority = models.CharField(_("signing authority"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the role it was asked in: the report holds what that role sees (none left: the job fails)
    membership = models.ForeignKey(
        "accounts.Membership", verbose_name=_("role"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the requesting monitor's territory: its monitors (and those of the territories above) see the job
    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportJobState.choices, default=ReportJobState.QUEUED
    )
    report = models.BinaryField(_("report (.docx)"), null=True, editable=False)
    annex = models.BinaryField(_("statistics annex (.xlsx)"), null=True, editable=False)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.period} ({self.as_of:%d/%m/%Y})"
