"""Read and parse a directive, then show the bodies each addressee, lead and coordinating phrase means."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dondoc.parsing import parse_text
from dondoc.reading import ReadError, read_document
from dondoc.registry.models import Organization
from dondoc.registry.resolution import AddresseeResolver, PhraseResolution


class Command(BaseCommand):
    help = (
        "Resolve the addressee and lead phrases of a directive against the registry, on the directive's date."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help=".txt .md .docx .pdf or a scan")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = read_document(options["file"])
        except ReadError as error:
            raise CommandError(str(error)) from error
        parsed = parse_text(document.text)
        if parsed.issued_on is None:
            raise CommandError(
                _("The directive's date could not be read, so the registry cannot be consulted.")
            )
        resolver = AddresseeResolver(on=parsed.issued_on)
        issuer = parsed.issuer.value if parsed.issuer else ""
        context = resolver.issuer_context(issuer) if issuer else None
        names = dict(Organization.objects.values_list("id", "name"))
        self.stdout.write(
            _("%(issuer)s, %(date)s — bodies as of that day")
            % {"issuer": issuer or "?", "date": f"{parsed.issued_on:%d/%m/%Y}"}
        )
        self.stdout.write(_("Addressees:"))
        for field in parsed.addressees:
            self._show(resolver.resolve(field.value, context=context), names)
        for task in parsed.tasks:
            phrases = [*task.lead, *task.coordinating]
            if phrases:
                self.stdout.write(_("Task %(label)s:") % {"label": task.label})
                for field in phrases:
                    self._show(resolver.resolve(field.value, context=context), names)

    def _show(self, resolution: PhraseResolution, names: dict[int, str]) -> None:
        bodies = [names[body_id] for body_id in resolution.organization_ids]
        shown = ", ".join(bodies[:4]) + (
            _(" … (%(count)s bodies)") % {"count": len(bodies)} if len(bodies) > 4 else ""
        )
        if resolution.resolved:
            self.stdout.write(
                f"  {resolution.phrase} → {shown}  [{resolution.method}, {resolution.confidence:.2f}]"
            )
            return
        line = f"  ! {resolution.phrase} → {shown or '—'}  " + _("unresolved: %(parts)s") % {
            "parts": "; ".join(resolution.unresolved)
        }
        if resolution.suggestion_ids:
            suggestions = ", ".join(names[body_id] for body_id in resolution.suggestion_ids[:3])
            line += " " + _("(did you mean: %(bodies)s)") % {"bodies": suggestions}
        self.stdout.write(line)
