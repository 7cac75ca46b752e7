"""A directive's follow-up by period: its task × body grid with, for each task without an end date, the recent
reporting periods and where each body stands in them; every cell leads to the assignment and its reports.

The directive comes from what the request's scope reads (directives.access): one it may not read is not found
(404); the rows are the bodies whose assignments the scope sees, so a unit's users see their own row only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import READING_ROLES
from dondoc.core.replica import reads_from_replica
from dondoc.directives.access import access_directive, assignments_for
from dondoc.directives.forms import GridFilterForm
from dondoc.directives.models import DirectiveState, Task
from dondoc.directives.periods import period_label
from dondoc.directives.status import Status
from dondoc.followup.exports import directive_grid_table, period_count_table
from dondoc.followup.rendering import STANDING_CLASSES, STANDING_LABELS, followup_grid_body
from dondoc.followup.selectors.directive_followup import RECENT_PERIODS, PeriodColumn
from dondoc.followup.selectors.directive_followup import directive_followup as read_followup
from dondoc.followup.views.exporting import query_string, wants_xlsx, xlsx_response

# a period of the summary: the column, its label, and each standing's count with its colour and label
SummaryPeriod = tuple[PeriodColumn, str, list[tuple[int, str, str]]]


def _summary(columns: list[PeriodColumn]) -> list[tuple[Task, list[SummaryPeriod | None]]]:
    """The counts above the grid, one row per task: its periods the current one last, so that the current
    periods of all tasks line up (a task begun lately has fewer, and blanks before them)."""
    by_task: dict[int, tuple[Task, list[SummaryPeriod]]] = {}
    for column in columns:
        counts = [
            (count.count, STANDING_CLASSES[count.standing], str(STANDING_LABELS[count.standing]))
            for count in column.counts
        ]
        entry = by_task.setdefault(column.task.pk, (column.task, []))
        entry[1].append((column, period_label(column.period), counts))
    return [(task, [None] * (RECENT_PERIODS - len(periods)) + periods) for task, periods in by_task.values()]


@role_required(*READING_ROLES)
@reads_from_replica
def directive_followup(request: HttpRequest, pk: int) -> HttpResponse:
    acting = scope(request)
    directive = access_directive(acting, pk, deferred=("source_text", "parsed", "search_text"))
    if directive.state != DirectiveState.PUBLISHED:  # a draft assigns nothing yet: its page goes to review
        return redirect(directive)
    form = GridFilterForm(request.GET or None)
    status, body = "", ""
    if form.is_valid():
        status, body = form.cleaned_data["status"], form.cleaned_data["body"]
    today = clock.today()
    tasks = list(directive.tasks.defer("search_text"))
    followup = read_followup(
        directive=directive,
        tasks=tasks,
        assignments=assignments_for(acting),
        today=today,
        status=status,
        body=body,
    )
    exporting = wants_xlsx(request)
    if exporting and followup.grid.rows:
        return xlsx_response(
            [period_count_table(followup), directive_grid_table(followup, tasks)],
            f"theo-doi-theo-ky-{slugify(directive.number) or directive.pk}-{today:%Y-%m-%d}.xlsx",
        )
    return render(
        request,
        "followup/directive_followup.html",
        {
            "directive": directive,
            "tasks": tasks,
            "grid": followup.grid,
            "columns": [(column, period_label(column.period)) for column in followup.columns],
            "summary": _summary(followup.columns),
            "rows": followup_grid_body(followup),
            "form": form,
            "standings": [(STANDING_CLASSES[standing], label) for standing, label in STANDING_LABELS.items()],
            "status_labels": {status.value: status.label for status in Status},
            "may_send": acting.manages,
            "export_query": query_string(request, format="xlsx"),
            # an export of nothing is refused on the page, with no file
            "export_refused": exporting,
            "today": today,
        },
    )
