"""`manage.py refresh_dashboards`: recompute the territories' dashboards read in the last day whose figures
are older than followup.services.dashboards.REFRESH_EVERY, so that their readers find them computed;
`serve` runs it that often, a systemd timer on one machine in a deployment of several."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import clock
from dondoc.followup.services.dashboards import refresh_dashboards


class Command(BaseCommand):
    help = "Recompute the dashboards read lately whose figures are getting old."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        refreshed = refresh_dashboards(today=clock.today(), now=timezone.now())
        if options["verbosity"] > 0:
            self.stdout.write(
                _("%(count)d dashboards recomputed in %(seconds).1f s.")
                % {"count": refreshed, "seconds": time.monotonic() - started}
            )
