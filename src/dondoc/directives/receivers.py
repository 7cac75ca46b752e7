"""What the directives app answers when the registry plans a reorganisation: the open work to re-route."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.registry.reorganization import ReorganizationPlan


def open_assignments(sender: type, plan: ReorganizationPlan, **kwargs: Any) -> list[str]:
    """One line per original body holding assignments whose completion is not yet confirmed."""
    confirmed = ProgressReport.objects.filter(assignment=OuterRef("pk"), state=ReportState.CONFIRMED)
    rows = (
        Assignment.objects.filter(organization__in=plan.originals)
        .filter(~Exists(confirmed))
        .values("organization__name")
        .annotate(count=Count("id"))
        .order_by("organization__name")
    )
    return [
        _("%(body)s: %(count)s open assignments to re-route")
        % {"body": row["organization__name"], "count": row["count"]}
        for row in rows
    ]
