"""The overall dashboard's figures, kept ahead of its readers (followup.services.dashboards): one row per
territory's dashboard and choice of filters, with the day its figures stand on and the moment they were
computed, which the page states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeptDashboard(models.Model):
    """The figures of one dashboard as computed at `computed_at`: the same for every user who sees the same
    assignments with the same filters (`key` says which), recomputed by the refresher, or by a page once
    old."""

    key = models.CharField(_("dashboard"), max_length=200, unique=True)
    # whose scope the refresher recomputes it in: the last user to have it computed
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("membership"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filters = models.JSONField(_("filters"))
    as_of = models.DateField(_("figures as of"))
    computed_at = models.DateTimeField(_("computed at"))
    # when a page last showed it, to the hour: the refresher keeps ahead only the dashboards being read
    read_at = models.DateTimeField(_("last read"), db_index=True)
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("kept dashboard")
        verbose_name_plural = _("kept dashboards")

    def __str__(self) -> str:
        return self.key
