"""The task worker survives and cleans up: a running job keeps writing its sign of life, the sweep fails the
jobs and queued tasks of a dead worker, a worker killed mid-import leaves a failed job (its file may be sent
again), and `run_worker` outlives a PostgreSQL outage. The last two run real worker processes (`manage.py
run_worker`) against a database of their own: a SQLite file, a throw-away PostgreSQL cluster."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from PIL import Image
from tests.fixtures.members import SEED
from tests.waiting import eventually

from dondoc.core import jobs
from dondoc.core.jobs import keep_alive, sweep, worker_beat
from dondoc.core.models import WorkerHeartbeat
from dondoc.directives.jobs import INTERRUPTED, parse_import
from dondoc.directives.models import ImportJob, ImportState

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "tests" / "corpus" / "dev" / "06a-cong-van-so-noi-vu.png"
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
POSTGRESQL_BIN = Path("/usr/lib/postgresql/15/bin")


def new_job(name: str = "cd", **fields: Any) -> ImportJob:
    return ImportJob.objects.create(
        original_name="1317-CV-TU.md",
        stored_name=f"ab/{name}.txt",
        kind="txt",
        size=1,
        sha256="0" * 64,
        **fields,
    )


def seconds_ago(seconds: float) -> Any:
    return timezone.now() - timedelta(seconds=seconds)


# In-process: the sign of life and the sweep


@pytest.mark.django_db(transaction=True)  # the heartbeat thread writes on a connection of its own
def test_a_running_job_writes_its_sign_of_life_until_its_block_ends(monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT", timedelta(seconds=0.05))
    job = new_job(state=ImportState.READING)

    def heartbeat() -> Any:
        return ImportJob.objects.get(pk=job.pk).heartbeat_at

    with keep_alive(job):
        first = eventually(heartbeat, within=10, what="a first sign of life")
        eventually(lambda: heartbeat() > first, within=10, what="a later sign of life")
    last = heartbeat()
    time.sleep(0.3)  # several heartbeats' worth: none comes after the block
    assert heartbeat() == last


@pytest.mark.django_db
def test_the_sweep_fails_a_job_silent_too_long_and_leaves_the_others():
    lost = new_job(name="lost", state=ImportState.READING, heartbeat_at=seconds_ago(46))
    # started before heartbeats were written: its upload time stands in for its sign of life
    lost_unbeating = new_job(name="old", state=ImportState.PARSING)
    alive = new_job(name="alive", state=ImportState.READING, heartbeat_at=seconds_ago(5))
    queued = new_job(name="queued")
    ImportJob.objects.filter(pk=queued.pk).update(created_at=seconds_ago(3600))
    ImportJob.objects.filter(pk=lost_unbeating.pk).update(created_at=seconds_ago(3600))
    with translation.override("vi"):  # the message is written in the language of the sweep
        sweep()
        assert ImportJob.objects.get(pk=lost.pk).message == str(INTERRUPTED)
    states = dict(ImportJob.objects.values_list("pk", "state"))
    assert states[lost.pk] == states[lost_unbeating.pk] == ImportState.FAILED
    assert (states[alive.pk], states[queued.pk]) == (ImportState.READING, ImportState.QUEUED)


@pytest.mark.django_db
def test_the_sweep_fails_the_queued_task_of_a_dead_worker_and_forgets_it(settings):
    settings.TASKS = DATABASE
    orphan, running = (
        DBTaskResult.objects.get(id=parse_import.enqueue(new_job(name=name).pk).id) for name in ("a", "b")
    )
    orphan.claim("dead")
    running.claim("alive")
    DBTaskResult.objects.update(started_at=seconds_ago(60))
    WorkerHeartbeat.objects.create(worker_id="dead", beat_at=seconds_ago(31))
    worker_beat("alive")
    sweep()
    orphan.refresh_from_db()
    running.refresh_from_db()
    assert orphan.status == "FAILED" and "WorkerLost" in orphan.exception_class_path
    assert running.status == "RUNNING"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


# Real workers: helpers


# The worker with short delays, so that a killed one is noticed in seconds: silent 2 s, a job or a worker is
# dead. The delays are read when used, so that changing them before the command starts is enough.
QUICK_WORKER = """
import sys
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command

from dondoc.core import jobs

jobs.HEARTBEAT, jobs.JOB_LOST_AFTER, jobs.WORKER_LOST_AFTER = (timedelta(seconds=s) for s in (0.5, 2, 2))
call_command("run_worker", *sys.argv[1:])
"""

# start_import as the upload page calls it; prints the job's id
IMPORT = """
import sys
from pathlib import Path

import django

django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.directives.services import start_import

