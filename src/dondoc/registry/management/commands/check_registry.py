"""Check the registry on a date: rule violations, overlapping functions, required functions nobody holds."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.registry.overlaps import find_function_gaps, find_function_overlaps
from dondoc.registry.rules import check_rules


class Command(BaseCommand):
    help = "List rule violations, overlapping functions and gaps in the registry as of a date."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--on", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(
                _("Not a date: %(value)s (use YYYY-MM-DD).") % {"value": options["on"]}
            ) from error
        violations = check_rules(on=on)
        self.stdout.write(
            _("Rule violations on %(date)s: %(count)s") % {"date": f"{on:%d/%m/%Y}", "count": len(violations)}
        )
        for violation in violations:
            until = (
                _(" (allowed until %(date)s)") % {"date": f"{violation.allowed_until:%d/%m/%Y}"}
                if violation.allowed_until
                else ""
            )
            self.stdout.write(f"  - {violation.message}{until}")
        overlaps = find_function_overlaps(on=on)
        self.stdout.write(_("Overlapping functions: %(count)s") % {"count": len(overlaps)})
        for overlap in overlaps:
            first, second = overlap.organizations
            self.stdout.write(f"  - {overlap.score:.2f}  {first.name}: {overlap.first.text}")
            self.stdout.write(f"          {second.name}: {overlap.second.text}")
        gaps = find_function_gaps(on=on)
        self.stdout.write(_("Required functions no body holds: %(count)s") % {"count": len(gaps)})
        for gap in gaps:
            self.stdout.write(f"  - {gap.required.text}")
