"""Background work of the directives app, through Django's task framework (`manage.py db_worker` runs it;
DONDOC_TASKS=immediate runs it inline)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dondoc.directives.models import ImportJob, ImportState

# the modules themselves, not the services package, which imports this one to queue the job
from dondoc.directives.services.drafts import create_draft
from dondoc.directives.services.errors import DirectiveError
from dondoc.directives.uploads import upload_path
from dondoc.parsing import parse_text
from dondoc.reading import ReadError, read_document

logger = logging.getLogger(__name__)

# Share of the progress bar each step takes: reading (page by page for PDFs and scans) most of it.
READ_FROM, READ_TO, PARSED = 5, 85, 95


def _advance(job: ImportJob, state: ImportState, progress: int) -> None:
    job.state, job.progress = state, progress
    ImportJob.objects.filter(pk=job.pk).update(state=state, progress=progress)


def _fail(job: ImportJob, message: str) -> None:
    job.state, job.message, job.finished_at = ImportState.FAILED, message, timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(state=job.state, message=message, finished_at=job.finished_at)


@task()
def parse_import(job_id: int) -> str:
    """Read an uploaded directive, parse it and make it a draft for review, telling the job's page how far
    it got. Whatever goes wrong ends the job as failed with a message for the user; no draft is half made."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, state=ImportState.QUEUED).first()
        if job is None:  # already taken, or run twice
            return "skipped"
        _advance(job, ImportState.READING, READ_FROM)
    path = upload_path(job.stored_name)

    def on_page(done: int, total: int) -> None:
        _advance(job, ImportState.READING, READ_FROM + (READ_TO - READ_FROM) * done // max(total, 1))

    try:
        # a .md upload is stored as text (its kind by content) but is read as Markdown
        markdown = job.kind == "txt" and job.original_name.lower().endswith(".md")
        document = read_document(path, progress=on_page, suffix=".md" if markdown else None)
        _advance(job, ImportState.PARSING, READ_TO)
        parsed = parse_text(document.text)
        _advance(job, ImportState.PARSING, PARSED)
        with transaction.atomic():
            directive = create_draft(
                parsed=parsed, source_text=document.text, file_sha256=job.sha256, imported_by=job.uploaded_by
            )
            job.directive, job.state, job.progress = directive, ImportState.DONE, 100
            job.finished_at = timezone.now()
            job.save(update_fields=["directive", "state", "progress", "finished_at"])
    except ReadError as error:
        # the reader names the file by its stored path: show the name the user knows instead
        reason = str(error).replace(str(path), job.original_name)
        _fail(job, _("The file could not be read: %(reason)s") % {"reason": reason})
        return "failed"
    except DirectiveError as error:
        _fail(job, str(error))
        return "failed"
    except Exception:
        logger.exception("import %s (%s) failed", job.pk, job.original_name)
        _fail(job, _("The import failed on an unexpected error; the administrators will find it in the log."))
        return "failed"
    return "done"
