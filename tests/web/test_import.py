"""Importing a directive through the pages: upload, background reading, the draft it becomes, what is
refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from tests.fixtures.members import SEED

from dondoc.core.jobs import JOB_LOST_AFTER
from dondoc.directives.jobs import INTERRUPTED
from dondoc.directives.models import Directive, ImportJob, ImportState
from dondoc.reading import read_document

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CORPUS = Path("tests/corpus/dev")


@pytest.fixture
def uploads(settings, tmp_path: Path) -> Path:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = IMMEDIATE
    return settings.UPLOAD_DIR


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def upload(client_for: Callable[[str], Client], uploads: Path, django_capture_on_commit_callbacks):
    monitor = client_for("monitor")

    def send(name: str, content: bytes, *, client: Client | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or monitor).post(
                "/directives/import/", {"file": SimpleUploadedFile(name, content)}
            )

    return send


def last_job() -> ImportJob:
    return ImportJob.objects.select_related("directive").latest("created_at", "id")


@pytest.mark.parametrize(
    ("path", "number"),
    [
        (SEED, "1317-CV/TU"),
        (CORPUS / "03a-quyet-dinh-ke-hoach.docx", "2156/QĐ-UBND"),
        (CORPUS / "05a-cong-van-huyen-uy.pdf", "512-CV/HU"),
        (CORPUS / "06a-cong-van-so-noi-vu.png", "1520/SNV-TCBC"),
    ],
)
def test_each_kind_of_file_becomes_a_draft_with_its_number(upload, users, path, number):
    response = upload(Path(path).name, Path(path).read_bytes())
    job = last_job()
    assert response.status_code == 302 and response["Location"] == f"/directives/import/{job.pk}/"
    assert (job.state, job.progress, job.message) == (ImportState.DONE, 100, "")
    assert job.directive is not None and job.directive.number == number
    assert job.directive.imported_by == users["monitor"] and job.uploaded_by == users["monitor"]
    assert job.directive.state == "draft" and job.directive.parsed["number"] == number


def test_the_job_page_links_to_the_review_once_done(upload, client_for):
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    job = last_job()
    page = client_for("monitor").get(f"/directives/import/{job.pk}/").content.decode()
    assert f'href="/directives/{job.directive_id}/review/"' in page and "every 1s" not in page
    fragment = client_for("monitor").get(f"/directives/import/{job.pk}/", headers={"HX-Request": "true"})
    assert fragment["HX-Redirect"] == f"/directives/{job.directive_id}/review/"
    assert "<html" not in fragment.content.decode()


def test_a_scan_reports_progress_page_by_page():
    heard: list[tuple[int, int]] = []
    read_document(
        CORPUS / "05a-cong-van-huyen-uy.pdf", progress=lambda done, total: heard.append((done, total))
    )
    total = heard[-1][1]
    assert heard == [(page, total) for page in range(1, total + 1)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 4),
        ("table.pdf", b"PK\x03\x04" + b"\x00" * 200),
    ],
)
def test_a_file_that_is_not_a_directive_is_refused_with_nothing_left(upload, uploads, name, content):
    response = upload(name, content)
    assert response.status_code == 400 and 'id="import-error"' in response.content.decode()
    assert ImportJob.objects.count() == 0 and stored_files(uploads) == []


def test_an_empty_file_is_refused(upload, uploads):
    response = upload("empty.docx", b"")
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert ImportJob.objects.count() == 0 and stored_files(uploads) == []


def test_a_file_over_the_size_limit_is_refused(upload, uploads, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = upload("1317-CV-TU.md", Path(SEED).read_bytes())
    assert response.status_code == 400 and 'id="import-error"' in response.content.decode()
    assert ImportJob.objects.count() == 0 and stored_files(uploads) == []


def test_the_same_file_twice_is_refused_with_a_link_to_the_directive(upload, uploads):
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    directive = Directive.objects.get()
    again = upload("ban-sao.md", Path(SEED).read_bytes())
    assert again.status_code == 400
    assert f'href="/directives/{directive.pk}/review/"' in again.content.decode()
    assert ImportJob.objects.count() == 1 and len(stored_files(uploads)) == 1


def test_the_same_document_from_another_file_fails_as_a_duplicate(upload):
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    upload("ban-khac.md", Path(SEED).read_bytes() + b"\n\n")
    job = last_job()
    assert job.state == ImportState.FAILED and "1317-CV/TU" in job.message and job.directive is None
    assert Directive.objects.count() == 1


def test_a_text_that_is_no_directive_fails_with_a_message_and_no_draft(upload, client_for):
    upload("ghi-chu.txt", "Ghi chú cuộc họp: không có số, không có ngày.\n".encode())
    job = last_job()
    assert job.state == ImportState.FAILED and job.message and job.finished_at is not None
    assert Directive.objects.count() == 0
    page = client_for("monitor").get(f"/directives/import/{job.pk}/").content.decode()
    assert 'id="import-failure"' in page and "every 1s" not in page


def test_a_broken_pdf_fails_naming_the_file_as_sent_not_as_stored(upload):
    upload("hong.pdf", b"%PDF-1.4\n" + b"rac " * 200)
    job = last_job()
    assert job.state == ImportState.FAILED and "hong.pdf" in job.message
    assert job.stored_name not in job.message and Directive.objects.count() == 0


def test_on_the_database_backend_a_worker_runs_the_import(upload, settings, client_for):
    settings.TASKS = DATABASE
    response = upload("1317-CV-TU.md", Path(SEED).read_bytes())
    job = last_job()
    assert response.status_code == 302 and job.state == ImportState.QUEUED
    waiting = client_for("monitor").get(f"/directives/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and f'hx-get="/directives/import/{job.pk}/"' in waiting
    # the same file while the first is waiting: refused, pointing at the running import
    again = upload("1317-CV-TU.md", Path(SEED).read_bytes())
    assert again.status_code == 400 and f'href="/directives/import/{job.pk}/"' in again.content.decode()
    # the worker closes stale connections between tasks; here that would end the test's own transaction
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    job.refresh_from_db()
    assert (
        job.state == ImportState.DONE and job.directive is not None and job.directive.number == "1317-CV/TU"
    )


@pytest.mark.parametrize("name", ["reporter", "leader", "reader", "auditor"])
def test_only_the_monitor_and_the_administrator_import(upload, client_for, name):
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    job = last_job()
    client = client_for(name)
    assert client.get("/directives/import/").status_code == 403
    assert client.get(f"/directives/import/{job.pk}/").status_code == 403
    refused = upload("khac.txt", b"Van ban khac", client=client)
    assert refused.status_code == 403 and ImportJob.objects.count() == 1


def test_the_administrator_imports_too(upload, client_for):
    assert client_for("admin").get("/directives/import/").status_code == 200
    assert upload("1317-CV-TU.md", Path(SEED).read_bytes(), client=client_for("admin")).status_code == 302


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get("/directives/import/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_import_list_costs_the_same_queries_for_3_or_60_imports(
    upload, users, client_for, django_assert_max_num_queries
):
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    directive = Directive.objects.get()

    def jobs(count: int) -> None:
        ImportJob.objects.bulk_create(
            [
                ImportJob(
                    original_name=f"tep-{i}.pdf",
                    stored_name=f"x/{count}-{i}.pdf",
                    kind="pdf",
                    size=10,
                    sha256=f"{i:064d}",
                    uploaded_by=users["monitor"],
                    state=ImportState.FAILED,
                    message="hỏng",
                )
                for i in range(count)
            ]
        )

    client = client_for("monitor")
    jobs(2)
    with django_assert_max_num_queries(8) as few:
        page = client.get("/directives/import/").content.decode()
    assert page.count('<tr id="import-') == 3 and f"/directives/{directive.pk}/review/" in page
    jobs(57)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/directives/import/").content.decode()
    assert page.count('<tr id="import-') == 50


def test_an_import_its_worker_died_in_does_not_block_the_same_file(upload, settings):
    settings.TASKS = DATABASE  # queued, and no worker runs
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    lost = last_job()
    # taken by a worker that died while reading it: no sign of life since
    silent = timezone.now() - JOB_LOST_AFTER - timedelta(seconds=1)
    ImportJob.objects.filter(pk=lost.pk).update(state=ImportState.READING, progress=11, heartbeat_at=silent)
    settings.TASKS = IMMEDIATE
    response = upload("1317-CV-TU.md", Path(SEED).read_bytes())
    lost.refresh_from_db()
    with translation.override("vi"):
        assert response.status_code == 302 and lost.state == ImportState.FAILED
        assert lost.message == str(INTERRUPTED) and lost.finished_at is not None
    assert last_job().state == ImportState.DONE and last_job().directive.number == "1317-CV/TU"


def test_an_import_being_read_blocks_the_same_file_however_old(upload, settings):
    settings.TASKS = DATABASE
    upload("1317-CV-TU.md", Path(SEED).read_bytes())
    reading = last_job()
    # a long import, uploaded long ago, whose worker still shows a sign of life
    ImportJob.objects.filter(pk=reading.pk).update(
        state=ImportState.READING, created_at=timezone.now() - timedelta(hours=1), heartbeat_at=timezone.now()
    )
    again = upload("1317-CV-TU.md", Path(SEED).read_bytes())
    assert again.status_code == 400 and f'href="/directives/import/{reading.pk}/"' in again.content.decode()
    assert ImportJob.objects.get(pk=reading.pk).state == ImportState.READING
