"""`manage.py send_reminders [--today YYYY-MM-DD]`: queue the day's reminders; cron or a systemd timer runs
it daily (and `make run` beside the server). Running it twice, or after a missed day,
sends each reminder once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from dondoc import clock
from dondoc.followup.jobs import send_reminders_job


class Command(BaseCommand):
    help = "Queue the reminders due today (sent by the task worker, or at once with the immediate backend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the date to send for, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else clock.today()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        result = send_reminders_job.enqueue(today.isoformat())
        if result.status != TaskResultStatus.SUCCESSFUL or result.return_value is None:
            self.stdout.write(
                _("Reminders for %(day)s queued (job %(job)s).")
                % {"day": f"{today:%d/%m/%Y}", "job": result.id}
            )
            return
        sent = result.return_value
        self.stdout.write(
            _(
                "Reminders for %(day)s: %(sent)d sent (%(in_app)d in the application, %(email)d by e-mail in "
                "%(messages)d messages)."
            )
            % {
                "day": f"{today:%d/%m/%Y}",
                "sent": sent["in_app"] + sent["email"],
                "in_app": sent["in_app"],
                "email": sent["email"],
                "messages": sent["emails"],
            }
        )
