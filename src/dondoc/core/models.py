"""The models every area shares. A notice in the application goes to a body (every user acting for it sees it)
or to one user, and is about whatever record it names (a directive, an assignment, later a reminder or a
report), through a generic relation: core knows no other app's models. Bodies are the recipients in this
domain, so the body is a foreign key to the registry's Organization, named by string (core imports no app).

The background jobs' shared fields are an abstract model in core.jobs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# the longest text a notice keeps (core.notifications cuts a longer one)
NOTICE_LENGTH = 500


class Notification(models.Model):
    """An in-app notice to a body (every user of it sees it) or to one user, about one record."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField(_("text"), max_length=NOTICE_LENGTH)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # index names are global on PostgreSQL: directives' notices held "notification_body" until they
            # moved here
            models.Index(fields=["organization", "read_at"], name="core_notification_body"),
            models.Index(fields=["user", "read_at"], name="core_notification_user"),
        ]

    def __str__(self) -> str:
        return self.text


class WorkerHeartbeat(models.Model):
    """A running task worker (`manage.py run_worker`): it writes `beat_at` every few seconds while it lives
    and deletes its row when it stops (core.jobs reads it: whether any worker runs, whose tasks were lost)."""

    # django-tasks-db's id of the worker, which its claimed tasks record
    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    beat_at = models.DateTimeField(_("last sign of life"))

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return self.worker_id