path = Path(sys.argv[1])
upload = SimpleUploadedFile(path.name, path.read_bytes())
print(start_import(upload=upload, user=None, jurisdiction=None).pk)
"""


@dataclass
class Site:
    """A database of its own and the environment that points manage.py at it; the processes started on it,
    each in a session of its own (the worker and its OCR children), killed at the end."""

    environment: dict[str, str]
    directory: Path
    processes: list[subprocess.Popen[bytes]]

    def run(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, *arguments], cwd=ROOT, env=self.environment, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    def start_worker(self, *, quick: bool = False) -> subprocess.Popen[bytes]:
        log = self.directory / f"worker-{len(self.processes)}.log"
        command = ["-c", QUICK_WORKER] if quick else ["manage.py", "run_worker"]
        with log.open("wb") as output:
            worker = subprocess.Popen(
                [sys.executable, *command, "--no-startup-delay", "-v", "1"],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(worker)
        return worker

    def log(self, worker: subprocess.Popen[bytes]) -> str:
        return (self.directory / f"worker-{self.processes.index(worker)}.log").read_text(errors="replace")

    def import_file(self, path: Path) -> int:
        return int(self.run("-c", IMPORT, str(path)))


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the worker and whatever it started (tesseract), as the kernel's OOM killer or `kill -9`."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def site_environment(directory: Path, **variables: str) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DONDOC_", "PG", "DJANGO_SETTINGS_MODULE"))
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.dev",
        "DONDOC_DATA_DIR": str(directory),
        "DONDOC_LOG_FORMAT": "text",
        **variables,
    }


@pytest.fixture
def sites() -> Iterator[list[Site]]:
    made: list[Site] = []
    yield made
    for site in made:
        for process in site.processes:
            kill(process)


# Real workers: killed mid-import


@pytest.fixture
def sqlite_site(tmp_path: Path, sites: list[Site]) -> Site:
    site = Site(site_environment(tmp_path, DONDOC_SQLITE=str(tmp_path / "dondoc.sqlite3")), tmp_path, [])
    sites.append(site)
    site.run("manage.py", "migrate", "--noinput", "-v", "0")
    return site


def sqlite_row(site: Site, query: str, *parameters: Any) -> Any:
    with sqlite3.connect(f"file:{site.directory / 'dondoc.sqlite3'}?mode=ro", uri=True) as database:
        return database.execute(query, parameters).fetchone()


def test_an_import_whose_worker_is_killed_fails_and_its_file_may_be_sent_again(sqlite_site: Site):
    # a scanned letter of three pages: seconds of OCR each
    scan = Image.open(SCAN).convert("RGB")
    slow = sqlite_site.directory / "slow.pdf"
    scan.save(slow, save_all=True, append_images=[scan.copy(), scan.copy()])
    first = sqlite_site.start_worker(quick=True)
    job_id = sqlite_site.import_file(slow)

    def job() -> tuple[str, str]:
        return sqlite_row(sqlite_site, "SELECT state, message FROM directives_importjob WHERE id = ?", job_id)

    eventually(lambda: job()[0] == ImportState.READING, within=30, what="the worker reading the scan")
    kill(first)
    assert job()[0] == ImportState.READING

    second = sqlite_site.start_worker(quick=True)
    eventually(
        lambda: job()[0] == ImportState.FAILED,
        within=30,
        what=f"the lost import failed\n{sqlite_site.log(second)}",
    )
    with translation.override("vi"):  # the worker writes the message in the site's language
        assert job()[1] == str(INTERRUPTED)
    # the queue's task is failed by the same sweep or the next (its worker counts as lost on its own clock)
    eventually(
        lambda: sqlite_row(sqlite_site, f"SELECT status FROM {DBTaskResult._meta.db_table}") == ("FAILED",),
        within=30,
        what=f"the lost task failed\n{sqlite_site.log(second)}",
    )
    again = sqlite_site.import_file(slow)
    assert again != job_id and second.poll() is None


# Real workers: a PostgreSQL outage


@dataclass
class Cluster:
    """A throw-away PostgreSQL server: its own data directory and port, stopped and started at will."""

    directory: Path
    port: int

    def pg_ctl(self, *arguments: str) -> None:
        # initdb and the server refuse to run as root: as the postgres user then
        as_server_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*as_server_user, str(POSTGRESQL_BIN / "pg_ctl"), "-D", str(self.directory / "data"), *arguments],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-l", str(self.directory / "server.log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (POSTGRESQL_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15's server programs are not installed ({POSTGRESQL_BIN})")
    # outside pytest's own temporary directory, which the postgres user may not enter
    directory = Path(tempfile.mkdtemp(prefix="dondoc-outage-"))
    server = Cluster(directory, free_port())
    try:
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
        server.pg_ctl("init", "-o", "--auth=trust --username=dondoc --encoding=UTF8 --no-sync")
        server.start()
        yield server
    finally:
        if (directory / "data" / "postmaster.pid").exists():
            server.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(directory)


def test_the_worker_outlives_a_database_outage(cluster: Cluster, tmp_path: Path, sites: list[Site]):
    environment = site_environment(
        tmp_path,
        DONDOC_DATABASE="postgresql",
        PGHOST="127.0.0.1",
        PGPORT=str(cluster.port),
        PGUSER="dondoc",
        PGPASSWORD="dondoc",
        PGDATABASE="postgres",
    )
    site = Site(environment, tmp_path, [])
    sites.append(site)
    site.run("manage.py", "migrate", "--noinput", "-v", "0")

    def row(query: str, *parameters: Any) -> Any:
        with psycopg.connect(
            host="127.0.0.1", port=cluster.port, user="dondoc", dbname="postgres"
        ) as database:
            return database.execute(query, parameters).fetchone()

    worker = site.start_worker()
    eventually(lambda: "Starting worker" in site.log(worker), within=30, what="the worker started")
    cluster.stop()
    # django-tasks-db's own worker dies here, on the OperationalError of its next poll
    eventually(
        lambda: worker.poll() is not None or "database is unreachable" in site.log(worker),
        within=20,
        what="the worker meeting the outage",
    )
    time.sleep(5)  # the outage goes on: the worker keeps trying
    assert worker.poll() is None, site.log(worker)
    cluster.start()

    job_id = site.import_file(ROOT / SEED)
    eventually(
        lambda: row("SELECT state FROM directives_importjob WHERE id = %s", job_id)[0] == ImportState.DONE,
        within=60,
        what=f"the import done after the outage\n{site.log(worker)}",
    )
    assert worker.poll() is None and "database answers again" in site.log(worker)
