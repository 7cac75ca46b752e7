"""`manage.py import_registry FILE [--kind …] [--dry-run]`: all rows of the file, or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dondoc.registry.transfer import SHEETS, import_registry_file, parse_kind


class Command(BaseCommand):
    help = "Import bodies, functions, posts, staffing quotas and job positions from an .xlsx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--kind",
            help="for a .csv file, or one sheet of a workbook: " + ", ".join(s.kind.value for s in SHEETS),
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = parse_kind(options["kind"]) if options["kind"] else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        result = import_registry_file(path=options["file"], kind=kind, dry_run=options["dry_run"])
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)s error; nothing was written.", "%(count)s errors; nothing was written.", count
                )
                % {"count": count}
            )
        titles = {sheet.kind: sheet.title for sheet in SHEETS}
        for kind_, counts in result.counts.items():
            self.stdout.write(
                _("%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {
                    "sheet": titles[kind_],
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        if result.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
