"""Uploading a directive: the file is stored, checked against what is already imported or importing, and
queued for the background job that reads and parses it (dondoc.directives.jobs)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.directives import jobs  # the module, bound now, used when an upload is queued
from dondoc.directives.models import Directive, ImportJob, ImportState
from dondoc.directives.services.errors import AlreadyImported
from dondoc.directives.uploads import DIRECTIVE_KINDS, discard, store_upload
from dondoc.text import nfc

RUNNING_IMPORTS = (ImportState.QUEUED, ImportState.READING, ImportState.PARSING)


# The longest import (50 OCR pages at about 6 s each) takes 5 minutes; one still unfinished after this long
# lost its worker, and must not keep the same file from being imported again
STALE_IMPORT = timedelta(minutes=30)


def start_import(*, upload: UploadedFile[bytes], user: User | None) -> ImportJob:
    """Store an uploaded directive (checked by content and size) and queue it for reading and parsing; the
    same file already imported, or being imported, is refused. A refused file leaves nothing behind."""
    stored = store_upload(upload, allowed=DIRECTIVE_KINDS)
    try:
        with transaction.atomic():
            directive = Directive.objects.filter(file_sha256=stored.sha256).first()
            if directive is not None:
                raise AlreadyImported(directive=directive)
            running = ImportJob.objects.filter(sha256=stored.sha256, state__in=RUNNING_IMPORTS)
            stale = timezone.now() - STALE_IMPORT
            running.filter(created_at__lt=stale).update(
                state=ImportState.FAILED,
                finished_at=timezone.now(),
                message=_(
                    "Interrupted: not finished %(minutes)d minutes after the upload (was the task worker "
                    "running?). The file was uploaded again."
                )
                % {"minutes": STALE_IMPORT.seconds // 60},
            )
            if (current := running.filter(created_at__gte=stale).first()) is not None:
                raise AlreadyImported(job=current)
            job = ImportJob.objects.create(
                original_name=nfc(stored.original_name),
                stored_name=stored.stored_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=user,
            )
            transaction.on_commit(lambda: jobs.parse_import.enqueue(job.pk))
    except BaseException:
        discard(stored.stored_name)
        raise
    return job
