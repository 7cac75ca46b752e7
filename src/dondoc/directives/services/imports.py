"""Uploading a directive: the file is stored, checked against what is already imported or importing, and
queued for the background job that reads and parses it (dondoc.directives.jobs)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from dondoc.accounts.models import User
from dondoc.core.jobs import fail_interrupted
from dondoc.directives import jobs  # the module, bound now, used when an upload is queued
from dondoc.directives.models import Directive, ImportJob, ImportState
from dondoc.directives.services.errors import AlreadyImported
from dondoc.directives.uploads import DIRECTIVE_KINDS, discard, store_upload
from dondoc.registry.models import Jurisdiction
from dondoc.text import nfc

RUNNING_IMPORTS = (ImportState.QUEUED, ImportState.READING, ImportState.PARSING)


def start_import(
    *, upload: UploadedFile[bytes], user: User | None, jurisdiction: Jurisdiction | None
) -> ImportJob:
    """Store an uploaded directive (checked by content and size) and queue it for reading and parsing, for
    the monitors of `jurisdiction` to follow and review (directives.access.imports_jurisdiction); the same
    file already imported, or being imported, is refused. A refused file leaves nothing behind."""
    stored = store_upload(upload, allowed=DIRECTIVE_KINDS)
    try:
        with transaction.atomic():
            directive = Directive.objects.filter(file_sha256=stored.sha256).first()
            if directive is not None:
                raise AlreadyImported(directive=directive)
            running = ImportJob.objects.filter(sha256=stored.sha256, state__in=RUNNING_IMPORTS)
            # one whose worker died is failed now: it does not keep the file from being sent again
            fail_interrupted(running)
            if (current := running.first()) is not None:
                raise AlreadyImported(job=current)
            job = ImportJob.objects.create(
                original_name=nfc(stored.original_name),
                stored_name=stored.stored_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=user,
                jurisdiction=jurisdiction,
            )
            transaction.on_commit(lambda: jobs.parse_import.enqueue(job.pk))
    except BaseException:
        discard(stored.stored_name)
        raise
    return job
