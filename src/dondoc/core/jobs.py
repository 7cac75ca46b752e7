"""Background jobs with progress: work a page starts and then polls (a directive file read and parsed; later
reports generated, registries imported). Each job is a model of its own app on this abstract base, with the
fields every job has, and moves through the helpers below, which write at once, so that the page polling the
job sees how far it got while the work goes on.

Each job declares its `state` field with its own steps (an import reads, then parses); the base's are
JobState's. Whatever the steps, a job starts "queued" and ends "done" or "failed", the values the helpers
write."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """What every background job records: its state, how far it got (a percentage), a message for the user
    when it fails, and when it was created and finished."""

    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # written by the worker while it runs the job: a running job whose heartbeat stopped lost its worker
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        abstract = True


def advance(job: Job, *, state: str, progress: int) -> None:
    """The job is at this step, `progress` percent done: written at once, outside the instance's save."""
    job.state, job.progress = state, progress
    type(job)._default_manager.filter(pk=job.pk).update(state=state, progress=progress)


def finish(job: Job, *, fields: Iterable[str] = ()) -> None:
    """The job is done (100 %), saved with the other `fields` it set (what it made, such as a draft)."""
    job.state, job.progress, job.finished_at = JobState.DONE, 100, timezone.now()
    job.save(update_fields=[*fields, "state", "progress", "finished_at"])


def fail(job: Job, *, message: str) -> None:
    """The job failed; `message` tells the user why."""
    job.state, job.message, job.finished_at = JobState.FAILED, message, timezone.now()
    type(job)._default_manager.filter(pk=job.pk).update(
        state=job.state, message=message, finished_at=job.finished_at
    )
