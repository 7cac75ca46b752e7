"""`manage.py generate_demo --scale province|national --seed N [--assignments N] [--password P]`: data in the
shape of real use (dondoc.demo.generation) written into an empty database, for the load test and the page
benchmarks; prints what it wrote, how fast, and whom to log in as."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from dondoc import clock
from dondoc.demo.generation.demo import SCALES, GenerationError, Scale, generate_demo
from dondoc.demo.generation.digest import digest


class Command(BaseCommand):
    help = (
        "Generate a province's or the whole country's registry with its 2025 history, five years of "
        "directives, assignments and progress reports, and users to log in as, into an empty database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scale", choices=[scale.value for scale in Scale], default=Scale.PROVINCE.value)
        parser.add_argument("--seed", type=int, default=1, help="the same seed writes the same rows")
        parser.add_argument(
            "--assignments",
            type=int,
            help="the total of assignments, exactly (default: the scale's: "
            + ", ".join(f"{scale} {shape.assignments:,}" for scale, shape in SCALES.items())
            + "); fewer directives of the same shape",
        )
        parser.add_argument(
            "--password", help="the password of every generated user (default: none can log in)"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="the day the data ends on (default: the application's today)",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="the database to write to; the registry's services write through the default one, so only "
            "it is accepted (choose the PostgreSQL database by PGDATABASE)",
        )
        parser.add_argument("--digest", action="store_true", help="print the digest of the rows written")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"] != DEFAULT_DB_ALIAS:
            raise CommandError(
                _("generate_demo writes through the default database only; set PGDATABASE to choose another.")
            )
        started = time.perf_counter()
        try:
            summary = generate_demo(
                scale=Scale(options["scale"]),
                seed=options["seed"],
                today=options["today"] or clock.today(),
                assignments=options["assignments"],
                password=options["password"],
                progress=lambda message: self.stdout.write(
                    f"  {message} ({time.perf_counter() - started:.1f} s)"
                ),
            )
        except GenerationError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        tally = summary.tally
        rows = tally.directives + tally.tasks + tally.assignments + tally.reports
        self.stdout.write(
            _(
                "Wrote %(territories)d territories, %(bodies)d bodies, %(reorganizations)d "
                "reorganisations, %(directives)d directives, %(tasks)d tasks, %(assignments)d assignments, "
                "%(reports)d progress reports and %(users)d users in %(seconds).1f s (%(rate)d "
                "assignments/s, %(rows)d rows/s of directives, tasks, assignments and reports)."
            )
            % {
                "territories": summary.territories,
                "bodies": summary.bodies,
                "reorganizations": summary.reorganizations,
                "directives": tally.directives,
                "tasks": tally.tasks,
                "assignments": tally.assignments,
                "reports": tally.reports,
                "users": summary.users,
                "seconds": seconds,
                "rate": tally.assignments / seconds,
                "rows": rows / seconds,
            }
        )
        reporter, leader, monitor = summary.examples
        if options["password"]:
            self.stdout.write(
                _(
                    "Log in with the password given as baocao.<body code> (a reporter), "
                    "lanhdao.<body code> (a leader) or theodoi.<territory code>.1 (a monitor), in lower "
                    "case; e.g. %(reporter)s, %(leader)s, %(monitor)s."
                )
                % {"reporter": reporter, "leader": leader, "monitor": monitor}
            )
        else:
            self.stdout.write(
                _(
                    "No user can log in (no --password was given): give one a password with "
                    "`manage.py changepassword %(monitor)s`."
                )
                % {"monitor": monitor}
            )
        if options["digest"]:
            self.stdout.write(_("Digest of the rows: %(digest)s") % {"digest": digest()})
