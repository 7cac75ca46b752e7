"""`manage.py export_registry FILE [--as-of YYYY-MM-DD] [--kind …]`: the layouts import_registry reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dondoc.registry.transfer import SHEETS, ExportRefused, export_registry, parse_kind


class Command(BaseCommand):
    help = "Export the registry to an .xlsx workbook (one sheet per kind) or a .csv file (one kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--as-of", help="only the rows valid on this day (YYYY-MM-DD)")
        parser.add_argument(
            "--kind", action="append", help="repeatable; one of: " + ", ".join(s.kind.value for s in SHEETS)
        )
        parser.add_argument(
            "--delimiter",
            choices=[",", ";"],
            default=",",
            help="of a .csv file; ';' for Excel set to Vietnamese",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kinds = [parse_kind(kind) for kind in options["kind"]] if options["kind"] else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else None
        except ValueError:
            raise CommandError(
                _("'%(value)s' is not a date; write it as YYYY-MM-DD") % {"value": options["as_of"]}
            ) from None
        try:
            summary = export_registry(
                path=options["file"], kinds=kinds, as_of=as_of, delimiter=options["delimiter"]
            )
        except (ExportRefused, OSError) as error:
            raise CommandError(str(error)) from None
        titles = {sheet.kind: sheet.title for sheet in SHEETS}
        for kind, count in summary.counts.items():
            self.stdout.write(
                _("%(sheet)s: %(count)s rows written to %(path)s")
                % {"sheet": titles[kind], "count": count, "path": summary.path}
            )
