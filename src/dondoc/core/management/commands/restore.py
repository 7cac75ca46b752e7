"""`manage.py restore ARCHIVE [--force] [--noinput]`: the database and the uploaded files back from an archive
`manage.py backup` wrote. The archive is checked whole before anything is touched; a database or an upload
folder that holds data is replaced only with --force or after the operator types "yes"."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                    _(
                        "Checked %(path)s: made %(made)s by dondoc %(version)s, %(engine)s, %(files)d "
                        "uploaded files."
                    )
                    % {
                        "path": archive,
                        "made": manifest.created_at,
                        "version": manifest.dondoc_version,
                        "engine": ENGINE_NAMES[manifest.engine],
                        "files": staged.upload_count,
                    },
                )
                if not options["force"]:
                    self._confirm(staged, interactive=options["interactive"])
                summary = staged.apply()
        except (BackupError, OSError) as error:
            raise CommandError(_("Restore failed: %(error)s") % {"error": error}) from None
        self._say(
            options,
            _("Restored the database and %(files)d uploaded files.") % {"files": summary.upload_files},
        )
        if summary.pending_migrations:
            self._say(
                options,
                _(
                    "The backup predates %(count)d migrations of this dondoc (%(names)s…): run `manage.py "
                    "migrate` now."
                )
                % {
                    "count": len(summary.pending_migrations),
                    "names": ", ".join(summary.pending_migrations[:3]),
                },
            )

    def _confirm(self, staged: StagedRestore, *, interactive: bool) -> None:
        existing = staged.existing_data()
        if not existing:
            return
        what = "; ".join(existing)
        if not (interactive and sys.stdin.isatty()):
            raise CommandError(
                _("Refusing to replace data: %(what)s. Pass --force to replace it.") % {"what": what}
            )
        # "yes" in English whatever the language, as the operator reads it in the question
        answer = input(_("This replaces data: %(what)s. Type 'yes' to go on: ") % {"what": what})
        if answer.strip() != "yes":
            raise CommandError(_("Restore cancelled; nothing was changed."))

    def _say(self, options: dict[str, Any], line: str) -> None:
        if options["verbosity"] >= 1:
            self.stdout.write(line)
