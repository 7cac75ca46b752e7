"""`manage.py backup [DESTINATION]`: the database and the uploaded files in one archive (dondoc.core.backup);
`manage.py restore ARCHIVE` puts them back."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

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
            raise CommandError(f"Backup failed: {error}") from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Wrote {summary.path}: the {ENGINE_NAMES[summary.engine]} database and "
                f"{summary.upload_files} uploaded files, {summary.archive_bytes / 1024 / 1024:.1f} MB, "
                f"in {time.perf_counter() - started:.1f} s."
            )
