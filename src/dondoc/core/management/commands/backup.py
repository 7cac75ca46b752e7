"""`manage.py backup [DESTINATION]`: the database and the uploaded files in one archive (dondoc.core.backup);
`manage.py restore ARCHIVE` puts them back."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.core.backup import ENGINE_NAMES, BackupError, create_backup, default_archive_name


class Command(BaseCommand):
    help = (
        "Write the database (SQLite's online backup or pg_dump) and the uploaded files into one archive, "
        "safe to run while dondoc runs."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "destination",
            nargs="?",
            default=".",
            help="the archive to write (a new file), or a folder to write dondoc-YYYYMMDD-HHMMSS.tar.gz into "
            "(default: the current folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        destination = Path(options["destination"])
        if destination.is_dir():
            destination = destination / default_archive_name(timezone.localtime())
        try:
            summary = create_backup(destination)
        except (BackupError, OSError) as error:
            raise CommandError(_("Backup failed: %(error)s") % {"error": error}) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                _(
                    "Wrote %(path)s: the %(engine)s database and %(files)d uploaded files, %(size)s MB, "
                    "in %(time)s s."
                )
                % {
                    "path": summary.path,
                    "engine": ENGINE_NAMES[summary.engine],
                    "files": summary.upload_files,
                    "size": f"{summary.archive_bytes / 1024 / 1024:.1f}",
                    "time": f"{time.perf_counter() - started:.1f}",
                }
            )
