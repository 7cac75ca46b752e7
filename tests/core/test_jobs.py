"""core.jobs: a background job's progress is written at once (the page polling it sees it while the work goes
on), and it ends done, with what it made, or failed with a message; the directives' import is such a job,
on its own table, with its own steps."""

from __future__ import annotations

import pytest
from django.db import connection

from dondoc.core.jobs import Job, JobState, advance, fail, finish
from dondoc.directives.models import Directive, ImportJob, ImportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def job() -> ImportJob:
    return ImportJob.objects.create(
        original_name="1317-CV-TU.md", stored_name="ab/cd.txt", kind="txt", size=1, sha256="0" * 64
    )


def stored(job: ImportJob) -> ImportJob:
    return ImportJob.objects.get(pk=job.pk)


def test_a_job_starts_queued_with_nothing_done(job):
    assert (job.state, job.progress, job.message, job.finished_at) == (ImportState.QUEUED, 0, "", None)
    assert job.created_at is not None


def test_advance_writes_the_step_and_the_progress_at_once_and_nothing_else(job, django_assert_num_queries):
    job.original_name = "not saved.md"
    with django_assert_num_queries(1):
        advance(job, state=ImportState.READING, progress=40)
    assert (job.state, job.progress) == (ImportState.READING, 40)
    found = stored(job)
    assert (found.state, found.progress, found.original_name) == (ImportState.READING, 40, "1317-CV-TU.md")


def test_finish_ends_the_job_done_with_what_it_made(job, draft):
    advance(job, state=ImportState.PARSING, progress=95)
    job.directive = draft
    finish(job, fields=["directive"])
    found = stored(job)
    assert (found.state, found.progress, found.directive) == (ImportState.DONE, 100, draft)
    assert found.finished_at is not None and found.finished_at == job.finished_at
    assert Directive.objects.get(import_job=found) == draft


def test_fail_ends_the_job_with_a_message_for_the_user(job):
    advance(job, state=ImportState.READING, progress=30)
    fail(job, message="Không đọc được tệp")
    found = stored(job)
    assert (found.state, found.progress, found.message) == (ImportState.FAILED, 30, "Không đọc được tệp")
    assert found.finished_at is not None and job.state == ImportState.FAILED


def test_a_job_s_last_states_are_the_same_whatever_its_steps():
    assert {JobState.QUEUED, JobState.DONE, JobState.FAILED} <= set(ImportState.values)
    assert ImportJob._meta.get_field("state").choices == ImportState.choices


def test_the_base_adds_no_table_and_the_import_keeps_its_own():
    assert Job._meta.abstract
    tables = connection.introspection.table_names()
    assert "directives_importjob" in tables and not any(table.startswith("core_job") for table in tables)
    assert {field.name for field in ImportJob._meta.concrete_fields} >= {
        "state",
        "progress",
        "message",
        "created_at",
        "finished_at",
    }
