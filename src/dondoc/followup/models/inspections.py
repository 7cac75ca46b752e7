"""An inspection (kiểm tra, giám sát) of bodies on directives: planned by a monitor, its findings and their
recommendations recorded, and concluded as a document of its own (a published "Thông báo kết luận kiểm tra"
directive) whose tasks are the recommendations, followed up like any directive's task."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    CONCLUDED = "concluded", _("concluded")


class Inspection(models.Model):
    title = models.CharField(_("title"), max_length=300)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # the team as the decision names it: people and their posts, one a line
    team = models.TextField(_("team"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    scope_text = models.TextField(_("scope and content"), blank=True)
    organizations = models.ManyToManyField(
        "registry.Organization", verbose_name=_("bodies inspected"), related_name="inspections"
    )
    directives = models.ManyToManyField(
        "directives.Directive", verbose_name=_("directives covered"), blank=True, related_name="inspections"
    )
    # the planning monitor's territory: its monitors and readers (and those above) see the inspection
    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=15, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    # the "Thông báo kết luận kiểm tra" published when it was concluded
    conclusion = models.OneToOneField(
        "directives.Directive",
        verbose_name=_("conclusion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concluded_inspection",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[organizations, directives])

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ("-starts_on", "-id")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followup:inspection", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The inspection ends before it starts.")})


class Finding(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("finding"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ("inspection", "position")
        constraints = (
            models.UniqueConstraint(fields=["inspection", "position"], name="unique_finding_position"),
        )

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class Recommendation(models.Model):
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    lead = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("lead body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    coordinating = models.ManyToManyField(
        "registry.Organization", verbose_name=_("coordinating bodies"), blank=True, related_name="+"
    )
    due = models.DateField(_("deadline"))
    # the conclusion's task it became, followed up as any directive's task
    task = models.OneToOneField(
        "directives.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
    )
    history = HistoricalRecords(m2m_fields=[coordinating])

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ("finding", "id")

    def __str__(self) -> str:
        return self.text[:60]
