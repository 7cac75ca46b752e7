"""The overall dashboard's figures kept ahead of its readers, with a stated freshness.

A territory's dashboard counts every assignment of its bodies: at national scale the whole country's takes
seconds to compute. So its figures are computed once and kept (a KeptDashboard row per set of assignments
seen and choice of filters, shared by every user who sees the same), and a page shows them, saying when
they were computed, while they are of today and younger than KEPT_FOR; older, the page computes them again.
The refresher (`manage.py refresh_dashboards`, run by `serve` every REFRESH_EVERY) recomputes those read in
the last READ_RECENTLY ahead of their readers, and forgets those unread for FORGOTTEN_AFTER. A user may ask
for them computed now. One body's dashboard (a unit's) is small, and computed on each page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from dondoc.accounts.models import Role
from dondoc.accounts.scope import Scope, scope_of_membership
from dondoc.directives.access import assignments_for
from dondoc.followup.forms.dashboard import period_code, period_from_code
from dondoc.followup.models.dashboards import KeptDashboard
from dondoc.followup.selectors.dashboard import (
    LATE_SHOWN,
    NONE_LATE,
    BodyRank,
    DashboardFilters,
    LateDirective,
    LateDirectives,
    MonthCounts,
    Overview,
    StatusCounts,
    late_by_directive,
    overview,
)

logger = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(minutes=10)
KEPT_FOR = timedelta(minutes=30)
READ_RECENTLY = timedelta(days=1)
FORGOTTEN_AFTER = timedelta(days=7)
# a page notes that it was read at most this often: one small write an hour per dashboard, not one per page
_READ_NOTED_EVERY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class DashboardFigures:
    """What the overall dashboard shows: its figures, the directives with late bodies (for those who manage)
    and when the figures were computed (None: for this page)."""

    overview: Overview
    late: LateDirectives
    computed_at: datetime | None


def dashboard_figures(
    scope: Scope, *, today: date, now: datetime, filters: DashboardFilters, recompute: bool = False
) -> DashboardFigures:
    """The overall dashboard's figures for `scope`: those kept, when of `today` and younger than KEPT_FOR and
    not asked to `recompute`; else computed now (and kept, for a territory's dashboard)."""
    key = _key(scope, filters)
    if key is None:
        return DashboardFigures(*_compute(scope, today, filters), computed_at=None)
    kept = None if recompute else KeptDashboard.objects.filter(key=key).first()
    if kept is not None and kept.as_of == today and kept.computed_at > now - KEPT_FOR:
        if kept.read_at <= now - _READ_NOTED_EVERY:
            KeptDashboard.objects.filter(pk=kept.pk).update(read_at=now)
        return DashboardFigures(*_figures_from_json(kept.figures), computed_at=kept.computed_at)
    figures, late = _compute(scope, today, filters)
    _keep(key, scope, filters, today=today, now=now, figures=figures, late=late, read_now=True)
    return DashboardFigures(figures, late, computed_at=now)


def refresh_dashboards(*, today: date, now: datetime) -> int:
    """Recompute the kept dashboards read in the last READ_RECENTLY whose figures are older than REFRESH_EVERY
    or of another day, and forget those unread for FORGOTTEN_AFTER or whose user's role has changed; returns
    how many were recomputed."""
    KeptDashboard.objects.filter(read_at__lt=now - FORGOTTEN_AFTER).delete()
    due = (
        KeptDashboard.objects.filter(read_at__gte=now - READ_RECENTLY)
        .exclude(as_of=today, computed_at__gt=now - REFRESH_EVERY)
        .select_related("membership__organization", "membership__jurisdiction")
        .order_by("computed_at")
    )
    refreshed = 0
    for kept in due:
        membership = kept.membership
        if membership is None:
            kept.delete()
            continue
        scope = scope_of_membership(membership)
        filters = _filters_from_json(kept.filters)
        if _key(scope, filters) != kept.key:  # the role or territory changed: its next page keeps its own
            kept.delete()
            continue
        figures, late = _compute(scope, today, filters)
        _keep(kept.key, scope, filters, today=today, now=now, figures=figures, late=late, read_now=False)
        refreshed += 1
    return refreshed


def _key(scope: Scope, filters: DashboardFilters) -> str | None:
    """Which dashboard a scope's page is: who sees the same assignments (the administrator everything, a
    monitor or reader a territory) and whether the directives with late bodies are shown; None for the
    others (a body's own, small)."""
    if scope.role == Role.ADMINISTRATOR:
        seen = "all"
    elif scope.follows_jurisdiction and scope.jurisdiction_id is not None:
        seen = f"territory-{scope.jurisdiction_id}"
    else:
        return None
    chosen = _filters_to_json(filters)
    parts = (seen, "manages" if scope.manages else "reads", *(str(chosen[name] or "") for name in _FILTERS))
    return "|".join(parts)


def _compute(scope: Scope, today: date, filters: DashboardFilters) -> tuple[Overview, LateDirectives]:
    visible = assignments_for(scope)
    figures = overview(assignments=visible, today=today, filters=filters)
    late = (
        late_by_directive(assignments=visible, today=today, filters=filters) if scope.manages else NONE_LATE
    )
    return figures, late


def _keep(
    key: str,
    scope: Scope,
    filters: DashboardFilters,
    *,
    today: date,
    now: datetime,
    figures: Overview,
    late: LateDirectives,
    read_now: bool,
) -> None:
    """Keep the figures computed `now` under `key`, noting them read now when a page computed them (the
    refresher's computing is no reading)."""
    values: dict[str, Any] = {
        "membership": scope.membership,
        "filters": _filters_to_json(filters),
        "as_of": today,
        "computed_at": now,
        "figures": _figures_to_json(figures, late),
    }
    read = {"read_at": now}
    try:
        with transaction.atomic():
            KeptDashboard.objects.update_or_create(
                key=key, defaults=values | read if read_now else values, create_defaults=values | read
            )
    except IntegrityError:  # another page kept the same dashboard at the same moment: theirs stands
        logger.info("dashboard %s kept by another request", key)


# --- as JSON ---

_FILTERS = ("period", "directive_id", "organization_id", "level", "status")


def _filters_to_json(filters: DashboardFilters) -> dict[str, Any]:
    return {
        "period": period_code(filters.period) if filters.period is not None else None,
        "directive_id": filters.directive_id,
        "organization_id": filters.organization_id,
        "level": filters.level,
        "status": filters.status,
    }


def _filters_from_json(data: dict[str, Any]) -> DashboardFilters:
    return DashboardFilters(
        period=period_from_code(data["period"]) if data["period"] else None,
        directive_id=data["directive_id"],
        organization_id=data["organization_id"],
        level=data["level"],
        status=data["status"],
    )


def _figures_to_json(figures: Overview, late: LateDirectives) -> dict[str, Any]:
    counts = figures.counts
    return {
        "counts": [
            counts.done_on_time,
            counts.done_late,
            counts.overdue,
            counts.in_progress,
            counts.not_yet_due,
            counts.reported,
            counts.not_reported,
        ],
        "trend": [
            [month.month.isoformat(), month.done_on_time, month.done_late, month.overdue]
            for month in figures.trend
        ],
        "ranking": [
            [rank.organization_id, rank.name, rank.done_on_time, rank.done_late, rank.overdue]
            for rank in figures.ranking
        ],
        "standing_on": figures.standing_on.isoformat(),
        "late": [
            [directive.directive_id, directive.label, list(directive.organization_ids), directive.overdue]
            for directive in late.shown
        ],
        "late_total": late.total,
    }


def _figures_from_json(data: dict[str, Any]) -> tuple[Overview, LateDirectives]:
    figures = Overview(
        counts=StatusCounts(*data["counts"]),
        trend=tuple(
            MonthCounts(date.fromisoformat(month), on_time, late, overdue)
            for month, on_time, late, overdue in data["trend"]
        ),
        ranking=tuple(BodyRank(*rank) for rank in data["ranking"]),
        standing_on=date.fromisoformat(data["standing_on"]),
    )
    shown = tuple(
        LateDirective(directive_id, label, tuple(bodies), overdue)
        for directive_id, label, bodies, overdue in data["late"]
    )
    # figures kept before the list was cut to LATE_SHOWN hold every directive and no total
    return figures, LateDirectives(shown=shown[:LATE_SHOWN], total=data.get("late_total", len(shown)))
