"""`manage.py serve`: the whole application as `make run` and the one-machine deployment start it. Gunicorn
serves it (a production WSGI server; sync workers, chosen by measurement in BENCHMARKS.md, "Serving"), with
the static files from WhiteNoise; the task worker (`run_worker`) runs beside it and starts again if it
stops; the reminders (`send_reminders`, idempotent) are queued at start and every hour, and the dashboards
being read are recomputed every ten minutes (`refresh_dashboards`).

Ctrl-C or a TERM stops everything it started, the children in their own process groups so that a worker's
own children go too, then it exits; if the web server itself stops, the rest is stopped and its exit code
returned."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

WORKER_RESTART_SECONDS = 5.0
# what runs at start and then this often (seconds), each while the previous run is not still going
PERIODIC = (("send_reminders", 3600.0), ("refresh_dashboards", 600.0))
GRACE_SECONDS = 10.0  # for children to stop after the TERM, before they are killed
POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = (
        "Serve the application with gunicorn, the task worker beside it, the reminders every hour and the "
        "dashboards being read recomputed every ten minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--address", default="127.0.0.1:8000", help="host:port to listen on")
        parser.add_argument(
            "--workers",
            type=int,
            default=(os.cpu_count() or 1) + 1,
            help="web server processes (default: the CPUs plus one)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="serve pages only: no task worker, no reminders, no dashboards recomputed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError(_("--workers must be 1 or more."))
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        web = _start(_gunicorn(options["address"], options["workers"]))
        worker = None if options["no_worker"] else _start(_manage("run_worker", "-v", "0"))
        worker_ended_at: float | None = None
        periodic = [] if options["no_worker"] else [_Periodic(command, every) for command, every in PERIODIC]
        self.stdout.write(
            _("dondoc is served at http://%(address)s (%(workers)d web processes); Ctrl-C stops it.")
            % {"address": options["address"], "workers": options["workers"]}
        )
        code = 0
        try:
            while not stopping:
                if (ended := web.poll()) is not None:
                    code = ended or 1
                    stopped = _("The web server stopped (exit code %(code)s); the rest is stopped.")
                    self.stderr.write(stopped % {"code": ended})
                    break
                now = time.monotonic()
                if worker is not None and worker.poll() is not None:
                    if worker_ended_at is None:
                        worker_ended_at = now
                    elif now - worker_ended_at >= WORKER_RESTART_SECONDS:
                        self.stderr.write(_("The task worker had stopped; it starts again."))
                        worker, worker_ended_at = _start(_manage("run_worker", "-v", "0")), None
                for job in periodic:
                    job.run_if_due(now)
                time.sleep(POLL_SECONDS)
        finally:
            running = [job.process for job in periodic if job.process is not None]
            _stop([process for process in (web, worker, *running) if process is not None])
        if code:
            sys.exit(code)


class _Periodic:
    """A management command run now and then every `every` seconds, never twice at once."""

    def __init__(self, command: str, every: float) -> None:
        self.command, self.every = command, every
        self.process: subprocess.Popen[bytes] | None = None
        self.next_run = time.monotonic()
        self.run_if_due(self.next_run)

    def run_if_due(self, now: float) -> None:
        if now >= self.next_run and (self.process is None or self.process.poll() is not None):
            self.process = _start(_manage(self.command, "-v", "0"))
            self.next_run = now + self.every


def _manage(*arguments: str) -> list[str]:
    # the settings this command runs with are in the environment the children inherit (manage.py set them)
    return [sys.executable, "-m", "django", *arguments]


def _gunicorn(address: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dondoc.wsgi:application",
        "--bind",
        address,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        str(int(GRACE_SECONDS) - 2),
        # a worker is replaced after this many requests (with jitter), so that no memory grows for good
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        # gunicorn 27's control socket is one file per user's home: two servers would share it, none needs it
        "--no-control-socket",
    ]


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    # its own process group: Ctrl-C in the terminal reaches this command alone, which stops each child in turn
    return subprocess.Popen(command, start_new_session=True, env=os.environ.copy())


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """TERM to each child's process group, then KILL to those still there after the grace period."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
    for process in processes:  # what a child started and left behind
        _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
