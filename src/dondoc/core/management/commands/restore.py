"""`manage.py restore ARCHIVE [--force] [--noinput]`: the database and the uploaded files back from an archive
`manage.py backup` wrote. The archive is checked whole before anything is touched; a database or an upload
folder that holds data is replaced only with --force or after the operator types "yes"."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dondoc.core.backup import ENGINE_NAMES, BackupError, StagedRestore, staged_restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of an archive written by `backup`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", help="the archive `manage.py backup` wrote")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and uploads that hold data without asking",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never ask: without --force, refuse to replace data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            with staged_restore(archive) as staged:
                manifest = staged.manifest
                self._say(
                    options,
                    f"Checked {archive}: made {manifest.created_at} by dondoc {manifest.dondoc_version}, "
                    f"{ENGINE_NAMES[manifest.engine]}, {staged.upload_count} uploaded files.",
                )
                if not options["force"]:
                    self._confirm(staged, interactive=options["interactive"])
                summary = staged.apply()
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from None
        self._say(options, f"Restored the database and {summary.upload_files} uploaded files.")
        if summary.pending_migrations:
            self._say(
                options,
                f"The backup predates {len(summary.pending_migrations)} migrations of this dondoc "
                f"({', '.join(summary.pending_migrations[:3])}…): run `manage.py migrate` now.",
            )

    def _confirm(self, staged: StagedRestore, *, interactive: bool) -> None:
        existing = staged.existing_data()
        if not existing:
            return
        what = "; ".join(existing)
        if not (interactive and sys.stdin.isatty()):
            raise CommandError(f"Refusing to replace data: {what}. Pass --force to replace it.")
        answer = input(f"This replaces data: {what}. Type 'yes' to go on: ")
        if answer.strip() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")

    def _say(self, options: dict[str, Any], line: str) -> None:
        if options["verbosity"] >= 1:
            self.stdout.write(line)
