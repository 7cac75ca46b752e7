"""An import's page and the task worker: it says when no worker runs to read the file, and it fails an import
whose worker died, even while no worker runs to notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from tests.fixtures.members import SEED

from dondoc.core.jobs import JOB_LOST_AFTER, WORKER_LOST_AFTER
from dondoc.core.models import WorkerHeartbeat
from dondoc.directives.jobs import INTERRUPTED
from dondoc.directives.models import ImportJob, ImportState

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NOTE = 'id="import-no-worker"'


@pytest.fixture
def monitor(client_for: Callable[[str], Client]) -> Client:
    return client_for("monitor")


@pytest.fixture
def queued(monitor: Client, settings, tmp_path: Path, django_capture_on_commit_callbacks) -> ImportJob:
    """The seed letter uploaded through the page onto the database queue, where it waits for a worker."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        response = monitor.post(
            "/directives/import/", {"file": SimpleUploadedFile("1317-CV-TU.md", Path(SEED).read_bytes())}
        )
    assert response.status_code == 302
    return ImportJob.objects.get()


def pages(client: Client, job: ImportJob) -> list[str]:
    """The job's page and the fragment htmx polls."""
    url = f"/directives/import/{job.pk}/"
    return [
        client.get(url).content.decode(),
        client.get(url, headers={"HX-Request": "true"}).content.decode(),
    ]


def test_a_waiting_import_says_when_no_worker_runs(monitor, queued):
    assert all(NOTE in page for page in pages(monitor, queued))
    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=timezone.now())
    assert not any(NOTE in page for page in pages(monitor, queued))
    # a worker silent for too long is no worker
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - WORKER_LOST_AFTER - timedelta(seconds=1))
    assert all(NOTE in page for page in pages(monitor, queued))


def test_an_import_being_read_says_when_no_worker_runs_and_a_finished_one_does_not(monitor, queued):
    ImportJob.objects.filter(pk=queued.pk).update(state=ImportState.READING, heartbeat_at=timezone.now())
    assert all(NOTE in page for page in pages(monitor, queued))
    ImportJob.objects.filter(pk=queued.pk).update(state=ImportState.FAILED, message="hỏng")
    assert not any(NOTE in page for page in pages(monitor, queued))


def test_imports_run_inline_need_no_worker(monitor, queued, settings):
    settings.TASKS = IMMEDIATE
    assert not any(NOTE in page for page in pages(monitor, queued))


def test_the_page_fails_an_import_whose_worker_died(monitor, queued):
    silent = timezone.now() - JOB_LOST_AFTER - timedelta(seconds=1)
    ImportJob.objects.filter(pk=queued.pk).update(state=ImportState.READING, progress=11, heartbeat_at=silent)
    fragment = monitor.get(
        f"/directives/import/{queued.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    queued.refresh_from_db()
    with translation.override("vi"):
        assert queued.state == ImportState.FAILED and queued.message == str(INTERRUPTED)
        assert 'id="import-failure"' in fragment and escape(str(INTERRUPTED)) in fragment
    assert "every 1s" not in fragment


def test_the_page_leaves_an_import_whose_worker_shows_signs_of_life(monitor, queued):
    ImportJob.objects.filter(pk=queued.pk).update(state=ImportState.READING, heartbeat_at=timezone.now())
    page = monitor.get(f"/directives/import/{queued.pk}/").content.decode()
    assert ImportJob.objects.get(pk=queued.pk).state == ImportState.READING
    assert 'hx-trigger="every 1s"' in page and 'id="import-failure"' not in page
