"""The follow-up dashboards: the overall one (where everything the user sees stands, its trend by month, the
bodies most often late) and one body's (its figures, what it has overdue, its reports, the inspections that
covered it). guard → access → filter form → selector → charts and tables → page, or the same tables as an
.xlsx workbook (`?format=xlsx`, with the page's filters).

What each user sees is what `assignments_for(scope)` gives: a unit's users their own body's, monitors and
readers their territory's. Invalid filters are shown as errors on the page (400); an export of an empty
selection is refused on the page, with no file."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import READING_ROLES
from dondoc.core.replica import reads_from_replica
from dondoc.directives.access import assignments_for, bodies_assigned_for, directives_to_pick, reports_for
from dondoc.directives.status import Status
from dondoc.followup import charts
from dondoc.followup.exports import (
    count_table,
    filter_table,
    inspection_table,
    overdue_table,
    percent,
    ranking_table,
    report_table,
    trend_table,
    without_end_label,
)
from dondoc.followup.forms.dashboard import NARROWING_FILTERS, DashboardForm
from dondoc.followup.selectors.dashboard import (
    DashboardFilters,
    MonthCounts,
    Overview,
    StatusCounts,
    access_body,
    body_overview,
)
from dondoc.followup.selectors.inspections import inspections_for
from dondoc.followup.services.dashboards import REFRESH_EVERY, dashboard_figures
from dondoc.followup.views.exporting import query_string, wants_xlsx, xlsx_response
from dondoc.registry.models import Organization

REPORTS_SHOWN = 20  # the latest reports on a body's page; the workbook holds them all
# the filters a body's page keeps from the overall one (it is one body, of one level)
_BODY_FILTERS = ("period", "directive", "status")


# the headline rate's colour: green from 90 % done on time, amber from 70 %, red below (no rule sets these
# bands; the number beside says the rest)
_GOOD_RATE, _FAIR_RATE = 0.9, 0.7


def rate_band(rate: float | None) -> str:
    """The band of an on-time rate, for its colour: "good", "fair", "poor", or "none" without a rate."""
    if rate is None:
        return "none"
    return "good" if rate >= _GOOD_RATE else "fair" if rate >= _FAIR_RATE else "poor"


# --- the charts: each beside its table, with the same numbers ---


def _count_rows(counts: StatusCounts) -> list[charts.BarRow]:
    def row(label: str, value: int, tone: charts.Tone) -> charts.BarRow:
        return charts.BarRow(label, (charts.Segment(value, tone, label),))

    return [
        row(str(Status.DONE_ON_TIME.label), counts.done_on_time, charts.Tone.ON_TIME),
        row(str(Status.DONE_LATE.label), counts.done_late, charts.Tone.LATE),
        row(str(Status.OVERDUE.label), counts.overdue, charts.Tone.OVERDUE),
        row(str(Status.IN_PROGRESS.label), counts.in_progress, charts.Tone.IN_PROGRESS),
        row(str(Status.NOT_YET_DUE.label), counts.not_yet_due, charts.Tone.NOT_YET_DUE),
        row(without_end_label(reported=True), counts.reported, charts.Tone.REPORTED),
        row(without_end_label(reported=False), counts.not_reported, charts.Tone.NOT_REPORTED),
    ]


def _status_chart(counts: StatusCounts, chart_id: str) -> SafeString:
    description = _(
        "Of %(fallen)d assignments fallen due, %(on_time)d were done on time (%(rate)s); "
        "the table next to it gives every number."
    ) % {"fallen": counts.fallen_due, "on_time": counts.done_on_time, "rate": percent(counts.on_time_rate)}
    return mark_safe(  # charts.py escapes every text it writes
        charts.bar_chart(
            chart_id=chart_id,
            title=_("Assignments by status"),
            description=description,
            rows=_count_rows(counts),
        )
    )


def _trend_chart(trend: Sequence[MonthCounts], chart_id: str) -> SafeString:
    description = _(
        "Assignments done on time, done late and overdue by month of their deadline, from %(first)s to "
        "%(last)s; the table next to it gives every number."
    ) % {"first": f"{trend[0].month:%m/%Y}", "last": f"{trend[-1].month:%m/%Y}"}
    return mark_safe(  # charts.py escapes every text it writes
        charts.line_chart(
            chart_id=chart_id,
            title=_("Deadlines by month: how they ended"),
            description=description,
            # "07/23": a year's months side by side on a phone; the table beside gives "07/2023"
            categories=[f"{month.month:%m/%y}" for month in trend],
            series=[
                charts.Series(
                    str(Status.DONE_ON_TIME.label),
                    tuple(m.done_on_time for m in trend),
                    charts.Tone.ON_TIME,
                ),
                charts.Series(
                    str(Status.DONE_LATE.label), tuple(m.done_late for m in trend), charts.Tone.LATE
                ),
                charts.Series(
                    str(Status.OVERDUE.label), tuple(m.overdue for m in trend), charts.Tone.OVERDUE
                ),
            ],
        )
    )


def _ranking_chart(figures: Overview) -> SafeString:
    rows = [
        charts.BarRow(
            rank.name,
            (
                charts.Segment(rank.overdue, charts.Tone.OVERDUE, str(Status.OVERDUE.label)),
                charts.Segment(rank.done_late, charts.Tone.LATE, str(Status.DONE_LATE.label)),
            ),
            note=_("on time %(rate)s") % {"rate": percent(rank.on_time_rate)},
        )
        for rank in figures.ranking
    ]
    description = _(
        "The %(count)d bodies with the most assignments overdue or done late, most first; "
        "the table next to it gives every number."
    ) % {"count": len(rows)}
    return mark_safe(  # charts.py escapes every text it writes
        charts.bar_chart(
            chart_id="ranking-chart",
            title=_("Bodies most often late"),
            description=description,
            rows=rows,
        )
    )


# --- the overall dashboard ---


@role_required(*READING_ROLES)
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """The overall dashboard, from its kept figures (followup.services.dashboards) while they are fresh; a
    POST (the page's "compute now") computes them again and comes back to the same page."""
    acting, today = scope(request), clock.today()
    # what may be chosen is asked for only when something was: naming the whole country's scope (its bodies,
    # its territories) costs more than showing the figures kept for it
    directives = directives_to_pick(acting, picked=bool(request.GET.get("directive")))
    bodies = None
    if not acting.is_unit:
        bodies = bodies_assigned_for(acting) if request.GET.get("body") else Organization.objects.none()
    form = DashboardForm(request.GET or None, today=today, directives=directives, bodies=bodies)
    if form.is_bound and not form.is_valid():
        return render(request, "followup/dashboard.html", {"form": form, "invalid": True}, status=400)
    filters = form.filters() if form.is_bound else DashboardFilters()
    kept = dashboard_figures(
        acting, today=today, now=timezone.now(), filters=filters, recompute=request.method == "POST"
    )
    if request.method == "POST":
        return redirect(request.get_full_path())
    figures, computed_at = kept.overview, kept.computed_at
    chosen = form.chosen() if form.is_bound else []
    tables = [
        count_table(figures.counts),
        trend_table(figures.trend),
        ranking_table(figures, body_query=query_string(request, keep=_BODY_FILTERS)),
    ]
    if wants_xlsx(request) and figures.counts.total:
        tables.append(
            filter_table(chosen=chosen, today=today, standing_on=figures.standing_on, computed_at=computed_at)
        )
        return xlsx_response(tables, f"theo-doi-thuc-hien-{today:%Y-%m-%d}.xlsx")
    context = {
        "form": form,
        "figures": figures,
        "counts": figures.counts,
        "rate": percent(figures.counts.on_time_rate),
        "rate_band": rate_band(figures.counts.on_time_rate),
        "chosen": chosen,
        "today": today,
        "computed_at": computed_at,
        "refreshed_every": int(REFRESH_EVERY.total_seconds() // 60),
        # who manages urges the late bodies: directive by directive, to the follow-up page, which chooses the
        # directive's late bodies under the same filters (passed on, not named: the whole country's thousands
        # would not fit in an address)
        "late_directives": kept.late.shown,
        "late_not_shown": kept.late.not_shown,
        "late_query": query_string(request, keep=NARROWING_FILTERS) if filters.narrows_bodies else "",
        "counts_table": tables[0],
        "trend_table": tables[1],
        "ranking_table": tables[2],
        "status_chart": _status_chart(figures.counts, "status-chart"),
        "trend_chart": _trend_chart(figures.trend, "trend-chart"),
        "ranking_chart": _ranking_chart(figures) if figures.ranking else "",
        "export_query": query_string(request, format="xlsx"),
        "export_refused": wants_xlsx(request),
    }
    return render(request, "followup/dashboard.html", context)


# --- one body's dashboard ---


@role_required(*READING_ROLES)
@reads_from_replica
def body_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    acting, today = scope(request), clock.today()
    body = access_body(acting, pk)
    visible = assignments_for(acting).filter(organization=body)
    directives = directives_to_pick(acting, picked=bool(request.GET.get("directive")))
    form = DashboardForm(request.GET or None, today=today, directives=directives, bodies=None)
    context: dict[str, object] = {"form": form, "body": body}
    if form.is_bound and not form.is_valid():
        return render(request, "followup/body_dashboard.html", {**context, "invalid": True}, status=400)
    exporting = wants_xlsx(request)
    figures = body_overview(
        organization=body,
        assignments=visible,
        reports=reports_for(acting, assignments=visible),
        inspections=inspections_for(acting),
        today=today,
        filters=form.filters() if form.is_bound else DashboardFilters(),
        report_limit=None if exporting else REPORTS_SHOWN,
    )
    chosen = form.chosen() if form.is_bound else []
    tables = [
        count_table(figures.counts),
        trend_table(figures.trend),
        overdue_table(figures, today=today),
        report_table(figures.reports),
        inspection_table(figures),
    ]
    if exporting and not figures.is_empty:
        tables.append(filter_table(chosen=chosen, today=today, standing_on=figures.standing_on))
        return xlsx_response(tables, f"theo-doi-{slugify(body.code) or body.pk}-{today:%Y-%m-%d}.xlsx")
    context |= {
        "figures": figures,
        "counts": figures.counts,
        "rate": percent(figures.counts.on_time_rate),
        "rate_band": rate_band(figures.counts.on_time_rate),
        "chosen": chosen,
        "today": today,
        "counts_table": tables[0],
        "trend_table": tables[1],
        "overdue_table": tables[2],
        "report_table": tables[3],
        "inspection_table": tables[4],
        "status_chart": _status_chart(figures.counts, "body-status-chart"),
        "trend_chart": _trend_chart(figures.trend, "body-trend-chart"),
        "export_query": query_string(request, format="xlsx"),
        "export_refused": exporting,
        "overall_query": query_string(request, keep=_BODY_FILTERS),
    }
    return render(request, "followup/body_dashboard.html", context)
