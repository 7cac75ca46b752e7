"""`manage.py run_worker`: the task worker of the queue the settings chose (DONDOC_TASKS), so that `serve`,
the systemd units and the docs name one command.

On the database queue (the default) it is django-tasks-db's worker (`db_worker`, with its options) made to
last. A database outage no longer ends it: it closes its connections, waits (longer each time the database is
still away) and goes on. On Redis it is RQ's worker (django-rq's, with django-tasks-rq's job class), which
takes `--queue-name`, `--batch`, `--max-tasks` and `--worker-id` alike and waits out a Redis outage itself.
Either way, while it lives it records its sign of life and, from a thread of its own, sweeps up after dead
workers (core.jobs.sweep): at once when it starts, then every few seconds. `make run` and the systemd unit of
docs/deploying.md start it again if it stops all the same."""

from __future__ import annotations

import logging
import os
import threading
import time
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.module_loading import autodiscover_modules
from django_rq.workers import get_worker
from django_tasks import task_backends
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import RQBackend
from django_tasks_rq.backend import Job as RQJob

from dondoc.core.jobs import HEARTBEAT, sweep, worker_beat, worker_stopped

logger = logging.getLogger(__name__)

# what a lost or refused database connection raises
DATABASE_ERRORS = (OperationalError, InterfaceError)
# seconds before trying the database again: doubled at each failure, from the first to the last
FIRST_RETRY, LAST_RETRY = 1.0, 30.0


class LastingWorker(db_worker.Worker):
    """django-tasks-db's worker that outlives database outages and records its sign of life."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # a task whose end could not be written (the database went away): recorded failed once it is back
        self.unrecorded: tuple[DBTaskResult[Any, Any], BaseException] | None = None

    def run(self) -> None:
        with signs_of_life(self.worker_id):
            while True:
                try:
                    self.record_unrecorded()
                    super().run()
                    return
                except DATABASE_ERRORS as error:
                    if not self.running:  # asked to stop: no reason to wait
                        raise
                    self.wait_for_database(error)

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        try:
            super().run_task(db_task_result)
        except DATABASE_ERRORS as error:
            self.unrecorded = (db_task_result, error)
            raise

    def record_unrecorded(self) -> None:
        if self.unrecorded is not None:
            task, error = self.unrecorded
            task.set_failed(error)
            self.unrecorded = None

    def wait_for_database(self, error: BaseException) -> None:
        """Until the database answers again: close the broken connections, wait, try."""
        delay = FIRST_RETRY
        while True:
            logger.warning("The database is unreachable (%s); the worker tries again in %g s.", error, delay)
            connections.close_all()
            time.sleep(delay)
            try:
                connections[DBTaskResult.objects.db].ensure_connection()
            except DATABASE_ERRORS as again:
                error, delay = again, min(2 * delay, LAST_RETRY)
            else:
                logger.warning("The database answers again; the worker goes on.")
                return


@contextmanager
def signs_of_life(worker_id: str) -> Iterator[None]:
    """While the block runs, the worker's sign of life and the sweep, from a thread of its own; that the
    worker stopped, once it has."""
    stopped = threading.Event()
    alive = threading.Thread(target=_live, args=(worker_id, stopped), name="worker heartbeat", daemon=True)
    alive.start()
    try:
        yield
    finally:
        stopped.set()
        alive.join()
        try:
            worker_stopped(worker_id)
        except DATABASE_ERRORS as error:
            logger.warning("The worker could not record that it stopped: %s", error)


def _live(worker_id: str, stopped: threading.Event) -> None:
    """The heartbeat thread: the worker's sign of life and the sweep, now and every HEARTBEAT."""
    while True:
        try:
            worker_beat(worker_id)
            sweep()
        except DATABASE_ERRORS as error:
            logger.warning("The worker's sign of life was not written: %s", error)
        finally:
            connections.close_all()  # this thread's own; a new one next time, whatever became of it
        if stopped.wait(HEARTBEAT.total_seconds()):
            return


def run_redis_worker(
    backend: RQBackend,
    *,
    queue_names: list[str],
    excluded_queue_names: list[str],
    batch: bool,
    max_tasks: int | None,
    worker_id: str,
    verbosity: int,
) -> None:
    """RQ's worker on the backend's queues (`*`: all of them but the excluded), with django-tasks-rq's job
    class, which runs each task as a django-tasks task and records its result for `get_result`. Each task runs
    in a process forked for it, so that a crash or a leak ends with the task; RQ's own scheduler (one per
    Redis, taken in turn) moves deferred tasks to the queue when their time comes."""
    names = sorted(backend.queues - set(excluded_queue_names)) if "*" in queue_names else queue_names
    worker = get_worker(*names, job_class=RQJob, name=worker_id)
    with signs_of_life(worker_id):
        connections.close_all()  # none shared with the forked processes
        worker.work(
            burst=batch,
            with_scheduler=True,
            max_jobs=max_tasks,
            logging_level="WARNING" if verbosity == 0 else "INFO",
        )


def queue_backend_name(alias: str) -> str:
    """`--backend`: the alias of a task backend this command has a worker for (the database's or Redis's)."""
    if alias in settings.TASKS and isinstance(task_backends[alias], RQBackend):
        return alias
    try:
        return db_worker.valid_backend_name(alias)
    except ArgumentTypeError as error:
        raise ArgumentTypeError(f"{error} nor a Redis backend") from None


class Command(db_worker.Command):
    help = (
        "Run the task worker of the configured queue (the database's, with db_worker's options, or Redis's), "
        "which waits out outages, records its sign of life and fails the jobs of workers that died."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # db_worker's --backend takes a database backend only
        parser._option_string_actions["--backend"].type = queue_backend_name

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        reload: bool,
        batch: bool,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        # each app's jobs module registers the job models the sweep fails when their worker died
        autodiscover_modules("jobs")
        backend = task_backends[options["backend_name"]]
        if isinstance(backend, RQBackend):
            if reload:
                logger.warning("The Redis worker does not reload on code changes; restart it instead.")
            run_redis_worker(
                backend,
                queue_names=queue_names,
                excluded_queue_names=excluded_queue_names,
                batch=batch,
                max_tasks=options["max_tasks"],
                worker_id=options["worker_id"],
                verbosity=verbosity,
            )
            return
        worker = LastingWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded_queue_names,
            batch=batch,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # the reloader's child runs the worker
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
