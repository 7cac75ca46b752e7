"""Background jobs with progress: work a page starts and then polls (a directive file read and parsed; later
reports generated, registries imported). Each job is a model of its own app on this abstract base, with the
fields every job has, and moves through the helpers below, which write at once, so that the page polling the
job sees how far it got while the work goes on.

Each job declares its `state` field with its own steps (an import reads, then parses); the base's are
JobState's. Whatever the steps, a job starts "queued" and ends "done" or "failed", the values the helpers
write.

A job's worker may die in the middle of it (killed, out of memory, its machine restarted). A running job
writes a sign of life (`heartbeat_at`) at each step and, from a thread of its own, every HEARTBEAT
(`keep_alive`), so that one long step (an OCR page) does not look dead. A running job silent for
JOB_LOST_AFTER lost its worker: `fail_interrupted` fails it with the message its app `register`ed, so that
its page says so and the work can be started again. The task workers (`manage.py run_worker`) record their
own sign of life (core.models.WorkerHeartbeat) and `sweep` when they start and every HEARTBEAT; a job's page
sweeps the job it shows, which holds while no worker runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.models import DBTaskResult

from dondoc.core.models import WorkerHeartbeat

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# How often running jobs and workers write their sign of life, and how long a silent one is taken for dead:
# several beats, so that a loaded machine or a busy database does not fail a job that still runs
HEARTBEAT = timedelta(seconds=10)
JOB_LOST_AFTER = timedelta(seconds=45)
WORKER_LOST_AFTER = timedelta(seconds=30)


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


J = TypeVar("J", bound=Job)

# the states in which no worker runs the job: not yet, or no more
IDLE_STATES = (JobState.QUEUED, JobState.DONE, JobState.FAILED)


def advance(job: Job, *, state: str, progress: int) -> None:
    """The job is at this step, `progress` percent done: written at once, outside the instance's save, with
    the job's sign of life."""
    job.state, job.progress, job.heartbeat_at = state, progress, timezone.now()
    type(job)._default_manager.filter(pk=job.pk).update(
        state=state, progress=progress, heartbeat_at=job.heartbeat_at
    )


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


@contextmanager
def keep_alive(job: Job) -> Iterator[None]:
    """While the block runs, write the job's sign of life every HEARTBEAT from a thread of its own."""
    stopped = threading.Event()

    def beat() -> None:
        while not stopped.wait(HEARTBEAT.total_seconds()):
            try:
                type(job)._default_manager.filter(pk=job.pk).update(heartbeat_at=timezone.now())
            except DatabaseError as error:
                # the next beat tries again, on a new connection; the job is failed only if all of them fail
                logger.warning("The sign of life of job %s was not written: %s", job.pk, error)
            finally:
                connections.close_all()  # this thread's own

    beating = threading.Thread(target=beat, name=f"heartbeat of job {job.pk}", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stopped.set()
        beating.join()


# each job model's message for its users when its worker died, as `register`ed
_interrupted_messages: dict[type[Job], StrOrPromise] = {}


def register(model: type[Job], *, interrupted: StrOrPromise) -> None:
    """Have the sweep fail `model`'s jobs whose worker died, telling their users `interrupted` (what happened
    and what to do). The app's jobs module registers its models: the worker imports every app's."""
    _interrupted_messages[model] = interrupted


def fail_interrupted(jobs: models.QuerySet[J]) -> int:
    """Fail those of `jobs` whose worker died (a running job with no sign of life for JOB_LOST_AFTER) with the
    message their model was registered with; how many there were."""
    silent_since = timezone.now() - JOB_LOST_AFTER
    lost = jobs.exclude(state__in=IDLE_STATES).filter(
        Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True, created_at__lt=silent_since)
    )
    # read before written: pages call this at every poll, and most of the time no job is lost
    if not lost.exists():
        return 0
    failed = lost.update(
        state=JobState.FAILED, message=str(_interrupted_messages[jobs.model]), finished_at=timezone.now()
    )
    logger.warning("%d jobs of %s lost their worker and were failed.", failed, jobs.model._meta.label)
    return failed


def worker_beat(worker_id: str) -> None:
    """The worker `worker_id` lives (run_worker writes it every HEARTBEAT)."""
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": timezone.now()})


def worker_stopped(worker_id: str) -> None:
    """The worker `worker_id` stopped: no page counts on it any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _live_workers() -> models.QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.filter(beat_at__gte=timezone.now() - WORKER_LOST_AFTER)


# the back ends whose tasks wait for a worker: named, not imported, since RQ and its Redis client weigh some
# 37 MB in every web process that asks
QUEUED_BACKENDS = ("django_tasks_db.DatabaseBackend", "django_tasks_rq.RQBackend")


def worker_missing() -> bool:
    """Whether queued jobs wait for a worker that is not there: tasks go through a queue, the database's or
    Redis's (not run inline, as with the immediate backend), and no worker showed a sign of life for
    WORKER_LOST_AFTER (run_worker records it in the database whichever the queue)."""
    if settings.TASKS[DEFAULT_TASK_BACKEND_ALIAS]["BACKEND"] not in QUEUED_BACKENDS:
        return False
    return not _live_workers().exists()


class WorkerLost(Exception):
    """What a queued task whose worker died is recorded as failing with (django-tasks-db keeps its text)."""


def sweep() -> None:
    """Clear up after dead workers: fail the jobs of every registered model whose worker died, and the queue's
    tasks still marked running by a worker silent for WORKER_LOST_AFTER (started that long ago: a worker
    claims its first task as it writes its first sign of life); then forget the silent workers."""
    for model in _interrupted_messages:
        fail_interrupted(model._default_manager.all())
    live = set(_live_workers().values_list("worker_id", flat=True))
    started_before = timezone.now() - WORKER_LOST_AFTER
    for task in DBTaskResult.objects.running().filter(started_at__lt=started_before):
        worker = task.worker_ids[-1] if task.worker_ids else None
        if worker not in live:
            task.set_failed(WorkerLost(f"The worker {worker} stopped while it ran this task."))
            logger.warning("Task %s lost its worker %s and was failed.", task.pk, worker)
    WorkerHeartbeat.objects.exclude(worker_id__in=live).delete()
