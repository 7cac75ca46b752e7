"""The task queue on Redis (DONDOC_TASKS=redis): Debian's redis-server on a port of its own, two real workers
(`manage.py run_worker`, which runs RQ's worker on that setting; `manage.py serve` starts that same command,
tests/core/test_serve.py) draining one queue into one SQLite file, and an upload parsed through it.

They skip, saying why, only when redis-server is missing on a developer's machine; under `make test` (which
sets DONDOC_REDIS_TESTS=required after scripts/system-packages.sh installed it) or in CI (CI set) a missing
redis-server fails them."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from benchmarks._processes import free_port
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, Worker
from rq.registry import StartedJobRegistry
from tests.waiting import eventually

from dondoc.core.jobs import worker_beat, worker_missing
from dondoc.followup.jobs import send_reminders_job

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "tests" / "corpus" / "dev" / "00-1317-CV-TU.md"
WORKER_NAMES = ("redis-worker-a", "redis-worker-b")
REDIS_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

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


PRINT_TASKS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS, getattr(s, 'RQ_QUEUES', {}))"
)


def redis_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("DONDOC_REDIS_TESTS") == "required"


def stop(process: subprocess.Popen[bytes]) -> None:
    """TERM to the process and its children (RQ lets the task it runs finish), KILL if they linger."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Debian's redis-server on a free loopback port, in a folder of its own, keeping nothing on disk."""
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server is missing: install Debian's redis-server (scripts/system-packages.sh does)"
        if redis_required():
            pytest.fail(message)
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("redis")
    port = free_port()
    # its own folder and port, nothing saved to disk, its log beside it
    options = {"port": str(port), "bind": "127.0.0.1", "dir": str(directory), "save": "", "appendonly": "no"}
    options |= {"daemonize": "no", "logfile": str(directory / "redis.log")}
    process = subprocess.Popen(
        [server, *(part for name, value in options.items() for part in (f"--{name}", value))],
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except RedisConnectionError:
            return False

    try:
        eventually(answers, within=30, what="redis-server answering")
        yield url
    finally:
        client.close()
        stop(process)


@dataclass
class Site:
    """A SQLite file and the environment that points manage.py at it and at the Redis queue."""

    environment: dict[str, str]
    directory: Path

    def run(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, *arguments], cwd=ROOT, env=self.environment, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    def start(self, *arguments: str, log: str) -> subprocess.Popen[bytes]:
        with (self.directory / log).open("wb") as output:
            return subprocess.Popen(
                [sys.executable, "manage.py", *arguments],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def row(self, query: str, *parameters: Any) -> Any:
        with sqlite3.connect(f"file:{self.directory / 'dondoc.sqlite3'}?mode=ro", uri=True) as database:
            return database.execute(query, parameters).fetchone()


@pytest.fixture(scope="module")
def site(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Site:
    directory = tmp_path_factory.mktemp("redis-site")
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DONDOC_", "PG", "DJANGO_SETTINGS_MODULE"))
    }
    environment = kept | {
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.dev",
        "DONDOC_DATA_DIR": str(directory),
        "DONDOC_LOG_FORMAT": "text",
        "DONDOC_TASKS": "redis",
        "DONDOC_REDIS_URL": redis_url,
    }
    made = Site(environment, directory)
    made.run("manage.py", "migrate", "--noinput", "-v", "0")
    return made


def registered_workers(redis_url: str) -> set[str]:
    with Redis.from_url(redis_url) as client:
        return {worker.name for worker in Worker.all(connection=client)}


@pytest.fixture(scope="module")
def workers(site: Site, redis_url: str) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two workers, as on two machines: `run_worker` each, which RQ lists as its workers (so run_worker chose
    the Redis worker) before a test starts."""
    started = [
        site.start("run_worker", "--worker-id", name, "-v", "1", log=f"{name}.log") for name in WORKER_NAMES
    ]
    try:
        eventually(
            lambda: registered_workers(redis_url) >= set(WORKER_NAMES),
            within=60,
            what="both workers listening on Redis",
        )
        yield started
    finally:
        for process in started:
            stop(process)


@pytest.fixture
def redis_tasks(settings: Any, redis_url: str) -> None:
    """This test process enqueues and looks results up through the Redis backend, as the web processes do."""
    settings.TASKS = REDIS_TASKS
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}


@pytest.mark.usefixtures("redis_tasks")
def test_two_workers_drain_one_queue_each_task_once(workers: list[subprocess.Popen[bytes]], redis_url: str):
    days = [date(2026, 11, 1) + timedelta(days=offset) for offset in range(8)]
    queued = {send_reminders_job.enqueue(day.isoformat()).id: day for day in days}

    def finished() -> list[Any]:
        results = [send_reminders_job.get_result(result_id) for result_id in queued]
        return results if all(result.status == "SUCCESSFUL" for result in results) else []

    results = eventually(finished, within=60, what="every reminders task run")
    # one attempt each, by one worker; both workers took some
    assert all(len(result.worker_ids) == 1 for result in results)
    assert {result.worker_ids[0] for result in results} == set(WORKER_NAMES)
    assert all(result.return_value == {"in_app": 0, "email": 0, "emails": 0} for result in results)
    with Redis.from_url(redis_url) as client:
        queue = Queue("default", connection=client)
        assert queue.count == 0
        assert StartedJobRegistry(queue=queue).count == 0
    assert all(process.poll() is None for process in workers)


def test_an_upload_is_parsed_into_a_draft_through_the_redis_queue(
    site: Site, workers: list[subprocess.Popen[bytes]]
):
    job_id = int(site.run("-c", IMPORT, str(LETTER)))

    def ended() -> Any:
        state = site.row("SELECT state, directive_id, message FROM directives_importjob WHERE id = ?", job_id)
        return state if state[0] in {"done", "failed"} else None

    state, directive_id, message = eventually(ended, within=60, what="the import parsed by a worker")
    assert (state, message) == ("done", "")
    assert site.row("SELECT id FROM directives_directive WHERE id = ?", directive_id) is not None


# The settings and the pages: no Redis server needed


def clean_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    kept = {name: value for name, value in os.environ.items() if not name.startswith(("DONDOC_", "DJANGO_"))}
    return (
        kept | {"DJANGO_SETTINGS_MODULE": "dondoc.settings.dev", "DONDOC_DATA_DIR": str(tmp_path)} | variables
    )


def print_tasks(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PRINT_TASKS],
        cwd=ROOT,
        env=clean_environment(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_redis_is_chosen_by_its_setting_at_the_address_given(tmp_path: Path):
    redis = print_tasks(tmp_path, DONDOC_TASKS="redis", DONDOC_REDIS_URL="redis://queue.internal:6380/2")
    backend, installed, queues = redis.stdout.strip().split(" ", 2)
    assert (backend, installed) == ("django_tasks_rq.RQBackend", "True"), redis.stderr
    assert "'URL': 'redis://queue.internal:6380/2'" in queues


def test_an_unknown_queue_is_refused_by_name(tmp_path: Path):
    refused = print_tasks(tmp_path, DONDOC_TASKS="celery")
    assert refused.returncode != 0
    assert "DONDOC_TASKS must be database, redis or immediate, not 'celery'." in refused.stderr


@pytest.mark.django_db
def test_on_redis_a_page_says_no_worker_runs_until_one_shows_a_sign_of_life(settings):
    settings.TASKS = REDIS_TASKS
    assert worker_missing()
    worker_beat("redis-worker-a")
    assert not worker_missing()
