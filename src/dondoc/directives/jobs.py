"""Background work of the directives app, through Django's task framework (`manage.py run_worker` runs it;
DONDOC_TASKS=immediate runs it inline)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from dondoc.core.jobs import advance, fail, finish, keep_alive, register
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

# an import whose worker died mid-way is failed with this message (core.jobs sweeps such jobs)
INTERRUPTED = gettext_lazy("The task worker stopped while reading this file; upload it again.")
register(ImportJob, interrupted=INTERRUPTED)


@task()
def parse_import(job_id: int) -> str:
    """Read an uploaded directive, parse it and make it a draft for review, telling the job's page how far
    it got. Whatever goes wrong ends the job as failed with a message for the user; no draft is half made."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, state=ImportState.QUEUED).first()
        if job is None:  # already taken, or run twice
            return "skipped"
        advance(job, state=ImportState.READING, progress=READ_FROM)
    # a sign of life while it runs: a job whose worker died is failed, not left reading for good
    with keep_alive(job):
        path = upload_path(job.stored_name)

        def on_page(done: int, total: int) -> None:
            progress = READ_FROM + (READ_TO - READ_FROM) * done // max(total, 1)
            advance(job, state=ImportState.READING, progress=progress)

        try:
            # a .md upload is stored as text (its kind by content) but is read as Markdown
            markdown = job.kind == "txt" and job.original_name.lower().endswith(".md")
            document = read_document(path, progress=on_page, suffix=".md" if markdown else None)
            advance(job, state=ImportState.PARSING, progress=READ_TO)
            parsed = parse_text(document.text)
            advance(job, state=ImportState.PARSING, progress=PARSED)
            with transaction.atomic():
                directive = create_draft(
                    parsed=parsed,
                    source_text=document.text,
                    file_sha256=job.sha256,
                    imported_by=job.uploaded_by,
                    jurisdiction=job.jurisdiction,
                )
                job.directive = directive
                finish(job, fields=["directive"])
        except ReadError as error:
            # the reader names the file by its stored path: show the name the user knows instead
            reason = str(error).replace(str(path), job.original_name)
            fail(job, message=_("The file could not be read: %(reason)s") % {"reason": reason})
            return "failed"
        except DirectiveError as error:
            fail(job, message=str(error))
            return "failed"
        except Exception:
            logger.exception("import %s (%s) failed", job.pk, job.original_name)
            fail(
                job,
                message=_(
                    "The import failed on an unexpected error; the administrators will find it in the log."
                ),
            )
            return "failed"
    return "done"
