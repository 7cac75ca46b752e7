"""`manage.py load_sample_registry [--replace | --if-empty]`: the Đắk Nông sample registry (April 2023)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from dondoc.registry.sample import SampleRegistryNotEmpty, load_sample_registry


class Command(BaseCommand):
    help = "Load the sample registry of Đắk Nông province (April 2023) into an empty registry."

    def add_arguments(self, parser: ArgumentParser) -> None:
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--replace", action="store_true", help="delete everything in the registry first")
        choice.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty registry, and say so otherwise (exit 0)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = load_sample_registry(replace=options["replace"])
        except SampleRegistryNotEmpty as error:
            if options["if_empty"]:
                self.stdout.write(gettext("The registry already holds data; the sample was not loaded."))
                return
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        if summary.deleted:
            self.stdout.write(
                gettext("Deleted %(rows)d rows first.") % {"rows": sum(summary.deleted.values())}
            )
        self.stdout.write(gettext("Loaded the sample registry in %(seconds).2f s:") % {"seconds": seconds})
        for name, count in summary.counts.items():
            label = apps.get_model("registry", name)._meta.verbose_name_plural
            self.stdout.write(f"  {label}: {count}")
