"""`manage.py load_2025_reorganization`: the 2025 reorganisation of the former Đắk Nông area, committed onto
the sample registry through the reorganisation service (registry/history_2025.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from dondoc import clock
from dondoc.registry.history_2025 import HistoryError, load_2025_reorganization


class Command(BaseCommand):
    help = (
        "Commit the 2025 reorganisation (the new Lâm Đồng province, the end of the district level, "
        "Đắk Nông's commune mergers) onto the sample registry, once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = load_2025_reorganization(today=clock.today())
        except HistoryError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            gettext(
                "Committed %(events)d reorganisation events effective 01/07/2025 in %(seconds).2f s: "
                "%(begun)d bodies begun, %(ended)d ended, %(carried)d open assignments handed on; "
                "%(added)d territories added, %(territories_ended)d ended, "
                "%(counterparts)d counterpart bodies."
            )
            % {
                "events": sum(summary.events.values()),
                "seconds": time.perf_counter() - started,
                "begun": summary.bodies_begun,
                "ended": summary.bodies_ended,
                "carried": summary.open_work_carried,
                "added": summary.territories_added,
                "territories_ended": summary.territories_ended,
                "counterparts": summary.counterparts_added,
            }
        )
